import type { Guideline } from '../../../../shared/contract/adjudication';
import { AppError } from '../../../../shared/contract/errors';
import type { DB } from '../../db/open';
import { stmt } from '../../db/statements';
import { writeTransaction } from '../../db/write';

interface Row {
  version: number;
  markdown: string;
  created_at: string;
  name: string | null;
}

/** A version of the guideline (the newest without one); version 0 and empty before the first is saved. */
export function loadGuideline(db: DB, projectId: string, version?: number): Guideline {
  const row = version
    ? stmt<[string, number], Row>(db, 'SELECT g.version, g.markdown, g.created_at, a.name FROM guidelines g LEFT JOIN annotators a ON a.id = g.author_id WHERE g.project_id = ? AND g.version = ?').get(projectId, version)
    : stmt<[string], Row>(db, 'SELECT g.version, g.markdown, g.created_at, a.name FROM guidelines g LEFT JOIN annotators a ON a.id = g.author_id WHERE g.project_id = ? ORDER BY g.version DESC LIMIT 1').get(projectId);
  if (!row && version) throw new AppError('NOT_FOUND', `the guideline has no version ${version}`, { projectId, version });
  return row
    ? { projectId, version: row.version, markdown: row.markdown, createdAt: row.created_at, authorName: row.name }
    : { projectId, version: 0, markdown: '', createdAt: null, authorName: null };
}

/** Saves a new version (unless the text is unchanged). */
export function saveGuideline(db: DB, projectId: string, authorId: string, markdown: string, now: string): Guideline {
  return writeTransaction(db, () => {
    const latest = loadGuideline(db, projectId);
    if (latest.version > 0 && latest.markdown === markdown) return latest;
    stmt(db, 'INSERT INTO guidelines (project_id, version, markdown, author_id, created_at) VALUES (?, ?, ?, ?, ?)').run(projectId, latest.version + 1, markdown, authorId, now);
    return loadGuideline(db, projectId);
  });
}

/**
 * Queues for a re-check every item with an annotation made in the app under an older guideline
 * version than the newest (imported labels and gold items were not made under a guideline).
 */
export function queueRecheck(db: DB, projectId: string, now: string): number {
  const latest = loadGuideline(db, projectId).version;
  if (latest === 0) return 0;
  return writeTransaction(db, () =>
    stmt(
      db,
      `INSERT INTO recheck_items (project_id, item_id, guideline_version, queued_at)
       SELECT e.project_id, e.item_id, max(coalesce(e.guideline_version, 0)), ? FROM annotation_events e
       JOIN items i ON i.id = e.item_id AND i.is_gold = 0
       WHERE e.project_id = ? AND e.kind = 'status' AND e.source != 'import'
       GROUP BY e.item_id HAVING max(coalesce(e.guideline_version, 0)) < ?
       ON CONFLICT (project_id, item_id) DO UPDATE SET guideline_version = excluded.guideline_version, queued_at = excluded.queued_at, done_at = NULL`,
    ).run(now, projectId, latest).changes,
  );
}
