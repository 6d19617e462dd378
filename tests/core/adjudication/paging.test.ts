/**
 * Automatic resolution goes through a project page by page and writes in steps: the outcome must
 * not depend on where the pages and steps fall, a rerun must write nothing, and a plan made before
 * a reviewer decided must not be written over the reviewer.
 */
import { copyFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createCore, type Core } from '../../../electron/core';
import type { DB } from '../../../electron/core/db/open';
import { currentSchema } from '../../../electron/core/db/repos/projects';
import { systemRuntime } from '../../../electron/core/runtime';
import { autoResolve, type AutoPaging } from '../../../electron/core/services/adjudication/auto';
import { changesSomething, planItem, type ItemPlan } from '../../../electron/core/services/adjudication/autoPlan';
import { writePlans, type AutoCounts } from '../../../electron/core/services/adjudication/autoWrite';
import { itemPages } from '../../../electron/core/services/adjudication/pages';
import { AutoInput, type AdjudicationItem, type CommitResult } from '../../../shared/contract/adjudication';
import { dawidSkene, mostLikely, type Vote } from '../../../shared/domain/adjudication';
import type { Annotator } from '../../../shared/contract/schemas';
import { writeTeamProject } from '../../bench/adjudication-data';
import { call, freshDir } from '../helpers';

const ITEMS = 400;
/** Pages, flushes and steps of a few items: every boundary falls somewhere in the project. */
const TINY: AutoPaging = { pageItems: 7, flushItems: 11, stepItems: 3 };
/** The whole project in one page, one flush, one step: the reference. */
const WHOLE: AutoPaging = { pageItems: 1_000_000, flushItems: 1_000_000, stepItems: 1_000_000 };

function open(dbPath: string): Core {
  const core = createCore({ dbPath, database: { autoBackup: false } });
  onTestFinished(() => core.close());
  return core;
}

/** A team project with its queue refreshed and a reviewer; returns its database file. */
async function teamFile(dir: string): Promise<{ dbPath: string; projectId: string; reviewerId: string }> {
  const dbPath = path.join(dir, 'a.db');
  const { projectId } = await writeTeamProject(dbPath, ITEMS, 'adjudication', 20261213);
  const core = createCore({ dbPath, database: { autoBackup: false } });
  try {
    await call(core, 'adjudication.queue', { projectId });
    const reviewer = await call<Annotator>(core, 'annotators.create', { name: '审核员' });
    await call(core, 'annotators.setRoles', { annotatorId: reviewer.id, roles: ['reviewer'] });
    return { dbPath, projectId, reviewerId: reviewer.id };
  } finally {
    core.close();
  }
}

/** Everything automatic resolution writes, without the ids (a withdrawal names the seq of what it withdraws). */
function snapshot(db: DB) {
  return {
    current: db.prepare('SELECT item_id, field, value_json, source, reviewer_id FROM adjudications ORDER BY item_id, field').raw(true).all(),
    queue: db.prepare('SELECT item_id, state, score, uncertainty, disputed_tasks, submitted FROM adjudication_items ORDER BY item_id').raw(true).all(),
    events: db
      .prepare(
        `SELECT e.seq, e.item_id, e.field, e.value_json, e.source, e.policy, e.params_json, (SELECT w.seq FROM adjudication_events w WHERE w.id = e.withdraws)
         FROM adjudication_events e ORDER BY e.seq`,
      )
      .raw(true)
      .all(),
  };
}

/**
 * The uncertainty Dawid–Skene gave each item (1 − the lowest posterior of its intent and
 * sentiment), against a reference estimated here in one go from every item's votes.
 */
function expectUncertaintyOfAWholeProjectEstimate(db: DB, projectId: string): void {
  const rows = db
    .prepare(
      `SELECT a.item_id, a.annotator_id, a.intents_json ->> 0, a.sentiment FROM annotations a JOIN adjudication_items q ON q.item_id = a.item_id
       WHERE a.project_id = ? AND a.status = 'submitted' AND q.state NOT IN ('human', 'flagged') ORDER BY a.item_id, a.annotator_id`,
    )
    .raw(true)
    .all(projectId) as [string, string, string | null, string | null][];
  const schema = currentSchema(db, projectId);
  const raters = [...new Set(rows.map((r) => r[1]))];
  const items = [...new Set(rows.map((r) => r[0]))];
  const posteriors = (classes: (string | null)[], valueOf: (r: (typeof rows)[number]) => string | null) => {
    const votes = new Map<string, Vote[]>(items.map((id) => [id, []]));
    for (const r of rows) {
      if (!classes.includes(valueOf(r))) classes.push(valueOf(r));
      votes.get(r[0])!.push({ rater: raters.indexOf(r[1]), value: classes.indexOf(valueOf(r)) });
    }
    const result = dawidSkene({ raters: raters.length, categories: classes.length, items: items.map((id) => votes.get(id)!) });
    return result.posteriors.map((p) => p[mostLikely(p)]!);
  };
  const intent = posteriors(schema.intents.labels.map((l) => l.name), (r) => r[2]);
  const level = posteriors(schema.sentiment.levels.map((l) => l.name), (r) => r[3]);
  const stored = new Map(db.prepare('SELECT item_id, uncertainty FROM adjudication_items').raw(true).all() as [string, number][]);
  items.forEach((id, i) => expect(stored.get(id)!, id).toBeCloseTo(1 - Math.min(intent[i]!, level[i]!), 9));
}

const input = (projectId: string, o: Partial<AutoInput> & Pick<AutoInput, 'policy'>) => AutoInput.parse({ projectId, ...o });

describe('automatic resolution page by page', () => {
  it('gives the same counts, decisions, states and event log whatever the page size, and a rerun writes nothing', async () => {
    const dir = freshDir('annot-adj-paging-');
    const { dbPath, projectId, reviewerId } = await teamFile(dir);
    const copy = path.join(dir, 'b.db');
    copyFileSync(dbPath, copy);
    const paged = open(dbPath);
    const reference = open(copy);
    const rt = systemRuntime();

    const runs: (Partial<AutoInput> & Pick<AutoInput, 'policy'>)[] = [
      { policy: 'unanimous' },
      { policy: 'majority' },
      { policy: 'majority', minShare: 0.7 }, // 2 of 3 no longer enough: withdrawals
      { policy: 'majority', task: 'intents' },
      { policy: 'dawid-skene', minPosterior: 0.8 },
      { policy: 'majority' },
    ];
    for (const [n, run] of runs.entries()) {
      if (n === 2) {
        // A reviewer decides one resolved item on both databases: from then on it is kept_human.
        const item = paged.db.prepare("SELECT item_id FROM adjudication_items WHERE state = 'auto' ORDER BY item_id LIMIT 1").pluck().get() as string;
        for (const core of [paged, reference]) {
          const view = await call<AdjudicationItem>(core, 'adjudication.item', { projectId, reviewerId, itemId: item });
          const decisions = view.fields.map((f) => ({ field: f.field, value: f.options[0]!.value }));
          expect((await call<CommitResult>(core, 'adjudication.commit', { projectId, itemId: item, reviewerId, decisions })).state).toBe('human');
        }
      }
      const a = autoResolve(paged.db, rt, input(projectId, run), TINY);
      const b = autoResolve(reference.db, rt, input(projectId, run), WHOLE);
      expect(a, JSON.stringify(run)).toEqual(b);
      expect(a.resolved + a.disputed + a.kept_human).toBe(ITEMS);
      expect(snapshot(paged.db)).toEqual(snapshot(reference.db));
      const before = snapshot(paged.db);
      const again = autoResolve(paged.db, rt, input(projectId, run), TINY);
      expect(again).toEqual({ ...a, written: 0 });
      expect(snapshot(paged.db)).toEqual(before);
      if (run.policy === 'dawid-skene') expectUncertaintyOfAWholeProjectEstimate(paged.db, projectId);
      if (n === 0) {
        // Unanimous, read independently: an item is resolved exactly when its versions are all the same.
        const same = new Map(
          paged.db
            .prepare("SELECT item_id, count(DISTINCT intents_json || '|' || sentiment || '|' || entities_json) = 1 FROM annotations WHERE project_id = ? GROUP BY item_id")
            .raw(true)
            .all(projectId) as [string, number][],
        );
        const states = paged.db.prepare('SELECT item_id, state FROM adjudication_items WHERE project_id = ?').raw(true).all(projectId) as [string, string][];
        expect(states.filter(([id, s]) => (s === 'auto') !== (same.get(id) === 1))).toEqual([]);
        expect(a.written).toBeGreaterThan(0);
      }
    }
    // Withdrawn values never come back: every withdrawn event of the paged run is withdrawn once.
    const twice = paged.db.prepare('SELECT withdraws FROM adjudication_events WHERE withdraws IS NOT NULL GROUP BY withdraws HAVING count(*) > 1').all();
    expect(twice).toEqual([]);
  }, 30_000);

  it('a plan made before a reviewer decided the item is not written: the item is kept_human', async () => {
    const dir = freshDir('annot-adj-stale-');
    const { dbPath, projectId, reviewerId } = await teamFile(dir);
    const core = open(dbPath);
    const rt = systemRuntime();
    const auto = input(projectId, { policy: 'unanimous' });
    const schema = currentSchema(core.db, projectId);
    const tasks = new Set(['intents', 'sentiment', 'entities']);
    const plans: ItemPlan[] = [];
    const counts: AutoCounts = { resolved: 0, disputed: 0, keptHuman: 0, written: 0 };
    for (const page of itemPages(core.db, projectId, 50)) {
      for (const item of page) {
        const plan = planItem(item, schema, auto, tasks, () => undefined);
        if (plan.state === 'auto') counts.resolved++;
        else counts.disputed++;
        if (changesSomething(plan, item)) plans.push(plan);
      }
    }
    const stale = plans.find((p) => p.state === 'auto')!;
    // Meanwhile a reviewer decides that item against the versions (intents only, with a reason).
    const view = await call<AdjudicationItem>(core, 'adjudication.item', { projectId, reviewerId, itemId: stale.itemId });
    const intents = view.fields.find((f) => f.field === 'intents')!;
    const other = intents.options[0]!.value === '投诉' ? '发票' : '投诉';
    await call(core, 'adjudication.commit', { projectId, itemId: stale.itemId, reviewerId, decisions: [{ field: 'intents', value: other, reasonCode: 'guideline' }] });
    const resolved = counts.resolved;

    writePlans(core.db, rt, { projectId, policy: 'unanimous', paramsJson: '{}', runId: rt.newId(), guidelineVersion: null, at: new Date().toISOString() }, plans, counts, 4);
    expect(counts).toMatchObject({ keptHuman: 1, resolved: resolved - 1 });
    const state = core.db.prepare('SELECT state FROM adjudication_items WHERE item_id = ?').pluck().get(stale.itemId);
    expect(state).toBe('human');
    const current = core.db.prepare('SELECT field, value_json, source FROM adjudications WHERE item_id = ?').raw(true).all(stale.itemId);
    expect(current).toEqual([['intents', JSON.stringify(other), 'adjudication']]);
    expect(core.db.prepare("SELECT count(*) FROM adjudication_events WHERE item_id = ? AND source = 'auto'").pluck().get(stale.itemId)).toBe(0);
    // Every other planned item was written.
    const autoItems = core.db.prepare("SELECT count(*) FROM adjudication_items WHERE state = 'auto'").pluck().get() as number;
    expect(autoItems).toBe(resolved - 1);
  }, 30_000);
});
