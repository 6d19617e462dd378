import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { backupInto } from '../../electron/core/db/backup';
import type { DatabaseBackup, DatabaseHealth, RestoreResult } from '../../shared/contract';
import type { Result } from '../../shared/contract/errors';
import { call, freshDir } from './helpers';
import { damagePages, decisionsIn, filesIn, labelingDb, open } from './db-helpers';

function failure(r: Result<unknown>) {
  if (r.ok) throw new Error('expected a failure');
  return r.error;
}

const backupsOf = (dbPath: string) => filesIn(`${dbPath}-backups`).filter((f) => f.endsWith('.db'));

function quickCheck(file: string): { check: string; journal: string } {
  const db = new Database(file, { readonly: true });
  try {
    return { check: db.pragma('quick_check', { simple: true }) as string, journal: db.pragma('journal_mode', { simple: true }) as string };
  } finally {
    db.close();
  }
}

describe('backups with the online backup API', () => {
  it('database.backup writes a checked, self-contained copy into <db>-backups/ and lists it', async () => {
    const dir = freshDir();
    const t = await labelingDb(dir, 10);
    await t.decide(0);
    await t.decide(1);
    const made = await call<DatabaseBackup>(t.core, 'database.backup', {});
    expect(made.name).toMatch(/^workstation-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.db$/);
    expect(made.path).toBe(path.join(`${t.dbPath}-backups`, made.name));
    expect(made.size).toBe(fs.statSync(made.path).size);
    expect(quickCheck(made.path)).toEqual({ check: 'ok', journal: 'delete' });
    expect(decisionsIn(made.path)).toEqual(decisionsIn(t.dbPath));
    // Nothing else is left in the folder: no temp file, no -wal beside the copy.
    expect(filesIn(`${t.dbPath}-backups`)).toEqual([made.name]);
    const again = await call<DatabaseBackup>(t.core, 'database.backup', {});
    expect(again.name).not.toBe(made.name);
    const health = await call<DatabaseHealth>(t.core, 'database.health', {});
    expect(health.backups.map((b) => b.name)).toEqual([again.name, made.name]);
    expect(health).toMatchObject({ state: 'ok', backupDir: `${t.dbPath}-backups`, backupError: null });
  });

  it('automatic: at start, after every N decisions, at quit when something changed; the newest K are kept', async () => {
    const dir = freshDir();
    const auto = { database: { autoBackup: { every: 3, keep: 3 } } };
    const t = await labelingDb(dir, 20, auto);
    await t.core.database.settle();
    expect(backupsOf(t.dbPath)).toHaveLength(1); // at start
    for (let round = 1; round <= 4; round++) {
      for (let i = 0; i < 3; i++) await t.decide(round * 3 + i);
      await t.core.database.settle();
    }
    const kept = backupsOf(t.dbPath);
    expect(kept).toHaveLength(3);
    const newest = (await call<DatabaseHealth>(t.core, 'database.health', {})).backups[0]!;
    expect(decisionsIn(newest.path)).toHaveLength(12);
    // Nothing new since the last backup: quitting adds none.
    await t.core.database.atQuit();
    expect(backupsOf(t.dbPath)).toEqual(kept);
    // One decision more: quitting backs it up.
    await t.decide(19, '投诉');
    await t.core.database.atQuit();
    const afterQuit = (await call<DatabaseHealth>(t.core, 'database.health', {})).backups[0]!;
    expect(decisionsIn(afterQuit.path)).toHaveLength(13);
    t.core.close();
    expect(backupsOf(t.dbPath)).toHaveLength(3);

    // Started again on the file as the quit left it: the newest backup is that file already, so none is taken.
    const again = open(t.dbPath, auto);
    await again.database.settle();
    expect(backupsOf(t.dbPath)).toContain(afterQuit.name);
    expect((await call<DatabaseHealth>(again, 'database.health', {})).backups[0]!.name).toBe(afterQuit.name);
    again.close();

    // Changed in between (here: another program writing to it): the next start takes one.
    const other = open(t.dbPath);
    await call(other, 'annotators.create', { name: '外面的' });
    other.close();
    const third = open(t.dbPath, auto);
    await third.database.settle();
    const startBackup = (await call<DatabaseHealth>(third, 'database.health', {})).backups[0]!;
    expect(startBackup.name).not.toBe(afterQuit.name);
    const names = new Database(startBackup.path, { readonly: true });
    expect(names.prepare("SELECT count(*) AS n FROM annotators WHERE name = '外面的'").get()).toEqual({ n: 1 });
    names.close();
  });

  it('a backup cut off (the connection closes under it) leaves no file that looks like a backup; stale temp files are removed at start', async () => {
    const dir = freshDir();
    const t = await labelingDb(dir, 200);
    const target = path.join(`${t.dbPath}-backups`, 'workstation-2026-01-01T00-00-00.db');
    const running = backupInto(t.core.db, target);
    t.core.db.close();
    await expect(running).rejects.toThrow();
    expect(filesIn(`${t.dbPath}-backups`)).toEqual([]);

    // A temp file of a process that is gone (a crash during a backup):
    const stale = path.join(`${t.dbPath}-backups`, '.workstation-2026-01-01T00-00-01.db.999999999-0.tmp');
    fs.writeFileSync(stale, 'half a backup');
    const core = open(t.dbPath, { database: { autoBackup: {} } });
    await core.database.settle();
    expect(fs.existsSync(stale)).toBe(false);
    expect(filesIn(`${t.dbPath}-backups`).every((f) => /^workstation-.*\.db$/.test(f))).toBe(true);
  });

  it('restore round trip: label, back up, label more, restore: exactly the backed-up decisions are there, the replaced file is kept', async () => {
    const dir = freshDir();
    const t = await labelingDb(dir, 20);
    for (let i = 0; i < 5; i++) await t.decide(i);
    const backedUp = decisionsIn(t.dbPath);
    const backup = await call<DatabaseBackup>(t.core, 'database.backup', {});
    for (let i = 5; i < 12; i++) await t.decide(i, '退换货');
    const later = decisionsIn(t.dbPath);
    expect(later.length).toBe(backedUp.length + 7);

    const result = await call<RestoreResult>(t.core, 'database.restoreBackup', {});
    expect(result.restoredFrom?.name).toBe(backup.name);
    expect(result.skipped).toEqual([]);
    expect(result.movedAside[0]).toMatch(/workstation\.db\.replaced-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d$/);
    // This core is done: the file under it was replaced.
    expect((await call<DatabaseHealth>(t.core, 'database.health', {})).state).toBe('closed');
    expect(failure(await t.core.dispatch('labeling.apply', {})).code).toBe('CONFLICT');

    expect(decisionsIn(t.dbPath)).toEqual(backedUp);
    expect(fs.existsSync(`${t.dbPath}-wal`)).toBe(false);
    expect(decisionsIn(result.movedAside[0]!)).toEqual(later);
    const reopened = open(t.dbPath);
    expect((await call<DatabaseHealth>(reopened, 'database.health', {})).state).toBe('ok');
    expect(
      (
        await reopened.dispatch('labeling.apply', {
          projectId: t.project.id,
          itemId: t.itemIds[0],
          annotatorId: t.annotator.id,
          changes: [{ kind: 'intents', value: ['投诉'] }],
        })
      ).ok,
    ).toBe(true);
  });

  it('restoring "the newest" passes over a backup that fails integrity_check; a named backup that does not exist is NOT_FOUND', async () => {
    const dir = freshDir();
    const t = await labelingDb(dir, 300);
    await t.decide(0);
    const older = await call<DatabaseBackup>(t.core, 'database.backup', {});
    await t.decide(1);
    const newer = await call<DatabaseBackup>(t.core, 'database.backup', {});
    damagePages(newer.path);
    expect(failure(await t.core.dispatch('database.restoreBackup', { backup: 'workstation-1999-01-01T00-00-00.db' })).code).toBe('NOT_FOUND');
    expect(failure(await t.core.dispatch('database.restoreBackup', { backup: '../x.db' })).code).toBe('VALIDATION');
    const result = await call<RestoreResult>(t.core, 'database.restoreBackup', {});
    expect(result.restoredFrom?.name).toBe(older.name);
    expect(result.skipped.map((s) => s.name)).toEqual([newer.name]);
    expect(result.skipped[0]!.reason).toContain('integrity_check');
    expect(decisionsIn(t.dbPath)).toHaveLength(1);
  });

  it('a damaged file: restore moves it aside as .corrupt-<time> untouched and puts the newest sound backup in its place', async () => {
    const dir = freshDir();
    const t = await labelingDb(dir, 300);
    await t.decide(0);
    await call<DatabaseBackup>(t.core, 'database.backup', {});
    const backedUp = decisionsIn(t.dbPath);
    t.core.close();
    damagePages(t.dbPath);
    const damagedBytes = fs.readFileSync(t.dbPath);
    const core = open(t.dbPath, { database: { onCorrupt: 'refuse-writes' } });
    expect((await call<DatabaseHealth>(core, 'database.health', {})).state).toBe('corrupt');
    expect(failure(await core.dispatch('database.backup', {})).code).toBe('DB_CORRUPT');
    const result = await call<RestoreResult>(core, 'database.restoreBackup', {});
    expect(result.movedAside[0]).toMatch(/\.corrupt-/);
    expect(fs.readFileSync(result.movedAside[0]!).equals(damagedBytes)).toBe(true);
    expect(decisionsIn(t.dbPath)).toEqual(backedUp);
  });

  it('moveAside: only for a damaged file; the next core starts with an empty database', async () => {
    const dir = freshDir();
    const t = await labelingDb(dir, 300);
    expect(failure(await t.core.dispatch('database.moveAside', {})).code).toBe('CONFLICT');
    t.core.close();
    damagePages(t.dbPath);
    const core = open(t.dbPath, { database: { onCorrupt: 'refuse-writes' } });
    expect(failure(await core.dispatch('database.restoreBackup', {})).code).toBe('NOT_FOUND');
    const result = await call<RestoreResult>(core, 'database.moveAside', {});
    expect(result.restoredFrom).toBeNull();
    expect(fs.existsSync(result.movedAside[0]!)).toBe(true);
    expect(fs.existsSync(t.dbPath)).toBe(false);
    const fresh = open(t.dbPath);
    expect(await call<unknown[]>(fresh, 'projects.list', {})).toEqual([]);
  });
});
