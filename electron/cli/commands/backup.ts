import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Command } from 'commander';
import { AppError } from '../../../shared/contract/errors';
import { BackupDamaged, backupInto, describeBackup } from '../../core/db/backup';
import { DEFAULT_KEEP, backupDirOf, backupStem, nextBackupPath, pruneBackups, removeStaleTemps } from '../../core/db/backupFiles';
import { corruptError, mapDbError } from '../../core/db/errors';
import { BUSY_TIMEOUT_MS, checkIntegrity, summarizeProblems, type DB } from '../../core/db/open';
import { printJson } from '../output';

interface BackupOptions {
  db: string;
  out?: string;
  json?: boolean;
}

export function registerBackup(program: Command): void {
  program
    .command('backup')
    .description("back up a database with SQLite's online backup API (safe while the app has it open); the copy is checked before it is kept")
    .requiredOption('--db <path>', 'the database file')
    .option('--out <file>', `write the backup to this file (default: <db>-backups/<name>-<UTC time>.db, keeping the newest ${DEFAULT_KEEP})`)
    .option('--json', 'print {"file", "backup", "createdAt", "size", "removed"}')
    .action(async (opts: BackupOptions) => {
      process.exitCode = await runBackup(opts);
    });
}

/** The database as a backup source: read-only (a backup never changes the file, nor its schema). */
export function openSource(file: string): DB {
  if (!fs.existsSync(file)) throw new AppError('NOT_FOUND', `there is no database at ${file}`, { file });
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    return db;
  } catch (error) {
    throw mapDbError(error, file) ?? error;
  }
}

async function runBackup(opts: BackupOptions): Promise<number> {
  const now = new Date();
  const dir = opts.out ? path.dirname(path.resolve(opts.out)) : backupDirOf(opts.db);
  const target = opts.out ? path.resolve(opts.out) : nextBackupPath(dir, backupStem(opts.db), now);
  if (opts.out && fs.existsSync(target)) throw new AppError('CONFLICT', `${target} exists already; choose another --out`, { file: target });
  const source = openSource(opts.db);
  try {
    try {
      await backupInto(source, target);
    } catch (error) {
      if (!(error instanceof BackupDamaged)) throw mapDbError(error, opts.db) ?? error;
      // The copy is damaged: is the database?
      let problems: string[];
      try {
        problems = checkIntegrity(source, 'quick');
      } catch (inner) {
        problems = [(inner as Error).message];
      }
      if (problems.length) throw corruptError(opts.db, summarizeProblems(problems));
      throw new AppError('INTERNAL', `the backup of ${opts.db} could not be verified and was discarded (${error.message})`, { file: target });
    }
  } finally {
    source.close();
  }
  const removed = opts.out ? [] : pruneBackups(dir, backupStem(opts.db), DEFAULT_KEEP);
  if (!opts.out) removeStaleTemps(dir);
  const made = describeBackup(target, now);
  if (opts.json) printJson({ file: path.resolve(opts.db), backup: made.path, createdAt: made.createdAt, size: made.size, removed });
  else console.log(`backed up ${opts.db} to ${made.path} (${made.size} bytes)${removed.length ? `; removed ${removed.length} older backup(s)` : ''}`);
  return 0;
}
