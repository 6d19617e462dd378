import { AppError } from '../../../../shared/contract/errors';
import type { ItemRow, Suggestion } from '../../../../shared/contract/schemas';
import type { DB } from '../open';
import { stmt } from '../statements';

interface Row {
  id: string;
  ord: number;
  text: string;
  meta_json: string;
  external_id: string | null;
  is_gold: number;
  source_file: string | null;
  source_line: number | null;
  annotations: number;
}

const COLUMNS = `i.id, i.ord, i.text, i.meta_json, i.external_id, i.is_gold, i.source_file, i.source_line,
  (SELECT count(*) FROM annotations a WHERE a.item_id = i.id) AS annotations`;

const toItem = (r: Row): ItemRow => ({
  id: r.id,
  ord: r.ord,
  text: r.text,
  meta: JSON.parse(r.meta_json),
  externalId: r.external_id,
  gold: r.is_gold === 1,
  annotationCount: r.annotations,
  sourceFile: r.source_file,
  sourceLine: r.source_line,
});

/** A page of items in import order. ord runs 1..n without gaps, so this is an index range. */
export function itemsByOrd(db: DB, projectId: string, fromOrd: number, toOrd: number): ItemRow[] {
  return stmt<[string, number, number], Row>(db, `SELECT ${COLUMNS} FROM items i WHERE i.project_id = ? AND i.ord BETWEEN ? AND ? ORDER BY i.ord`)
    .all(projectId, fromOrd, toOrd)
    .map(toItem);
}

export function itemsAtOrds(db: DB, projectId: string, ords: number[]): ItemRow[] {
  if (!ords.length) return [];
  return stmt<[string, string], Row>(
    db,
    `SELECT ${COLUMNS} FROM items i WHERE i.project_id = ? AND i.ord IN (SELECT value FROM json_each(?)) ORDER BY i.ord`,
  )
    .all(projectId, JSON.stringify(ords))
    .map(toItem);
}

/** ords of the items whose text contains the query (case-insensitive for Latin letters). */
export function searchOrds(db: DB, projectId: string, query: string): Int32Array {
  const rows = stmt<[string, string], { ord: number }>(
    db,
    'SELECT ord FROM items WHERE project_id = ? AND instr(lower(text), lower(?)) > 0 ORDER BY ord',
  )
    .raw(true)
    .all(projectId, query) as unknown as [number][];
  const out = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = rows[i]![0];
  return out;
}

export function getItem(db: DB, itemId: string): ItemRow & { projectId: string } {
  const row = stmt<[string], Row & { project_id: string }>(db, `SELECT ${COLUMNS}, i.project_id FROM items i WHERE i.id = ?`).get(itemId);
  if (!row) throw new AppError('NOT_FOUND', `no item with id ${itemId}`, { itemId });
  return { ...toItem(row), projectId: row.project_id };
}

export function suggestionsOfItem(db: DB, itemId: string): Suggestion[] {
  return stmt<
    [string],
    { id: string; kind: Suggestion['kind']; value_json: string; score: number | null; model_version: string; created_at: string }
  >(db, 'SELECT id, kind, value_json, score, model_version, created_at FROM suggestions WHERE item_id = ? ORDER BY created_at DESC')
    .all(itemId)
    .map((r) => ({
      id: r.id,
      kind: r.kind,
      value: JSON.parse(r.value_json),
      score: r.score,
      modelVersion: r.model_version,
      createdAt: r.created_at,
    }));
}

/**
 * The next item in import order after `afterOrd` that this annotator has not annotated. Walks the
 * (project_id, ord) index from the cursor and probes the annotations primary key for each item.
 */
export const NEXT_UNANNOTATED_SQL = `SELECT i.id, i.ord FROM items i
  WHERE i.project_id = ? AND i.ord > ?
    AND NOT EXISTS (SELECT 1 FROM annotations a WHERE a.item_id = i.id AND a.annotator_id = ?)
  ORDER BY i.ord LIMIT 1`;

export function nextUnannotated(db: DB, projectId: string, annotatorId: string, afterOrd = 0): { id: string; ord: number } | null {
  return stmt<[string, number, string], { id: string; ord: number }>(db, NEXT_UNANNOTATED_SQL).get(projectId, afterOrd, annotatorId) ?? null;
}
