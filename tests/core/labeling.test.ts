import { describe, expect, it } from 'vitest';
import { createCore } from '../../electron/core';
import type { Annotator, ApplyResult, LabelingItem, Progress, UndoResult } from '../../shared/contract/schemas';
import { call, jsonl, openCore, runImport, setup, writeFile } from './helpers';

const TEXTS = ['我要查订单2024110512345678😡', '快递到哪了', '退货怎么操作', '我要投诉', '有优惠券吗', '付款失败了', '登不上账号'];

async function labelingSetup(extra: object[] = []) {
  const t = await setup();
  const file = writeFile(t.dir, 'items.jsonl', jsonl([...TEXTS.map((text) => ({ text })), ...extra]));
  expect((await runImport(t.core, t.project.id, file, 'jsonl')).state).toBe('committed');
  const annotator = await call<Annotator>(t.core, 'annotators.create', { name: '小王' });
  const at = (ord: number) => call<LabelingItem>(t.core, 'labeling.at', { projectId: t.project.id, annotatorId: annotator.id, ord });
  const apply = (itemId: string, changes: unknown[], source = 'manual') =>
    call<ApplyResult>(t.core, 'labeling.apply', { projectId: t.project.id, itemId, annotatorId: annotator.id, changes, source });
  const events = () =>
    t.core.db
      .prepare(
        'SELECT kind, value_json, prev_value_json, source, action_id IS NOT NULL AS in_action, reverts_action_id IS NOT NULL AS reverts FROM annotation_events ORDER BY seq',
      )
      .all() as {
      kind: string;
      value_json: string;
      prev_value_json: string | null;
      source: string;
      in_action: number;
      reverts: number;
    }[];
  return { ...t, annotator, at, apply, events, ids: { projectId: t.project.id, annotatorId: annotator.id } };
}

describe('labeling: apply', () => {
  it('commits each change as an event with the value it replaced, and derives the state', async () => {
    const { at, apply, events } = await labelingSetup();
    const item = (await at(1))!;
    const startedAt = new Date(Date.now() - 5000).toISOString();
    const r1 = await apply(item.item.id, [{ kind: 'intents', value: ['查询订单'] }]);
    expect(r1.annotation).toMatchObject({ intents: ['查询订单'], status: 'draft' });
    const r2 = await apply(item.item.id, [
      { kind: 'entities', value: [{ start: 5, end: 21, label: '订单号' }] },
      { kind: 'sentiment', value: '消极' },
      { kind: 'status', value: 'submitted' },
    ]);
    expect(r2.annotation).toMatchObject({
      intents: ['查询订单'],
      entities: [{ start: 5, end: 21, label: '订单号' }],
      sentiment: '消极',
      status: 'submitted',
    });
    expect(r2.progress).toEqual({ done: 1, skipped: 0, total: 7 });
    expect(r1.actionId).not.toBe(r2.actionId);
    expect(events().map((e) => [e.kind, e.value_json, e.prev_value_json])).toEqual([
      ['intents', '["查询订单"]', null],
      ['entities', '[{"start":5,"end":21,"label":"订单号"}]', '[]'],
      ['sentiment', '"消极"', 'null'],
      ['status', '"submitted"', '"draft"'],
    ]);
    expect(startedAt).toBeTruthy();
  });

  it('records when the annotator started on the item', async () => {
    const { core, at, ids } = await labelingSetup();
    const item = (await at(2))!;
    const startedAt = '2026-11-26T10:00:00.000Z';
    await call(core, 'labeling.apply', { ...ids, itemId: item.item.id, changes: [{ kind: 'status', value: 'submitted' }], startedAt });
    expect(core.db.prepare('SELECT started_at FROM annotation_events').get()).toEqual({ started_at: startedAt });
  });

  it('refuses what the schema does not allow, writing nothing', async () => {
    const { core, at, ids, events } = await labelingSetup();
    const item = (await at(1))!;
    const tryApply = async (changes: unknown[]) => core.dispatch('labeling.apply', { ...ids, itemId: item.item.id, changes });
    const cases: [unknown[], RegExp][] = [
      [[{ kind: 'intents', value: ['不存在的意图'] }], /not an intent/],
      [[{ kind: 'intents', value: ['查询订单', '投诉'] }], /one intent per item/],
      [[{ kind: 'entities', value: [{ start: 0, end: 2, label: '人名' }] }], /not an entity type/],
      [[{ kind: 'entities', value: [{ start: 20, end: 23, label: '订单号' }] }], /past the end of the text \(22 characters\)/],
      [
        [
          {
            kind: 'entities',
            value: [
              { start: 0, end: 4, label: '商品' },
              { start: 3, end: 6, label: '订单号' },
            ],
          },
        ],
        /overlap/,
      ],
      [[{ kind: 'sentiment', value: '愤怒' }], /not a sentiment level/],
      [
        [
          { kind: 'intents', value: ['查询订单'] },
          { kind: 'sentiment', value: '愤怒' },
        ],
        /not a sentiment level/,
      ],
    ];
    for (const [changes, message] of cases) {
      const r = await tryApply(changes);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe('VALIDATION');
        expect(r.error.message).toMatch(message);
      }
    }
    expect(events()).toEqual([]);
    const unknownAnnotator = await core.dispatch('labeling.apply', {
      ...ids,
      annotatorId: 'nobody',
      itemId: item.item.id,
      changes: [{ kind: 'status', value: 'submitted' }],
    });
    expect(!unknownAnnotator.ok && unknownAnnotator.error.code).toBe('NOT_FOUND');
  });
});

describe('labeling: undo and redo', () => {
  it('undo reverts whole actions across items with new events; redo re-applies; a new action clears redo', async () => {
    const { core, at, apply, ids, events } = await labelingSetup();
    const a = (await at(1))!.item.id;
    const b = (await at(2))!.item.id;
    await apply(a, [{ kind: 'intents', value: ['查询订单'] }]);
    await apply(a, [
      { kind: 'sentiment', value: '消极' },
      { kind: 'status', value: 'submitted' },
    ]);
    await apply(b, [{ kind: 'intents', value: ['物流进度'] }]);
    const undo = () => call<UndoResult | null>(core, 'labeling.undo', ids);
    const redo = () => call<UndoResult | null>(core, 'labeling.redo', ids);

    expect(await undo()).toMatchObject({ itemId: b, annotation: { intents: [] } });
    expect(await undo()).toMatchObject({ itemId: a, annotation: { intents: ['查询订单'], sentiment: null, status: 'draft' }, progress: { done: 0 } });
    expect(await redo()).toMatchObject({ itemId: a, annotation: { sentiment: '消极', status: 'submitted' }, progress: { done: 1 } });
    expect(await undo()).toMatchObject({ itemId: a, annotation: { sentiment: null } });
    expect(await undo()).toMatchObject({ itemId: a, annotation: { intents: [] } });
    expect(await undo()).toBeNull();
    // Nothing was overwritten: 4 original events, 6 reverting ones.
    const log = events();
    expect(log.filter((e) => e.in_action)).toHaveLength(4);
    expect(log.filter((e) => e.reverts)).toHaveLength(1 + 2 + 2 + 2 + 1);

    await apply(b, [{ kind: 'intents', value: ['退换货'] }]);
    expect(await redo()).toBeNull();
  });

  it('history survives a restart of the core', async () => {
    const { core, dbPath, at, apply, ids } = await labelingSetup();
    const a = (await at(3))!.item.id;
    await apply(a, [{ kind: 'intents', value: ['退换货'] }]);
    await apply(a, [{ kind: 'intents', value: ['投诉'] }]);
    core.close();
    const again = createCore({ dbPath });
    try {
      expect(await call<UndoResult>(again, 'labeling.undo', ids)).toMatchObject({ itemId: a, annotation: { intents: ['退换货'] } });
      expect(await call<UndoResult>(again, 'labeling.redo', ids)).toMatchObject({ itemId: a, annotation: { intents: ['投诉'] } });
    } finally {
      again.close();
    }
  });

  it('one annotator never undoes another one', async () => {
    const { core, at, apply, ids } = await labelingSetup();
    const other = await call<Annotator>(core, 'annotators.create', { name: '小李' });
    await apply((await at(1))!.item.id, [{ kind: 'intents', value: ['查询订单'] }]);
    expect(await call(core, 'labeling.undo', { ...ids, annotatorId: other.id })).toBeNull();
  });
});

describe('labeling: the queue', () => {
  it('walks unlabeled items in order; drafts come back, submitted and skipped do not', async () => {
    const { core, at, apply, ids } = await labelingSetup();
    const next = (afterOrd: number, filter: object = {}, direction = 'next') =>
      call<LabelingItem | null>(core, 'labeling.next', { ...ids, afterOrd, direction, filter });
    await apply((await at(1))!.item.id, [{ kind: 'status', value: 'submitted' }]);
    await apply((await at(2))!.item.id, [{ kind: 'intents', value: ['物流进度'] }]);
    await apply((await at(3))!.item.id, [{ kind: 'status', value: 'skipped' }]);
    await apply((await at(4))!.item.id, [{ kind: 'flag', value: { flagged: true, note: '看不懂' } }]);
    expect((await next(0))?.item.ord).toBe(2);
    expect((await next(2))?.item.ord).toBe(4);
    expect(await next(7)).toBeNull();
    expect((await next(8, {}, 'prev'))?.item.ord).toBe(7);
    expect((await next(4, {}, 'prev'))?.item.ord).toBe(2);
    expect((await next(0, { status: 'skipped' }))?.item.ord).toBe(3);
    expect((await next(0, { status: 'flagged' }))?.item.ord).toBe(4);
    expect((await next(0, { status: 'submitted' }))?.item.ord).toBe(1);
    expect((await next(0, { status: 'all' }))?.item.ord).toBe(1);
    expect((await next(0, { status: 'all', search: '投诉' }))?.item.ord).toBe(4);
    expect((await next(0, { status: 'all', label: '物流进度' }))?.item.ord).toBe(2);
    expect(await call<Progress>(core, 'labeling.progress', ids)).toEqual({ done: 1, skipped: 1, total: 7 });
  });

  it('filters by suggestion label and confidence', async () => {
    const { core, ids, at } = await labelingSetup();
    const insert = core.db.prepare(
      "INSERT INTO suggestions (id, item_id, kind, value_json, score, model_version, created_at) VALUES (?, ?, 'intents', ?, ?, 'test-v1', '2026-01-01')",
    );
    insert.run('s1', (await at(5))!.item.id, '["咨询活动"]', 0.95);
    insert.run('s2', (await at(6))!.item.id, '["支付问题"]', 0.4);
    const next = (filter: object) => call<LabelingItem | null>(core, 'labeling.next', { ...ids, afterOrd: 0, filter });
    expect((await next({ label: '咨询活动' }))?.item.ord).toBe(5);
    expect((await next({ maxScore: 0.5 }))?.item.ord).toBe(6);
    expect((await next({ minScore: 0.9 }))?.item.ord).toBe(5);
    const item = (await next({ minScore: 0.9 }))!;
    expect(item.suggestions).toMatchObject([{ kind: 'intents', value: ['咨询活动'], score: 0.95, modelVersion: 'test-v1' }]);
  });

  it('shows the earlier turns of a dialogue as context', async () => {
    const { at } = await labelingSetup([
      { text: '你好，在吗', meta: { dialogue_id: 'd1', turn: 1 } },
      { text: '别的对话', meta: { dialogue_id: 'd2', turn: 1 } },
      { text: '我的快递三天没动了', meta: { dialogue_id: 'd1', turn: 2 } },
      { text: '能帮我催一下吗', meta: { dialogue_id: 'd1', turn: 3 } },
    ]);
    const third = (await at(11))!;
    expect(third.item.text).toBe('能帮我催一下吗');
    expect(third.context.map((c) => [c.text, c.turn])).toEqual([
      ['你好，在吗', 1],
      ['我的快递三天没动了', 2],
    ]);
    expect((await at(1))!.context).toEqual([]);
  });
});

describe('annotator settings', () => {
  it('keeps a keymap per annotator', async () => {
    const { core } = openCore();
    const a = await call<Annotator>(core, 'annotators.create', { name: 'a' });
    expect(await call(core, 'annotators.getSettings', { annotatorId: a.id })).toEqual({ keymap: {} });
    await call(core, 'annotators.saveSettings', { annotatorId: a.id, settings: { keymap: { 'labeling.submit': ['mod+Enter'] } } });
    expect(await call(core, 'annotators.getSettings', { annotatorId: a.id })).toEqual({ keymap: { 'labeling.submit': ['mod+Enter'] } });
    const missing = await core.dispatch('annotators.getSettings', { annotatorId: 'nobody' });
    expect(!missing.ok && missing.error.code).toBe('NOT_FOUND');
  });
});
