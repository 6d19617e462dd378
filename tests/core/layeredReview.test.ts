/**
 * Bulk acceptance of confident suggestions: one transaction and one action over every item, with
 * the audit marked in it; one undo reverts all of it exactly (values and sources), redo re-applies,
 * and a failure half-way leaves nothing.
 */
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { openDatabase } from '../../electron/core/db/open';
import { CoreClient } from '../../electron/core/threads/coreClient';
import type { Result } from '../../shared/contract/errors';
import type { Annotator, AuditStatus, LabelingItem, UndoResult } from '../../shared/contract/schemas';
import { call, dumpDatabase, jsonl, runImport, setup, writeFile } from './helpers';

const THRESHOLD = 0.8;
const SAMPLE = 5;

async function reviewSetup(confident: number) {
  const t = await setup();
  const total = confident + SAMPLE + 2;
  const file = writeFile(t.dir, 'items.jsonl', jsonl(Array.from({ length: total }, (_, i) => ({ text: `第${i + 1}条：我的快递到哪了` }))));
  expect((await runImport(t.core, t.project.id, file, 'jsonl')).state).toBe('committed');
  const db = t.core.db;
  const items = (db.prepare('SELECT id FROM items WHERE project_id = ? ORDER BY ord').all(t.project.id) as { id: string }[]).map((r) => r.id);
  const now = new Date().toISOString();
  const insert = db.prepare(
    'INSERT INTO suggestions (id, item_id, kind, value_json, score, model_version, created_at, priority) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  db.transaction(() => {
    items.forEach((id, i) => {
      // The last two are for people: one uncertain, one high-risk.
      const [intent, score, priority] = i === total - 1 ? ['投诉', 0.95, -0.5] : i === total - 2 ? ['物流进度', 0.5, 0.1] : ['物流进度', 0.95, 0.9];
      insert.run(`si${i}`, id, 'intents', JSON.stringify([intent]), score, 'intents@v1', now, priority);
      insert.run(`ss${i}`, id, 'sentiment', JSON.stringify(i % 2 ? '消极' : '中性'), 0.7, 'sentiment@v1', now, null);
    });
  })();
  const lead = await call<Annotator>(t.core, 'annotators.create', { name: 'lead' });
  const audit = await call<AuditStatus>(t.core, 'review.startAudit', { projectId: t.project.id, threshold: THRESHOLD, size: SAMPLE });
  // The lead checks the sample, agreeing with the model.
  for (;;) {
    const item = await call<LabelingItem | null>(t.core, 'labeling.next', {
      projectId: t.project.id,
      annotatorId: lead.id,
      filter: { auditId: audit.id },
    });
    if (!item) break;
    await call(t.core, 'labeling.apply', {
      projectId: t.project.id,
      itemId: item.item.id,
      annotatorId: lead.id,
      changes: [
        { kind: 'intents', value: item.suggestions.find((s) => s.kind === 'intents')!.value },
        { kind: 'status', value: 'submitted' },
      ],
      source: 'accepted-suggestion',
    });
  }
  const state = () =>
    db
      .prepare(
        `SELECT item_id, intents_json, sentiment, entities_json, status, intents_source, sentiment_source, entities_source
         FROM annotations WHERE annotator_id = ? ORDER BY item_id`,
      )
      .all(lead.id) as Record<string, unknown>[];
  const ids = { projectId: t.project.id, annotatorId: lead.id };
  return { ...t, db, items, lead, audit, state, ids };
}

describe('layered review: bulk acceptance', () => {
  it('accepts 2,000 confident suggestions as one action; one undo reverts all of them exactly, redo re-applies', async () => {
    const { core, db, items, lead, audit, state, ids } = await reviewSetup(2000);
    const before = state();
    expect(before).toHaveLength(SAMPLE);
    const actionsBefore = (db.prepare('SELECT count(*) AS n FROM actions WHERE annotator_id = ?').get(lead.id) as { n: number }).n;

    const t0 = performance.now();
    const done = await call<AuditStatus>(core, 'review.acceptConfident', { auditId: audit.id, annotatorId: lead.id });
    const ms = performance.now() - t0;
    expect(done.accepted).toBe(2000);
    const actions = db.prepare('SELECT id, item_id, state FROM actions WHERE annotator_id = ? ORDER BY seq').all(lead.id) as {
      id: string;
      item_id: string;
      state: string;
    }[];
    expect(actions).toHaveLength(actionsBefore + 1);
    const bulk = actions.at(-1)!;
    expect(db.prepare('SELECT action_id FROM audits WHERE id = ?').get(audit.id)).toEqual({ action_id: bulk.id });
    expect(
      db
        .prepare(
          'SELECT kind, source, count(DISTINCT item_id) AS items, count(*) AS n FROM annotation_events WHERE action_id = ? GROUP BY kind, source ORDER BY kind',
        )
        .all(bulk.id),
    ).toEqual([
      { kind: 'intents', source: 'accepted-suggestion', items: 2000, n: 2000 },
      { kind: 'sentiment', source: 'accepted-suggestion', items: 2000, n: 2000 },
      { kind: 'status', source: 'accepted-suggestion', items: 2000, n: 2000 },
    ]);
    const after = state();
    expect(after).toHaveLength(SAMPLE + 2000);
    const accepted = after.filter((r) => !before.some((b) => b.item_id === r.item_id));
    expect(new Set(accepted.map((r) => `${r.intents_json}|${r.status}|${r.intents_source}|${r.sentiment_source}|${r.entities_source}`))).toEqual(
      new Set(['["物流进度"]|submitted|accepted-suggestion|accepted-suggestion|null']),
    );
    // The two items left for people were not touched.
    expect(after.some((r) => r.item_id === items.at(-1) || r.item_id === items.at(-2))).toBe(false);
    expect((await call<{ done: number }>(core, 'labeling.progress', ids)).done).toBe(SAMPLE + 2000);

    // One undo: every item back as it was (its row stays, empty, without sources), the audit not accepted.
    const undone = (await call<UndoResult>(core, 'labeling.undo', ids))!;
    expect(undone.itemId).toBe(bulk.item_id);
    expect(undone.progress.done).toBe(SAMPLE);
    const empty = { intents_json: '[]', sentiment: null, entities_json: '[]', status: 'draft' };
    const noSource = { intents_source: null, sentiment_source: null, entities_source: null };
    expect(state()).toEqual(after.map((r) => (before.some((b) => b.item_id === r.item_id) ? r : { item_id: r.item_id, ...empty, ...noSource })));
    expect(state().filter((r) => before.some((b) => b.item_id === r.item_id))).toEqual(before);
    expect((await call<AuditStatus>(core, 'review.audit', { auditId: audit.id, annotatorId: lead.id })).accepted).toBeNull();

    // Redo: all of it again, with its sources; the audit accepted again.
    const redone = (await call<UndoResult>(core, 'labeling.redo', ids))!;
    expect(redone.progress.done).toBe(SAMPLE + 2000);
    expect(state()).toEqual(after);
    expect((await call<AuditStatus>(core, 'review.audit', { auditId: audit.id, annotatorId: lead.id })).accepted).toBe(2000);
    // The next undo is the bulk action again, then the sample's own actions.
    await call(core, 'labeling.undo', ids);
    await call(core, 'labeling.undo', ids);
    expect(state().filter((r) => r.status === 'submitted')).toHaveLength(SAMPLE - 1);
    expect(ms).toBeLessThan(20_000);
  });

  it('a failure half-way leaves nothing: no event, no action, the audit not accepted', async () => {
    const { core, db, items, lead, audit } = await reviewSetup(300);
    // A row the database refuses, in the middle of the items.
    const victim = items[150]!;
    db.exec(`CREATE TRIGGER refuse_one BEFORE INSERT ON annotation_events WHEN NEW.item_id = '${victim}' AND NEW.kind = 'status'
      BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: refused for the test'); END`);
    const before = dumpDatabase(db);
    const r = await core.dispatch('review.acceptConfident', { auditId: audit.id, annotatorId: lead.id });
    expect(r.ok).toBe(false);
    expect(dumpDatabase(db)).toEqual(before);
    expect((await call<AuditStatus>(core, 'review.audit', { auditId: audit.id, annotatorId: lead.id })).accepted).toBeNull();

    db.exec('DROP TRIGGER refuse_one');
    expect((await call<AuditStatus>(core, 'review.acceptConfident', { auditId: audit.id, annotatorId: lead.id })).accepted).toBe(300);
    const again = await core.dispatch('review.acceptConfident', { auditId: audit.id, annotatorId: lead.id });
    expect(!again.ok && again.error.code).toBe('CONFLICT');
  });

  it('through the app boundary: acceptance on the bulk job thread, its undo and redo too', async () => {
    const { core, dir, lead, audit, ids } = await reviewSetup(1500);
    core.close();
    const client = await CoreClient.start({ dbPath: join(dir, 'test.db') });
    onTestFinished(() => client.close());
    const send = async <T>(channel: string, input: unknown): Promise<T> => {
      const r: Result<unknown> = await client.dispatch(channel, input);
      if (!r.ok) throw new Error(`${channel}: ${r.error.code}: ${r.error.message}`);
      return r.value as T;
    };
    const accepted = async () => (await send<AuditStatus>('review.audit', { auditId: audit.id, annotatorId: lead.id })).accepted;
    expect((await send<AuditStatus>('review.acceptConfident', { auditId: audit.id, annotatorId: lead.id })).accepted).toBe(1500);
    // Undo and redo of 4,500 events run on the bulk job thread too.
    expect((await send<UndoResult>('labeling.undo', ids)).progress.done).toBe(SAMPLE);
    expect(await accepted()).toBeNull();
    expect((await send<UndoResult>('labeling.redo', ids)).progress.done).toBe(SAMPLE + 1500);
    expect(await accepted()).toBe(1500);
    const db = openDatabase(join(dir, 'test.db'), { readonly: true });
    try {
      expect(
        db
          .prepare("SELECT count(*) AS n FROM annotations WHERE annotator_id = ? AND intents_source = 'accepted-suggestion' AND status = 'submitted'")
          .get(lead.id),
      ).toEqual({ n: SAMPLE + 1500 });
    } finally {
      db.close();
    }
  });
});
