import type { DisagreementItem } from '../../../../shared/contract/reports';
import type { CodedRatings } from '../../../../shared/domain/agreement';
import type { DB } from '../../db/open';
import type { ReportScope } from './codes';
import type { ReportData } from './load';

/** Share of the item's rated pairs in a coded table (item k's row of m codes) that differ; -1 with fewer than two ratings. */
function pairDisagreement(table: CodedRatings<string>, k: number): number {
  const m = table.annotators.length;
  const codes = table.codes;
  let pairs = 0;
  let differ = 0;
  for (let x = k * m, end = x + m; x < end; x++) {
    const a = codes[x]!;
    if (a < 0) continue;
    for (let y = x + 1; y < end; y++) {
      const b = codes[y]!;
      if (b < 0) continue;
      pairs++;
      if (a !== b) differ++;
    }
  }
  return pairs ? differ / pairs : -1;
}

/**
 * The items people disagree on most: per item, the share of disagreeing annotator pairs averaged
 * over intents, sentiment and entities (tasks where the item has a pair); the top `limit` (kept as
 * they come, not sorted at the end: most items have some disagreement), with each annotator's
 * decision, for the reviewer to open in the labeling queue.
 */
export function mostDisagreedItems(
  db: DB,
  data: ReportData,
  scope: ReportScope,
  tables: { intents: CodedRatings<string>; sentiment: CodedRatings<string> },
  entityDisagreement: Float64Array,
  limit = 50,
): DisagreementItem[] {
  const scored: { k: number; score: number; raters: number }[] = [];
  const before = (a: { k: number; score: number; raters: number }, b: { k: number; score: number; raters: number }): boolean =>
    a.score > b.score || (a.score === b.score && (a.raters > b.raters || (a.raters === b.raters && a.k < b.k)));
  for (let k = 0; k < scope.items.length; k++) {
    let sum = 0;
    let tasks = 0;
    for (const v of [pairDisagreement(tables.intents, k), pairDisagreement(tables.sentiment, k), entityDisagreement[k]!]) {
      if (v < 0) continue;
      sum += v;
      tasks++;
    }
    if (!tasks || sum === 0) continue;
    const item = scope.items[k]!;
    const entry = { k, score: sum / tasks, raters: data.itemStart[item + 1]! - data.itemStart[item]! };
    if (scored.length === limit && !before(entry, scored[limit - 1]!)) continue;
    let at = scored.length;
    while (at > 0 && before(entry, scored[at - 1]!)) at--;
    scored.splice(at, 0, entry);
    if (scored.length > limit) scored.pop();
  }
  const top = scored;
  const get = db.prepare('SELECT ord, text FROM items WHERE id = ?');
  return top.map(({ k, score }) => {
    const item = scope.items[k]!;
    const row = get.get(data.itemIds[item]) as { ord: number; text: string };
    const annotations: DisagreementItem['annotations'] = [];
    for (let r = data.itemStart[item]!; r < data.itemStart[item + 1]!; r++) {
      if (scope.column[data.annotator[r]!]! < 0) continue;
      annotations.push({
        annotatorId: data.annotators[data.annotator[r]!]!.id,
        intents: data.intentsOf(r).map((c) => data.intents[c]!),
        sentiment: data.level[r]! >= 0 ? data.levels[data.level[r]!]! : null,
        entities: data.entitiesJson[r] === '[]' ? 0 : (JSON.parse(data.entitiesJson[r]!) as unknown[]).length,
      });
    }
    return { itemId: data.itemIds[item]!, ord: row.ord, text: row.text, disagreement: score, annotations };
  });
}
