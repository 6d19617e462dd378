import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createCore } from '../../electron/core';
import { mapDbError, sqliteCodeToAppCode } from '../../electron/core/db/errors';
import { dispatch } from '../../shared/contract/dispatch';
import { AppError, type Result } from '../../shared/contract/errors';
import { freshDir } from './helpers';
import { damageHeader, damagePages, labelingDb, open } from './db-helpers';

function failure(r: Result<unknown>) {
  if (r.ok) throw new Error('expected a failure');
  return r.error;
}

/**
 * Each of SQLite's failures, produced for real on real files and seen through core.dispatch: the
 * app's code, an English message naming the file, and nothing half-written.
 */
describe('database errors through dispatch', () => {
  it('a full database is DISK_FULL, names the file, and what did not fit is not there', async () => {
    const t = await labelingDb(freshDir());
    const pages = t.core.db.pragma('page_count', { simple: true }) as number;
    // The size limit SQLite enforces exactly as a full disk: the next page it needs is refused (SQLITE_FULL).
    t.core.db.pragma(`max_page_count = ${pages}`);
    let error: ReturnType<typeof failure> | null = null;
    let made = 0;
    for (let i = 0; i < 200 && !error; i++) {
      const r = await t.core.dispatch('projects.create', { name: `项目${i}`, description: '很长的说明'.repeat(900) });
      if (r.ok) made++;
      else error = failure(r);
    }
    expect(error?.code).toBe('DISK_FULL');
    expect(error?.message).toContain(t.dbPath);
    expect(error?.details).toMatchObject({ file: t.dbPath, sqlite: 'SQLITE_FULL' });
    const projects = failure(await t.core.dispatch('projects.create', { name: 'x', description: '说明'.repeat(2000) }));
    expect(projects.code).toBe('DISK_FULL');
    t.core.db.pragma('max_page_count = 1073741823');
    const list = await t.core.dispatch('projects.list', {});
    expect(list.ok && (list.value as unknown[]).length).toBe(1 + made);
  });

  it('another connection holding the write lock is DB_BUSY; the call works once it lets go', async () => {
    const t = await labelingDb(freshDir(), 10, { database: { busyTimeoutMs: 50 } });
    const other = new Database(t.dbPath);
    other.exec('BEGIN IMMEDIATE');
    try {
      const e = failure(await t.core.dispatch('annotators.create', { name: '小李' }));
      expect(e.code).toBe('DB_BUSY');
      expect(e.message).toContain(t.dbPath);
      expect(e.details?.sqlite).toMatch(/^SQLITE_BUSY/);
      const decision = {
        projectId: t.project.id,
        itemId: t.itemIds[0],
        annotatorId: t.annotator.id,
        changes: [{ kind: 'intents', value: ['投诉'] }],
      };
      expect(failure(await t.core.dispatch('labeling.apply', decision)).code).toBe('DB_BUSY');
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect((await t.core.dispatch('annotators.create', { name: '小李' })).ok).toBe(true);
  });

  it('a read-only database is DB_READONLY and nothing is written', async () => {
    const dir = freshDir();
    const t = await labelingDb(dir, 5);
    t.core.close();
    // A read-only connection: what SQLite gives on a read-only file, folder or disk.
    const core = open(t.dbPath, { database: { readonly: true } });
    const e = failure(await core.dispatch('annotators.create', { name: '小李' }));
    expect(e.code).toBe('DB_READONLY');
    expect(e.message).toContain(t.dbPath);
    expect((await core.dispatch('annotators.list', {})).ok).toBe(true);
    if (process.getuid?.() !== 0) {
      // Without root, a read-only file too (root may write any file).
      core.close();
      fs.chmodSync(t.dbPath, 0o444);
      try {
        expect(() => createCore({ dbPath: t.dbPath })).toThrow(expect.objectContaining({ code: 'DB_READONLY' }) as Error);
      } finally {
        fs.chmodSync(t.dbPath, 0o644);
      }
    }
  });

  it('damaged pages are DB_CORRUPT on the call that reads them', async () => {
    const dir = freshDir();
    const t = await labelingDb(dir, 300);
    t.core.close();
    damagePages(t.dbPath);
    // Without the startup check (files above its size limit are not checked at open), damage shows when SQLite reads it.
    const core = open(t.dbPath, { database: { syncCheckMaxBytes: 0 } });
    const e = failure(await core.dispatch('items.list', { projectId: t.project.id }));
    expect(e.code).toBe('DB_CORRUPT');
    expect(e.message).toContain(t.dbPath);
    expect(e.message).toContain(`annot restore --db ${t.dbPath} --latest`);
    expect(e.details?.sqlite).toMatch(/^SQLITE_CORRUPT/);
  });

  it('a damaged header is DB_CORRUPT at open, naming the file', async () => {
    const dir = freshDir();
    const t = await labelingDb(dir, 5);
    t.core.close();
    damageHeader(t.dbPath);
    let thrown: unknown;
    try {
      createCore({ dbPath: t.dbPath });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AppError);
    expect((thrown as AppError).code).toBe('DB_CORRUPT');
    expect((thrown as AppError).message).toContain(t.dbPath);
    expect((thrown as AppError).details?.sqlite).toBe('SQLITE_NOTADB');
  });

  it('the rest stays INTERNAL without leaking; I/O errors name the file', async () => {
    const dir = freshDir();
    const file = path.join(dir, 'x.db');
    const db = new Database(file);
    let syntax: unknown;
    try {
      db.exec('SELEC nonsense');
    } catch (error) {
      syntax = error;
    }
    db.close();
    expect(mapDbError(syntax, file)).toBeNull();
    const reported: unknown[] = [];
    const r = await dispatch(
      { 'projects.list': () => Promise.reject(syntax) },
      'projects.list',
      {},
      (_c, e) => reported.push(e),
      (e) => mapDbError(e, file),
    );
    expect(failure(r)).toEqual({ code: 'INTERNAL', message: 'internal error in projects.list' });
    expect(reported).toEqual([syntax]);
    expect(sqliteCodeToAppCode('SQLITE_IOERR_FSYNC')).toBe('INTERNAL');
    expect(sqliteCodeToAppCode('SQLITE_IOERR_SHORT_READ')).toBe('DB_CORRUPT');
    expect(sqliteCodeToAppCode('SQLITE_BUSY_SNAPSHOT')).toBe('DB_BUSY');
    expect(sqliteCodeToAppCode('SQLITE_LOCKED_SHAREDCACHE')).toBe('DB_BUSY');
    expect(sqliteCodeToAppCode('SQLITE_READONLY_DBMOVED')).toBe('DB_READONLY');
    expect(sqliteCodeToAppCode('SQLITE_CONSTRAINT_UNIQUE')).toBeNull();
    const io = Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR_FSYNC', name: 'SqliteError' });
    const mapped = mapDbError(io, file)!;
    expect(mapped.code).toBe('INTERNAL');
    expect(mapped.message).toContain(file);
    const full = mapDbError(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }), file)!;
    expect(full.code).toBe('DISK_FULL');
  });
});
