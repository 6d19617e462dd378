/**
 * Migration 0004 fills the report columns of existing annotations from their events. This builds a
 * version-3 database with events written the way the code of that time wrote them (labeling actions
 * with undo and redo, accepted suggestions, imports, adjudication, re-submits with a changed
 * decision, long visits), applies 0004, and checks every filled column equals what appendEvent
 * keeps for the same events, replayed through today's code into a fresh database.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate, openDatabase, type DB } from '../../electron/core/db/open';
import { migrations } from '../../electron/core/db/migrations';
import { appendEvent } from '../../electron/core/db/repos/annotations';
import type { AnnotationChange, AnnotationSource } from '../../shared/domain/annotation';
import { freshDir } from './helpers';

const BASE = `
  INSERT INTO projects (id, name, schema_version, item_count, created_at) VALUES ('p', 'old', 1, 8, '2026-01-01T00:00:00.000Z');
  INSERT INTO label_schemas VALUES ('p', 1, '{}', '2026-01-01T00:00:00.000Z');
  INSERT INTO imports (id, project_id, file, format, state, started_at, finished_at)
    VALUES ('imp1', 'p', 'gold.jsonl', 'jsonl', 'committed', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:01.000Z'),
           ('imp2', 'p', 'gold2.jsonl', 'jsonl', 'committed', '2026-01-09T00:00:00.000Z', '2026-01-09T00:00:01.000Z');
  INSERT INTO annotators (id, name, created_at) VALUES ('jia', '甲', 'now'), ('yi', '乙', 'now'), ('bing', '丙', 'now'), ('gold', 'gold', 'now');
`;
const ITEMS = ['i1', 'i2', 'i3', 'i4', 'i5', 'i6', 'i7', 'i8'];
const ITEMS_SQL = ITEMS.map(
  (id, k) =>
    `INSERT INTO items (id, project_id, ord, content_hash, text, created_at) VALUES ('${id}', 'p', ${k + 1}, x'0${k + 1}', '第${k + 1}条', 'now');`,
).join('\n');

interface Ev {
  item: string;
  annotator: string;
  change: AnnotationChange;
  source: AnnotationSource;
  startedAt: string | null;
  endedAt: string;
  importId?: string;
  actionId?: string;
  revertsActionId?: string;
}

/** The annotation code as it was at migration 0003: events with their previous value, state, counters; actions; undo/redo as manual events. */
class Era0003 {
  private seq = 0;
  private clock = Date.parse('2026-01-02T08:00:00.000Z');
  constructor(private readonly db: DB) {}

  /** Moves the clock on and returns the time. */
  at(seconds: number): string {
    this.clock += seconds * 1000;
    return new Date(this.clock).toISOString();
  }

  append(e: Ev): void {
    const db = this.db;
    const current = db
      .prepare('SELECT intents_json, entities_json, sentiment, flagged, note, status FROM annotations WHERE item_id = ? AND annotator_id = ?')
      .get(e.item, e.annotator) as
      { intents_json: string; entities_json: string; sentiment: string | null; flagged: number; note: string; status: string } | undefined;
    if (!current && !db.prepare('SELECT 1 FROM annotations WHERE item_id = ?').get(e.item)) {
      db.prepare('UPDATE projects SET annotated_count = annotated_count + 1 WHERE id = ?').run('p');
    }
    const c = e.change;
    const prev = !current
      ? null
      : c.kind === 'intents'
        ? current.intents_json
        : c.kind === 'entities'
          ? current.entities_json
          : c.kind === 'sentiment'
            ? JSON.stringify(current.sentiment)
            : c.kind === 'flag'
              ? JSON.stringify({ flagged: current.flagged === 1, note: current.note })
              : JSON.stringify(current.status);
    const id = `e${++this.seq}`;
    db.prepare(
      `INSERT INTO annotation_events (id, project_id, item_id, annotator_id, kind, value_json, source, schema_version, started_at, ended_at, import_id,
         action_id, prev_value_json, reverts_action_id) VALUES (?, 'p', ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?)`,
    ).run(
      id,
      e.item,
      e.annotator,
      c.kind,
      JSON.stringify(c.value),
      e.source,
      e.startedAt,
      e.endedAt,
      e.importId ?? null,
      e.actionId ?? null,
      prev,
      e.revertsActionId ?? null,
    );
    const set = {
      intents: 'intents_json = excluded.intents_json',
      entities: 'entities_json = excluded.entities_json',
      sentiment: 'sentiment = excluded.sentiment',
      flag: 'flagged = excluded.flagged, note = excluded.note',
      status: 'status = excluded.status',
    }[c.kind];
    db.prepare(
      `INSERT INTO annotations (item_id, annotator_id, project_id, intents_json, entities_json, sentiment, flagged, note, status, last_event_id, updated_at)
       VALUES (?, ?, 'p', ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (item_id, annotator_id) DO UPDATE SET ${set}, last_event_id = excluded.last_event_id, updated_at = excluded.updated_at`,
    ).run(
      e.item,
      e.annotator,
      c.kind === 'intents' ? JSON.stringify(c.value) : '[]',
      c.kind === 'entities' ? JSON.stringify(c.value) : '[]',
      c.kind === 'sentiment' ? c.value : null,
      c.kind === 'flag' ? Number(c.value.flagged) : 0,
      c.kind === 'flag' ? c.value.note : '',
      c.kind === 'status' ? c.value : 'draft',
      id,
      e.endedAt,
    );
    if (c.kind === 'status') {
      const from = current?.status ?? 'draft';
      const col = (s: string) => (s === 'submitted' || s === 'skipped' ? s : null);
      if (from !== c.value) {
        db.prepare('INSERT OR IGNORE INTO annotator_progress (project_id, annotator_id) VALUES (?, ?)').run('p', e.annotator);
        if (col(from)) db.prepare(`UPDATE annotator_progress SET ${from} = ${from} - 1 WHERE annotator_id = ?`).run(e.annotator);
        if (col(c.value)) db.prepare(`UPDATE annotator_progress SET ${c.value} = ${c.value} + 1 WHERE annotator_id = ?`).run(e.annotator);
      }
    }
  }

  /** labeling.apply of that time: one action, the renderer's source for every change. */
  apply(annotator: string, item: string, changes: AnnotationChange[], source: AnnotationSource, seconds: number | null): string {
    const endedAt = this.at(seconds ?? 3);
    const startedAt = seconds === null ? null : new Date(this.clock - seconds * 1000).toISOString();
    const actionId = `act${++this.seq}`;
    this.db.transaction(() => {
      this.db.prepare("UPDATE actions SET state = 'dropped' WHERE annotator_id = ? AND state = 'undone'").run(annotator);
      this.db
        .prepare("INSERT INTO actions (id, project_id, annotator_id, item_id, state, created_at) VALUES (?, 'p', ?, ?, 'done', ?)")
        .run(actionId, annotator, item, endedAt);
      for (const change of changes) this.append({ item, annotator, change, source, startedAt, endedAt, actionId });
    })();
    return actionId;
  }

  /** Undo (or redo) of that time: the action's earlier (or own) values as manual events. */
  revert(annotator: string, direction: 'undo' | 'redo'): void {
    const action = this.db
      .prepare(`SELECT id, item_id FROM actions WHERE annotator_id = ? AND state = ? ORDER BY seq ${direction === 'undo' ? 'DESC' : 'ASC'} LIMIT 1`)
      .get(annotator, direction === 'undo' ? 'done' : 'undone') as { id: string; item_id: string };
    const events = this.db
      .prepare('SELECT kind, value_json, prev_value_json FROM annotation_events WHERE action_id = ? ORDER BY seq')
      .all(action.id) as {
      kind: AnnotationChange['kind'];
      value_json: string;
      prev_value_json: string | null;
    }[];
    const empty = { intents: [], entities: [], sentiment: null, flag: { flagged: false, note: '' }, status: 'draft' };
    const endedAt = this.at(2);
    this.db.transaction(() => {
      for (const e of direction === 'undo' ? [...events].reverse() : events) {
        const json = direction === 'undo' ? e.prev_value_json : e.value_json;
        const value = json === null ? empty[e.kind] : JSON.parse(json);
        this.append({
          item: action.item_id,
          annotator,
          change: { kind: e.kind, value } as AnnotationChange,
          source: 'manual',
          startedAt: null,
          endedAt,
          revertsActionId: action.id,
        });
      }
      this.db.prepare('UPDATE actions SET state = ? WHERE id = ?').run(direction === 'undo' ? 'undone' : 'done', action.id);
    })();
  }

  /** An import's labels for one item: its changes and a submit, source import, the file's times. */
  importLabels(importId: string, item: string, annotator: string, changes: AnnotationChange[], startedAt: string | null, endedAt: string): void {
    for (const change of [...changes, { kind: 'status', value: 'submitted' } as const]) {
      this.append({ item, annotator, change, source: 'import', startedAt, endedAt, importId });
    }
  }
}

const intents = (...value: string[]): AnnotationChange => ({ kind: 'intents', value });
const sentiment = (value: string | null): AnnotationChange => ({ kind: 'sentiment', value });
const submit: AnnotationChange = { kind: 'status', value: 'submitted' };

const REPORT_COLUMNS = `item_id, annotator_id, intents_json, entities_json, sentiment, flagged, note, status,
  intents_source, sentiment_source, entities_source, submits, first_submitted_at, first_intents_json, first_sentiment, active_ms, adjudicated`;

describe('migration 0004 (quality) on a version-3 database with real events', () => {
  it('fills every report column as appendEvent keeps it for the same events', () => {
    const dir = freshDir();
    const v3 = openDatabase(path.join(dir, 'v3.db'), { migrations: migrations.slice(0, 3) });
    v3.exec(BASE + ITEMS_SQL);
    const era = new Era0003(v3);

    // Gold labels come in with an import (one with the file's own times), and again later, changed.
    era.importLabels('imp1', 'i1', 'gold', [intents('查询订单'), sentiment('中性')], '2026-01-01T09:00:00.000Z', '2026-01-01T09:00:30.000Z');
    era.importLabels('imp1', 'i2', 'gold', [intents('物流进度')], null, '2026-01-01T09:01:00.000Z');
    era.importLabels(
      'imp1',
      'i3',
      'gold',
      [intents('退换货'), { kind: 'entities', value: [{ start: 0, end: 1, label: '商品' }] }],
      null,
      '2026-01-01T09:02:00.000Z',
    );

    // 甲 submits i1, then comes back and submits a different decision.
    era.apply('jia', 'i1', [intents('查询订单'), submit], 'manual', 20);
    era.apply(
      'jia',
      'i2',
      [intents('物流进度'), sentiment('消极'), { kind: 'entities', value: [{ start: 0, end: 2, label: '商品' }] }, submit],
      'accepted-suggestion',
      25 * 60,
    );
    era.apply('jia', 'i1', [intents('物流进度'), sentiment('积极'), submit], 'manual', 15.5);
    // 甲 labels i3, submits, undoes the submit and the label, redoes the label, submits again.
    era.apply('jia', 'i3', [intents('退换货')], 'accepted-suggestion', 4.25);
    era.apply('jia', 'i3', [submit], 'manual', 1);
    era.revert('jia', 'undo');
    era.revert('jia', 'undo');
    era.revert('jia', 'redo');
    era.apply('jia', 'i3', [sentiment('中性'), submit], 'manual', 11 * 60);
    // An undone submit whose redo never comes (a new action drops it).
    era.apply('jia', 'i4', [intents('投诉'), submit], 'manual', 8);
    era.revert('jia', 'undo');
    era.apply('jia', 'i5', [intents('咨询活动')], 'manual', 2);

    // 乙: a sentiment set and cleared before submitting; a flag and a skip; a draft never submitted; a visit with odd times.
    era.apply('yi', 'i1', [intents('查询订单'), sentiment('消极')], 'manual', 9);
    era.apply('yi', 'i1', [sentiment(null), submit], 'manual', 5);
    era.apply('yi', 'i4', [{ kind: 'flag', value: { flagged: true, note: '看不懂' } }], 'manual', 30);
    era.apply('yi', 'i4', [{ kind: 'status', value: 'skipped' }], 'manual', 1);
    era.apply('yi', 'i5', [intents('支付问题')], 'manual', null);
    era.apply('yi', 'i6', [intents('账户问题'), submit], 'accepted-suggestion', 0.123);
    era.apply('yi', 'i6', [submit], 'manual', 3); // submitted again without a change
    era.append({ item: 'i7', annotator: 'yi', change: intents('投诉'), source: 'manual', startedAt: era.at(0), endedAt: era.at(-40) }); // ended before it started
    era.append({ item: 'i7', annotator: 'yi', change: submit, source: 'manual', startedAt: era.at(60), endedAt: era.at(-30) });

    // 丙 adjudicates i1 (intents and submit) and flags i8 as adjudicator only.
    era.append({ item: 'i1', annotator: 'bing', change: intents('物流进度'), source: 'adjudication', startedAt: era.at(0), endedAt: era.at(12) });
    era.append({ item: 'i1', annotator: 'bing', change: submit, source: 'adjudication', startedAt: era.at(-12), endedAt: era.at(12) });
    era.append({
      item: 'i8',
      annotator: 'bing',
      change: { kind: 'flag', value: { flagged: true, note: '' } },
      source: 'adjudication',
      startedAt: null,
      endedAt: era.at(1),
    });
    era.apply('bing', 'i2', [intents('物流进度'), submit], 'accepted-suggestion', 7);
    era.apply('bing', 'i2', [intents('投诉')], 'manual', 2);

    // The second import changes a gold label.
    era.importLabels('imp2', 'i2', 'gold', [intents('投诉')], '2026-01-09T10:00:00.000Z', '2026-01-09T10:09:59.999Z');

    const events = v3.prepare('SELECT * FROM annotation_events ORDER BY seq').all() as {
      id: string;
      item_id: string;
      annotator_id: string;
      kind: AnnotationChange['kind'];
      value_json: string;
      source: AnnotationSource;
      schema_version: number;
      started_at: string | null;
      ended_at: string;
      import_id: string | null;
      action_id: string | null;
      reverts_action_id: string | null;
    }[];
    expect(events.length).toBe(49);
    expect(new Set(events.map((e) => e.source))).toEqual(new Set(['import', 'manual', 'accepted-suggestion', 'adjudication']));

    // Migration 0004 on the version-3 file.
    migrate(v3, migrations.slice(0, 4));
    expect(v3.pragma('user_version', { simple: true })).toBe(4);

    // The same events through today's appendEvent into a fresh database.
    const fresh = openDatabase(path.join(dir, 'fresh.db'));
    fresh.exec(BASE + ITEMS_SQL);
    fresh.transaction(() => {
      for (const e of events) {
        appendEvent(fresh, {
          id: e.id,
          projectId: 'p',
          itemId: e.item_id,
          annotatorId: e.annotator_id,
          change: { kind: e.kind, value: JSON.parse(e.value_json) } as AnnotationChange,
          source: e.source,
          schemaVersion: e.schema_version,
          startedAt: e.started_at,
          endedAt: e.ended_at,
          importId: e.import_id,
          actionId: e.action_id,
          revertsActionId: e.reverts_action_id,
        });
      }
    })();

    const rows = (db: DB) =>
      db.prepare(`SELECT ${REPORT_COLUMNS} FROM annotations ORDER BY item_id, annotator_id`).all() as Record<string, unknown>[];
    const migrated = rows(v3);
    const replayed = rows(fresh);
    expect(migrated).toHaveLength(16);
    expect(migrated).toEqual(replayed);

    // And the values are the ones the scenario implies (so equality is not two identical mistakes).
    const row = (item: string, annotator: string) => migrated.find((r) => r.item_id === item && r.annotator_id === annotator)!;
    expect(row('i1', 'jia')).toMatchObject({
      submits: 2,
      first_intents_json: '["查询订单"]',
      first_sentiment: null,
      intents_json: '["物流进度"]',
      active_ms: 35_500,
    });
    expect(row('i2', 'jia')).toMatchObject({
      intents_source: 'accepted-suggestion',
      sentiment_source: 'accepted-suggestion',
      entities_source: 'accepted-suggestion',
      active_ms: 600_000,
    });
    expect(row('i3', 'jia')).toMatchObject({
      submits: 2,
      intents_source: 'manual',
      sentiment_source: 'manual',
      status: 'submitted',
      active_ms: 1000 + 600_000,
    });
    expect(row('i4', 'jia')).toMatchObject({ submits: 1, status: 'draft', intents_json: '[]', intents_source: 'manual' });
    expect(row('i5', 'jia')).toMatchObject({ submits: 0, first_submitted_at: null, first_intents_json: null, active_ms: 0 });
    expect(row('i1', 'yi')).toMatchObject({ first_sentiment: null, sentiment: null, first_intents_json: '["查询订单"]' });
    expect(row('i6', 'yi')).toMatchObject({ submits: 2, active_ms: 123 + 3000, first_intents_json: '["账户问题"]' });
    expect(row('i7', 'yi')).toMatchObject({ submits: 1, active_ms: 0 });
    expect(row('i1', 'bing')).toMatchObject({ adjudicated: 1, intents_source: 'adjudication' });
    expect(row('i8', 'bing')).toMatchObject({ adjudicated: 1, submits: 0 });
    expect(row('i2', 'bing')).toMatchObject({ adjudicated: 0, intents_source: 'manual', first_intents_json: '["物流进度"]' });
    expect(row('i1', 'gold')).toMatchObject({
      intents_source: 'import',
      sentiment_source: 'import',
      active_ms: 30_000,
      first_intents_json: '["查询订单"]',
      first_sentiment: '中性',
    });
    expect(row('i2', 'gold')).toMatchObject({ submits: 2, intents_json: '["投诉"]', first_intents_json: '["物流进度"]', active_ms: 599_999 });
    expect(row('i3', 'gold')).toMatchObject({ entities_source: 'import' });
    v3.close();
    fresh.close();
  });
});
