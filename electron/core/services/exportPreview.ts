import type { ExportOptionsInfo, ExportRedaction, RedactionPreview } from '../../../shared/contract/export';
import type { Span } from '../../../shared/domain/spans';
import type { DB } from '../db/open';
import { currentSchema } from '../db/repos/projects';
import { projectPseudonymKey } from '../export/pipeline';
import { personalEntityTypes, redactText } from '../redaction';
import { loadExportSettings } from './exportSettings';

/** Items read to find the metadata fields a project uses (they are the same across an import). */
const META_SAMPLE = 2000;
/** Items read, at most, to find ones with personal data for the preview. */
const PREVIEW_SCAN = 20_000;

export function exportOptions(db: DB, projectId: string): ExportOptionsInfo {
  currentSchema(db, projectId);
  const metaFields = (
    db
      .prepare(
        `SELECT DISTINCT j.key FROM (SELECT meta_json FROM items WHERE project_id = ? ORDER BY ord LIMIT ${META_SAMPLE}) s, json_each(s.meta_json) j ORDER BY j.key`,
      )
      .pluck()
      .all(projectId) as string[]
  ).filter((k) => k !== 'gold');
  const count = (sql: string) => (db.prepare(sql).pluck().get(projectId) as number | null) ?? 0;
  return {
    metaFields,
    systemPrompt: loadExportSettings(db, projectId).systemPrompt ?? '',
    items: count('SELECT count(*) FROM items WHERE project_id = ?'),
    gold: count('SELECT count(*) FROM items WHERE project_id = ? AND is_gold = 1'),
    adjudicated: count("SELECT count(*) FROM adjudication_items WHERE project_id = ? AND state IN ('auto', 'human')"),
  };
}

/** The first items of the project that hold personal data, before and after redaction in `mode`. */
export function redactionPreview(db: DB, projectId: string, mode: Exclude<ExportRedaction, 'none'>, limit: number): RedactionPreview {
  const schema = currentSchema(db, projectId);
  const personalTypes = personalEntityTypes(schema);
  const key = mode === 'pseudonym' ? projectPseudonymKey(db, projectId) : undefined;
  const rows = db
    .prepare(
      `SELECT i.id, i.text, (SELECT json_group_array(json(a.entities_json)) FROM annotations a WHERE a.item_id = i.id) AS spans
       FROM items i WHERE i.project_id = ? ORDER BY i.ord LIMIT ${PREVIEW_SCAN}`,
    )
    .iterate(projectId) as Iterable<{ id: string; text: string; spans: string | null }>;
  const items: RedactionPreview['items'] = [];
  let scanned = 0;
  for (const row of rows) {
    scanned++;
    const spans = row.spans ? (JSON.parse(row.spans) as Span[][]).flat() : [];
    const r = redactText(row.text, { mode, key, spans, personalTypes });
    if (r.replacements.length) items.push({ itemId: row.id, before: row.text, after: r.text, types: [...new Set(r.replacements.map((x) => x.type))] });
    if (items.length >= limit) break;
  }
  return { items, scanned };
}
