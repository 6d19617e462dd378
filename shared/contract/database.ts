import { z } from 'zod';

/**
 * The database file itself: is it sound, which backups exist, restoring one. The core answers these
 * even when the file is damaged (then every channel that writes answers DB_CORRUPT).
 */

/** One backup in the database's backup folder (`<db>-backups/`), as the online backup API wrote it. */
export const DatabaseBackup = z.object({
  /** The file name, e.g. workstation-2026-12-03T08-00-00.db; restoreBackup takes it. */
  name: z.string(),
  path: z.string(),
  /** When it was taken (ISO 8601, UTC). */
  createdAt: z.string(),
  size: z.number().int().nonnegative(),
});
export type DatabaseBackup = z.infer<typeof DatabaseBackup>;

export const DatabaseState = z.enum([
  /** quick_check passed (or the file has not been checked yet: checkedAt is null). */
  'ok',
  /** quick_check is running on the maintenance thread (a big file); the app works meanwhile. */
  'checking',
  /** SQLite found damage: nothing is written to the file any more; restore a backup. */
  'corrupt',
  /** A restore is under way: every other call waits for the core to start again. */
  'restoring',
  /** The file was replaced by a restore: this core is closed (the app starts a new one). */
  'closed',
]);
export type DatabaseState = z.infer<typeof DatabaseState>;

export const DatabaseHealth = z.object({
  state: DatabaseState,
  /** The database file. */
  file: z.string(),
  /** What SQLite reported, when damaged. */
  problem: z.string().nullable(),
  /** When the last quick_check finished (null: not checked in this session). */
  checkedAt: z.string().nullable(),
  backupDir: z.string(),
  /** Newest first. */
  backups: z.array(DatabaseBackup),
  /** Why the last automatic backup failed, if it did. */
  backupError: z.string().nullable(),
  /** The command that restores the newest backup from a terminal. */
  restoreCommand: z.string(),
});
export type DatabaseHealth = z.infer<typeof DatabaseHealth>;

export const DatabaseCheck = z.object({ ok: z.boolean(), problems: z.array(z.string()), checkedAt: z.string() });
export type DatabaseCheck = z.infer<typeof DatabaseCheck>;

export const RestoreResult = z.object({
  file: z.string(),
  /** The backup now in place; null after moveAside (the app starts with an empty database). */
  restoredFrom: DatabaseBackup.nullable(),
  /** Where the previous file (and its -wal/-shm) went: renamed, never deleted. */
  movedAside: z.array(z.string()),
  /** Newer backups that failed their integrity check and were passed over. */
  skipped: z.array(z.object({ name: z.string(), reason: z.string() })),
});
export type RestoreResult = z.infer<typeof RestoreResult>;

/** A backup's file name (no folders): the core looks it up in the backup folder. */
export const BackupName = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[^/\\]+$/, 'a backup name, not a path');
