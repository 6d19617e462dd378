import { AppError, type ErrorCode } from '../../../shared/contract/errors';

/**
 * SQLite's failures as the app's error codes, each with an English message that names the database
 * file (the renderer shows a text in the user's language chosen by the code). better-sqlite3 throws
 * a SqliteError whose `code` is SQLite's extended result code name (SQLITE_BUSY_SNAPSHOT,
 * SQLITE_IOERR_SHORT_READ …); file operations on the database (backups, restores) throw Node's
 * errno errors (ENOSPC, EROFS …), mapped the same way.
 */

type DbErrorCode = Extract<ErrorCode, 'DISK_FULL' | 'DB_BUSY' | 'DB_CORRUPT' | 'DB_READONLY' | 'INTERNAL'>;

/** The app's code for one SQLite result code name (primary or extended); null: not a database condition (a bug). */
export function sqliteCodeToAppCode(sqliteCode: string): DbErrorCode | null {
  const primary = sqliteCode.replace(/^(SQLITE_[A-Z]+)_.*$/, '$1');
  switch (sqliteCode) {
    // Enlarging the WAL index failed: out of space on the disk.
    case 'SQLITE_IOERR_SHMSIZE':
      return 'DISK_FULL';
    // A read past the end of the file (it was truncated) or a checksum that does not match.
    case 'SQLITE_IOERR_SHORT_READ':
    case 'SQLITE_IOERR_DATA':
      return 'DB_CORRUPT';
    // Taking or checking a file lock failed at the OS level: another process is in the way.
    case 'SQLITE_IOERR_LOCK':
    case 'SQLITE_IOERR_RDLOCK':
    case 'SQLITE_IOERR_CHECKRESERVEDLOCK':
      return 'DB_BUSY';
  }
  switch (primary) {
    case 'SQLITE_FULL':
      return 'DISK_FULL';
    case 'SQLITE_BUSY': // _RECOVERY, _SNAPSHOT, _TIMEOUT
    case 'SQLITE_LOCKED': // _SHAREDCACHE, _VTAB
    case 'SQLITE_PROTOCOL': // lost a race for a WAL lock, repeatedly
      return 'DB_BUSY';
    case 'SQLITE_CORRUPT': // _VTAB, _SEQUENCE, _INDEX
    case 'SQLITE_NOTADB':
      return 'DB_CORRUPT';
    case 'SQLITE_READONLY': // _RECOVERY, _CANTLOCK, _ROLLBACK, _DBMOVED, _CANTINIT, _DIRECTORY
    case 'SQLITE_PERM':
      return 'DB_READONLY';
    case 'SQLITE_IOERR':
    case 'SQLITE_CANTOPEN':
      return 'INTERNAL';
    default:
      return null;
  }
}

const ERRNO: Record<string, DbErrorCode> = {
  ENOSPC: 'DISK_FULL',
  EDQUOT: 'DISK_FULL',
  EFBIG: 'DISK_FULL',
  EROFS: 'DB_READONLY',
  EACCES: 'DB_READONLY',
  EPERM: 'DB_READONLY',
  EBUSY: 'DB_BUSY',
  EIO: 'INTERNAL',
};

interface CodedError {
  code: string;
  message: string;
}

function coded(error: unknown): CodedError | null {
  if (!(error instanceof Error)) return null;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? { code, message: error.message } : null;
}

/** SqliteError by its shape (a second copy of better-sqlite3, e.g. Electron's build, has its own class). */
export function isSqliteError(error: unknown): error is Error & { code: string } {
  const c = coded(error);
  return !!c && c.code.startsWith('SQLITE_');
}

/** Quotes a path for the user's shell in a command we print. */
export function shellQuote(path: string): string {
  if (process.platform === 'win32') return `"${path.replace(/"/g, '""')}"`;
  return /^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}

/** The terminal command that restores the newest backup of a database. */
export function restoreCommand(file: string): string {
  return `annot restore --db ${shellQuote(file)} --latest`;
}

/** The error for a damaged database file: what SQLite said, that nothing more is written, and how to recover. */
export function corruptError(file: string, detail: string, sqlite = 'SQLITE_CORRUPT'): AppError {
  return new AppError(
    'DB_CORRUPT',
    `The database file ${file} is damaged (${detail}). Nothing more will be written to it. ` +
      `Restore the newest backup in the app's recovery screen, or with: ${restoreCommand(file)} ` +
      '(the damaged file is moved aside, never deleted).',
    { file, sqlite, detail },
  );
}

/** What SQLite said about a damaged file, from the DB_CORRUPT error (or its payload) that carries it. */
export function corruptionDetail(error: { message: string; details?: Record<string, unknown> | undefined }): string {
  const detail = error.details?.detail;
  return typeof detail === 'string' ? detail : error.message;
}

function messageFor(code: DbErrorCode, file: string, what: string): string {
  switch (code) {
    case 'DISK_FULL':
      return `The disk holding ${file} is full (or the database reached its size limit): this change was not saved. Free some space and try again. (${what})`;
    case 'DB_BUSY':
      return `The database ${file} is locked by another program (or another connection held its lock too long): this was not done. Try again in a moment. (${what})`;
    case 'DB_READONLY':
      return `The database ${file} cannot be written (a read-only file, folder or disk, or the file was moved or deleted while open): this change was not saved. (${what})`;
    case 'INTERNAL':
      return `Reading or writing the database ${file} failed at the disk (${what}).`;
    case 'DB_CORRUPT':
      return corruptError(file, what).message;
  }
}

/**
 * The AppError for a database failure (SQLite's, or Node's errno on the database's files); null for
 * anything else, which stays an internal error (SQLITE_ERROR or SQLITE_CONSTRAINT is a bug, not a
 * condition the user can act on).
 */
export function mapDbError(error: unknown, file: string): AppError | null {
  if (error instanceof AppError) return error;
  const c = coded(error);
  if (!c) return null;
  const code = c.code.startsWith('SQLITE_') ? sqliteCodeToAppCode(c.code) : (ERRNO[c.code] ?? null);
  if (!code) return null;
  const what = c.code.startsWith('SQLITE_') ? `${c.code}: ${c.message}` : c.message;
  if (code === 'DB_CORRUPT') return corruptError(file, what, c.code);
  return new AppError(code, messageFor(code, file, what), { file, sqlite: c.code });
}

/** True for an error that says the file is damaged (mapped or not). */
export function isCorruption(error: unknown): boolean {
  if (error instanceof AppError) return error.code === 'DB_CORRUPT';
  const c = coded(error);
  return !!c && c.code.startsWith('SQLITE_') && sqliteCodeToAppCode(c.code) === 'DB_CORRUPT';
}
