import type { AdjudicationState } from '../../../../shared/contract/adjudication';
import type { DB } from '../../db/open';
import { stmt } from '../../db/statements';
import type { Runtime } from '../../runtime';
import { holds, type ItemPlan } from './autoPlan';
import { appendAutoEvents, STATE_FIELD, type AutoEvent, type AutoRun } from './events';
import type { Standing } from './pages';
import { writeInSteps } from './steps';

/** The run's counts, corrected here when a reviewer decided an item after it was planned. */
export interface AutoCounts {
  resolved: number;
  disputed: number;
  keptHuman: number;
  /** Events appended, state events not counted. */
  written: number;
}

const STATES = 'SELECT q.item_id, q.state, q.uncertainty FROM json_each(?) j JOIN adjudication_items q ON q.item_id = j.value';
const DECIDED = 'SELECT d.item_id, d.field, d.value_json, d.source, d.last_event_id FROM json_each(?) j JOIN adjudications d ON d.item_id = j.value';
// Set-based: one statement per kind of change for the whole batch; a column is set only where it changes (its indexes too).
const SET_STATE = `UPDATE adjudication_items AS q SET state = j.value ->> 1, updated_at = ? FROM json_each(?) j WHERE q.item_id = j.value ->> 0`;
const SET_UNCERTAINTY = `UPDATE adjudication_items AS q SET uncertainty = j.value ->> 2 FROM json_each(?) j WHERE q.item_id = j.value ->> 0`;
const SET_BOTH = `UPDATE adjudication_items AS q SET state = j.value ->> 1, updated_at = ?, uncertainty = j.value ->> 2 FROM json_each(?) j
  WHERE q.item_id = j.value ->> 0`;

/**
 * Writes plans `stepItems` at a time, in as few transactions as the app's interactive calls allow
 * (see writeInSteps: a transaction ends between steps when a call of the core thread waits).
 */
export function writePlans(db: DB, rt: Runtime, run: AutoRun, plans: readonly ItemPlan[], counts: AutoCounts, stepItems: number): void {
  writeInSteps(db, plans.length, stepItems, (from, to) => writeStep(db, rt, run, plans.slice(from, to), counts));
}

/**
 * One step of plans, inside a write transaction. Each item's state and each field's current
 * decision are read again: an item a reviewer resolved or flagged since the plan was made is left
 * alone (and counted kept_human), so is a field a person decided; a superseded automatic value is
 * withdrawn before the new one is appended, so it can never come back.
 */
function writeStep(db: DB, rt: Runtime, run: AutoRun, plans: readonly ItemPlan[], counts: AutoCounts): void {
  const ids = JSON.stringify(plans.map((p) => p.itemId));
  const queue = new Map<string, { state: AdjudicationState; uncertainty: number }>();
  for (const [itemId, state, uncertainty] of stmt<[string], [string, AdjudicationState, number]>(db, STATES).raw(true).all(ids)) {
    queue.set(itemId, { state, uncertainty });
  }
  // Fields are read again only for the items whose fields change (not for a new uncertainty alone).
  const fieldIds = JSON.stringify(plans.filter((p) => p.writes.length || p.withdraw.length).map((p) => p.itemId));
  const decided = new Map<string, Map<string, Standing>>();
  for (const [itemId, field, valueJson, source, eventId] of stmt<[string], [string, string, string, Standing['source'], string]>(db, DECIDED).raw(true).all(fieldIds)) {
    let m = decided.get(itemId);
    if (!m) decided.set(itemId, (m = new Map()));
    m.set(field, { valueJson, source, eventId });
  }
  const events: AutoEvent[] = [];
  const withdrawal = (itemId: string, field: string, s: Standing) => {
    events.push([rt.newId(), itemId, field, s.valueJson, s.eventId]);
    counts.written++;
  };
  const rows: Record<'state' | 'uncertainty' | 'both', [string, string, number][]> = { state: [], uncertainty: [], both: [] };
  for (const p of plans) {
    const row = queue.get(p.itemId);
    if (row?.state === 'human' || row?.state === 'flagged') {
      counts.keptHuman++;
      if (p.state === 'auto') counts.resolved--;
      else counts.disputed--;
      continue;
    }
    const fields = decided.get(p.itemId);
    for (const w of p.writes) {
      const current = fields?.get(w.field);
      if (current?.source === 'adjudication' || (current && holds(current.valueJson, w.value))) continue;
      if (current) withdrawal(p.itemId, w.field, current);
      events.push([rt.newId(), p.itemId, w.field, JSON.stringify(w.value), null]);
      counts.written++;
    }
    for (const field of p.withdraw) {
      const current = fields?.get(field);
      if (current?.source === 'auto') withdrawal(p.itemId, field, current);
    }
    const stateChanged = (row?.state ?? 'disputed') !== p.state;
    if (stateChanged) events.push([rt.newId(), p.itemId, STATE_FIELD, JSON.stringify(p.state), null]);
    const uncertaintyChanged = row !== undefined && row.uncertainty !== p.uncertainty;
    if (stateChanged || uncertaintyChanged) rows[stateChanged && uncertaintyChanged ? 'both' : stateChanged ? 'state' : 'uncertainty'].push([p.itemId, p.state, p.uncertainty]);
  }
  appendAutoEvents(db, run, events);
  if (rows.state.length) stmt(db, SET_STATE).run(run.at, JSON.stringify(rows.state));
  if (rows.both.length) stmt(db, SET_BOTH).run(run.at, JSON.stringify(rows.both));
  if (rows.uncertainty.length) stmt(db, SET_UNCERTAINTY).run(JSON.stringify(rows.uncertainty));
}
