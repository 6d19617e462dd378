/**
 * Provenance: undo and redo restore each field's source with its value, the core decides
 * accepted-suggestion / edited-suggestion / manual from the field's current source and the item's
 * suggestions, and rejecting a suggestion is a recorded, undoable action.
 */
import { describe, expect, it, onTestFinished } from 'vitest';
import { createCore, type Core } from '../../electron/core';
import type { DB } from '../../electron/core/db/open';
import { changeSource } from '../../electron/core/services/labeling';
import type { Annotator, ApplyResult, LabelingItem, RejectResult, UndoResult } from '../../shared/contract/schemas';
import { call, jsonl, runImport, setup, writeFile } from './helpers';

const span = (start: number, end: number, label: string) => ({ start, end, label });
const entities = (...value: ReturnType<typeof span>[]) => ({ kind: 'entities' as const, value });
const ORDER_TEXT = '我要查订单2024110512345678😡'; // 订单号 at [5, 21)
const TEXTS = [ORDER_TEXT, '快递到哪了', '退货怎么操作', '我要投诉'];

let suggestionSeq = 0;
function suggest(db: DB, itemId: string, kind: 'intents' | 'sentiment' | 'entities', value: unknown, model = 'test@v1'): string {
  const id = `sug-${++suggestionSeq}`;
  db.prepare('INSERT INTO suggestions (id, item_id, kind, value_json, score, model_version, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
    id,
    itemId,
    kind,
    JSON.stringify(value),
    0.9,
    model,
    new Date().toISOString(),
  );
  return id;
}

interface StateRow {
  intents_json: string;
  sentiment: string | null;
  entities_json: string;
  status: string;
  intents_source: string | null;
  sentiment_source: string | null;
  entities_source: string | null;
}

async function provenanceSetup() {
  const t = await setup();
  const annotator = await call<Annotator>(t.core, 'annotators.create', { name: '小王' });
  // Item 1 comes with 小王's imported labels (source import).
  const rows = TEXTS.map((text, i) => (i === 0 ? { text, intent: '查询订单', sentiment: '中性', annotator: '小王' } : { text }));
  const file = writeFile(t.dir, 'items.jsonl', jsonl(rows));
  expect((await runImport(t.core, t.project.id, file, 'jsonl')).state).toBe('committed');
  const ids = { projectId: t.project.id, annotatorId: annotator.id };
  const itemIds = (t.core.db.prepare('SELECT id FROM items WHERE project_id = ? ORDER BY ord').all(t.project.id) as { id: string }[]).map(
    (r) => r.id,
  );
  let core: Core = t.core;
  const api = {
    get core() {
      return core;
    },
    restart() {
      core.close();
      const next = createCore({ dbPath: t.dbPath });
      onTestFinished(() => next.close());
      core = next;
      return core;
    },
    apply: (itemId: string, changes: unknown[], source?: string) =>
      call<ApplyResult>(core, 'labeling.apply', { ...ids, itemId, changes, ...(source ? { source } : {}) }),
    undo: () => call<UndoResult | null>(core, 'labeling.undo', ids),
    redo: () => call<UndoResult | null>(core, 'labeling.redo', ids),
    item: (itemId: string, annotatorId = annotator.id) => call<LabelingItem>(core, 'labeling.item', { itemId, annotatorId }),
    reject: (itemId: string, suggestionId: string, span?: unknown) =>
      call<RejectResult>(core, 'labeling.reject', { ...ids, itemId, suggestionId, ...(span ? { span } : {}) }),
    state: (itemId: string): StateRow | undefined =>
      core.db
        .prepare(
          `SELECT intents_json, sentiment, entities_json, status, intents_source, sentiment_source, entities_source
           FROM annotations WHERE item_id = ? AND annotator_id = ?`,
        )
        .get(itemId, annotator.id) as StateRow | undefined,
    /** The source of the latest event of a field. */
    lastSource: (itemId: string, kind: string) =>
      (
        core.db
          .prepare('SELECT source FROM annotation_events WHERE item_id = ? AND annotator_id = ? AND kind = ? ORDER BY seq DESC LIMIT 1')
          .get(itemId, annotator.id, kind) as { source: string }
      ).source,
  };
  return { ...t, annotator, ids, itemIds, api };
}

describe('undo and redo restore the source the value had', () => {
  it('round trips through import, accepted, manual, edited and no source, across items and a restart', async () => {
    const { itemIds, api } = await provenanceSetup();
    const [a, b] = [itemIds[0]!, itemIds[1]!];
    suggest(api.core.db, a, 'intents', ['物流进度']);
    suggest(api.core.db, a, 'entities', [{ start: 5, end: 21, label: '订单号' }]);
    suggest(api.core.db, b, 'intents', ['物流进度']);

    const snapshots: { a: StateRow | undefined; b: StateRow | undefined }[] = [];
    const snap = () => snapshots.push({ a: api.state(a), b: api.state(b) });
    snap();
    expect(snapshots[0]!.a).toMatchObject({ intents_source: 'import', sentiment_source: 'import', entities_source: null, status: 'submitted' });
    expect(snapshots[0]!.b).toBeUndefined();

    await api.apply(a, [{ kind: 'intents', value: ['物流进度'] }], 'accepted-suggestion');
    snap();
    await api.apply(a, [{ kind: 'sentiment', value: '积极' }]);
    snap();
    await api.apply(a, [{ kind: 'intents', value: ['退换货'] }]);
    snap();
    await api.apply(
      a,
      [
        { kind: 'entities', value: [{ start: 5, end: 21, label: '订单号' }] },
        { kind: 'status', value: 'draft' },
      ],
      'accepted-suggestion',
    );
    snap();
    await api.apply(b, [
      { kind: 'intents', value: ['物流进度'] },
      { kind: 'status', value: 'submitted' },
    ]);
    snap();
    await api.apply(b, [{ kind: 'intents', value: ['投诉'] }], 'accepted-suggestion');
    snap();
    expect(snapshots.map((s) => [s.a?.intents_source, s.a?.sentiment_source, s.a?.entities_source, s.b?.intents_source ?? null])).toEqual([
      ['import', 'import', null, null],
      ['accepted-suggestion', 'import', null, null],
      ['accepted-suggestion', 'manual', null, null],
      ['edited-suggestion', 'manual', null, null],
      ['edited-suggestion', 'manual', 'accepted-suggestion', null],
      ['edited-suggestion', 'manual', 'accepted-suggestion', 'manual'],
      ['edited-suggestion', 'manual', 'accepted-suggestion', 'edited-suggestion'],
    ]);

    // Undo everything, one step at a time: each step leaves both items exactly as before the action.
    for (let k = snapshots.length - 2; k >= 0; k--) {
      expect(await api.undo()).not.toBeNull();
      if (k === 3) api.restart(); // the history and the sources survive a restart
      expect({ a: api.state(a), b: api.state(b) }).toEqual({ a: snapshots[k]!.a, b: snapshots[k]!.b ?? EMPTY_STATE });
    }
    expect(await api.undo()).toBeNull();
    // b had no annotation before its first action: its row stays, empty, and its fields have no source again.
    expect(api.state(b)).toEqual(EMPTY_STATE);
    // The undo events carry the restored source (so the event log alone tells where each value came from).
    expect(api.lastSource(a, 'intents')).toBe('import');
    expect(api.lastSource(a, 'sentiment')).toBe('import');
    expect(api.lastSource(a, 'entities')).toBe('manual'); // restored to "no spans, no source"
    expect(api.lastSource(a, 'status')).toBe('import');

    // Redo everything: each step re-applies the action's own sources.
    for (let k = 1; k < snapshots.length; k++) {
      expect(await api.redo()).not.toBeNull();
      if (k === 2) api.restart();
      expect({ a: api.state(a), b: api.state(b) }).toEqual({ a: snapshots[k]!.a, b: snapshots[k]!.b ?? EMPTY_STATE });
    }
    expect(await api.redo()).toBeNull();
  });

  it('undoes actions written before migration 0006 (no recorded prev_source) from the previous event of the field', async () => {
    const { itemIds, api } = await provenanceSetup();
    const a = itemIds[0]!;
    await api.apply(a, [{ kind: 'intents', value: ['退换货'] }]);
    // What the earlier code wrote: no prev_source. The trigger forbids UPDATE, so drop and restore it around the edit.
    const db = api.core.db;
    db.exec(`DROP TRIGGER annotation_events_no_update;
      UPDATE annotation_events SET prev_source = NULL;
      CREATE TRIGGER annotation_events_no_update BEFORE UPDATE ON annotation_events
      BEGIN SELECT RAISE(ABORT, 'annotation events are append-only'); END;`);
    expect(await api.undo()).toMatchObject({ annotation: { intents: ['查询订单'] } });
    expect(api.state(a)).toMatchObject({ intents_source: 'import' });
  });
});

const NO_SOURCE = { intents_source: null, sentiment_source: null, entities_source: null };
const EMPTY_STATE = { intents_json: '[]', sentiment: null, entities_json: '[]', status: 'draft', ...NO_SOURCE };

describe('changing a suggested value writes edited-suggestion', () => {
  it('decides from the field’s current source and the item’s suggestions, not from the claim alone', async () => {
    const { itemIds, api } = await provenanceSetup();
    const [, b, c, d] = itemIds as [string, string, string, string];
    suggest(api.core.db, b, 'intents', ['物流进度', '投诉']); // single-intent project: accept-all takes the first
    suggest(api.core.db, b, 'sentiment', '消极');
    suggest(api.core.db, b, 'entities', [
      { start: 0, end: 2, label: '商品' },
      { start: 2, end: 4, label: '地址' },
    ]);
    const sources = () => {
      const s = api.state(b)!;
      return [s.intents_source, s.sentiment_source, s.entities_source];
    };

    // The person picks the suggested intent with its key: manual.
    await api.apply(b, [{ kind: 'intents', value: ['物流进度'] }]);
    expect(sources()).toEqual(['manual', null, null]);
    // Accept-all: what the suggestions propose.
    await api.apply(
      b,
      [
        { kind: 'intents', value: ['物流进度'] },
        { kind: 'sentiment', value: '消极' },
        { kind: 'entities', value: [{ start: 0, end: 2, label: '商品' }] },
      ],
      'accepted-suggestion',
    );
    expect(sources()).toEqual(['accepted-suggestion', 'accepted-suggestion', 'accepted-suggestion']);
    // Accepting the second span too: still only suggested spans.
    await api.apply(b, [entities(span(0, 2, '商品'), span(2, 4, '地址'))], 'accepted-suggestion');
    expect(sources()[2]).toBe('accepted-suggestion');
    // Changing accepted values, with the renderer saying manual: edited-suggestion.
    await api.apply(b, [{ kind: 'intents', value: ['投诉'] }, { kind: 'sentiment', value: null }, entities(span(0, 2, '商品'), span(2, 5, '地址'))]);
    expect(sources()).toEqual(['edited-suggestion', 'edited-suggestion', 'edited-suggestion']);
    // Editing an edited value keeps it edited; going back to what the model proposed is accepting it.
    await api.apply(b, [{ kind: 'intents', value: ['退换货'] }]);
    expect(sources()[0]).toBe('edited-suggestion');
    await api.apply(b, [{ kind: 'sentiment', value: '消极' }]);
    expect(sources()[1]).toBe('accepted-suggestion');
    // Deleting one accepted span leaves suggested spans only; deleting them all is an edit.
    await api.apply(b, [{ kind: 'entities', value: [{ start: 0, end: 2, label: '商品' }] }]);
    expect(sources()[2]).toBe('accepted-suggestion');
    await api.apply(b, [{ kind: 'entities', value: [] }]);
    expect(sources()[2]).toBe('edited-suggestion');

    // A claim of accepted-suggestion whose value no suggestion proposes: the suggestion was changed.
    suggest(api.core.db, c, 'intents', ['物流进度']);
    suggest(api.core.db, c, 'entities', [{ start: 0, end: 2, label: '商品' }]);
    await api.apply(c, [{ kind: 'intents', value: ['投诉'] }], 'accepted-suggestion');
    expect(api.state(c)!.intents_source).toBe('edited-suggestion');
    // A suggested span relabeled before it is taken (the renderer says edited-suggestion).
    await api.apply(c, [{ kind: 'entities', value: [{ start: 0, end: 2, label: '地址' }] }], 'edited-suggestion');
    expect(api.state(c)!.entities_source).toBe('edited-suggestion');
    // A span the person drew next to accepted ones makes the field an edited suggestion.
    await api.apply(d, [{ kind: 'entities', value: [{ start: 0, end: 1, label: '商品' }] }]);
    suggest(api.core.db, d, 'entities', [{ start: 2, end: 4, label: '商品' }]);
    await api.apply(d, [entities(span(0, 1, '商品'), span(2, 4, '商品'))], 'accepted-suggestion');
    expect(api.state(d)!.entities_source).toBe('edited-suggestion');
    // No suggestion for the field to check against: the claim stands (d has none for sentiment);
    // status changes keep the claim as given.
    await api.apply(
      d,
      [
        { kind: 'sentiment', value: '积极' },
        { kind: 'status', value: 'submitted' },
      ],
      'accepted-suggestion',
    );
    expect(api.state(d)!.sentiment_source).toBe('accepted-suggestion');
    expect(api.lastSource(d, 'status')).toBe('accepted-suggestion');
    // The events say the same as the state.
    expect(api.lastSource(b, 'intents')).toBe('edited-suggestion');
  });

  it('the rule, case by case', () => {
    const intents = { kind: 'intents' as const, value: ['a'] };
    const yes = () => true;
    const no = () => false;
    const cases: [Parameters<typeof changeSource>[0], Parameters<typeof changeSource>[1], (() => boolean) | null, string][] = [
      ['manual', null, yes, 'manual'],
      ['manual', 'manual', no, 'manual'],
      ['manual', 'import', no, 'manual'],
      ['manual', 'accepted-suggestion', no, 'edited-suggestion'],
      ['manual', 'accepted-suggestion', yes, 'accepted-suggestion'],
      ['manual', 'edited-suggestion', no, 'edited-suggestion'],
      ['manual', 'accepted-suggestion', null, 'edited-suggestion'],
      ['accepted-suggestion', null, yes, 'accepted-suggestion'],
      ['accepted-suggestion', 'manual', no, 'edited-suggestion'],
      ['accepted-suggestion', null, null, 'accepted-suggestion'],
      ['edited-suggestion', null, no, 'edited-suggestion'],
      ['edited-suggestion', null, yes, 'accepted-suggestion'],
      ['edited-suggestion', null, null, 'edited-suggestion'],
    ];
    for (const [claim, current, matches, expected] of cases)
      expect([claim, current, changeSource(claim, current, intents, matches)]).toEqual([claim, current, expected]);
  });
});

describe('rejecting a suggestion', () => {
  it('is recorded per annotator, hidden after a reload and a restart, undone and redone like any action', async () => {
    const { itemIds, api, ids } = await provenanceSetup();
    const [, b] = itemIds as [string, string];
    const spans = [
      { start: 0, end: 2, label: '商品' },
      { start: 2, end: 4, label: '地址' },
    ];
    const entities = suggest(api.core.db, b, 'entities', spans);
    const intents = suggest(api.core.db, b, 'intents', ['物流进度']);

    const first = await api.reject(b, entities, { label: '地址', end: 4, start: 2 });
    expect(first.rejected).toEqual([{ suggestionId: entities, kind: 'entities', value: spans[1], modelVersion: 'test@v1', at: expect.any(String) }]);
    expect((await api.item(b)).rejected).toEqual(first.rejected);
    api.restart();
    expect((await api.item(b)).rejected).toEqual(first.rejected);
    const other = await call<Annotator>(api.core, 'annotators.create', { name: '小李' });
    expect((await api.item(b, other.id)).rejected).toEqual([]);
    // The item was untouched: undo shows it untouched.
    expect(await api.undo()).toMatchObject({ itemId: b, annotation: { intents: [], status: 'draft' } });
    expect((await api.item(b)).rejected).toEqual([]);
    expect(await api.redo()).toMatchObject({ itemId: b });
    expect((await api.item(b)).rejected).toEqual([{ ...first.rejected[0], at: expect.any(String) }]);

    // A whole intents suggestion, then a label: undo goes back through both.
    await api.reject(b, intents);
    await api.apply(b, [{ kind: 'intents', value: ['投诉'] }]);
    expect((await api.item(b)).rejected!.map((r) => r.kind)).toEqual(['entities', 'intents']);
    await api.undo();
    await api.undo();
    expect((await api.item(b)).rejected!.map((r) => r.kind)).toEqual(['entities']);
    expect(api.core.db.prepare('SELECT field, decision, action_id IS NOT NULL AS in_action FROM suggestion_reviews ORDER BY seq').all()).toEqual([
      { field: 'entities', decision: 'rejected', in_action: 1 },
      { field: 'entities', decision: 'withdrawn', in_action: 0 },
      { field: 'entities', decision: 'rejected', in_action: 0 },
      { field: 'intents', decision: 'rejected', in_action: 1 },
      { field: 'intents', decision: 'withdrawn', in_action: 0 },
    ]);
    expect(() => api.core.db.prepare('DELETE FROM suggestion_reviews').run()).toThrow(/append-only/);

    const refused = async (input: object) => {
      const r = await api.core.dispatch('labeling.reject', { ...ids, itemId: b, ...input });
      return r.ok ? null : [r.error.code, r.error.message];
    };
    expect(await refused({ suggestionId: entities, span: spans[1] })).toEqual(['CONFLICT', 'this suggestion is already rejected']);
    expect((await refused({ suggestionId: entities }))?.[0]).toBe('VALIDATION');
    expect((await refused({ suggestionId: entities, span: { start: 0, end: 3, label: '商品' } }))?.[1]).toMatch(/has no span \[0, 3\)/);
    expect((await refused({ suggestionId: intents, span: spans[0] }))?.[1]).toMatch(/has no spans/);
    expect((await refused({ suggestionId: 'nope' }))?.[0]).toBe('NOT_FOUND');
    expect((await refused({ itemId: itemIds[2], suggestionId: intents }))?.[0]).toBe('NOT_FOUND');
    expect((await refused({ annotatorId: 'nobody', suggestionId: intents }))?.[0]).toBe('NOT_FOUND');
  });
});
