import type { AnnotationChange, AnnotationSource, AnnotationState } from '../../../../shared/domain/annotation';
import type { DB } from '../open';
import { stmt } from '../statements';

export interface NewEvent {
  id: string;
  projectId: string;
  itemId: string;
  annotatorId: string;
  change: AnnotationChange;
  source: AnnotationSource;
  schemaVersion: number;
  startedAt: string | null;
  endedAt: string;
  importId?: string | null;
  /** The user action this event belongs to (undo reverts a whole action). */
  actionId?: string | null;
  /** For undo and redo events: the action reverted or re-applied. */
  revertsActionId?: string | null;
  /**
   * What the state's per-field source column (intents_source …) becomes; `source` when omitted.
   * Undo passes null when the value it restores had no source (the field was never set).
   */
  fieldSource?: AnnotationSource | null;
}

/** The fields whose source the annotation state keeps (migration 0004). */
export type SourcedKind = 'intents' | 'sentiment' | 'entities';
export const isSourcedKind = (kind: AnnotationChange['kind']): kind is SourcedKind =>
  kind === 'intents' || kind === 'sentiment' || kind === 'entities';

/** The state columns each kind of event sets. */
const STATE_UPSERT: Record<AnnotationChange['kind'], string> = {
  intents: 'intents_json = excluded.intents_json',
  entities: 'entities_json = excluded.entities_json',
  sentiment: 'sentiment = excluded.sentiment',
  flag: 'flagged = excluded.flagged, note = excluded.note',
  status: 'status = excluded.status',
};

interface CurrentRow {
  intents_json: string;
  entities_json: string;
  sentiment: string | null;
  flagged: number;
  note: string;
  status: AnnotationState['status'];
  intents_source: AnnotationSource | null;
  sentiment_source: AnnotationSource | null;
  entities_source: AnnotationSource | null;
}

/** The value of one field in a state row, as JSON: what an event of that kind would carry. */
function fieldValue(kind: AnnotationChange['kind'], row: CurrentRow): string {
  switch (kind) {
    case 'intents':
      return row.intents_json;
    case 'entities':
      return row.entities_json;
    case 'sentiment':
      return JSON.stringify(row.sentiment);
    case 'flag':
      return JSON.stringify({ flagged: row.flagged === 1, note: row.note });
    case 'status':
      return JSON.stringify(row.status);
  }
}

/** What a field holds before anyone set it. */
export const EMPTY_VALUE: { [K in AnnotationChange['kind']]: Extract<AnnotationChange, { kind: K }>['value'] } = {
  intents: [],
  entities: [],
  sentiment: null,
  flag: { flagged: false, note: '' },
  status: 'draft',
};

const PROGRESS_COLUMN: Partial<Record<AnnotationState['status'], string>> = { submitted: 'submitted', skipped: 'skipped' };

/**
 * Appends one event and derives the current state from it. Call inside a transaction: the event and
 * the state it implies are committed together or not at all. The event records the value it
 * replaced, so undo is one more event.
 */
export function appendEvent(db: DB, e: NewEvent): void {
  const current = stmt<[string, string], CurrentRow>(
    db,
    `SELECT intents_json, entities_json, sentiment, flagged, note, status, intents_source, sentiment_source, entities_source
     FROM annotations WHERE item_id = ? AND annotator_id = ?`,
  ).get(e.itemId, e.annotatorId);
  if (!current && !stmt<[string], { one: number }>(db, 'SELECT 1 AS one FROM annotations WHERE item_id = ? LIMIT 1').get(e.itemId)) {
    stmt(db, 'UPDATE projects SET annotated_count = annotated_count + 1 WHERE id = ?').run(e.projectId);
  }
  const c = e.change;
  stmt(
    db,
    `INSERT INTO annotation_events (id, project_id, item_id, annotator_id, kind, value_json, source, schema_version, started_at, ended_at, import_id,
       action_id, prev_value_json, reverts_action_id, prev_source, guideline_version)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, (SELECT max(version) FROM guidelines WHERE project_id = ?))`,
  ).run(
    e.id,
    e.projectId,
    e.itemId,
    e.annotatorId,
    c.kind,
    JSON.stringify(c.value),
    e.source,
    e.schemaVersion,
    e.startedAt,
    e.endedAt,
    e.importId ?? null,
    e.actionId ?? null,
    current ? fieldValue(c.kind, current) : null,
    e.revertsActionId ?? null,
    // The source undo restores with the previous value; flag and status have none in the state.
    isSourcedKind(c.kind) ? (current?.[`${c.kind}_source`] ?? 'none') : null,
    // The guideline version the decision was made under (null before a guideline exists).
    e.projectId,
  );
  const row = {
    intents: c.kind === 'intents' ? JSON.stringify(c.value) : '[]',
    entities: c.kind === 'entities' ? JSON.stringify(c.value) : '[]',
    sentiment: c.kind === 'sentiment' ? c.value : null,
    flagged: c.kind === 'flag' ? Number(c.value.flagged) : 0,
    note: c.kind === 'flag' ? c.value.note : '',
    status: c.kind === 'status' ? c.value : 'draft',
  };
  stmt(
    db,
    `INSERT INTO annotations (item_id, annotator_id, project_id, intents_json, entities_json, sentiment, flagged, note, status, last_event_id, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (item_id, annotator_id) DO UPDATE SET ${STATE_UPSERT[c.kind]}, last_event_id = excluded.last_event_id, updated_at = excluded.updated_at`,
  ).run(e.itemId, e.annotatorId, e.projectId, row.intents, row.entities, row.sentiment, row.flagged, row.note, row.status, e.id, e.endedAt);
  if (c.kind === 'status') countStatusChange(db, e, current?.status ?? 'draft', c.value);
  recordQuality(db, e);
}

/** Visits longer than this count as this long: the rest was a break. */
const MAX_VISIT_MS = 10 * 60 * 1000;

/**
 * The report columns an event changes (migration 0004): sources, submits, first decision, time spent.
 * Any event with source adjudication marks the annotation adjudicated, as migration 0004 fills it.
 */
function recordQuality(db: DB, e: NewEvent): void {
  const c = e.change;
  const adjudicated = e.source === 'adjudication' ? 1 : 0;
  if (isSourcedKind(c.kind)) {
    stmt(db, `UPDATE annotations SET ${c.kind}_source = ?, adjudicated = max(adjudicated, ?) WHERE item_id = ? AND annotator_id = ?`).run(
      e.fieldSource === undefined ? e.source : e.fieldSource,
      adjudicated,
      e.itemId,
      e.annotatorId,
    );
  } else if (c.kind === 'status' && c.value === 'submitted') {
    const visit = e.startedAt ? Date.parse(e.endedAt) - Date.parse(e.startedAt) : 0;
    const ms = Number.isFinite(visit) ? Math.max(0, Math.min(MAX_VISIT_MS, Math.round(visit))) : 0;
    stmt(
      db,
      `UPDATE annotations SET submits = submits + 1, active_ms = active_ms + ?, adjudicated = max(adjudicated, ?),
         first_intents_json = CASE WHEN first_submitted_at IS NULL THEN intents_json ELSE first_intents_json END,
         first_sentiment = CASE WHEN first_submitted_at IS NULL THEN sentiment ELSE first_sentiment END,
         first_submitted_at = coalesce(first_submitted_at, ?)
       WHERE item_id = ? AND annotator_id = ?`,
    ).run(ms, adjudicated, e.endedAt, e.itemId, e.annotatorId);
  } else if (adjudicated) {
    stmt(db, 'UPDATE annotations SET adjudicated = 1 WHERE item_id = ? AND annotator_id = ?').run(e.itemId, e.annotatorId);
  }
}

function countStatusChange(db: DB, e: NewEvent, from: AnnotationState['status'], to: AnnotationState['status']): void {
  if (from === to) return;
  stmt(db, 'INSERT OR IGNORE INTO annotator_progress (project_id, annotator_id) VALUES (?, ?)').run(e.projectId, e.annotatorId);
  const down = PROGRESS_COLUMN[from];
  const up = PROGRESS_COLUMN[to];
  if (down) stmt(db, `UPDATE annotator_progress SET ${down} = ${down} - 1 WHERE project_id = ? AND annotator_id = ?`).run(e.projectId, e.annotatorId);
  if (up) stmt(db, `UPDATE annotator_progress SET ${up} = ${up} + 1 WHERE project_id = ? AND annotator_id = ?`).run(e.projectId, e.annotatorId);
}

interface StateRow extends CurrentRow {
  item_id: string;
  annotator_id: string;
  annotator: string;
  updated_at: string;
}

const toState = (r: StateRow): AnnotationState => ({
  itemId: r.item_id,
  annotatorId: r.annotator_id,
  annotator: r.annotator,
  intents: JSON.parse(r.intents_json),
  entities: JSON.parse(r.entities_json),
  sentiment: r.sentiment,
  flagged: r.flagged === 1,
  note: r.note,
  status: r.status,
  updatedAt: r.updated_at,
});

const STATE_SELECT = `SELECT a.item_id, a.annotator_id, n.name AS annotator, a.intents_json, a.entities_json, a.sentiment, a.flagged, a.note, a.status, a.updated_at
  FROM annotations a JOIN annotators n ON n.id = a.annotator_id`;

export function annotationsOfItem(db: DB, itemId: string): AnnotationState[] {
  return stmt<[string], StateRow>(db, `${STATE_SELECT} WHERE a.item_id = ? ORDER BY n.name`).all(itemId).map(toState);
}

export function annotationOf(db: DB, itemId: string, annotatorId: string): AnnotationState | null {
  const row = stmt<[string, string], StateRow>(db, `${STATE_SELECT} WHERE a.item_id = ? AND a.annotator_id = ?`).get(itemId, annotatorId);
  return row ? toState(row) : null;
}

/** Where each sourced field's current value came from (null: never set, or undone back to unset). */
export function fieldSources(db: DB, itemId: string, annotatorId: string): Record<SourcedKind, AnnotationSource | null> {
  const row = stmt<[string, string], { intents: AnnotationSource | null; sentiment: AnnotationSource | null; entities: AnnotationSource | null }>(
    db,
    'SELECT intents_source AS intents, sentiment_source AS sentiment, entities_source AS entities FROM annotations WHERE item_id = ? AND annotator_id = ?',
  ).get(itemId, annotatorId);
  return row ?? { intents: null, sentiment: null, entities: null };
}

/** The state of an item this annotator has not touched: what undo shows when an action only rejected suggestions. */
export function untouchedAnnotation(db: DB, itemId: string, annotatorId: string, now: string): AnnotationState {
  const name = stmt<[string], { name: string }>(db, 'SELECT name FROM annotators WHERE id = ?').get(annotatorId)?.name ?? '';
  return {
    itemId,
    annotatorId,
    annotator: name,
    intents: [],
    entities: [],
    sentiment: null,
    flagged: false,
    note: '',
    status: 'draft',
    updatedAt: now,
  };
}

export interface NewSuggestionReview {
  id: string;
  projectId: string;
  itemId: string;
  annotatorId: string;
  suggestionId: string;
  modelVersion: string;
  field: SourcedKind;
  /** One span of an entities suggestion, else the suggestion's whole value, as canonical JSON. */
  valueJson: string;
  decision: 'rejected' | 'withdrawn';
  actionId?: string | null;
  revertsActionId?: string | null;
  startedAt?: string | null;
  at: string;
}

/** Appends an annotator's decision on a suggestion (migration 0006). Call inside a transaction. */
export function appendSuggestionReview(db: DB, r: NewSuggestionReview): void {
  stmt(
    db,
    `INSERT INTO suggestion_reviews (id, project_id, item_id, annotator_id, suggestion_id, model_version, field, value_json, decision,
       action_id, reverts_action_id, started_at, at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    r.id,
    r.projectId,
    r.itemId,
    r.annotatorId,
    r.suggestionId,
    r.modelVersion,
    r.field,
    r.valueJson,
    r.decision,
    r.actionId ?? null,
    r.revertsActionId ?? null,
    r.startedAt ?? null,
    r.at,
  );
}

export interface RejectionRow {
  suggestion_id: string;
  model_version: string;
  field: SourcedKind;
  value_json: string;
  at: string;
}

/** The suggestions (spans of them) this annotator rejected on this item: each value whose latest review says rejected. */
export function rejectionsOf(db: DB, itemId: string, annotatorId: string): RejectionRow[] {
  return stmt<[string, string], RejectionRow>(
    db,
    `SELECT r.suggestion_id, r.model_version, r.field, r.value_json, r.at FROM suggestion_reviews r
     WHERE r.item_id = ? AND r.annotator_id = ? AND r.decision = 'rejected'
       AND NOT EXISTS (SELECT 1 FROM suggestion_reviews l WHERE l.item_id = r.item_id AND l.annotator_id = r.annotator_id
                       AND l.field = r.field AND l.value_json = r.value_json AND l.seq > r.seq)
     ORDER BY r.seq`,
  ).all(itemId, annotatorId);
}
