import { AppError } from '../../../../shared/contract/errors';
import { ImportStatus } from '../../../../shared/contract/schemas';
import type { DB } from '../open';
import { stmt } from '../statements';

export function saveImport(db: DB, s: ImportStatus): void {
  const { id, projectId, file, format, encoding, state, startedAt, finishedAt, ...summary } = s;
  stmt(
    db,
    `INSERT INTO imports (id, project_id, file, format, encoding, state, summary_json, started_at, finished_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET state = excluded.state, summary_json = excluded.summary_json, finished_at = excluded.finished_at`,
  ).run(id, projectId, file, format, encoding, state, JSON.stringify(summary), startedAt, finishedAt);
}

export function loadImport(db: DB, id: string): ImportStatus {
  const row = stmt<
    [string],
    {
      id: string;
      project_id: string;
      file: string;
      format: string;
      encoding: string | null;
      state: string;
      summary_json: string;
      started_at: string;
      finished_at: string | null;
    }
  >(db, 'SELECT * FROM imports WHERE id = ?').get(id);
  if (!row) throw new AppError('NOT_FOUND', `no import with id ${id}`, { importId: id });
  return ImportStatus.parse({
    ...JSON.parse(row.summary_json),
    id: row.id,
    projectId: row.project_id,
    file: row.file,
    format: row.format,
    encoding: row.encoding,
    state: row.state,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  });
}

/** True when an import was cut off while it was being written into its project (it resumes on the imports thread). */
export function hasInterruptedImports(db: DB): boolean {
  return stmt<[], { one: number }>(db, 'SELECT 1 AS one FROM import_commits LIMIT 1').get() !== undefined;
}
