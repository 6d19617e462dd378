import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { seedDemoProject } from '../../electron/core/services/demo';
import type { Annotator, ApplyResult, LabelingItem, ModelVersion, PrelabelStatus } from '../../shared/contract/schemas';
import { call, fileToken, openCore, REPO_ROOT, DEMO_TEAM_ITEMS } from './helpers';

const DEMO = path.join(REPO_ROOT, 'resources', 'demo', 'demo-items.jsonl');

async function demo() {
  const t = openCore();
  const project = (await seedDemoProject(t.core.db, t.core.runtime, t.core.imports, DEMO))!;
  return { ...t, project };
}

describe('pre-labeling with the local model', () => {
  it('the model files are present and verified (npm install fetched them)', () => {
    const { core } = openCore();
    expect(core.model.check()).toMatchObject({ state: 'ready', modelId: 'BAAI/bge-small-zh-v1.5' });
  });

  it('a missing model folder is a clear MODEL_UNAVAILABLE, not a crash', async () => {
    const t = openCore();
    const { createCore } = await import('../../electron/core');
    const core = createCore({ dbPath: path.join(t.dir, 'other.db'), modelRoot: path.join(t.dir, 'no-models') });
    try {
      const status = await call<{ state: string; message: string }>(core, 'models.status', {});
      expect(status.state).toBe('missing');
      expect(status.message).toMatch(/npm run fetch-model/);
      const project = await call<{ id: string }>(core, 'projects.create', { name: 'p' });
      const r = await core.dispatch('prelabel.start', { projectId: project.id });
      expect(!r.ok && r.error.code).toBe('MODEL_UNAVAILABLE');
    } finally {
      core.close();
    }
  });

  it('suggests an intent, a sentiment and pattern entities for every item, each stamped with its model version', async () => {
    const { core, project } = await demo();
    const started = await call<PrelabelStatus>(core, 'prelabel.start', { projectId: project.id });
    expect(started.state).toBe('running');
    const done = (await core.prelabel.wait(project.id))!;
    expect(done.error).toBeNull();
    expect(done).toMatchObject({ state: 'finished', done: 305, total: 305 });
    // The gold items' labels (30) are enough to train supervised heads right away, their spans the entity head.
    expect(done.versions).toEqual(['intents@v1', 'sentiment@v1', 'entities@v1']);
    const counts = core.db.prepare('SELECT kind, model_version, count(*) AS n FROM suggestions GROUP BY kind, model_version ORDER BY kind').all();
    expect(counts.filter((c) => (c as { model_version: string }).model_version !== 'entities@v1')).toEqual([
      { kind: 'entities', model_version: 'patterns@1', n: expect.any(Number) },
      { kind: 'intents', model_version: 'intents@v1', n: 305 },
      { kind: 'sentiment', model_version: 'sentiment@v1', n: 305 },
    ]);
    const versions = await call<ModelVersion[]>(core, 'models.versions', { projectId: project.id });
    expect(versions.map((v) => [v.task, v.version, v.metrics.source])).toEqual([
      ['entities', 1, 'supervised'],
      ['intents', 1, 'supervised'],
      ['sentiment', 1, 'supervised'],
    ]);

    // Trained on 30 gold items (about four per intent), suggestions already agree with the demo's
    // reference labels several times more often than chance (1 in 8).
    const rows = core.db
      .prepare(
        `SELECT json_extract(s.value_json, '$[0]') AS suggested, i.text FROM suggestions s JOIN items i ON i.id = s.item_id WHERE s.kind = 'intents'`,
      )
      .all() as { suggested: string; text: string }[];
    const reference = new Map(
      (await import('node:fs'))
        .readFileSync(DEMO, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { text: string; intent: string })
        .map((r) => [r.text, r.intent]),
    );
    const agree = rows.filter((r) => reference.get(r.text) === r.suggested).length / rows.length;
    expect(agree).toBeGreaterThan(0.35);

    // Running again makes new versions and replaces, not piles up, the suggestions.
    await call(core, 'prelabel.start', { projectId: project.id });
    expect((await core.prelabel.wait(project.id))?.versions).toEqual(['intents@v2', 'sentiment@v2', 'entities@v2']);
    expect(core.db.prepare("SELECT count(*) AS n FROM suggestions WHERE kind = 'intents'").get()).toEqual({ n: 305 });
  });

  it('suggestions reach the labeling view, and accept-all records them as accepted suggestions', async () => {
    const { core, project } = await demo();
    await call(core, 'prelabel.start', { projectId: project.id });
    await core.prelabel.wait(project.id);
    const annotator = await call<Annotator>(core, 'annotators.create', { name: 'a' });
    const item = (await call<LabelingItem>(core, 'labeling.next', { projectId: project.id, annotatorId: annotator.id }))!;
    const intent = item.suggestions.find((s) => s.kind === 'intents')!;
    expect(intent.score).toBeGreaterThan(0);
    expect(intent.modelVersion).toBe('intents@v1');
    const r = await call<ApplyResult>(core, 'labeling.apply', {
      projectId: project.id,
      itemId: item.item.id,
      annotatorId: annotator.id,
      changes: [{ kind: 'intents', value: intent.value }],
      source: 'accepted-suggestion',
    });
    expect(r.annotation.intents).toEqual(intent.value);
    expect(core.db.prepare('SELECT source FROM annotation_events WHERE annotator_id = ?').all(annotator.id)).toEqual([
      { source: 'accepted-suggestion' },
    ]);
  });

  it('starts zero-shot from the schema when nobody has labeled anything', async () => {
    const { core } = openCore();
    const project = await call<{ id: string }>(core, 'projects.create', { name: 'cold' });
    const fs = await import('node:fs');
    const file = path.join(path.dirname(core.db.name), 'cold.jsonl');
    fs.writeFileSync(
      file,
      ['我要投诉你们的快递员', '我的快递到哪了', '怎么申请退货退款', '有没有优惠券'].map((text) => JSON.stringify({ text })).join('\n'),
    );
    expect((await core.imports.run({ projectId: project.id, filePath: file, format: 'jsonl', onBadLines: 'abort' })).state).toBe('committed');
    const v = await core.prelabel.train(project.id, 'intents');
    expect(v).toMatchObject({ version: 1, metrics: { source: 'zero-shot' } });
  });
});

describe('layered review order', () => {
  it('walks high-risk intents first, then the least certain items; the cursor moves on', async () => {
    const { core, project } = await demo();
    await call(core, 'prelabel.start', { projectId: project.id });
    await core.prelabel.wait(project.id);
    const annotator = await call<Annotator>(core, 'annotators.create', { name: 'reviewer' });
    const rows = core.db
      .prepare(
        `SELECT i.ord, s.priority, json_extract(s.value_json, '$[0]') AS label FROM suggestions s JOIN items i ON i.id = s.item_id
         WHERE s.kind = 'intents' ORDER BY s.priority, i.ord`,
      )
      .all() as { ord: number; priority: number; label: string }[];
    expect(rows).toHaveLength(305);
    // 投诉 is high-risk in the default schema: every item suggested as 投诉 comes before the rest.
    const firstOther = rows.findIndex((r) => r.label !== '投诉');
    expect(rows.slice(firstOther).every((r) => r.label !== '投诉')).toBe(true);
    expect(rows.slice(firstOther).every((r) => r.priority >= 0)).toBe(true);

    const walked: number[] = [];
    let afterOrd = 0;
    for (let i = 0; i < 5; i++) {
      const next = await call<LabelingItem | null>(core, 'labeling.next', {
        projectId: project.id,
        annotatorId: annotator.id,
        afterOrd,
        filter: { order: 'review', status: 'all' },
      });
      walked.push(next!.item.ord);
      afterOrd = next!.item.ord;
    }
    expect(walked).toEqual(rows.slice(0, 5).map((r) => r.ord));
    const back = await call<LabelingItem | null>(core, 'labeling.next', {
      projectId: project.id,
      annotatorId: annotator.id,
      afterOrd,
      direction: 'prev',
      filter: { order: 'review', status: 'all' },
    });
    expect(back!.item.ord).toBe(walked[3]);
  });
});

describe('layered review: audit a sample, then accept the confident rest', () => {
  it('refuses bulk acceptance until the sample is checked and agrees; then accepts as accepted-suggestion events', async () => {
    const { core, project } = await demo();
    await call(core, 'prelabel.start', { projectId: project.id });
    await core.prelabel.wait(project.id);
    const lead = await call<Annotator>(core, 'annotators.create', { name: 'lead' });
    const threshold = 0.3;
    const plan = await call<{ confident: number; toPeople: number; highRisk: number; withoutSuggestion: number }>(core, 'review.plan', {
      projectId: project.id,
      threshold,
    });
    expect(plan.confident).toBeGreaterThan(0);
    expect(plan.confident + plan.toPeople + plan.withoutSuggestion).toBe(305 - 30 - DEMO_TEAM_ITEMS); // the gold items and the demo team's are labeled
    const audit = await call<{ id: string; size: number }>(core, 'review.startAudit', { projectId: project.id, threshold, size: 5 });
    expect(audit.size).toBe(5);
    const early = await core.dispatch('review.acceptConfident', { auditId: audit.id, annotatorId: lead.id });
    expect(!early.ok && early.error.message).toMatch(/check the whole sample first \(0 of 5/);

    // The lead checks the sample in the labeling queue filtered to it, agreeing with the model.
    for (let i = 0; i < 5; i++) {
      const item = (await call<LabelingItem | null>(core, 'labeling.next', {
        projectId: project.id,
        annotatorId: lead.id,
        filter: { auditId: audit.id },
      }))!;
      const suggested = item.suggestions.find((s) => s.kind === 'intents')!.value as string[];
      await call(core, 'labeling.apply', {
        projectId: project.id,
        itemId: item.item.id,
        annotatorId: lead.id,
        changes: [
          { kind: 'intents', value: suggested },
          { kind: 'status', value: 'submitted' },
        ],
        source: 'accepted-suggestion',
      });
    }
    expect(await call(core, 'labeling.next', { projectId: project.id, annotatorId: lead.id, filter: { auditId: audit.id } })).toBeNull();
    const checked = await call<{ checked: number; agreement: number }>(core, 'review.audit', { auditId: audit.id, annotatorId: lead.id });
    expect(checked).toMatchObject({ checked: 5, agreement: 1 });

    const done = await call<{ accepted: number }>(core, 'review.acceptConfident', { auditId: audit.id, annotatorId: lead.id });
    expect(done.accepted).toBe(plan.confident - 5);
    const bySource = core.db
      .prepare("SELECT source, kind, count(*) AS n FROM annotation_events WHERE annotator_id = ? AND kind = 'intents' GROUP BY source")
      .all(lead.id);
    expect(bySource).toEqual([{ source: 'accepted-suggestion', kind: 'intents', n: plan.confident }]);
    const again = await core.dispatch('review.acceptConfident', { auditId: audit.id, annotatorId: lead.id });
    expect(!again.ok && again.error.code).toBe('CONFLICT');
    // High-risk and uncertain items are still left for people.
    expect((await call<{ confident: number; toPeople: number }>(core, 'review.plan', { projectId: project.id, threshold })).toPeople).toBe(
      plan.toPeople,
    );
  });
});

describe('explanations', () => {
  it('says which words drove an intent suggestion, with code-point offsets', async () => {
    const { core, project } = await demo();
    const noModel = await core.dispatch('models.explain', { projectId: project.id, itemId: 'x' });
    expect(!noModel.ok && noModel.error.code).toBe('NOT_FOUND');
    await call(core, 'prelabel.start', { projectId: project.id });
    await core.prelabel.wait(project.id);
    const item = core.db.prepare("SELECT id, text FROM items WHERE text LIKE '%投诉%' ORDER BY ord LIMIT 1").get() as { id: string; text: string };
    const e = await call<{ label: string; score: number; pieces: { start: number; end: number; text: string; weight: number }[] }>(
      core,
      'models.explain',
      {
        projectId: project.id,
        itemId: item.id,
      },
    );
    expect(e.pieces.length).toBeGreaterThan(2);
    for (const p of e.pieces) expect([...item.text].slice(p.start, p.end).join('')).toBe(p.text);
    const top = [...e.pieces].sort((a, b) => b.weight - a.weight)[0]!;
    expect(top.weight).toBeGreaterThan(0);
    if (e.label === '投诉') expect(e.pieces.find((p) => p.text.includes('投诉'))!.weight).toBeGreaterThan(0);
  });
});

describe('retraining as labels accumulate; dictionaries', () => {
  it('retrains in the background after enough new submitted items, and uses the project dictionary for entities', async () => {
    const { core, project } = await demo();
    const dict = await call<{ term: string; label: string }[]>(core, 'dictionary.replace', {
      projectId: project.id,
      entries: [
        { term: '吸尘器', label: '商品' },
        { term: '羽绒服', label: '商品' },
      ],
    });
    expect(dict).toHaveLength(2);
    const bad = await core.dispatch('dictionary.replace', { projectId: project.id, entries: [{ term: 'x', label: '人名' }] });
    expect(!bad.ok && bad.error.message).toMatch(/not an entity type/);

    await call(core, 'prelabel.start', { projectId: project.id });
    await core.prelabel.wait(project.id);
    const vacuum = core.db
      .prepare("SELECT s.value_json FROM suggestions s JOIN items i ON i.id = s.item_id WHERE s.kind = 'entities' AND i.text LIKE '%吸尘器%'")
      .get() as { value_json: string };
    expect(JSON.parse(vacuum.value_json)).toContainEqual(expect.objectContaining({ label: '商品' }));

    const annotator = await call<Annotator>(core, 'annotators.create', { name: 'busy' });
    const { RETRAIN_EVERY } = await import('../../electron/core/services/prelabel');
    for (let ord = 1; ord <= RETRAIN_EVERY; ord++) {
      const item = (await call<LabelingItem>(core, 'labeling.at', { projectId: project.id, annotatorId: annotator.id, ord }))!;
      await call(core, 'labeling.apply', {
        projectId: project.id,
        itemId: item.item.id,
        annotatorId: annotator.id,
        changes: [
          { kind: 'intents', value: ['查询订单'] },
          { kind: 'status', value: 'submitted' },
        ],
      });
    }
    expect(core.prelabel.get(project.id)?.state).toBe('running');
    expect((await core.prelabel.wait(project.id))?.versions).toEqual(['intents@v2', 'sentiment@v2', 'entities@v2']);
  });
});

describe('another model folder', () => {
  it('points the app at another transformers.js model folder, remembered across restarts', async () => {
    const { core, dir, dbPath } = openCore();
    const missing = await call<{ state: string; message: string }>(core, 'models.configure', {
      folderToken: fileToken(core, path.join(dir, 'models'), 'model-folder'),
      modelName: 'org/other-model',
    });
    expect(missing).toMatchObject({ state: 'missing', modelId: 'org/other-model' });
    expect(missing.message).toContain(path.join(dir, 'models', 'org', 'other-model'));
    core.close();
    const { createCore } = await import('../../electron/core');
    const again = createCore({ dbPath });
    try {
      expect(await call(again, 'models.status', {})).toMatchObject({ state: 'missing', modelId: 'org/other-model' });
      const back = await call(again, 'models.configure', {
        folderToken: fileToken(again, path.join(REPO_ROOT, 'resources', 'models'), 'model-folder'),
        modelName: 'BAAI/bge-small-zh-v1.5',
      });
      expect(back).toMatchObject({ state: 'ready' });
      const bad = await again.dispatch('models.configure', { folderToken: fileToken(again, '/x', 'model-folder'), modelName: 'no-slash' });
      expect(!bad.ok && bad.error.code).toBe('VALIDATION');
      // A path, or a token for an import file, is not a model folder the user chose.
      expect(await again.dispatch('models.configure', { modelRoot: '/x', modelName: 'a/b' })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
      const importToken = fileToken(again, path.join(REPO_ROOT, 'resources', 'models'), 'import');
      expect(await again.dispatch('models.configure', { folderToken: importToken, modelName: 'a/b' })).toMatchObject({
        ok: false,
        error: { code: 'FILE_NOT_GRANTED' },
      });
      expect(await call(again, 'models.status', {})).toMatchObject({ state: 'ready', modelId: 'BAAI/bge-small-zh-v1.5' });
    } finally {
      again.close();
    }
  });
});
