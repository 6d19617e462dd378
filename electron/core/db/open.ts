import Database from 'better-sqlite3';
import { AppError } from '../../../shared/contract/errors';
import { mapDbError } from './errors';
import { migrations, LATEST_VERSION } from './migrations';
import type { Migration } from './migrations/types';

export type DB = Database.Database;

/** After a checkpoint, a WAL file bigger than this is truncated back to it (it grows during long reads). */
export const JOURNAL_SIZE_LIMIT = 64 * 1024 * 1024;
export const BUSY_TIMEOUT_MS = 5000;

export interface OpenOptions {
  /** Path to a better-sqlite3 native binding built for another runtime (Electron's ABI). */
  nativeBinding?: string;
  readonly?: boolean;
  migrations?: readonly Migration[];
  /**
   * FULL (default): every commit is fsynced before it returns, so an acknowledged decision survives
   * a power cut or an OS crash. NORMAL: in WAL mode the WAL is synced only at checkpoints, so a kill -9
   * loses nothing but a power cut can lose the last commits. See docs/architecture.md, "Durability".
   */
  synchronous?: 'FULL' | 'NORMAL';
  /** WAL pages after which a commit checkpoints (SQLite's default 1000). */
  walAutoCheckpoint?: number;
  /** How long a statement waits for another connection's lock before SQLITE_BUSY (default 5 s). */
  busyTimeoutMs?: number;
  /**
   * F_FULLFSYNC on macOS, where fsync() leaves the data in the drive's cache (default: on there when
   * synchronous is FULL). Other systems ignore it.
   */
  fullfsync?: boolean;
  /** Runs before anything is written (journal mode, migrations): may throw to refuse the file (the startup check). */
  inspect?: (db: DB) => void;
}

/**
 * Opens (creating if needed) a project database and brings its schema up to date. SQLite's failures
 * come out as the app's errors naming the file (DB_CORRUPT for a damaged header or schema, DB_BUSY,
 * DB_READONLY, DISK_FULL; see errors.ts).
 */
export function openDatabase(path: string, options: OpenOptions = {}): DB {
  let db: DB;
  try {
    db = new Database(path, {
      ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
      ...(options.readonly ? { readonly: true } : {}),
    });
  } catch (error) {
    throw mapDbError(error, path) ?? error;
  }
  try {
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? BUSY_TIMEOUT_MS))}`);
    // Refuse a newer database before anything (even the journal mode) is written to it.
    refuseNewer(db, (options.migrations ?? migrations).length);
    options.inspect?.(db);
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      const synchronous = options.synchronous ?? 'FULL';
      db.pragma(`synchronous = ${synchronous}`);
      if (options.fullfsync ?? (process.platform === 'darwin' && synchronous === 'FULL')) {
        db.pragma('fullfsync = ON');
        db.pragma('checkpoint_fullfsync = ON');
      }
      db.pragma(`journal_size_limit = ${JOURNAL_SIZE_LIMIT}`);
      if (options.walAutoCheckpoint !== undefined) db.pragma(`wal_autocheckpoint = ${Math.max(0, Math.floor(options.walAutoCheckpoint))}`);
    }
    db.pragma('foreign_keys = ON');
    db.pragma('cache_size = -65536');
    migrate(db, options.migrations ?? migrations);
    return db;
  } catch (error) {
    db.close();
    throw mapDbError(error, path) ?? error;
  }
}

/**
 * A damaged database, opened so that nothing can be written through the connection: read-only
 * (SQLite refuses writes, and does not fold the WAL into the file when it closes) and query_only.
 * Nothing is read at open, so it opens whatever the file holds; reads may still work.
 */
export function openDamaged(path: string, options: Pick<OpenOptions, 'nativeBinding' | 'busyTimeoutMs'> = {}): DB {
  const db = new Database(path, { readonly: true, fileMustExist: true, ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}) });
  db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? BUSY_TIMEOUT_MS))}`);
  db.pragma('query_only = ON');
  return db;
}

/** quick_check's findings as one line for a message: the first few, up to about 300 characters. */
export function summarizeProblems(problems: string[], level: 'quick' | 'full' = 'quick'): string {
  const text = problems.join('; ').replace(/\s*\n\s*/g, '; ');
  return `${level === 'full' ? 'integrity_check' : 'quick_check'}: ${text.length > 300 ? `${text.slice(0, 300)}…` : text}`;
}

/** PRAGMA quick_check (or integrity_check with full): the problems found, empty when the file is sound; a file too damaged to check throws. */
export function checkIntegrity(db: DB, level: 'quick' | 'full' = 'quick', maxProblems = 20): string[] {
  const rows = db.pragma(`${level === 'full' ? 'integrity_check' : 'quick_check'}(${maxProblems})`) as Record<string, string>[];
  const problems = rows.map((r) => String(Object.values(r)[0]));
  return problems.length === 1 && problems[0] === 'ok' ? [] : problems;
}

export function schemaVersion(db: DB): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Applies every pending migration in one transaction; refuses a database from a newer version. */
export function migrate(db: DB, list: readonly Migration[] = migrations): void {
  const latest = list.length;
  refuseNewer(db, latest);
  const current = schemaVersion(db);
  if (current === latest) return;
  db.transaction(() => {
    for (const m of list.slice(current)) {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    }
  }).immediate();
}

function refuseNewer(db: DB, latest: number): void {
  const current = schemaVersion(db);
  if (current > latest) {
    throw new AppError(
      'DB_TOO_NEW',
      `This database was written by a newer version of the app (schema ${current}; this version knows up to ${latest}). Update the app to open it; the file was not changed.`,
      { found: current, supported: latest },
    );
  }
}

export { LATEST_VERSION };
