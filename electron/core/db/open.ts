import Database from 'better-sqlite3';
import { AppError } from '../../../shared/contract/errors';
import { migrations, LATEST_VERSION } from './migrations';
import type { Migration } from './migrations/types';

export type DB = Database.Database;

export interface OpenOptions {
  /** Path to a better-sqlite3 native binding built for another runtime (Electron's ABI). */
  nativeBinding?: string;
  readonly?: boolean;
  migrations?: readonly Migration[];
}

/** Opens (creating if needed) a project database and brings its schema up to date. */
export function openDatabase(path: string, options: OpenOptions = {}): DB {
  const db = new Database(path, {
    ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
    ...(options.readonly ? { readonly: true } : {}),
  });
  try {
    db.pragma('busy_timeout = 5000');
    // Refuse a newer database before anything (even the journal mode) is written to it.
    refuseNewer(db, (options.migrations ?? migrations).length);
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      // NORMAL in WAL mode is durable against process crashes (kill -9); only an OS crash or
      // power loss can lose the last transactions.
      db.pragma('synchronous = NORMAL');
    }
    db.pragma('foreign_keys = ON');
    db.pragma('cache_size = -65536');
    migrate(db, options.migrations ?? migrations);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
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
