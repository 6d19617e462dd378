import type { AdjudicationState } from '../../../../shared/contract/adjudication';
import type { DB } from '../../db/open';
import { stmt } from '../../db/statements';
import { VersionParser, type ItemVersion } from './versions';

/** A field's current decision: its value (JSON text), who made it and the event it stands on. */
export interface Standing {
  valueJson: string;
  source: 'adjudication' | 'auto';
  eventId: string;
}

/** One item of a page: its submitted versions (annotator-id order), its queue row and its decided fields. */
export interface PageItem {
  itemId: string;
  versions: ItemVersion[];
  /** The queue row's state; null when the item has no queue row. */
  state: AdjudicationState | null;
  uncertainty: number;
  standing: ReadonlyMap<string, Standing>;
}

/** A range of `ord`: after `from`, up to and including `to`. */
interface OrdRange {
  from: number;
  to: number;
}

const FIRST = Number.MIN_SAFE_INTEGER;
const LAST = Number.MAX_SAFE_INTEGER;

// Each query walks `items` by (project_id, ord) and seeks into the other table by item: no sort, no temporary table.
const RANGE = 'i.project_id = ? AND i.ord > ? AND i.ord <= ?';
const VERSIONS = `SELECT i.id, a.annotator_id, a.intents_json, a.sentiment, a.entities_json, a.flagged
  FROM items i CROSS JOIN annotations a WHERE ${RANGE} AND a.item_id = i.id AND a.status = 'submitted' ORDER BY i.ord, a.annotator_id`;
const QUEUE = `SELECT i.id, q.state, q.uncertainty FROM items i CROSS JOIN adjudication_items q WHERE ${RANGE} AND q.item_id = i.id`;
const DECIDED = `SELECT i.id, d.field, d.value_json, d.source, d.last_event_id
  FROM items i CROSS JOIN adjudications d WHERE ${RANGE} AND d.item_id = i.id`;

type VersionRow = [string, string, string, string | null, string, number];

/** The range of the next `size` items after `from` in `ord` order; null past the last item. */
function nextRange(db: DB, projectId: string, from: number, size: number): OrdRange | null {
  const to = stmt<[string, number, number], number>(db, 'SELECT ord FROM items WHERE project_id = ? AND ord > ? ORDER BY ord LIMIT 1 OFFSET ?')
    .pluck(true)
    .get(projectId, from, size - 1);
  if (to !== undefined) return { from, to };
  const any = stmt<[string, number], number>(db, 'SELECT 1 FROM items WHERE project_id = ? AND ord > ? LIMIT 1').pluck(true).get(projectId, from);
  return any === undefined ? null : { from, to: LAST };
}

const NONE: ReadonlyMap<string, Standing> = new Map();

/** The items of a range that have submitted versions, with them (annotator-id order). */
function readVersions(db: DB, projectId: string, range: OrdRange, names: Map<string, string>, parser: VersionParser): PageItem[] {
  const items: PageItem[] = [];
  let item: PageItem | undefined;
  for (const [itemId, annotatorId, intentsJson, sentiment, entitiesJson, flagged] of stmt<[string, number, number], VersionRow>(db, VERSIONS)
    .raw(true)
    .all(projectId, range.from, range.to)) {
    if (item?.itemId !== itemId) {
      item = { itemId, versions: [], state: null, uncertainty: 0, standing: NONE };
      items.push(item);
    }
    item.versions.push(parser.version(annotatorId, names.get(annotatorId) ?? '', intentsJson, sentiment, entitiesJson, flagged));
  }
  return items;
}

/** Adds the range's queue rows and decided fields to its items. */
function readDecisions(db: DB, projectId: string, range: OrdRange, items: PageItem[]): void {
  const args: [string, number, number] = [projectId, range.from, range.to];
  const byId = new Map(items.map((it) => [it.itemId, it]));
  for (const [itemId, state, uncertainty] of stmt<[string, number, number], [string, AdjudicationState, number]>(db, QUEUE).raw(true).all(...args)) {
    const it = byId.get(itemId);
    if (it) {
      it.state = state;
      it.uncertainty = uncertainty;
    }
  }
  let decidedItem = '';
  let decided = new Map<string, Standing>();
  for (const [itemId, field, valueJson, source, eventId] of stmt<[string, number, number], [string, string, string, Standing['source'], string]>(db, DECIDED).raw(true).all(...args)) {
    if (itemId !== decidedItem) {
      decidedItem = itemId;
      decided = new Map();
      const it = byId.get(itemId);
      if (it) it.standing = decided;
    }
    decided.set(field, { valueJson, source, eventId });
  }
}

function* pages(db: DB, projectId: string, size: number, withDecisions: boolean): Generator<PageItem[]> {
  const names = new Map(stmt<[], [string, string]>(db, 'SELECT id, name FROM annotators').raw(true).all());
  const parser = new VersionParser();
  let from = FIRST;
  for (;;) {
    const range = nextRange(db, projectId, from, size);
    if (!range) return;
    const items = readVersions(db, projectId, range, names, parser);
    if (withDecisions) readDecisions(db, projectId, range, items);
    yield items;
    if (range.to === LAST) return;
    from = range.to;
  }
}

/**
 * A project's items with submitted versions, their queue rows and decided fields, `size` items of
 * `ord` at a time, each page read in its own short statements (nothing is held open between pages,
 * so the caller may write in between).
 */
export function itemPages(db: DB, projectId: string, size: number): Generator<PageItem[]> {
  return pages(db, projectId, size, true);
}

/** The same pages with the versions only (their `state`, `uncertainty` and `standing` are not read). */
export function versionPages(db: DB, projectId: string, size: number): Generator<PageItem[]> {
  return pages(db, projectId, size, false);
}
