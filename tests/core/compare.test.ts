import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { monotonicFactory } from 'ulid';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createCore, type Core } from '../../electron/core';
import { classifierById } from '../../electron/core/db/repos/modelVersions';
import { currentSchema } from '../../electron/core/db/repos/projects';
import { embedTexts } from '../../electron/core/ml/embedTexts';
import { mcnemar } from '../../electron/core/ml/metrics';
import { classify } from '../../electron/core/ml/textClassifier';
import { DEMO_PROJECT_NAME, seedDemoProject } from '../../electron/core/services/demo';
import { labeledExamples } from '../../electron/core/services/trainingData';
import type { Runtime } from '../../electron/core/runtime';
import { ModelComparison, type Annotator, type ComparedVersion } from '../../shared/contract/schemas';
import { call, freshDir, REPO_ROOT, soloDemoFile } from './helpers';

/** The demo without its team's labels: these counts are of the items labeled here. */
const DEMO = soloDemoFile();
const TSX = path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx');

const reference = new Map(
  fs
    .readFileSync(DEMO, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { text: string; intent: string; sentiment: string })
    .map((r) => [r.text, r] as const),
);

/** A clock a second further on at every reading: no annotation shares a timestamp with a training run. */
function tickingRuntime(): Runtime {
  let t = Date.parse('2026-03-02T08:00:00.000Z');
  const ulid = monotonicFactory();
  return { now: () => new Date((t += 1000)), newId: () => ulid(t) };
}

function openTickingCore(dir = freshDir()): { core: Core; dbPath: string } {
  const dbPath = path.join(dir, 'compare.db');
  const core = createCore({ dbPath, runtime: tickingRuntime(), onInternalError: (where, error) => expect.unreachable(`${where}: ${String(error)}`) });
  onTestFinished(() => {
    try {
      core.close();
    } catch {
      /* already closed */
    }
  });
  return { core, dbPath };
}

/** Labels the next `count` unlabeled non-gold items of the demo with their reference intent and sentiment. */
async function labelNext(core: Core, projectId: string, annotatorId: string, count: number): Promise<void> {
  const items = core.db
    .prepare(
      `SELECT i.id, i.text FROM items i WHERE i.project_id = ? AND i.is_gold = 0
       AND NOT EXISTS (SELECT 1 FROM annotations a WHERE a.item_id = i.id) ORDER BY i.ord LIMIT ?`,
    )
    .all(projectId, count) as { id: string; text: string }[];
  expect(items).toHaveLength(count);
  for (const item of items) {
    const ref = reference.get(item.text)!;
    await call(core, 'labeling.apply', {
      projectId,
      itemId: item.id,
      annotatorId,
      changes: [
        { kind: 'intents', value: [ref.intent] },
        { kind: 'sentiment', value: ref.sentiment },
      ],
    });
  }
}

/** The demo with 30 gold + 20 local labels at intents v1 and 60 more at v2; sentiment v1 too. */
async function demoWithVersions() {
  const t = openTickingCore();
  const { core } = t;
  const project = (await seedDemoProject(core.db, core.runtime, core.imports, DEMO))!;
  const me = await call<Annotator>(core, 'annotators.create', { name: '本地标注员' });
  await labelNext(core, project.id, me.id, 20);
  const v1 = await core.prelabel.train(project.id, 'intents');
  const s1 = await core.prelabel.train(project.id, 'sentiment');
  await labelNext(core, project.id, me.id, 60);
  const v2 = await core.prelabel.train(project.id, 'intents');
  return { ...t, project, me, v1, v2, s1 };
}

function annot(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(TSX, ['electron/cli/index.ts', ...args], { cwd: REPO_ROOT, timeout: 90_000, maxBuffer: 10 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') return reject(error);
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

function expectConsistent(side: ComparedVersion, n: number): void {
  for (const x of [side.accuracy, side.macroF1, ...side.perLabel.flatMap((s) => [s.precision, s.recall, s.f1])]) {
    expect(x).toBeGreaterThanOrEqual(0);
    expect(x).toBeLessThanOrEqual(1);
  }
  const { labels, matrix } = side.confusion;
  expect(matrix).toHaveLength(labels.length);
  for (const row of matrix) expect(row).toHaveLength(labels.length);
  expect(matrix.flat().reduce((s, x) => s + x, 0)).toBe(n);
  const diagonal = labels.reduce((s, _, i) => s + matrix[i]![i]!, 0);
  expect(diagonal).toBe(side.correct);
  expect(side.accuracy).toBeCloseTo(side.correct / n, 12);
  // Each row of the matrix is a label's support; macro-F1 is the mean of the per-label F1.
  expect(side.perLabel.map((s) => s.support)).toEqual(matrix.map((row) => row.reduce((s, x) => s + x, 0)));
  expect(side.perLabel.map((s) => s.label)).toEqual(labels);
  expect(side.macroF1).toBeCloseTo(side.perLabel.reduce((s, x) => s + x.f1, 0) / labels.length, 12);
}

describe('comparing two versions of a head', () => {
  it('scores both versions on every labeled item, and McNemar agrees with per-item correctness recomputed here', async () => {
    const { core, dbPath, project, v1, v2 } = await demoWithVersions();
    expect([v1.version, v1.trainedOn, v2.version, v2.trainedOn]).toEqual([1, 50, 2, 110]);

    // Held out (the default): every labeled item trained one of them, so there is nothing to score on.
    const none = await core.dispatch('models.compare', { projectId: project.id, a: v1.id, b: v2.id });
    expect(!none.ok && none.error).toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/label items after v2 was trained/) });

    const result = await call<ModelComparison>(core, 'models.compare', { projectId: project.id, a: v1.id, b: v2.id, scope: 'all' });
    expect(result).toMatchObject({ scope: 'all', labeled: 110, heldOut: 0 });
    expect(ModelComparison.parse(result)).toEqual(result);
    expect(result).toMatchObject({ projectId: project.id, task: 'intents', n: 110, alpha: 0.05 });
    expect(result.a).toMatchObject({ id: v1.id, version: 1, source: 'supervised', trainedOn: 50 });
    expect(result.b).toMatchObject({ id: v2.id, version: 2, source: 'supervised', trainedOn: 110 });
    expectConsistent(result.a, result.n);
    expectConsistent(result.b, result.n);
    expect(result.a.confusion.labels).toEqual(result.b.confusion.labels);

    // Every evaluation item is a labeled one: v1 saw the 50 labeled before it, v2 all 110.
    expect(result.a.trainingItems).toEqual({ count: 50, exact: true });
    expect(result.b.trainingItems).toEqual({ count: 110, exact: true });
    expect(result.includesTrainingItems).toBe(true);
    expect(result.caveat).toMatch(/v1 was trained on 50 of the 110 evaluation items; v2 was trained on 110 of the 110/);
    expect(result.caveat).toMatch(/not a held-out comparison/);

    // Recompute per-item correctness from the stored weights and the cached vectors.
    const examples = labeledExamples(core.db, project.id, 'intents', currentSchema(core.db, project.id));
    expect(examples).toHaveLength(110);
    const vectors = await embedTexts(
      core.model,
      examples.map((e) => e.text),
      { cache: core.db },
    );
    const correctness = (id: string) => {
      const { classifier } = classifierById(core.db, id)!;
      return vectors.map((x, i) => classify(classifier, x).label === examples[i]!.label);
    };
    const a = correctness(v1.id);
    const b = correctness(v2.id);
    expect(result.a.correct).toBe(a.filter(Boolean).length);
    expect(result.b.correct).toBe(b.filter(Boolean).length);
    const onlyA = a.filter((ok, i) => ok && !b[i]).length;
    const onlyB = b.filter((ok, i) => ok && !a[i]).length;
    expect(result.mcnemar).toMatchObject({ b: onlyA, c: onlyB });
    expect(result.mcnemar).toEqual(mcnemar(a, b));
    expect(result.mcnemar.exact).toBe(onlyA + onlyB < 25);
    expect(result.mcnemar.pValue).toBeGreaterThan(0);
    expect(result.mcnemar.pValue).toBeLessThanOrEqual(1);
    const expected = result.mcnemar.pValue < 0.05 && onlyA !== onlyB ? (onlyA > onlyB ? 'a' : 'b') : 'tie';
    expect(result.verdict).toBe(expected);
    expect(result.summary).toMatch(expected === 'tie' ? /^No (significant )?difference/ : /^v\d is better than v\d on 110 items/);
    // v2 learned from every one of these items; it should not do worse than v1 on them.
    expect(result.b.accuracy).toBeGreaterThanOrEqual(result.a.accuracy);

    // Swapping the sides swaps b and c and mirrors the verdict.
    const swapped = await call<ModelComparison>(core, 'models.compare', { projectId: project.id, a: v2.id, b: v1.id, scope: 'all' });
    expect(swapped.mcnemar).toMatchObject({ b: onlyB, c: onlyA, pValue: result.mcnemar.pValue });
    expect(swapped.verdict).toBe(({ a: 'b', b: 'a', tie: 'tie' } as const)[result.verdict]);

    // When the log cannot reproduce a version's training count, the overlap becomes an upper bound.
    core.db.prepare('UPDATE model_versions SET trained_on = 49 WHERE id = ?').run(v1.id);
    const unsure = await call<ModelComparison>(core, 'models.compare', { projectId: project.id, a: v1.id, b: v2.id, scope: 'all' });
    const untold = await core.dispatch('models.compare', { projectId: project.id, a: v1.id, b: v2.id });
    expect(!untold.ok && untold.error.message).toMatch(/which items v1 was trained on cannot be told/);
    expect(unsure.a.trainingItems).toEqual({ count: 49, exact: false });
    expect(unsure.caveat).toMatch(/v1 was trained on 49 labeled items, but which ones cannot be told .* up to 49 of the 110/);
    core.db.prepare('UPDATE model_versions SET trained_on = 50 WHERE id = ?').run(v1.id);

    // The CLI prints the same comparison, versions given by number or by id.
    core.close();
    const json = await annot('compare', '--db', dbPath, '--project', DEMO_PROJECT_NAME, '--a', '1', '--b', '2', '--all', '--json');
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout.trim().split('\n').at(-1)!)).toEqual(result);
    const text = await annot('compare', '--db', dbPath, '--project', DEMO_PROJECT_NAME, '--a', 'v1', '--b', v2.id, '--task', 'intents', '--all');
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^intents: v1 vs v2 on all 110 labeled items/);
    expect(text.stdout).toMatch(/McNemar \((exact binomial|chi-square)/);
    expect(text.stdout).toMatch(/macro-F1/);
    for (const label of result.a.confusion.labels) expect(text.stdout).toContain(label);
    const missing = await annot('compare', '--db', dbPath, '--project', DEMO_PROJECT_NAME, '--a', '1', '--b', '7');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no intents v7 \(it has v1, v2\)/);
    const wrongTask = await annot('compare', '--db', dbPath, '--project', DEMO_PROJECT_NAME, '--a', '1', '--b', '2', '--task', 'entities');
    expect(wrongTask.code).toBe(2);
  }, 240_000);

  it('held out by default: scores on the items labeled after both versions were trained, with nothing to caveat', async () => {
    const { core, project, me, v1, v2 } = await demoWithVersions();
    await labelNext(core, project.id, me.id, 40);
    const result = await call<ModelComparison>(core, 'models.compare', { projectId: project.id, a: v1.id, b: v2.id });
    expect(result).toMatchObject({ scope: 'held-out', n: 40, labeled: 150, heldOut: 40, includesTrainingItems: false, caveat: null });
    expect(result.a.trainingItems).toEqual({ count: 0, exact: true });
    expect(result.b.trainingItems).toEqual({ count: 0, exact: true });
    expectConsistent(result.a, 40);
    expectConsistent(result.b, 40);
    const all = await call<ModelComparison>(core, 'models.compare', { projectId: project.id, a: v1.id, b: v2.id, scope: 'all' });
    expect(all).toMatchObject({ scope: 'all', n: 150, heldOut: 40 });
  }, 240_000);

  it('refuses versions of different tasks or projects, a version with itself, and unknown ids', async () => {
    const { core, project, v1, s1 } = await demoWithVersions();
    const other = await call<{ id: string }>(core, 'projects.create', { name: '另一个项目' });
    const foreign = await core.prelabel.train(other.id, 'intents');
    const refused = async (input: { projectId: string; a: string; b: string }) => {
      const r = await core.dispatch('models.compare', input);
      expect(r.ok).toBe(false);
      return r.ok ? null : r.error;
    };
    expect(await refused({ projectId: project.id, a: v1.id, b: s1.id })).toMatchObject({
      code: 'VALIDATION',
      message: expect.stringMatching(/one task/),
    });
    expect(await refused({ projectId: project.id, a: v1.id, b: foreign.id })).toMatchObject({
      code: 'VALIDATION',
      message: expect.stringMatching(/another project/),
    });
    expect(await refused({ projectId: other.id, a: foreign.id, b: v1.id })).toMatchObject({ code: 'VALIDATION' });
    expect(await refused({ projectId: project.id, a: v1.id, b: v1.id })).toMatchObject({ code: 'VALIDATION' });
    expect(await refused({ projectId: project.id, a: v1.id, b: 'no-such-version' })).toMatchObject({ code: 'NOT_FOUND' });
    expect(await refused({ projectId: 'no-such-project', a: v1.id, b: s1.id })).toMatchObject({ code: 'NOT_FOUND' });
  }, 240_000);

  it('a zero-shot version was trained on no items; with no labels there is nothing to compare on', async () => {
    const { core, dbPath } = openTickingCore();
    const project = await call<{ id: string }>(core, 'projects.create', { name: 'cold' });
    const file = path.join(path.dirname(dbPath), 'cold.jsonl');
    const texts = ['我要投诉你们的快递员', '我的快递到哪了', '怎么申请退货退款', '有没有优惠券'];
    fs.writeFileSync(file, texts.map((text) => JSON.stringify({ text })).join('\n'));
    expect((await core.imports.run({ projectId: project.id, filePath: file, format: 'jsonl', onBadLines: 'abort' })).state).toBe('committed');
    const z1 = await core.prelabel.train(project.id, 'intents');
    const z2 = await core.prelabel.train(project.id, 'intents');
    expect([z1.metrics.source, z2.metrics.source]).toEqual(['zero-shot', 'zero-shot']);
    const r = await core.dispatch('models.compare', { projectId: project.id, a: z1.id, b: z2.id });
    expect(!r.ok && r.error).toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/nobody has labeled/) });

    const me = await call<Annotator>(core, 'annotators.create', { name: 'me' });
    const ids = (core.db.prepare('SELECT id FROM items WHERE project_id = ? ORDER BY ord').all(project.id) as { id: string }[]).map((x) => x.id);
    for (const [i, intent] of [
      [0, '投诉'],
      [1, '物流进度'],
      [2, '退换货'],
    ] as const) {
      await call(core, 'labeling.apply', {
        projectId: project.id,
        itemId: ids[i],
        annotatorId: me.id,
        changes: [{ kind: 'intents', value: [intent] }],
      });
    }
    const result = await call<ModelComparison>(core, 'models.compare', { projectId: project.id, a: z1.id, b: z2.id });
    expect(result).toMatchObject({ n: 3, includesTrainingItems: false, caveat: null });
    expect(result.a.trainingItems).toEqual({ count: 0, exact: true });
    expect(result.b).toMatchObject({ source: 'zero-shot', trainingItems: { count: 0, exact: true } });
    // The same seeds make the same head: identical predictions, no discordant items.
    expect(result.mcnemar).toEqual({ b: 0, c: 0, statistic: 0, pValue: 1, exact: true });
    expect(result.verdict).toBe('tie');
    expect(result.summary).toMatch(/^No difference/);
    expectConsistent(result.a, 3);
  });

  it('needs the local model', async () => {
    const dir = freshDir();
    const core = createCore({ dbPath: path.join(dir, 'x.db'), modelRoot: path.join(dir, 'no-models') });
    try {
      const r = await core.dispatch('models.compare', { projectId: 'p', a: 'x', b: 'y' });
      expect(!r.ok && r.error.code).toBe('MODEL_UNAVAILABLE');
    } finally {
      core.close();
    }
  });
});
