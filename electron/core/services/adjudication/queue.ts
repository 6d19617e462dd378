import type { AdjudicationCounts, AdjudicationFilter, AdjudicationQueue, AdjudicationState } from '../../../../shared/contract/adjudication';
import type { LabelSchema } from '../../../../shared/domain/labelSchema';
import type { DB } from '../../db/open';
import { stmt } from '../../db/statements';
import { writeTransaction } from '../../db/write';
import { pauseForInteractiveCalls } from '../../threads/interactiveCalls';
import { buildFields, disagreementOf, TASK_BIT } from './fields';
import { versionPages } from './pages';
import { writeInSteps } from './steps';
import { loadVersions, type ItemVersion } from './versions';

/** Above this many changed items a refresh reads the whole project in one pass instead of item by item. */
const FULL_PASS_ITEMS = 2_000;
/** Items per write step (see writeInSteps): small, so labeling never waits long for the write lock. */
const WRITE_CHUNK = 250;
/** Items read at a time in a whole-project pass, and entries written together. */
const PAGE_ITEMS = 1000;
const FLUSH_ENTRIES = 5000;

interface QueueEntry {
  itemId: string;
  submitted: number;
  score: number;
  disputedTasks: number;
  flagged: boolean;
}

function entryOf(itemId: string, versions: readonly ItemVersion[], schema: LabelSchema): QueueEntry {
  const { score, disputedTasks } = disagreementOf(buildFields(versions, schema), versions.length);
  return { itemId, submitted: versions.length, score, disputedTasks, flagged: versions.some((v) => v.flagged) };
}

/**
 * Brings a project's adjudication queue up to date with its annotation events: every item whose
 * annotations changed since the last refresh gets its score again; an item with two or more
 * submitted annotations enters as disputed (flagged when an annotator flagged it); a person's
 * decision and an automatic one keep their state. Returns how many items it looked at.
 */
export function refreshQueue(db: DB, projectId: string, schema: LabelSchema, now: string): number {
  const last = stmt<[string], { refreshed_seq: number }>(db, 'SELECT refreshed_seq FROM adjudication_refresh WHERE project_id = ?').get(projectId)?.refreshed_seq ?? 0;
  const top = stmt<[], { seq: number | null }>(db, 'SELECT max(seq) AS seq FROM annotation_events').get()?.seq ?? 0;
  if (top <= last) return 0;
  const itemIds = db.prepare('SELECT DISTINCT item_id FROM annotation_events WHERE seq > ? AND seq <= ? AND project_id = ?').pluck(true).all(last, top, projectId) as string[];
  const write = queueWriter(db, projectId, now);
  if (itemIds.length > FULL_PASS_ITEMS) {
    // The whole project page by page; memory holds a page and a batch of entries.
    const wanted = new Set(itemIds);
    for (const page of versionPages(db, projectId, PAGE_ITEMS)) {
      for (const { itemId, versions } of page) if (wanted.delete(itemId)) write.add(entryOf(itemId, versions, schema));
      pauseForInteractiveCalls();
    }
    // Items in the change set that no longer have a submitted annotation.
    for (const id of wanted) write.add({ itemId: id, submitted: 0, score: 0, disputedTasks: 0, flagged: false });
  } else {
    for (const id of itemIds) write.add(entryOf(id, loadVersions(db, id), schema));
  }
  write.flush();
  writeTransaction(db, () =>
    stmt(db, 'INSERT INTO adjudication_refresh (project_id, refreshed_seq) VALUES (?, ?) ON CONFLICT (project_id) DO UPDATE SET refreshed_seq = excluded.refreshed_seq').run(
      projectId,
      top,
    ),
  );
  return itemIds.length;
}

/** Writes queue entries in batches of FLUSH_ENTRIES (in steps, see writeInSteps). */
function queueWriter(db: DB, projectId: string, now: string): { add(e: QueueEntry): void; flush(): void } {
  const upsert = stmt(
    db,
    `INSERT INTO adjudication_items (item_id, project_id, state, score, disputed_tasks, submitted, updated_at)
     VALUES (@itemId, @projectId, @state, @score, @disputedTasks, @submitted, @now)
     ON CONFLICT (item_id) DO UPDATE SET score = excluded.score, disputed_tasks = excluded.disputed_tasks,
       submitted = excluded.submitted, updated_at = excluded.updated_at,
       state = CASE WHEN adjudication_items.state IN ('human', 'auto') THEN adjudication_items.state
                    WHEN excluded.state = 'flagged' THEN 'flagged' ELSE adjudication_items.state END`,
  );
  const drop = stmt(db, "DELETE FROM adjudication_items WHERE item_id = ? AND state NOT IN ('human', 'auto')");
  let entries: QueueEntry[] = [];
  const flush = () => {
    const batch = entries;
    entries = [];
    writeInSteps(db, batch.length, WRITE_CHUNK, (from, to) => {
      for (const e of batch.slice(from, to)) {
        if (e.submitted >= 2) upsert.run({ ...e, projectId, state: e.flagged ? 'flagged' : 'disputed', now, flagged: undefined });
        else drop.run(e.itemId);
      }
    });
  };
  return {
    add(e) {
      entries.push(e);
      if (entries.length >= FLUSH_ENTRIES) flush();
    },
    flush,
  };
}

/** WHERE clause and parameters of a queue filter (over adjudication_items q). */
export function filterSql(projectId: string, filter: AdjudicationFilter): { where: string; params: unknown[] } {
  const parts = ['q.project_id = ?'];
  const params: unknown[] = [projectId];
  if (filter.state) {
    parts.push('q.state = ?');
    params.push(filter.state);
  }
  if (filter.task) {
    parts.push('(q.disputed_tasks & ?) != 0');
    params.push(TASK_BIT[filter.task]);
  }
  if (filter.annotatorId) {
    parts.push("EXISTS (SELECT 1 FROM annotations a WHERE a.item_id = q.item_id AND a.annotator_id = ? AND a.status = 'submitted')");
    params.push(filter.annotatorId);
  }
  if (filter.label) {
    parts.push(`EXISTS (SELECT 1 FROM annotations a WHERE a.item_id = q.item_id AND a.status = 'submitted' AND (
      a.sentiment = ? OR EXISTS (SELECT 1 FROM json_each(a.intents_json) WHERE value = ?)
      OR EXISTS (SELECT 1 FROM json_each(a.entities_json) WHERE json_extract(value, '$.label') = ?)))`);
    params.push(filter.label, filter.label, filter.label);
  }
  return { where: parts.join(' AND '), params };
}

export function queueCounts(db: DB, projectId: string): AdjudicationCounts {
  const counts: AdjudicationCounts = { disputed: 0, auto: 0, human: 0, flagged: 0 };
  for (const r of stmt<[string], { state: AdjudicationState; n: number }>(db, 'SELECT state, count(*) AS n FROM adjudication_items WHERE project_id = ? GROUP BY state').all(projectId)) {
    counts[r.state] = r.n;
  }
  return counts;
}

/** Disputed items first unless the filter names a state; within a state, most disagreement first. */
const ORDER = "(q.state = 'disputed') DESC, q.score DESC, q.uncertainty DESC, q.item_id";

export function queuePage(db: DB, projectId: string, filter: AdjudicationFilter, offset: number, limit: number): AdjudicationQueue {
  const { where, params } = filterSql(projectId, filter);
  const rows = db
    .prepare(
      `SELECT q.item_id AS itemId, i.ord, substr(i.text, 1, 200) AS text, q.state, q.score FROM adjudication_items q JOIN items i ON i.id = q.item_id
       WHERE ${where} ORDER BY ${ORDER} LIMIT ? OFFSET ?`,
    )
    .all(...params, limit, offset) as AdjudicationQueue['rows'];
  const total = (db.prepare(`SELECT count(*) FROM adjudication_items q WHERE ${where}`).pluck(true).get(...params) as number) ?? 0;
  return { counts: queueCounts(db, projectId), total, rows };
}

const WALK = 'q.score DESC, q.uncertainty DESC, q.item_id DESC';

/**
 * The item after `afterItemId` in the walk order (most disagreement first; the first item without
 * it). The position of `afterItemId` holds after it was resolved. Without a state in the filter the
 * walk covers what is still open: disputed and flagged items.
 */
export function nextInQueue(db: DB, projectId: string, filter: AdjudicationFilter, afterItemId: string | null): string | null {
  const { where, params } = filterSql(projectId, filter);
  const open = filter.state ? '' : " AND q.state IN ('disputed', 'flagged')";
  const sql = `SELECT q.item_id FROM adjudication_items q WHERE ${where}${open}`;
  const at = afterItemId
    ? stmt<[string], { score: number; uncertainty: number }>(db, 'SELECT score, uncertainty FROM adjudication_items WHERE item_id = ?').get(afterItemId)
    : undefined;
  if (!at) return (db.prepare(`${sql} ORDER BY ${WALK} LIMIT 1`).pluck(true).get(...params) as string | undefined) ?? null;
  return (
    (db
      .prepare(`${sql} AND (q.score, q.uncertainty, q.item_id) < (?, ?, ?) ORDER BY ${WALK} LIMIT 1`)
      .pluck(true)
      .get(...params, at.score, at.uncertainty, afterItemId) as string | undefined) ?? null
  );
}
