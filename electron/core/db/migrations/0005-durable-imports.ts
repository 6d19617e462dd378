import type { Migration } from './types';

/**
 * Imports commit in small chunks from a staging file so labeling never waits for a long write,
 * and an import cut off by a crash is finished at the next start.
 * - `import_commits`: one row while an import is being written into its project: where its staging
 *   file is and how far it got (the chunk transactions move these cursors with the rows they write).
 * - A row the database refuses while committing (a constraint, say) is skipped and reported with its
 *   line, like a bad line; the rest goes in.
 * - The unique (project, content hash) index goes. Every new row had to be inserted into it at a
 *   random place, so each small chunk rewrote hundreds of its pages (measured: 10 ms a chunk of 500
 *   rows with it, 0.8 ms without; a million-row import as one transaction held the write lock 5 s).
 *   Deduplication now happens in the import's staging file against a copy of the project's hashes,
 *   and only one import commits into a project at a time (the import_commits row is the lock).
 */
export const migration0005: Migration = {
  version: 5,
  name: 'durable-imports',
  sql: `
DROP INDEX items_project_hash;

CREATE TABLE import_commits (
  import_id     TEXT PRIMARY KEY REFERENCES imports(id),
  project_id    TEXT NOT NULL UNIQUE REFERENCES projects(id),
  staging_path  TEXT NOT NULL,
  base_ord      INTEGER NOT NULL,
  schema_version INTEGER NOT NULL,
  items_total   INTEGER NOT NULL,
  items_done    INTEGER NOT NULL DEFAULT 0,
  -- new items the database refused (reported as bad lines); later items' ords close the gap
  items_skipped INTEGER NOT NULL DEFAULT 0,
  labels_total  INTEGER NOT NULL,
  labels_done   INTEGER NOT NULL DEFAULT 0,
  annotations   INTEGER NOT NULL DEFAULT 0,
  started_at    TEXT NOT NULL
) WITHOUT ROWID;
`,
};
