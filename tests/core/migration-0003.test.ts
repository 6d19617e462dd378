import path from 'node:path';
import type Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/core/db/open';
import { migrations } from '../../electron/core/db/migrations';
import { queueSql } from '../../electron/core/db/repos/queue';
import { freshDir } from './helpers';

function plan(db: Database.Database, sql: string, params: Record<string, unknown> | unknown[] = []): string {
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[]).map((r) => r.detail).join('\n');
}

describe('migration 0003 (models)', () => {
  it('upgrades a version-2 database: suggestions keep their rows and gain a priority', () => {
    const file = path.join(freshDir(), 'v2.db');
    const v2 = openDatabase(file, { migrations: migrations.slice(0, 2) });
    v2.exec(`
      INSERT INTO projects (id, name, schema_version, created_at) VALUES ('p', 'old', 1, 'now');
      INSERT INTO items (id, project_id, ord, content_hash, text, created_at) VALUES ('i1', 'p', 1, x'01', 'one', 'now');
      INSERT INTO suggestions (id, item_id, kind, value_json, score, model_version, created_at) VALUES ('s1', 'i1', 'intents', '["a"]', 0.7, 'm', 'now');
    `);
    v2.close();
    const db = openDatabase(file);
    try {
      expect(db.prepare('SELECT id, score, priority FROM suggestions').all()).toEqual([{ id: 's1', score: 0.7, priority: null }]);
      expect(
        db
          .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('embeddings', 'model_versions', 'dictionary_terms') ORDER BY name",
          )
          .all(),
      ).toEqual([{ name: 'dictionary_terms' }, { name: 'embeddings' }, { name: 'model_versions' }]);
    } finally {
      db.close();
    }
  });

  it('the review queue walks the priority index; embeddings are looked up by primary key', () => {
    const db = openDatabase(path.join(freshDir(), 'plans.db'));
    try {
      const params = { projectId: 'p', annotatorId: 'a', ord: 0, priority: -1e9, label: null, minScore: 0, maxScore: 1, search: '' };
      const review = plan(db, queueSql('next', { status: 'unlabeled', order: 'review' }), params);
      expect(review).toMatch(/SEARCH s USING INDEX suggestions_priority \(kind=\? AND priority>\?\)|SEARCH s USING INDEX suggestions_priority/);
      expect(review).toMatch(/SEARCH i USING INDEX sqlite_autoindex_items_1 \(id=\?\)/);
      // Rows arrive in priority order; only ties on priority are sorted by ord ("last term").
      expect(review).not.toMatch(/USE TEMP B-TREE FOR ORDER BY/);
      expect(plan(db, 'SELECT vector FROM embeddings WHERE model_id = ? AND content_hash = ?', ['m', Buffer.from([1])])).toMatch(
        /SEARCH embeddings USING PRIMARY KEY/,
      );
    } finally {
      db.close();
    }
  });
});
