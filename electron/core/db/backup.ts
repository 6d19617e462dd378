import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { AppError } from '../../../shared/contract/errors';
import type { DatabaseBackup } from '../../../shared/contract/database';
import { fsyncDir, fsyncFile, removeWithSideFiles, tempPathFor } from './backupFiles';
import { mapDbError } from './errors';
import { checkIntegrity, type DB } from './open';

/**
 * Backups with SQLite's online backup API (better-sqlite3's db.backup()): a consistent snapshot of
 * the database, WAL included, read without blocking writers. Each one is written to a temporary
 * name, checked, synced and only then renamed into place, so a backup cut off (a crash, the app
 * quitting) never leaves a file that looks like a backup.
 */

/** All remaining pages in one step: the step holds a read snapshot (WAL readers never block writers), and a
 * backup copied in many small steps starts over whenever another connection commits, i.e. never ends while
 * someone labels. Run it off the thread that serves the UI. */
const ALL_PAGES = 0x7fffffff;

/** The backup file's contents do not pass its check. */
export class BackupDamaged extends Error {
  constructor(readonly problems: string[]) {
    super(`the copy does not pass its integrity check: ${problems.slice(0, 3).join('; ')}`);
  }
}

/**
 * Opens a database file just copied (a temporary file no one else knows about), makes it a single
 * self-contained file (rollback journal instead of WAL, so no -wal can ever be missing beside it)
 * and checks it: quick_check for backups, integrity_check (indexes against tables too) for restores.
 * Returns the problems found; a file too damaged to check is one problem.
 */
export function verifyCopy(file: string, level: 'quick' | 'full', nativeBinding?: string): string[] {
  let db: DB | null = null;
  try {
    db = new Database(file, { fileMustExist: true, ...(nativeBinding ? { nativeBinding } : {}) });
    db.pragma('journal_mode = DELETE');
    return checkIntegrity(db, level);
  } catch (error) {
    return [error instanceof Error ? error.message : String(error)];
  } finally {
    db?.close();
  }
}

/** Copies an open database into `target` (which must not exist): temp file, check, fsync, rename. */
export async function backupInto(source: DB, target: string, nativeBinding?: string): Promise<{ size: number }> {
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const temp = tempPathFor(target);
  try {
    await source.backup(temp, { progress: () => ALL_PAGES });
    const problems = verifyCopy(temp, 'quick', nativeBinding);
    if (problems.length) throw new BackupDamaged(problems);
    fsyncFile(temp);
    if (fs.existsSync(target)) throw new AppError('CONFLICT', `${target} exists already; not overwritten`, { file: target });
    fs.renameSync(temp, target);
    fsyncDir(path.dirname(target));
    return { size: fs.statSync(target).size };
  } catch (error) {
    removeWithSideFiles(temp);
    throw error;
  }
}

/** Copies a database file (a backup, or any database the user names) into `target` with the backup API. */
export async function copyDatabaseFile(from: string, target: string, nativeBinding?: string): Promise<void> {
  let source: DB;
  try {
    source = new Database(from, { readonly: true, fileMustExist: true, ...(nativeBinding ? { nativeBinding } : {}) });
  } catch (error) {
    throw new AppError('NOT_FOUND', `cannot open ${from}: ${(error as Error).message}`, { file: from });
  }
  try {
    await source.backup(target, { progress: () => ALL_PAGES });
  } catch (error) {
    removeWithSideFiles(target);
    const mapped = mapDbError(error, from);
    if (mapped?.code === 'DB_CORRUPT')
      throw new AppError('BAD_FILE', `${from} is not a sound database (${(error as Error).message})`, { file: from });
    throw mapped ?? error;
  } finally {
    source.close();
  }
}

export function describeBackup(file: string, createdAt: Date): DatabaseBackup {
  return { name: path.basename(file), path: file, createdAt: createdAt.toISOString(), size: fs.statSync(file).size };
}

/**
 * Fails with DB_BUSY when another connection (the app, a CLI command) has the database open: an
 * exclusive lock cannot be had while any connection holds its shared lock, in WAL mode too. A file
 * SQLite cannot read as a database cannot be in use either. Closing the probe may fold a WAL left by
 * a killed process into the file (SQLite does that when the last connection closes; the content is
 * the same).
 */
export function assertNotInUse(dbPath: string, nativeBinding?: string): void {
  if (!fs.existsSync(dbPath)) return;
  const probe = new Database(dbPath, { fileMustExist: true, timeout: 0, ...(nativeBinding ? { nativeBinding } : {}) });
  try {
    probe.pragma('locking_mode = EXCLUSIVE');
    probe.exec('BEGIN EXCLUSIVE');
    probe.exec('COMMIT');
  } catch (error) {
    const mapped = mapDbError(error, dbPath);
    if (mapped?.code === 'DB_BUSY') {
      throw new AppError(
        'DB_BUSY',
        `${dbPath} is open in another program (the app, or an annot command): close it first, or restore from the app's recovery screen`,
        { file: dbPath },
      );
    }
    if (mapped?.code !== 'DB_CORRUPT') throw mapped ?? error;
  } finally {
    probe.close();
  }
}
