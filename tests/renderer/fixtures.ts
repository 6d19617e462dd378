import type { ItemRow, LabelingItem } from '../../shared/contract/schemas';
import type { AnnotationState } from '../../shared/domain/annotation';
import { DEFAULT_SCHEMA, LabelSchema } from '../../shared/domain/labelSchema';

/** A project with the default schema, as projects.get answers. */
export function project(counts: { itemCount: number; annotatedCount: number }) {
  return {
    id: 'p1',
    name: '售后意图 2026Q1',
    description: '',
    createdAt: '2026-03-01T00:00:00.000Z',
    schemaVersion: 1,
    ...counts,
    schema: LabelSchema.parse(DEFAULT_SCHEMA),
  };
}

/** An item as the item table and the labeling queue list it. */
export function itemRow(ord: number, text: string, annotationCount = 0): ItemRow {
  return { id: `i${ord}`, ord, text, meta: {}, externalId: null, gold: false, annotationCount, sourceFile: null, sourceLine: null };
}

/** An item as the labeling queue shows it. */
export function labelingItem(row: ItemRow, annotation: AnnotationState | null = null): LabelingItem {
  return { item: row, annotation, suggestions: [], context: [] };
}
