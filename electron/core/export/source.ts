/**
 * The export's one read of a project: its items in `ord` order (import order, so a dialogue's earlier
 * turns come before its later ones), each with its submitted and skipped annotations, adjudication
 * state and, for resolved items, the adjudicated values. One statement: items LEFT JOIN annotations in
 * (ord, annotator) order, consecutive rows of one item gathered here. The statement stays open while
 * the caller awaits between items, so the connection must not be used by anything else meanwhile.
 */
import type { AdjudicationState, FieldValue } from '../../../shared/contract/adjudication';
import type { Span } from '../../../shared/domain/spans';
import type { DB } from '../db/open';
import type { ItemVersion } from '../services/adjudication/versions';

export interface SourceItem {
  /** Position in export order, from 0. */
  index: number;
  id: string;
  text: string;
  meta: Record<string, unknown>;
  externalId: string | null;
  isGold: boolean;
  /** Submitted annotations, in annotator-id order. */
  versions: ItemVersion[];
  skipped: boolean;
  state: AdjudicationState | null;
  /** Adjudicated values per field (only read for resolved items, so only loaded for them). */
  decided: ReadonlyMap<string, FieldValue>;
}

const ITEMS_SQL = `SELECT i.id, i.text, i.meta_json, i.external_id, i.is_gold,
    a.annotator_id, a.status, a.intents_json, a.sentiment, a.entities_json, a.flagged, s.state,
    CASE WHEN s.state IN ('human', 'auto')
      THEN (SELECT json_group_object(d.field, json(d.value_json)) FROM adjudications d WHERE d.item_id = i.id) END AS decided
  FROM items i
  LEFT JOIN annotations a ON a.item_id = i.id AND a.status IN ('submitted', 'skipped')
  LEFT JOIN adjudication_items s ON s.item_id = i.id
  WHERE i.project_id = ? ORDER BY i.ord, a.annotator_id`;

type Row = [
  id: string,
  text: string,
  metaJson: string,
  externalId: string | null,
  isGold: number,
  annotatorId: string | null,
  status: string | null,
  intentsJson: string | null,
  sentiment: string | null,
  entitiesJson: string | null,
  flagged: number | null,
  state: AdjudicationState | null,
  decided: string | null,
];

const NO_DECISIONS: ReadonlyMap<string, FieldValue> = new Map();

function startItem(row: Row, index: number): SourceItem {
  return {
    index,
    id: row[0],
    text: row[1],
    meta: JSON.parse(row[2] || '{}') as Record<string, unknown>,
    externalId: row[3],
    isGold: row[4] === 1,
    versions: [],
    skipped: false,
    state: row[11],
    decided: row[12] ? new Map(Object.entries(JSON.parse(row[12]) as Record<string, FieldValue>)) : NO_DECISIONS,
  };
}

function addAnnotation(item: SourceItem, row: Row): void {
  if (row[5] === null) return;
  if (row[6] === 'skipped') {
    item.skipped = true;
    return;
  }
  const entities = JSON.parse(row[9] ?? '[]') as Span[];
  item.versions.push({
    annotatorId: row[5],
    annotatorName: '',
    intents: JSON.parse(row[7] ?? '[]') as string[],
    sentiment: row[8],
    entities: entities.map((s) => ({ start: s.start, end: s.end, label: s.label })),
    flagged: row[10] === 1,
  });
}

function finishItem(item: SourceItem): SourceItem {
  // SQLite orders by bytes, JavaScript by UTF-16 units; the label policy expects the latter.
  if (item.versions.length > 1) item.versions.sort((a, b) => (a.annotatorId < b.annotatorId ? -1 : a.annotatorId > b.annotatorId ? 1 : 0));
  return item;
}

/** The project's items with their annotations, in export order. */
export function* projectItems(db: DB, projectId: string): Generator<SourceItem> {
  let current: SourceItem | null = null;
  let index = 0;
  for (const row of db.prepare<[string], Row>(ITEMS_SQL).raw(true).iterate(projectId) as IterableIterator<Row>) {
    if (current === null || current.id !== row[0]) {
      if (current !== null) yield finishItem(current);
      current = startItem(row, index++);
    }
    addAnnotation(current, row);
  }
  if (current !== null) yield finishItem(current);
}
