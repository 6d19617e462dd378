import type { DB } from '../../electron/core/db/open';
import { utterance } from './import-data';

/**
 * Fills a project with `n` items straight in SQL (the import path has its own benchmark): a big
 * project for the labeling loop to run in. `offset` shifts the ids and texts, for a second project.
 */
export function fillProject(db: DB, projectId: string, n: number, offset = 0): void {
  const now = new Date().toISOString();
  const insert = db.prepare(
    "INSERT INTO items (id, project_id, ord, content_hash, text, meta_json, created_at) VALUES (?, ?, ?, randomblob(16), ?, '{}', ?)",
  );
  db.transaction(() => {
    for (let i = 1; i <= n; i++) insert.run(`ITEM${String(offset + i).padStart(22, '0')}`, projectId, i, utterance(offset + i), now);
    db.prepare('UPDATE projects SET item_count = ? WHERE id = ?').run(n, projectId);
  })();
}
