import type { AutoInput, AutoResult, FieldValue } from '../../../../shared/contract/adjudication';
import { dawidSkene, majority, mostLikely, unanimous, type Vote } from '../../../../shared/domain/adjudication';
import type { LabelSchema } from '../../../../shared/domain/labelSchema';
import type { DB } from '../../db/open';
import { currentSchema } from '../../db/repos/projects';
import { writeTransaction } from '../../db/write';
import { pauseForInteractiveCalls } from '../../threads/interactiveCalls';
import type { Runtime } from '../../runtime';
import { appendAdjudicationEvent, STATE_FIELD } from './events';
import { buildFields, valueKey, type BuiltField } from './fields';
import { refreshQueue } from './queue';
import { currentGuidelineVersion } from './settings';
import { projectVersions, type ItemVersion } from './versions';

/** Items per write transaction: small, so labeling never waits long for the write lock. */
const WRITE_CHUNK = 200;

interface Standing {
  value: string;
  source: 'adjudication' | 'auto';
  eventId: string;
}

/** A field's resolution under a vote policy: its value, or undefined when it stays disputed. */
function byVotes(f: BuiltField, input: AutoInput): FieldValue | undefined {
  const votes: Vote[] = f.options.flatMap((o, value) => o.versions.map((rater) => ({ rater, value })));
  const r = input.policy === 'unanimous' ? unanimous(votes, input.minAnnotators) : majority(votes, input.minAnnotators, input.minShare);
  return r ? f.options[r.value]!.value : undefined;
}

/**
 * Dawid–Skene over the whole project for single-label intents and sentiment (one table per task),
 * and per label for multi-label intents: the posterior of each item's most likely value.
 */
function dawidSkenePosteriors(schema: LabelSchema, items: { itemId: string; versions: ItemVersion[] }[], tasks: Set<string>): Map<string, Map<string, { value: FieldValue; p: number }>> {
  const out = new Map<string, Map<string, { value: FieldValue; p: number }>>();
  const raters = new Map<string, number>();
  const rater = (id: string) => raters.get(id) ?? (raters.set(id, raters.size), raters.size - 1);
  for (const { versions } of items) for (const v of versions) rater(v.annotatorId);
  const put = (itemId: string, field: string, value: FieldValue, p: number) => {
    let m = out.get(itemId);
    if (!m) out.set(itemId, (m = new Map()));
    m.set(field, { value, p });
  };
  const categorical = (field: string, classes: (string | null)[], valueOf: (v: ItemVersion) => string | null) => {
    const index = new Map(classes.map((c, i) => [c, i]));
    const tables = items.map(({ versions }) =>
      versions.flatMap((v) => {
        const c = index.get(valueOf(v));
        return c === undefined ? [] : [{ rater: rater(v.annotatorId), value: c }];
      }),
    );
    const result = dawidSkene({ raters: raters.size, categories: classes.length, items: tables });
    items.forEach(({ itemId }, i) => {
      const post = result.posteriors[i]!;
      const best = mostLikely(post);
      put(itemId, field, classes[best]!, post[best]!);
    });
  };
  if (tasks.has('intents')) {
    if (schema.intents.multiLabel) {
      const labels = [...new Set([...schema.intents.labels.map((l) => l.name), ...items.flatMap((i) => i.versions.flatMap((v) => v.intents))])];
      for (const label of labels) categorical(`intents:${label}`, ['absent', 'present'], (v) => (v.intents.includes(label) ? 'present' : 'absent'));
      // 'absent'/'present' back to the field's boolean values
      for (const m of out.values()) for (const [field, r] of m) if (field.startsWith('intents:')) r.value = r.value === 'present';
    } else {
      const classes = [...new Set<string | null>([...schema.intents.labels.map((l) => l.name), ...items.flatMap((i) => i.versions.map((v) => v.intents[0] ?? null))])];
      categorical('intents', classes, (v) => v.intents[0] ?? null);
    }
  }
  if (tasks.has('sentiment')) {
    const classes = [...new Set<string | null>([...schema.sentiment.levels.map((l) => l.name), ...items.flatMap((i) => i.versions.map((v) => v.sentiment))])];
    categorical('sentiment', classes, (v) => v.sentiment);
  }
  return out;
}

/**
 * Resolves agreed items by a policy without touching a person's decision (items resolved or flagged
 * by a reviewer are skipped and counted as kept_human). An item is auto-resolved when every field
 * of the chosen tasks resolves; each field written records the policy, its parameters and the run.
 * A rerun with the same data writes nothing; a field that no longer resolves has its automatic
 * decision withdrawn. With dryRun the counts come back and nothing is written.
 */
export function autoResolve(db: DB, rt: Runtime, input: AutoInput): AutoResult {
  const schema = currentSchema(db, input.projectId);
  const now = rt.now().toISOString();
  if (!input.dryRun) refreshQueue(db, input.projectId, schema, now);
  const tasks = new Set(input.task === 'all' ? ['intents', 'sentiment', 'entities'] : [input.task]);
  const params: AutoResult['params'] = {
    task: input.task,
    minAnnotators: input.minAnnotators,
    ...(input.policy === 'majority' || input.policy === 'dawid-skene' ? { minShare: input.minShare } : {}),
    ...(input.policy === 'dawid-skene' ? { minPosterior: input.minPosterior } : {}),
  };

  const states = new Map(
    (db.prepare('SELECT item_id, state FROM adjudication_items WHERE project_id = ?').raw(true).all(input.projectId) as [string, string][]),
  );
  const standing = new Map<string, Map<string, Standing>>();
  for (const [itemId, field, value, source, eventId] of db
    .prepare('SELECT item_id, field, value_json, source, last_event_id FROM adjudications WHERE project_id = ?')
    .raw(true)
    .iterate(input.projectId) as Iterable<[string, string, string, 'adjudication' | 'auto', string]>) {
    let m = standing.get(itemId);
    if (!m) standing.set(itemId, (m = new Map()));
    m.set(field, { value, source, eventId });
  }

  const items: { itemId: string; versions: ItemVersion[] }[] = [];
  let keptHuman = 0;
  for (const entry of projectVersions(db, input.projectId)) {
    if (entry.versions.length < 2) continue;
    const state = states.get(entry.itemId);
    if (state === 'human' || state === 'flagged') {
      keptHuman++;
      continue;
    }
    items.push(entry);
  }
  const posteriors = input.policy === 'dawid-skene' ? dawidSkenePosteriors(schema, items, tasks) : new Map();

  let resolved = 0;
  let disputed = 0;
  let written = 0;
  const runId = rt.newId();
  const guidelineVersion = currentGuidelineVersion(db, input.projectId);
  const plans: {
    itemId: string;
    /** replaces: the standing automatic event of the field, withdrawn first so it can never come back */
    writes: { field: string; value: FieldValue; replaces: string | null }[];
    withdraw: string[];
    state: 'auto' | 'disputed';
    uncertainty: number;
    stateChanged: boolean;
  }[] = [];
  for (const { itemId, versions } of items) {
    const fields = buildFields(versions, schema);
    const mine = standing.get(itemId) ?? new Map<string, Standing>();
    const post: Map<string, { value: FieldValue; p: number }> = posteriors.get(itemId) ?? new Map();
    const writes: { field: string; value: FieldValue; replaces: string | null }[] = [];
    const withdraw: string[] = [];
    let all = true;
    let uncertainty = 0;
    for (const f of fields) {
      const current = mine.get(f.field);
      if (!tasks.has(f.task)) {
        // Outside the chosen tasks a field holds the item back only when it is open: decided or unanimous, it is settled.
        if (!current && f.options.length > 1) all = false;
        continue;
      }
      if (current?.source === 'adjudication') continue; // a person decided this field: it stands
      const ds = post.get(f.field);
      let value: FieldValue | undefined;
      if (ds && f.options.length) {
        uncertainty = Math.max(uncertainty, 1 - ds.p);
        value = ds.p >= input.minPosterior && versions.length >= input.minAnnotators ? ds.value : undefined;
      } else {
        value = byVotes(f, input.policy === 'dawid-skene' ? { ...input, policy: 'majority' } : input);
      }
      if (value === undefined) {
        all = false;
        if (current?.source === 'auto') withdraw.push(current.eventId);
      } else if (!current || valueKey(JSON.parse(current.value) as FieldValue) !== valueKey(value)) {
        writes.push({ field: f.field, value, replaces: current?.source === 'auto' ? current.eventId : null });
      }
    }
    const state = all && fields.length > 0 ? 'auto' : 'disputed';
    if (state === 'auto') resolved++;
    else {
      disputed++;
      // Only a resolved item carries automatic decisions: a partly agreed one is the reviewer's, pre-filled from the votes.
      writes.length = 0;
      for (const f of fields) {
        const current = mine.get(f.field);
        if (tasks.has(f.task) && current?.source === 'auto' && !withdraw.includes(current.eventId)) withdraw.push(current.eventId);
      }
    }
    const stateChanged = (states.get(itemId) ?? 'disputed') !== state;
    if (writes.length || withdraw.length || stateChanged || uncertainty > 0) plans.push({ itemId, writes, withdraw, state, uncertainty, stateChanged });
  }

  if (!input.dryRun) {
    const setUncertainty = db.prepare('UPDATE adjudication_items SET uncertainty = ? WHERE item_id = ?');
    const setState = db.prepare('UPDATE adjudication_items SET state = ?, updated_at = ? WHERE item_id = ?');
    const fieldOf = db.prepare('SELECT field, value_json FROM adjudication_events WHERE id = ?');
    const stateNow = db.prepare('SELECT state FROM adjudication_items WHERE item_id = ?').pluck(true);
    const sourceNow = db.prepare('SELECT source FROM adjudications WHERE item_id = ? AND field = ?').pluck(true);
    const withdrawal = (itemId: string, eventId: string) => {
      const e = fieldOf.get(eventId) as { field: string; value_json: string };
      appendAdjudicationEvent(db, { id: rt.newId(), projectId: input.projectId, itemId, field: e.field, value: JSON.parse(e.value_json) as FieldValue, source: 'auto', reviewerId: null, policy: input.policy, params, runId, guidelineVersion, withdraws: eventId, at: now });
      written++;
    };
    for (let i = 0; i < plans.length; i += WRITE_CHUNK) {
      // Labeling and a reviewer working meanwhile go first (threads/interactiveCalls.ts, db/writeGate.ts).
      pauseForInteractiveCalls();
      writeTransaction(db, () => {
        for (const p of plans.slice(i, i + WRITE_CHUNK)) {
          // A reviewer may have decided the item, or a field, since the plan was made: theirs stands.
          const state = stateNow.get(p.itemId) as string | undefined;
          if (state === 'human' || state === 'flagged') {
            keptHuman++;
            if (p.state === 'auto') resolved--;
            else disputed--;
            continue;
          }
          const byPerson = (field: string) => sourceNow.get(p.itemId, field) === 'adjudication';
          for (const w of p.writes) {
            if (byPerson(w.field)) continue;
            if (w.replaces) withdrawal(p.itemId, w.replaces);
            appendAdjudicationEvent(db, { id: rt.newId(), projectId: input.projectId, itemId: p.itemId, field: w.field, value: w.value, source: 'auto', reviewerId: null, policy: input.policy, params, runId, guidelineVersion, at: now });
            written++;
          }
          for (const eventId of p.withdraw) {
            const field = (fieldOf.get(eventId) as { field: string }).field;
            if (!byPerson(field)) withdrawal(p.itemId, eventId);
          }
          if (p.stateChanged) {
            appendAdjudicationEvent(db, { id: rt.newId(), projectId: input.projectId, itemId: p.itemId, field: STATE_FIELD, value: p.state, source: 'auto', reviewerId: null, policy: input.policy, params, runId, guidelineVersion, at: now });
            setState.run(p.state, now, p.itemId);
          }
          setUncertainty.run(p.uncertainty, p.itemId);
        }
      });
    }
  }
  return { resolved, disputed, kept_human: keptHuman, policy: input.policy, written, dryRun: input.dryRun, params };
}
