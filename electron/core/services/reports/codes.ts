import { MISSING, type CodedRatings } from '../../../../shared/domain/agreement';
import type { ReportData } from './load';

/** The items of the report (after the label filter) and the annotators whose decisions are compared. */
export interface ReportScope {
  /** Indices into ReportData.itemIds. */
  items: Int32Array;
  /** Annotator indices (into ReportData.annotators) that are not the gold reference. */
  raters: number[];
  /** ReportData annotator index → column in the coded tables, -1 for the gold reference. */
  column: Int32Array;
}

export function reportScope(data: ReportData, keepItem: (item: number) => boolean): ReportScope {
  const items: number[] = [];
  for (let i = 0; i < data.itemIds.length; i++) if (keepItem(i)) items.push(i);
  const raters = data.annotators.map((a, i) => (a.gold ? -1 : i)).filter((i) => i >= 0);
  const column = new Int32Array(data.annotators.length).fill(-1);
  raters.forEach((a, j) => (column[a] = j));
  return { items: Int32Array.from(items), raters, column };
}

/**
 * Items × raters table of one coded field (first intent, sentiment level) of the submitted
 * annotations, for the agreement metrics. `itemIds` may be shared between tables of one scope.
 */
export function codedTable(
  data: ReportData,
  scope: ReportScope,
  field: Int32Array,
  categories: readonly string[],
  itemIds: readonly string[] = scopeItemIds(data, scope),
): CodedRatings<string> {
  const m = scope.raters.length;
  const codes = new Int32Array(scope.items.length * m).fill(MISSING);
  for (let k = 0; k < scope.items.length; k++) {
    const item = scope.items[k]!;
    for (let r = data.itemStart[item]!; r < data.itemStart[item + 1]!; r++) {
      const j = scope.column[data.annotator[r]!]!;
      if (j >= 0 && field[r]! >= 0 && data.submitted[r]) codes[k * m + j] = field[r]!;
    }
  }
  return {
    annotators: scope.raters.map((a) => data.annotators[a]!.id),
    itemIds,
    categories: [...categories],
    codes,
  };
}

/** The ids of the items in scope, in scope order. */
export function scopeItemIds(data: ReportData, scope: ReportScope): string[] {
  return Array.from(scope.items, (i) => data.itemIds[i]!);
}
