import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it, vi } from 'vitest';
import { createCore } from '../../electron/core';
import { openDatabase, LATEST_VERSION } from '../../electron/core/db/open';
import { migrations } from '../../electron/core/db/migrations';
import type { Migration } from '../../electron/core/db/migrations/types';
import { itemsByOrd, nextUnannotated, NEXT_UNANNOTATED_SQL } from '../../electron/core/db/repos/items';
import { AppError } from '../../shared/contract/errors';
import { count, dumpDatabase, freshDir, jsonl, openCore, runImport, setup, writeFile } from './helpers';

const TABLES = [
  'actions',
  'adjudication_events',
  'adjudication_items',
  'adjudication_refresh',
  'adjudications',
  'annotation_events',
  'annotations',
  'annotator_keys',
  'annotator_progress',
  'annotator_settings',
  'annotators',
  'app_settings',
  'assignments',
  'audits',
  'dictionary_terms',
  'embeddings',
  'guidelines',
  'import_commits',
  'imports',
  'items',
  'label_schemas',
  'model_versions',
  'pack_feedback',
  'pack_items',
  'packs',
  'project_settings',
  'projects',
  'received_pack_items',
  'received_packs',
  'recheck_items',
  'result_packs',
  'suggestion_reviews',
  'suggestions',
  'trusted_issuers',
];

function names(db: Database.Database, type: string): string[] {
  return (
    db.prepare('SELECT name FROM sqlite_master WHERE type = ? AND name NOT LIKE ? ORDER BY name').all(type, 'sqlite_%') as { name: string }[]
  ).map((r) => r.name);
}

function plan(db: Database.Database, sql: string, ...params: unknown[]): string[] {
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail);
}

/** A plain SQLite file (rollback journal, as any other tool writes it) claiming a schema from the future. */
function futureDatabase(file: string, version: number): void {
  const db = new Database(file);
  db.exec('CREATE TABLE from_the_future (x INTEGER); INSERT INTO from_the_future VALUES (42);');
  db.pragma(`user_version = ${version}`);
  db.close();
}

function expectTooNew(open: () => unknown, found: number): AppError {
  let caught: unknown;
  try {
    open();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(AppError);
  const e = caught as AppError;
  expect(e.code).toBe('DB_TOO_NEW');
  expect(e.message).toMatch(/newer version of the app/);
  expect(e.message).toContain(`schema ${found}`);
  expect(e.message).toContain(`up to ${LATEST_VERSION}`);
  expect(e.details).toEqual({ found, supported: LATEST_VERSION });
  return e;
}

describe('migrations', () => {
  it('brings a new database to LATEST_VERSION with every table, index and trigger', () => {
    const { core } = openCore();
    const db = core.db;
    expect(LATEST_VERSION).toBe(migrations.length);
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    expect(names(db, 'table')).toEqual(TABLES);
    expect(names(db, 'index')).toEqual(
      expect.arrayContaining(['items_project_ord', 'annotation_events_item', 'annotations_project', 'suggestions_item']),
    );
    // Gone in 0005: imports deduplicate in their staging file (see migrations/0005-durable-imports.ts).
    expect(names(db, 'index')).not.toContain('items_project_hash');
    expect(names(db, 'trigger')).toEqual([
      'adjudication_events_no_delete',
      'adjudication_events_no_update',
      'annotation_events_no_delete',
      'annotation_events_no_update',
      'suggestion_reviews_no_delete',
      'suggestion_reviews_no_update',
    ]);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    migrations.forEach((m, i) => expect(m.version).toBe(i + 1));
  });

  it('opening an up-to-date database again changes nothing', async () => {
    const { core, dbPath, project } = await setup();
    const file = writeFile(path.dirname(dbPath), 'a.jsonl', jsonl([{ text: '订单到哪了', intent: '查询订单', annotator: 'a' }]));
    expect((await runImport(core, project.id, file, 'jsonl')).state).toBe('committed');
    const before = dumpDatabase(core.db);
    core.close();

    // The real migration creates tables without IF NOT EXISTS: re-running it would throw.
    const again = openDatabase(dbPath);
    try {
      expect(again.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
      expect(dumpDatabase(again)).toEqual(before);
    } finally {
      again.close();
    }
  });

  it('applies only the pending migrations, in order, recording each in user_version', () => {
    const file = path.join(freshDir(), 'up.db');
    openDatabase(file).close();
    const m2: Migration = {
      version: LATEST_VERSION + 1,
      name: 'extra',
      sql: 'CREATE TABLE extra (id INTEGER PRIMARY KEY); INSERT INTO extra VALUES (7);',
    };
    const db = openDatabase(file, { migrations: [...migrations, m2] });
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION + 1);
      expect(db.prepare('SELECT id FROM extra').all()).toEqual([{ id: 7 }]);
      expect(names(db, 'table')).toEqual([...TABLES, 'extra'].sort());
    } finally {
      db.close();
    }
  });

  it('a migration that fails half-way leaves the database at its previous version with nothing of it applied', () => {
    const file = path.join(freshDir(), 'fail.db');
    openDatabase(file).close();
    const broken: Migration = {
      version: LATEST_VERSION + 1,
      name: 'broken',
      sql: 'CREATE TABLE half (id INTEGER); INSERT INTO half VALUES (1); THIS IS NOT SQL;',
    };
    expect(() => openDatabase(file, { migrations: [...migrations, broken] })).toThrow();
    const db = openDatabase(file);
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
      expect(names(db, 'table')).toEqual(TABLES);
    } finally {
      db.close();
    }
  });

  it('refuses a database from a newer version with DB_TOO_NEW and leaves the file byte for byte as it was', () => {
    const dir = freshDir();
    const file = path.join(dir, 'future.db');
    futureDatabase(file, LATEST_VERSION + 1);
    const before = fs.readFileSync(file);

    expectTooNew(() => createCore({ dbPath: file }), LATEST_VERSION + 1);

    // "the file was not changed", says the message: not its journal mode, not its change counter.
    const after = fs.readFileSync(file);
    // bytes 18-19 of the header are the file format versions: 1 = rollback journal, 2 = WAL
    expect([after[18], after[19]], 'journal mode bytes in the header').toEqual([before[18], before[19]]);
    expect(after.equals(before), 'file bytes').toBe(true);
    expect(fs.readdirSync(dir)).toEqual(['future.db']);
  });

  it('refuses a newer database the app itself once wrote (WAL) without touching it', () => {
    const dir = freshDir();
    const file = path.join(dir, 'newer.db');
    const db = openDatabase(file);
    db.pragma(`user_version = ${LATEST_VERSION + 5}`);
    db.close();
    const before = fs.readFileSync(file);

    expectTooNew(() => openDatabase(file), LATEST_VERSION + 5);

    expect(fs.readFileSync(file).equals(before)).toBe(true);
    const check = new Database(file, { readonly: true });
    try {
      expect(check.pragma('user_version', { simple: true })).toBe(LATEST_VERSION + 5);
    } finally {
      check.close();
    }
  });

  it('annotation_events is append-only: UPDATE and DELETE are refused by triggers', async () => {
    const { core, dir, project } = await setup();
    const file = writeFile(dir, 'l.jsonl', jsonl([{ text: '我要投诉快递', intent: '投诉', sentiment: '消极', annotator: 'li' }]));
    expect((await runImport(core, project.id, file, 'jsonl')).state).toBe('committed');
    const db = core.db;
    const events = count(db, 'annotation_events');
    expect(events).toBe(3); // intents, sentiment, status
    const before = dumpDatabase(db);

    expect(() => db.prepare("UPDATE annotation_events SET value_json = '[]'").run()).toThrow(/append-only/);
    expect(() => db.prepare('UPDATE annotation_events SET ended_at = ended_at WHERE seq = 1').run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM annotation_events').run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM annotation_events WHERE seq = (SELECT max(seq) FROM annotation_events)').run()).toThrow(/append-only/);
    expect(dumpDatabase(db)).toEqual(before);
  });

  describe('query plans', () => {
    async function populated() {
      const t = await setup();
      const rows = Array.from({ length: 300 }, (_, i) => ({
        text: `第${i}条：订单DD${100000 + i}到哪了`,
        ...(i % 3 === 0 ? { intent: '查询订单', annotator: 'a' } : {}),
      }));
      const file = writeFile(t.dir, 'many.jsonl', jsonl(rows));
      const s = await runImport(t.core, t.project.id, file, 'jsonl');
      expect(s.state).toBe('committed');
      expect(s.imported).toBe(300);
      return t;
    }

    it('NEXT_UNANNOTATED_SQL walks items_project_ord and probes the annotations primary key', async () => {
      const { core, project } = await populated();
      const db = core.db;
      const details = plan(db, NEXT_UNANNOTATED_SQL, project.id, 0, 'someone');
      expect(details.some((d) => /^SEARCH i USING (COVERING )?INDEX items_project_ord \(project_id=\? AND ord>\?\)/.test(d))).toBe(true);
      expect(details.some((d) => /^SEARCH a USING PRIMARY KEY \(item_id=\? AND annotator_id=\?\)/.test(d))).toBe(true);
      expect(details.filter((d) => /\bSCAN\b/.test(d))).toEqual([]);
      expect(details.filter((d) => /TEMP B-TREE/.test(d))).toEqual([]);

      // and it answers correctly: annotator a labeled every third item (ords 1, 4, 7 …)
      const a = (db.prepare('SELECT id FROM annotators WHERE name = ?').get('a') as { id: string }).id;
      expect(nextUnannotated(db, project.id, a, 0)?.ord).toBe(2);
      expect(nextUnannotated(db, project.id, a, 3)?.ord).toBe(5);
      expect(nextUnannotated(db, project.id, a, 299)?.ord).toBe(300);
      expect(nextUnannotated(db, project.id, a, 300)).toBeNull();
    });

    it('the item page query (itemsByOrd) is an index range on items_project_ord', async () => {
      const { core, dbPath, project } = await populated();
      core.close();
      // A fresh connection, so the statement cache is empty and we see the SQL itemsByOrd prepares.
      const db = openDatabase(dbPath);
      try {
        const prepare = vi.spyOn(db, 'prepare');
        const page = itemsByOrd(db, project.id, 101, 150);
        expect(page.map((r) => r.ord)).toEqual(Array.from({ length: 50 }, (_, i) => 101 + i));
        expect(page[0]?.text).toBe('第100条：订单DD100100到哪了');
        const sql = prepare.mock.calls.map((c) => String(c[0])).find((s) => /BETWEEN/.test(s));
        prepare.mockRestore();
        expect(sql).toBeDefined();
        const details = plan(db, sql!, project.id, 101, 150);
        expect(details.some((d) => /^SEARCH i USING (COVERING )?INDEX items_project_ord \(project_id=\? AND ord>\? AND ord<\?\)/.test(d))).toBe(true);
        expect(details.filter((d) => /\bSCAN\b/.test(d))).toEqual([]);
        expect(details.filter((d) => /TEMP B-TREE/.test(d))).toEqual([]);
      } finally {
        db.close();
      }
    });
  });
});
