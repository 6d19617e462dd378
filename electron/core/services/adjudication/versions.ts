import type { Span } from '../../../../shared/domain/spans';
import type { DB } from '../../db/open';
import { stmt } from '../../db/statements';

/** One annotator's submitted annotation of an item, as the reviewer compares it. */
export interface ItemVersion {
  annotatorId: string;
  annotatorName: string;
  intents: string[];
  sentiment: string | null;
  entities: Span[];
  flagged: boolean;
}

interface Row {
  item_id: string;
  annotator_id: string;
  name: string;
  intents_json: string;
  sentiment: string | null;
  entities_json: string;
  flagged: number;
}

const SELECT = `SELECT a.item_id, a.annotator_id, p.name, a.intents_json, a.sentiment, a.entities_json, a.flagged
  FROM annotations a JOIN annotators p ON p.id = a.annotator_id`;

export const versionOf = (r: Row): ItemVersion => ({
  annotatorId: r.annotator_id,
  annotatorName: r.name,
  intents: JSON.parse(r.intents_json) as string[],
  sentiment: r.sentiment,
  entities: (JSON.parse(r.entities_json) as Span[]).map((s) => ({ start: s.start, end: s.end, label: s.label })),
  flagged: r.flagged === 1,
});

/** The submitted annotations of one item, in annotator-id order (a stable order to shuffle from). */
export function loadVersions(db: DB, itemId: string): ItemVersion[] {
  return stmt<[string], Row>(db, `${SELECT} WHERE a.item_id = ? AND a.status = 'submitted' ORDER BY a.annotator_id`)
    .all(itemId)
    .map(versionOf);
}

/** Every submitted annotation of a project, grouped by item (items in id order). */
export function* projectVersions(db: DB, projectId: string): Generator<{ itemId: string; versions: ItemVersion[] }> {
  let current = '';
  let versions: ItemVersion[] = [];
  const rows = db.prepare<[string], Row>(`${SELECT} WHERE a.project_id = ? AND a.status = 'submitted' ORDER BY a.item_id, a.annotator_id`).iterate(projectId);
  for (const r of rows) {
    if (r.item_id !== current) {
      if (versions.length) yield { itemId: current, versions };
      current = r.item_id;
      versions = [];
    }
    versions.push(versionOf(r));
  }
  if (versions.length) yield { itemId: current, versions };
}
