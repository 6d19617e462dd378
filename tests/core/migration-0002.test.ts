import path from 'node:path';
import type Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { LATEST_VERSION, openDatabase } from '../../electron/core/db/open';
import { migrations } from '../../electron/core/db/migrations';
import { queueSql } from '../../electron/core/db/repos/queue';
import { freshDir } from './helpers';

function plan(db: Database.Database, sql: string, params: Record<string, unknown> | unknown[] = []): string {
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[]).map((r) => r.detail).join('\n');
}

const PARAMS = { projectId: 'p', annotatorId: 'a', ord: 0, label: null, minScore: 0, maxScore: 1, search: '' };

describe('migration 0002 (labeling)', () => {
  it('upgrades a version-1 database with annotations: old events keep their data, progress counters are filled in', () => {
    const file = path.join(freshDir(), 'v1.db');
    const v1 = openDatabase(file, { migrations: migrations.slice(0, 1) });
    v1.exec(`
      INSERT INTO projects (id, name, schema_version, item_count, created_at) VALUES ('p', 'old', 1, 3, 'now');
      INSERT INTO label_schemas VALUES ('p', 1, '{}', 'now');
      INSERT INTO annotators VALUES ('a', 'ann', 'now');
      INSERT INTO items (id, project_id, ord, content_hash, text, created_at) VALUES ('i1', 'p', 1, x'01', 'one', 'now'), ('i2', 'p', 2, x'02', 'two', 'now'), ('i3', 'p', 3, x'03', 'three', 'now');
      INSERT INTO annotation_events (id, project_id, item_id, annotator_id, kind, value_json, source, schema_version, ended_at) VALUES ('e1', 'p', 'i1', 'a', 'status', '"submitted"', 'manual', 1, 'now');
      INSERT INTO annotations (item_id, annotator_id, project_id, status, last_event_id, updated_at) VALUES ('i1', 'a', 'p', 'submitted', 'e1', 'now'), ('i2', 'a', 'p', 'skipped', 'e1', 'now'), ('i3', 'a', 'p', 'draft', 'e1', 'now');
    `);
    expect(v1.pragma('user_version', { simple: true })).toBe(1);
    v1.close();

    const db = openDatabase(file);
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
      expect(db.prepare('SELECT * FROM annotator_progress').all()).toEqual([{ project_id: 'p', annotator_id: 'a', submitted: 1, skipped: 1 }]);
      expect(db.prepare('SELECT id, value_json, action_id, prev_value_json, reverts_action_id FROM annotation_events').all()).toEqual([
        { id: 'e1', value_json: '"submitted"', action_id: null, prev_value_json: null, reverts_action_id: null },
      ]);
    } finally {
      db.close();
    }
  });

  it('the queue, undo, redo and context queries use their indexes', () => {
    const db = openDatabase(path.join(freshDir(), 'plans.db'));
    try {
      const unlabeled = plan(db, queueSql('next', { status: 'unlabeled' }), PARAMS);
      expect(unlabeled).toMatch(/SEARCH i USING INDEX items_project_ord \(project_id=\? AND ord>\?\)/);
      expect(unlabeled).toMatch(/SEARCH a USING PRIMARY KEY \(item_id=\? AND annotator_id=\?\)/);
      expect(unlabeled).not.toMatch(/TEMP B-TREE/);
      const previous = plan(db, queueSql('prev', { status: 'unlabeled' }), PARAMS);
      expect(previous).toMatch(/SEARCH i USING INDEX items_project_ord \(project_id=\? AND ord<\?\)/);
      expect(previous).not.toMatch(/TEMP B-TREE/);

      const undo = plan(
        db,
        "SELECT id, item_id FROM actions WHERE annotator_id = ? AND project_id = ? AND state = 'done' ORDER BY seq DESC LIMIT 1",
        ['a', 'p'],
      );
      expect(undo).toMatch(/USING (COVERING )?INDEX actions_history/);
      expect(undo).not.toMatch(/TEMP B-TREE/);
      const events = plan(db, 'SELECT kind, value_json, prev_value_json FROM annotation_events WHERE action_id = ? ORDER BY seq', ['x']);
      expect(events).toMatch(/USING INDEX annotation_events_action/);
      const context = plan(
        db,
        `SELECT ord, text FROM items WHERE project_id = ? AND json_extract(meta_json, '$.dialogue_id') = ? AND ord < ? AND json_extract(meta_json, '$.dialogue_id') IS NOT NULL ORDER BY ord DESC LIMIT 10`,
        ['p', 'd1', 5],
      );
      expect(context).toMatch(/USING INDEX items_dialogue/);
      expect(context).not.toMatch(/TEMP B-TREE/);
    } finally {
      db.close();
    }
  });
});
