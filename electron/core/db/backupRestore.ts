import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../shared/contract/errors';
import type { DatabaseBackup, RestoreResult } from '../../../shared/contract/database';
import { assertNotInUse, copyDatabaseFile, verifyCopy } from './backup';
import { fsyncDir, fsyncFile, moveAside, removeWithSideFiles, tempPathFor } from './backupFiles';
import { mapDbError } from './errors';

export interface RestoreOptions {
  dbPath: string;
  /** Tried in order until one passes integrity_check (the newest first, for "the latest"). */
  candidates: DatabaseBackup[];
  nativeBinding?: string | undefined;
  /** How the file moved aside is named: `<db>.replaced-<time>`, or `<db>.corrupt-<time>` for a damaged one. */
  aside: 'replaced' | 'corrupt';
  now: () => Date;
  /** Runs once a checked copy is ready and before anything is moved: the caller closes its own connections. */
  beforeSwap?: () => void | Promise<void>;
}

/** A backup file the user named (not one of the backup folder's), described like one. */
export function backupFromFile(file: string): DatabaseBackup {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new AppError('NOT_FOUND', `no backup file at ${file}`, { file });
  }
  return { name: path.basename(file), path: path.resolve(file), createdAt: stat.mtime.toISOString(), size: stat.size };
}

/**
 * Puts a backup in the database's place. The backup is copied next to the database under a
 * temporary name with the online backup API (so a backup that is itself a WAL database comes with
 * its WAL) and checked with integrity_check; only then is the current file moved aside, with its
 * -wal and -shm (a new main file next to an old WAL would be read as one database), and the copy
 * renamed into place. Refused (DB_BUSY) while another program has the file open.
 */
export async function restoreDatabase(options: RestoreOptions): Promise<RestoreResult> {
  const { dbPath } = options;
  if (!options.candidates.length) {
    throw new AppError('NOT_FOUND', `there is no backup of ${dbPath} to restore`, { file: dbPath });
  }
  const temp = tempPathFor(`${dbPath}.restoring`);
  const skipped: RestoreResult['skipped'] = [];
  let chosen: DatabaseBackup | null = null;
  for (const candidate of options.candidates) {
    try {
      await copyDatabaseFile(candidate.path, temp, options.nativeBinding);
      const problems = verifyCopy(temp, 'full', options.nativeBinding);
      if (!problems.length) {
        chosen = candidate;
        break;
      }
      skipped.push({ name: candidate.name, reason: `integrity_check: ${problems.slice(0, 3).join('; ')}` });
    } catch (error) {
      if (options.candidates.length === 1) throw error;
      skipped.push({ name: candidate.name, reason: error instanceof Error ? error.message : String(error) });
    }
    removeWithSideFiles(temp);
  }
  if (!chosen) {
    removeWithSideFiles(temp);
    throw new AppError('BAD_FILE', `no backup of ${dbPath} passes its integrity check (${skipped.map((s) => `${s.name}: ${s.reason}`).join('; ')})`, {
      file: dbPath,
    });
  }
  try {
    fsyncFile(temp);
    const result = await swapIn(options, temp);
    return { ...result, restoredFrom: chosen, skipped };
  } finally {
    removeWithSideFiles(temp);
  }
}

/** Moves a (damaged) database aside without putting anything in its place: the next open starts an empty one. */
export async function moveDatabaseAside(options: Omit<RestoreOptions, 'candidates'>): Promise<RestoreResult> {
  const result = await swapIn(options, null);
  return { ...result, restoredFrom: null, skipped: [] };
}

async function swapIn(options: Omit<RestoreOptions, 'candidates'>, replacement: string | null): Promise<Pick<RestoreResult, 'file' | 'movedAside'>> {
  const { dbPath } = options;
  await options.beforeSwap?.();
  assertNotInUse(dbPath, options.nativeBinding);
  try {
    const movedAside = moveAside(dbPath, options.aside, options.now());
    if (replacement) {
      fs.renameSync(replacement, dbPath);
      fsyncDir(path.dirname(dbPath));
    }
    return { file: dbPath, movedAside };
  } catch (error) {
    throw mapDbError(error, dbPath) ?? error;
  }
}
