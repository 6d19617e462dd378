import { describe, expect, it, onTestFinished } from 'vitest';
import { listBackups } from '../../electron/core/db/backupFiles';
import { CoreClient, type CoreThreadOptions } from '../../electron/core/threads/coreClient';
import type { DatabaseBackup, DatabaseHealth, RestoreResult } from '../../shared/contract';
import type { Result } from '../../shared/contract/errors';
import { freshDir } from './helpers';
import { damagePages, decisionsIn, labelingDb, sha256 } from './db-helpers';

function value<T>(r: Result<unknown>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

async function appCore(options: CoreThreadOptions, events: { event: string; payload: unknown }[] = []): Promise<CoreClient> {
  const client = await CoreClient.start(options, (event, payload) => events.push({ event, payload }));
  onTestFinished(() => client.close());
  return client;
}

async function until<T>(read: () => Promise<T>, done: (v: T) => boolean, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (done(v) || Date.now() > end) return v;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * The app's path: the core on its thread (CoreClient, core.worker.ts) with its job threads, as
 * Electron's main process runs it.
 */
describe('the app and its database file', () => {
  it('starts on a damaged file, refuses writes, restores the newest backup, and goes on over the restored file', async () => {
    const dir = freshDir();
    const t = await labelingDb(dir, 300);
    for (let i = 0; i < 3; i++) await t.decide(i);
    value<DatabaseBackup>(await t.core.dispatch('database.backup', {}));
    const backedUp = decisionsIn(t.dbPath);
    await t.decide(3);
    t.core.close();
    damagePages(t.dbPath);
    const damaged = sha256(t.dbPath);

    const client = await appCore({ dbPath: t.dbPath });
    const health = value<DatabaseHealth>(await client.dispatch('database.health', {}));
    expect(health).toMatchObject({ state: 'corrupt', file: t.dbPath });
    expect(health.backups).toHaveLength(1);
    const decision = { projectId: t.project.id, itemId: t.itemIds[5], annotatorId: t.annotator.id, changes: [{ kind: 'intents', value: ['投诉'] }] };
    expect(await client.dispatch('labeling.apply', decision)).toMatchObject({ ok: false, error: { code: 'DB_CORRUPT' } });
    expect(await client.dispatch('imports.start', {})).toMatchObject({ ok: false, error: { code: 'DB_CORRUPT' } });

    const restored = value<RestoreResult>(await client.dispatch('database.restoreBackup', {}));
    expect(restored.restoredFrom?.name).toBe(health.backups[0]!.name);
    expect(sha256(restored.movedAside[0]!)).toBe(damaged);
    // The core thread stopped after answering; the next call starts one over the restored file.
    const after = value<DatabaseHealth>(await client.dispatch('database.health', {}));
    expect(after.state).toBe('ok');
    expect(decisionsIn(t.dbPath)).toEqual(backedUp);
    expect((await client.dispatch('labeling.apply', decision)).ok).toBe(true);
    expect(decisionsIn(t.dbPath)).toHaveLength(backedUp.length + 1);
  });

  it('a big file is checked on the maintenance thread; damage found there reaches the renderer as an event and stops writes', async () => {
    const dir = freshDir();
    const t = await labelingDb(dir, 300);
    t.core.close();
    damagePages(t.dbPath);
    const events: { event: string; payload: unknown }[] = [];
    // syncCheckMaxBytes 1: every file counts as big here.
    const client = await appCore({ dbPath: t.dbPath, database: { syncCheckMaxBytes: 1, autoBackup: false } }, events);
    const health = await until(
      async () => value<DatabaseHealth>(await client.dispatch('database.health', {})),
      (h) => h.state === 'corrupt',
    );
    expect(health.state).toBe('corrupt');
    expect(health.problem).toContain('quick_check');
    expect(events.filter((e) => e.event === 'database.health').map((e) => (e.payload as DatabaseHealth).state)).toEqual(['corrupt']);
    expect(events.some((e) => e.event === 'database.health' && (e.payload as DatabaseHealth).state === 'corrupt')).toBe(true);
    expect(await client.dispatch('annotators.create', { name: '小李' })).toMatchObject({ ok: false, error: { code: 'DB_CORRUPT' } });
  });

  it('backs up at start, after every N decisions on the maintenance thread, and at quit', async () => {
    const dir = freshDir();
    const t = await labelingDb(dir, 50);
    t.core.close();
    const client = await appCore({ dbPath: t.dbPath, database: { autoBackup: { every: 5, keep: 10 } } });
    const backups = async () => value<DatabaseHealth>(await client.dispatch('database.health', {})).backups;
    expect(await until(backups, (b) => b.length === 1)).toHaveLength(1);
    const apply = (i: number) =>
      client.dispatch('labeling.apply', {
        projectId: t.project.id,
        itemId: t.itemIds[i],
        annotatorId: t.annotator.id,
        changes: [{ kind: 'intents', value: ['物流进度'] }],
      });
    for (let i = 0; i < 5; i++) expect((await apply(i)).ok).toBe(true);
    const afterFive = await until(backups, (b) => b.length === 2);
    expect(afterFive).toHaveLength(2);
    expect(decisionsIn(afterFive[0]!.path)).toHaveLength(5);
    for (let i = 5; i < 7; i++) expect((await apply(i)).ok).toBe(true);
    await client.close();
    const kept = listBackups(`${t.dbPath}-backups`, 'workstation');
    expect(kept).toHaveLength(3);
    expect(decisionsIn(kept[0]!.path)).toHaveLength(7);
  });
});
