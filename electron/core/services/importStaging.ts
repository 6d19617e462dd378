import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import type { DB } from '../db/open';
import type { ImportRecord } from '../importers/record';
import { contentHash } from './contentHash';

/**
 * An import's good rows on their way into the project, in a SQLite file of their own next to the
 * database (`<db>-staging/<import id>.<pid>.db`). Reading fills it without touching the database,
 * so a refused, cancelled or failed import leaves no trace there; the commit plans in it which rows
 * are new, then moves them into the project chunk by chunk; after a crash the next start finishes
 * the move from it.
 */
export const STAGING_SCHEMA = `
CREATE TABLE rows (line INTEGER PRIMARY KEY, id TEXT NOT NULL, hash BLOB NOT NULL, text TEXT NOT NULL, meta TEXT NOT NULL,
  external_id TEXT, gold INTEGER NOT NULL, labels TEXT);
`;

export function stagingDir(dbPath: string): string {
  return dbPath === ':memory:' || !dbPath ? join(tmpdir(), 'annot-staging') : `${dbPath}-staging`;
}

export function stagingPath(dbPath: string, importId: string): string {
  return join(stagingDir(dbPath), `${importId}.${process.pid}.db`);
}

export interface StagingWriter {
  readonly path: string;
  add(records: ImportRecord[], newId: () => string): number;
  close(): void;
}

/** A new staging file for reading; rows staged twice for the same line keep the last. */
export function createStaging(path: string, nativeBinding?: string): StagingWriter {
  mkdirSync(dirname(path), { recursive: true });
  rmSync(path, { force: true });
  const db = new Database(path, nativeBinding ? { nativeBinding } : {});
  // Scratch until the commit starts: nothing to recover if the app stops while reading.
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.exec(STAGING_SCHEMA);
  const insert = db.prepare('INSERT OR REPLACE INTO rows VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const batch = db.transaction((records: ImportRecord[], newId: () => string) => {
    let labeled = 0;
    for (const r of records) {
      const labels = r.annotations.length || r.suggestions.length ? JSON.stringify({ a: r.annotations, s: r.suggestions }) : null;
      if (labels) labeled++;
      insert.run(r.line, newId(), contentHash(r.text), r.text, JSON.stringify(r.meta), r.externalId, r.gold ? 1 : 0, labels);
    }
    return labeled;
  });
  return {
    path,
    add: (records, newId) => batch(records, newId),
    close: () => db.close(),
  };
}

export function removeStaging(path: string): void {
  rmSync(path, { force: true });
}

/** Makes the staging file durable before the database says an import is being committed from it. */
export function syncStaging(path: string): void {
  const fd = openSync(path, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export interface CommitPlan {
  /** New items, in file order. */
  items: number;
  /** Lines with labels or suggestions (new or existing items). */
  labeled: number;
  duplicates: number;
}

/**
 * Decides, inside the staging file attached to `db` as `stage`, what the commit will write: the
 * first line of each text the project does not have yet becomes a new item (plan.rank 1..n in file
 * order); a text seen before (earlier in the file or already in the project) is a duplicate whose
 * labels go to that item. Reads the project's hashes from a snapshot; writes only the staging file.
 */
export function planCommit(db: DB, projectId: string): CommitPlan {
  db.exec(`
    CREATE INDEX IF NOT EXISTS stage.rows_hash ON rows (hash, line);
    DROP TABLE IF EXISTS stage.existing;
    DROP TABLE IF EXISTS stage.plan;
    DROP TABLE IF EXISTS stage.labeled;
    CREATE TABLE stage.existing (hash BLOB PRIMARY KEY, item_id TEXT NOT NULL, seq INTEGER NOT NULL) WITHOUT ROWID;
    CREATE TABLE stage.plan (rank INTEGER PRIMARY KEY, line INTEGER NOT NULL, gold INTEGER NOT NULL);
    CREATE TABLE stage.labeled (n INTEGER PRIMARY KEY, line INTEGER NOT NULL, item_id TEXT NOT NULL);
  `);
  db.prepare(
    `INSERT OR IGNORE INTO stage.existing (hash, item_id, seq)
     SELECT content_hash, id, seq FROM main.items WHERE project_id = ? ORDER BY content_hash`,
  ).run(projectId);
  db.exec(`
    INSERT INTO stage.plan (line, gold)
    SELECT s.line, EXISTS (SELECT 1 FROM stage.rows g WHERE g.hash = s.hash AND g.gold = 1)
    FROM stage.rows s
    WHERE NOT EXISTS (SELECT 1 FROM stage.rows t WHERE t.hash = s.hash AND t.line < s.line)
      AND NOT EXISTS (SELECT 1 FROM stage.existing e WHERE e.hash = s.hash)
    ORDER BY s.line;
    INSERT INTO stage.labeled (line, item_id)
    SELECT s.line, coalesce(
      (SELECT e.item_id FROM stage.existing e WHERE e.hash = s.hash),
      (SELECT f.id FROM stage.rows f WHERE f.hash = s.hash ORDER BY f.line LIMIT 1))
    FROM stage.rows s WHERE s.labels IS NOT NULL ORDER BY s.line;
  `);
  const count = (sql: string) => db.prepare(sql).pluck(true).get() as number;
  const items = count('SELECT count(*) FROM stage.plan');
  return { items, labeled: count('SELECT count(*) FROM stage.labeled'), duplicates: count('SELECT count(*) FROM stage.rows') - items };
}

/** Staging files of this process's imports and of dead processes that no commit refers to. */
export function orphanStagingFiles(dbPath: string, keep: ReadonlySet<string>, live: ReadonlySet<string>): string[] {
  let names: string[];
  try {
    names = readdirSync(stagingDir(dbPath));
  } catch {
    return [];
  }
  const orphans: string[] = [];
  for (const name of names) {
    const path = join(stagingDir(dbPath), name);
    const match = /^([0-9A-Z]+)\.(\d+)\.db$/.exec(name);
    if (!match || keep.has(path) || live.has(match[1]!)) continue;
    const pid = Number(match[2]);
    if (pid === process.pid || !processAlive(pid)) orphans.push(path);
  }
  return orphans;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

