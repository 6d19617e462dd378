import fs from 'node:fs';
import path from 'node:path';
import { threadId } from 'node:worker_threads';
import type { DatabaseBackup } from '../../../shared/contract/database';

/**
 * The files around a database: its backup folder (`<db>-backups/`, one `<stem>-<UTC time>.db` per
 * backup), temporary files that become a backup only by a rename, and files moved aside by a
 * restore (`<db>.replaced-<time>`, `<db>.corrupt-<time>`, each with its -wal/-shm). Nothing here
 * deletes a database file except an old backup past the number kept.
 */

export const DEFAULT_KEEP = 5;
/** SQLite's files that belong to a database: the file itself, its WAL, the WAL index, a rollback journal. */
export const SIDE_FILES = ['', '-wal', '-shm', '-journal'] as const;

export function backupDirOf(dbPath: string): string {
  return `${dbPath}-backups`;
}

/** The name a database's backups start with: its file name without the extension (workstation.db → workstation). */
export function backupStem(dbPath: string): string {
  const base = path.basename(dbPath);
  const ext = path.extname(base);
  return ext && ext !== base ? base.slice(0, -ext.length) : base;
}

/** 2026-12-03T08:00:00.123Z → 2026-12-03T08-00-00 (UTC, safe in file names on every system). */
export function fileStamp(date: Date): string {
  return date.toISOString().slice(0, 19).replace(/:/g, '-');
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function parseName(stem: string, name: string): { at: number; seq: number } | null {
  const m = new RegExp(`^${escapeRe(stem)}-(\\d{4}-\\d\\d-\\d\\dT\\d\\d)-(\\d\\d)-(\\d\\d)(?:-(\\d+))?\\.db$`).exec(name);
  if (!m) return null;
  const at = Date.parse(`${m[1]}:${m[2]}:${m[3]}Z`);
  return Number.isNaN(at) ? null : { at, seq: m[4] ? Number(m[4]) : 1 };
}

/** The backups in a folder, newest first (only files named as this database's backups). */
export function listBackups(dir: string, stem: string): DatabaseBackup[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const found: (DatabaseBackup & { at: number; seq: number })[] = [];
  for (const name of names) {
    const parsed = parseName(stem, name);
    if (!parsed) continue;
    const file = path.join(dir, name);
    try {
      const stat = fs.statSync(file);
      if (stat.isFile()) found.push({ name, path: file, createdAt: new Date(parsed.at).toISOString(), size: stat.size, ...parsed });
    } catch {
      // removed meanwhile
    }
  }
  found.sort((a, b) => b.at - a.at || b.seq - a.seq);
  return found.map(({ at: _at, seq: _seq, ...backup }) => backup);
}

/** A new backup's path: `<stem>-<time>.db`, then `-2`, `-3` … after the highest of that second (older ones may be pruned). */
export function nextBackupPath(dir: string, stem: string, now: Date): string {
  const base = `${stem}-${fileStamp(now)}`;
  const at = Date.parse(`${now.toISOString().slice(0, 19)}Z`);
  const taken = listBackups(dir, stem)
    .map((b) => parseName(stem, b.name)!)
    .filter((p) => p.at === at)
    .map((p) => p.seq);
  const seq = taken.length ? Math.max(...taken) + 1 : 1;
  return path.join(dir, seq === 1 ? `${base}.db` : `${base}-${seq}.db`);
}

/** Removes all but the newest `keep` backups; returns the names removed. */
export function pruneBackups(dir: string, stem: string, keep: number): string[] {
  const removed: string[] = [];
  for (const old of listBackups(dir, stem).slice(Math.max(1, keep))) {
    try {
      fs.unlinkSync(old.path);
      removed.push(old.name);
    } catch {
      // another process removed it, or it is in use (Windows): next time
    }
  }
  return removed;
}

/** Where a file is written before it is renamed into place: hidden, `.tmp`, named by its process and thread. */
export function tempPathFor(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}-${threadId}.tmp`);
}

const TEMP = /^\..+\.(\d+)-\d+\.tmp(-wal|-shm|-journal)?$/;
const DAY_MS = 24 * 3600 * 1000;

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes temporary files left by a backup or restore that was cut off (its process is gone, or a day old). */
export function removeStaleTemps(dir: string): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    const m = TEMP.exec(name);
    if (!m) continue;
    const file = path.join(dir, name);
    try {
      if (!alive(Number(m[1])) || Date.now() - fs.statSync(file).mtimeMs > DAY_MS) {
        fs.unlinkSync(file);
        removed.push(name);
      }
    } catch {
      // gone already
    }
  }
  return removed;
}

/** Removes a file and the SQLite files beside it, ignoring the ones that are not there. */
export function removeWithSideFiles(file: string): void {
  for (const side of SIDE_FILES) fs.rmSync(`${file}${side}`, { force: true });
}

/** Makes a rename or a new file in a folder durable (POSIX; Windows has no directory fsync and needs none). */
export function fsyncDir(dir: string): void {
  if (process.platform === 'win32') return;
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

export function fsyncFile(file: string): void {
  const fd = fs.openSync(file, 'r+');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Renames a database and its -wal/-shm/-journal to `<db>.<kind>-<time>` (each side file keeps its
 * suffix, so SQLite opens the moved copy with its own WAL). Returns the new paths; never deletes.
 */
export function moveAside(dbPath: string, kind: 'replaced' | 'corrupt', now: Date): string[] {
  let base = `${dbPath}.${kind}-${fileStamp(now)}`;
  for (let seq = 2; SIDE_FILES.some((side) => fs.existsSync(`${base}${side}`)); seq++) base = `${dbPath}.${kind}-${fileStamp(now)}-${seq}`;
  const moved: string[] = [];
  for (const side of SIDE_FILES) {
    if (!fs.existsSync(`${dbPath}${side}`)) continue;
    fs.renameSync(`${dbPath}${side}`, `${base}${side}`);
    moved.push(`${base}${side}`);
  }
  if (moved.length) fsyncDir(path.dirname(dbPath));
  return moved;
}

/** The database file's size and mtime, plus whether a WAL is beside it: enough to tell it has not been touched. */
export function fileIdentity(dbPath: string): { size: number; mtimeMs: number; wal: boolean } | null {
  try {
    const stat = fs.statSync(dbPath);
    return { size: stat.size, mtimeMs: stat.mtimeMs, wal: fs.existsSync(`${dbPath}-wal`) };
  } catch {
    return null;
  }
}
