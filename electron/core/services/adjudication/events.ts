import type { AdjudicationState, FieldValue } from '../../../../shared/contract/adjudication';
import type { DB } from '../../db/open';
import { stmt } from '../../db/statements';

/**
 * The pseudo-field holding the item's state ('human', 'flagged', 'auto', 'disputed'): every commit and
 * every automatic resolution that changes the state appends one, so undo gives the state back too.
 * Never an adjudicated value.
 */
export const STATE_FIELD = '$state';

export interface NewEvent {
  id: string;
  projectId: string;
  itemId: string;
  field: string;
  value: FieldValue;
  source: 'adjudication' | 'auto';
  reviewerId: string | null;
  policy?: string | null;
  params?: Record<string, unknown> | null;
  runId?: string | null;
  reasonCode?: string | null;
  note?: string | null;
  overridesMajority?: boolean;
  guidelineVersion: number | null;
  actionId?: string | null;
  withdraws?: string | null;
  at: string;
}

/** Appends one event and keeps the field's current value in step (call inside a write transaction). */
export function appendAdjudicationEvent(db: DB, e: NewEvent): void {
  stmt(
    db,
    `INSERT INTO adjudication_events (id, project_id, item_id, field, value_json, source, reviewer_id, policy, params_json, run_id,
       reason_code, note, overrides_majority, guideline_version, action_id, withdraws, created_at)
     VALUES (@id, @projectId, @itemId, @field, @value, @source, @reviewerId, @policy, @params, @runId, @reasonCode, @note, @overrides,
       @guidelineVersion, @actionId, @withdraws, @at)`,
  ).run({
    id: e.id,
    projectId: e.projectId,
    itemId: e.itemId,
    field: e.field,
    value: JSON.stringify(e.value),
    source: e.source,
    reviewerId: e.reviewerId,
    policy: e.policy ?? null,
    params: e.params ? JSON.stringify(e.params) : null,
    runId: e.runId ?? null,
    reasonCode: e.reasonCode ?? null,
    note: e.note ?? null,
    overrides: e.overridesMajority ? 1 : 0,
    guidelineVersion: e.guidelineVersion,
    actionId: e.actionId ?? null,
    withdraws: e.withdraws ?? null,
    at: e.at,
  });
  if (e.field === STATE_FIELD) return;
  if (e.withdraws) restoreField(db, e.itemId, e.field, e.at);
  else setCurrent(db, e.projectId, e.itemId, e.field, JSON.stringify(e.value), e.source, e.reviewerId, e.reasonCode ?? null, e.id, e.at);
}

function setCurrent(db: DB, projectId: string, itemId: string, field: string, value: string, source: string, reviewerId: string | null, reason: string | null, eventId: string, at: string): void {
  stmt(
    db,
    `INSERT INTO adjudications (item_id, field, project_id, value_json, source, reviewer_id, reason_code, last_event_id, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (item_id, field) DO UPDATE SET value_json = excluded.value_json, source = excluded.source, reviewer_id = excluded.reviewer_id,
       reason_code = excluded.reason_code, last_event_id = excluded.last_event_id, updated_at = excluded.updated_at`,
  ).run(itemId, field, projectId, value, source, reviewerId, reason, eventId, at);
}

/** What every event of one automatic run records. */
export interface AutoRun {
  projectId: string;
  policy: string;
  paramsJson: string;
  runId: string;
  guidelineVersion: number | null;
  at: string;
}

/**
 * One event of an automatic run, as the row it is inserted from: a value, a withdrawal (`withdraws`
 * set, with the withdrawn value) or a state.
 */
export type AutoEvent = [id: string, itemId: string, field: string, valueJson: string, withdraws: string | null];

// Set-based: the run's constants bound once, its events as one JSON array (json_each keeps their order).
const AUTO_EVENTS = `INSERT INTO adjudication_events (id, project_id, item_id, field, value_json, source, reviewer_id, policy, params_json, run_id,
    reason_code, note, overrides_majority, guideline_version, action_id, withdraws, created_at)
  SELECT e.value ->> 0, @projectId, e.value ->> 1, e.value ->> 2, e.value ->> 3, 'auto', NULL, @policy, @paramsJson, @runId,
    NULL, NULL, 0, @guidelineVersion, NULL, e.value ->> 4, @at
  FROM json_each(@events) e ORDER BY e.key`;
const AUTO_CURRENT = `INSERT INTO adjudications (item_id, field, project_id, value_json, source, reviewer_id, reason_code, last_event_id, updated_at)
  SELECT e.value ->> 1, e.value ->> 2, @projectId, e.value ->> 3, 'auto', NULL, NULL, e.value ->> 0, @at FROM json_each(@events) e WHERE true
  ON CONFLICT (item_id, field) DO UPDATE SET value_json = excluded.value_json, source = excluded.source, reviewer_id = excluded.reviewer_id,
    reason_code = excluded.reason_code, last_event_id = excluded.last_event_id, updated_at = excluded.updated_at`;

/**
 * Appends an automatic run's events in order, in one statement, and keeps the fields' current
 * values in step (call inside a write transaction): the same outcome as appendAdjudicationEvent per
 * event. The events of one field come one after the other (a withdrawal, then maybe its
 * replacement), and its current value follows the last of them: a value becomes the current one;
 * after a withdrawal the field goes back to its latest standing event.
 */
export function appendAutoEvents(db: DB, run: AutoRun, events: readonly AutoEvent[]): void {
  if (!events.length) return;
  const { projectId, policy, paramsJson, runId, guidelineVersion, at } = run;
  stmt(db, AUTO_EVENTS).run({ projectId, policy, paramsJson, runId, guidelineVersion, at, events: JSON.stringify(events) });
  const values: AutoEvent[] = [];
  const withdrawn: AutoEvent[] = [];
  events.forEach((e, i) => {
    const next = events[i + 1];
    if (e[2] === STATE_FIELD || (next && next[1] === e[1] && next[2] === e[2])) return;
    (e[4] ? withdrawn : values).push(e);
  });
  if (values.length) stmt(db, AUTO_CURRENT).run({ projectId, at, events: JSON.stringify(values) });
  for (const [, itemId, field] of withdrawn) restoreField(db, itemId, field, at);
}

interface EventRow {
  id: string;
  project_id: string;
  value_json: string;
  source: string;
  reviewer_id: string | null;
  reason_code: string | null;
}

/** After a withdrawal: the field's value is that of its latest event still standing, or none. */
function restoreField(db: DB, itemId: string, field: string, at: string): void {
  const standing = stmt<[string, string], EventRow>(
    db,
    `SELECT e.id, e.project_id, e.value_json, e.source, e.reviewer_id, e.reason_code FROM adjudication_events e
     WHERE e.item_id = ? AND e.field = ? AND e.withdraws IS NULL
       AND NOT EXISTS (SELECT 1 FROM adjudication_events w WHERE w.withdraws = e.id)
     ORDER BY e.seq DESC LIMIT 1`,
  ).get(itemId, field);
  if (!standing) stmt(db, 'DELETE FROM adjudications WHERE item_id = ? AND field = ?').run(itemId, field);
  else setCurrent(db, standing.project_id, itemId, field, standing.value_json, standing.source, standing.reviewer_id, standing.reason_code, standing.id, at);
}

export interface CurrentDecision {
  value: FieldValue;
  source: 'adjudication' | 'auto';
  reasonCode: string | null;
  policy: string | null;
}

/** The current adjudicated value of each decided field of an item. */
export function currentDecisions(db: DB, itemId: string): Map<string, CurrentDecision> {
  const rows = stmt<[string], { field: string; value_json: string; source: 'adjudication' | 'auto'; reason_code: string | null; policy: string | null }>(
    db,
    `SELECT a.field, a.value_json, a.source, a.reason_code, e.policy FROM adjudications a JOIN adjudication_events e ON e.id = a.last_event_id
     WHERE a.item_id = ?`,
  ).all(itemId);
  return new Map(rows.map((r) => [r.field, { value: JSON.parse(r.value_json) as FieldValue, source: r.source, reasonCode: r.reason_code, policy: r.policy }]));
}

/** The item's state from its latest standing state event; open (disputed, or flagged by an annotator) without one. */
export function stateFromEvents(db: DB, itemId: string, annotatorFlagged: boolean): AdjudicationState {
  const row = stmt<[string, string], { value_json: string }>(
    db,
    `SELECT e.value_json FROM adjudication_events e WHERE e.item_id = ? AND e.field = ? AND e.withdraws IS NULL
       AND NOT EXISTS (SELECT 1 FROM adjudication_events w WHERE w.withdraws = e.id) ORDER BY e.seq DESC LIMIT 1`,
  ).get(itemId, STATE_FIELD);
  if (row) return JSON.parse(row.value_json) as AdjudicationState;
  return annotatorFlagged ? 'flagged' : 'disputed';
}
