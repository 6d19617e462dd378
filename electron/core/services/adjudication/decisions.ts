import type { AdjudicationState, CommitResult, FieldDecision, FieldValue } from '../../../../shared/contract/adjudication';
import { AppError } from '../../../../shared/contract/errors';
import type { LabelSchema } from '../../../../shared/domain/labelSchema';
import { codePointLength } from '../../../../shared/domain/spans';
import type { DB } from '../../db/open';
import { currentSchema } from '../../db/repos/projects';
import { stmt } from '../../db/statements';
import { writeTransaction } from '../../db/write';
import type { Runtime } from '../../runtime';
import { buildFields, disagreementOf, valueKey, type BuiltField } from './fields';
import { appendAdjudicationEvent, currentDecisions, stateFromEvents, STATE_FIELD } from './events';
import { currentGuidelineVersion, loadAdjudicationSettings } from './settings';
import { loadVersions } from './versions';

const ENTITY_FIELD = /^entities:(\d+)-(\d+)$/;

/** Refuses a value that does not fit its field or the schema. */
function checkValue(d: FieldDecision, schema: LabelSchema, textLength: number): void {
  const bad = (why: string): never => {
    throw new AppError('VALIDATION', `${d.field}: ${why}`, { field: d.field });
  };
  const v = d.value;
  if (d.field === 'intents') {
    if (schema.intents.multiLabel) bad('a multi-label project is decided per label (intents:<label>)');
    if (v !== null && (typeof v !== 'string' || !schema.intents.labels.some((l) => l.name === v))) bad(`"${String(v)}" is not an intent of the schema`);
  } else if (d.field.startsWith('intents:')) {
    if (typeof v !== 'boolean') bad('a label of a multi-label intent is decided true or false');
    if (!schema.intents.labels.some((l) => l.name === d.field.slice(8))) bad('not an intent of the schema');
  } else if (d.field === 'sentiment') {
    if (v !== null && (typeof v !== 'string' || !schema.sentiment.levels.some((l) => l.name === v))) bad(`"${String(v)}" is not a sentiment level`);
  } else {
    const m = ENTITY_FIELD.exec(d.field);
    if (!m || !Array.isArray(v)) bad('an entity cluster is decided as a list of spans');
    const [start, end] = [Number(m![1]), Number(m![2])];
    for (const s of v as { start: number; end: number; label: string }[]) {
      if (s.end <= s.start || s.end > textLength) bad(`span ${s.start}-${s.end} does not point into the text`);
      if (s.start < start || s.end > end) bad(`span ${s.start}-${s.end} lies outside the cluster`);
      if (!schema.entities.types.some((t) => t.name === s.label)) bad(`"${s.label}" is not an entity type of the schema`);
    }
  }
}

/** A span the reviewer added where no version had one: its own cluster. */
function newCluster(d: FieldDecision): boolean {
  return ENTITY_FIELD.test(d.field) && Array.isArray(d.value);
}

/**
 * A reviewer's decisions on one item, one event per field that changes, and the item's state
 * ('human', or 'flagged' when set aside), in one transaction: one action, undone as one.
 * Overriding the majority of the versions needs one of the project's reason codes.
 */
export function commitDecisions(
  db: DB,
  rt: Runtime,
  input: { projectId: string; itemId: string; reviewerId: string; decisions: FieldDecision[]; flag: boolean },
): CommitResult {
  const item = stmt<[string], { project_id: string; text: string }>(db, 'SELECT project_id, text FROM items WHERE id = ?').get(input.itemId);
  if (!item || item.project_id !== input.projectId) throw new AppError('NOT_FOUND', `no item ${input.itemId} in this project`, { itemId: input.itemId });
  const schema = currentSchema(db, input.projectId);
  const settings = loadAdjudicationSettings(db, input.projectId);
  const versions = loadVersions(db, input.itemId);
  const fields = new Map<string, BuiltField>(buildFields(versions, schema).map((f) => [f.field, f]));
  const length = codePointLength(item.text);
  const seen = new Set<string>();
  for (const d of input.decisions) {
    if (seen.has(d.field)) throw new AppError('VALIDATION', `${d.field} is decided twice`, { field: d.field });
    seen.add(d.field);
    if (!fields.has(d.field) && !newCluster(d)) throw new AppError('VALIDATION', `${d.field} is not a field of this item`, { field: d.field });
    checkValue(d, schema, length);
    if (d.reasonCode && !settings.reasonCodes.some((r) => r.code === d.reasonCode)) {
      throw new AppError('VALIDATION', `unknown reason code "${d.reasonCode}"`, { field: d.field, reasonCode: d.reasonCode });
    }
    const majority = fields.get(d.field)?.majority;
    if (majority !== undefined && valueKey(majority) !== valueKey(d.value) && !d.reasonCode) {
      throw new AppError('VALIDATION', `${d.field}: deciding against the majority needs a reason code`, { field: d.field, reasonRequired: true });
    }
  }
  const now = rt.now().toISOString();
  const actionId = rt.newId();
  const guidelineVersion = currentGuidelineVersion(db, input.projectId);
  return writeTransaction(db, () => {
    const current = currentDecisions(db, input.itemId);
    const before = stateFromEvents(db, input.itemId, versions.some((v) => v.flagged));
    let events = 0;
    for (const d of input.decisions) {
      const now_ = current.get(d.field);
      if (now_ && now_.source === 'adjudication' && valueKey(now_.value) === valueKey(d.value) && (now_.reasonCode ?? null) === (d.reasonCode ?? null)) continue;
      const majority = fields.get(d.field)?.majority;
      appendAdjudicationEvent(db, {
        id: rt.newId(),
        projectId: input.projectId,
        itemId: input.itemId,
        field: d.field,
        value: d.value,
        source: 'adjudication',
        reviewerId: input.reviewerId,
        reasonCode: d.reasonCode ?? null,
        note: d.note ?? null,
        overridesMajority: majority !== undefined && valueKey(majority) !== valueKey(d.value),
        guidelineVersion,
        actionId,
        at: now,
      });
      events++;
    }
    const state: AdjudicationState = input.flag ? 'flagged' : 'human';
    if (state !== before || events > 0) {
      appendAdjudicationEvent(db, {
        id: rt.newId(),
        projectId: input.projectId,
        itemId: input.itemId,
        field: STATE_FIELD,
        value: state,
        source: 'adjudication',
        reviewerId: input.reviewerId,
        params: { previous: before },
        guidelineVersion,
        actionId,
        at: now,
      });
      events++;
    }
    upsertItemState(db, input.projectId, input.itemId, state, [...fields.values()], versions.length, now);
    return { itemId: input.itemId, state, actionId, events };
  });
}

/** Keeps the queue row in step with a decision (an item decided before it reached the queue enters it). */
export function upsertItemState(db: DB, projectId: string, itemId: string, state: AdjudicationState, fields: BuiltField[], versions: number, now: string): void {
  const { score, disputedTasks } = disagreementOf(fields, versions);
  stmt(
    db,
    `INSERT INTO adjudication_items (item_id, project_id, state, score, disputed_tasks, submitted, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (item_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`,
  ).run(itemId, projectId, state, score, disputedTasks, versions, now);
}

/** Withdraws the reviewer's latest action still standing: each field and the item's state go back to before it. */
export function undoLastDecision(db: DB, rt: Runtime, projectId: string, reviewerId: string): { itemId: string; state: AdjudicationState; actionId: string } | null {
  return writeTransaction(db, () => {
    const last = stmt<[string, string], { action_id: string; item_id: string }>(
      db,
      `SELECT e.action_id, e.item_id FROM adjudication_events e
       WHERE e.project_id = ? AND e.reviewer_id = ? AND e.action_id IS NOT NULL AND e.withdraws IS NULL
         AND NOT EXISTS (SELECT 1 FROM adjudication_events w WHERE w.withdraws = e.id)
       ORDER BY e.seq DESC LIMIT 1`,
    ).get(projectId, reviewerId);
    if (!last) return null;
    const events = stmt<[string], { id: string; field: string; value_json: string }>(
      db,
      'SELECT id, field, value_json FROM adjudication_events WHERE action_id = ? ORDER BY seq DESC',
    ).all(last.action_id);
    const now = rt.now().toISOString();
    for (const e of events) {
      appendAdjudicationEvent(db, {
        id: rt.newId(),
        projectId,
        itemId: last.item_id,
        field: e.field,
        value: JSON.parse(e.value_json) as FieldValue,
        source: 'adjudication',
        reviewerId,
        guidelineVersion: null,
        withdraws: e.id,
        at: now,
      });
    }
    const versions = loadVersions(db, last.item_id);
    const state = stateFromEvents(db, last.item_id, versions.some((v) => v.flagged));
    stmt(db, 'UPDATE adjudication_items SET state = ?, updated_at = ? WHERE item_id = ?').run(state, now, last.item_id);
    return { itemId: last.item_id, state, actionId: last.action_id };
  });
}
