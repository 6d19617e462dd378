import { describe, expect, it } from 'vitest';
import { createCore } from '../../electron/core';
import { READ_CHANNELS } from '../../electron/core/handlers/database';
import { channels, SHELL_CHANNELS, type DatabaseCheck, type DatabaseHealth } from '../../shared/contract';
import type { Result } from '../../shared/contract/errors';
import { call, freshDir } from './helpers';
import { damageHeader, damagePages, labelingDb, open, sha256 } from './db-helpers';

function failure(r: Result<unknown>) {
  if (r.ok) throw new Error(`expected a failure, got ${JSON.stringify(r.value).slice(0, 200)}`);
  return r.error;
}

const RECOVERY = ['database.restoreBackup', 'database.moveAside'];
/** Every channel the core answers that writes (or may): all but the reads and the recovery itself. */
const writing = channels.filter((c) => !(SHELL_CHANNELS as readonly string[]).includes(c) && !READ_CHANNELS.has(c) && !RECOVERY.includes(c));

async function damaged(items = 300) {
  const dir = freshDir();
  const t = await labelingDb(dir, items);
  await t.decide(0);
  t.core.close();
  damagePages(t.dbPath);
  return { ...t, dir, before: sha256(t.dbPath) };
}

describe('a damaged database is never written to', () => {
  it('the writing channels are the ones expected (a new channel counts as writing until it is listed as a read)', () => {
    for (const c of [
      'labeling.apply',
      'labeling.undo',
      'projects.create',
      'imports.start',
      'imports.decide',
      'annotators.create',
      'database.backup',
      'models.explain',
    ]) {
      expect(writing).toContain(c);
    }
    for (const c of ['projects.list', 'items.list', 'labeling.next', 'reports.project', 'database.health']) expect(writing).not.toContain(c);
  });

  it('found at open (quick_check): the CLI and tests get DB_CORRUPT naming the file and the restore command', async () => {
    const t = await damaged();
    let thrown: { code?: string; message?: string } = {};
    try {
      createCore({ dbPath: t.dbPath });
    } catch (error) {
      thrown = error as typeof thrown;
    }
    expect(thrown.code).toBe('DB_CORRUPT');
    expect(thrown.message).toContain(t.dbPath);
    expect(thrown.message).toContain('quick_check');
    expect(thrown.message).toContain(`annot restore --db ${t.dbPath} --latest`);
    expect(sha256(t.dbPath)).toBe(t.before);
  });

  it('found at open, in the app: every writing channel answers DB_CORRUPT, reads SQLite can do still work, the file is not changed', async () => {
    const t = await damaged();
    const core = open(t.dbPath, { database: { onCorrupt: 'refuse-writes' } });
    const health = await call<DatabaseHealth>(core, 'database.health', {});
    expect(health).toMatchObject({ state: 'corrupt', file: t.dbPath, restoreCommand: `annot restore --db ${t.dbPath} --latest` });
    expect(health.problem).toContain('quick_check');
    expect(core.database.writable).toBe(false);
    for (const channel of writing) {
      const e = failure(await core.dispatch(channel, {}));
      expect([channel, e.code]).toEqual([channel, 'DB_CORRUPT']);
      expect(e.message).toContain(t.dbPath);
    }
    // Tables on sound pages still read; the damaged one says so.
    expect((await call<unknown[]>(core, 'annotators.list', {})).length).toBe(1);
    expect((await call<unknown[]>(core, 'projects.list', {})).length).toBe(1);
    expect(failure(await core.dispatch('items.list', { projectId: t.project.id })).code).toBe('DB_CORRUPT');
    // Not even a statement on the core's own connection gets through.
    expect(() => core.db.prepare("INSERT INTO app_settings (key, value_json) VALUES ('x', '1')").run()).toThrow(/readonly/);
    core.close();
    expect(sha256(t.dbPath)).toBe(t.before);
  });

  it('found on a call: from then on every write is refused', async () => {
    const t = await damaged();
    // Above the startup check's size limit, nothing is checked at open: the damage shows when a call reads it.
    const core = open(t.dbPath, { database: { onCorrupt: 'refuse-writes', syncCheckMaxBytes: 0 } });
    expect((await core.dispatch('annotators.create', { name: '早到的' })).ok).toBe(true);
    expect(failure(await core.dispatch('items.list', { projectId: t.project.id })).code).toBe('DB_CORRUPT');
    expect((await call<DatabaseHealth>(core, 'database.health', {})).state).toBe('corrupt');
    const refused = failure(await core.dispatch('annotators.create', { name: '晚到的' }));
    expect(refused.code).toBe('DB_CORRUPT');
    expect(refused.message).toContain('Restore the newest backup');
    expect((await call<{ name: string }[]>(core, 'annotators.list', {})).map((a) => a.name).sort()).toEqual(['小王', '早到的']);
  });

  it('database.check runs quick_check: ok on a sound file, and marks a damaged one', async () => {
    const dir = freshDir();
    const t = await labelingDb(dir, 300);
    expect(await call<DatabaseCheck>(t.core, 'database.check', {})).toMatchObject({ ok: true, problems: [] });
    t.core.close();
    damagePages(t.dbPath);
    const core = open(t.dbPath, { database: { onCorrupt: 'refuse-writes', syncCheckMaxBytes: 0 } });
    expect((await call<DatabaseHealth>(core, 'database.health', {})).state).toBe('ok');
    const check = await call<DatabaseCheck>(core, 'database.check', {});
    expect(check.ok).toBe(false);
    expect(check.problems.length).toBeGreaterThan(0);
    expect((await call<DatabaseHealth>(core, 'database.health', {})).state).toBe('corrupt');
    expect(failure(await core.dispatch('labeling.apply', {})).code).toBe('DB_CORRUPT');
  });

  it('a file that is not a database any more: opens in the app for recovery, and nothing reads or writes it', async () => {
    const dir = freshDir();
    const t = await labelingDb(dir, 5);
    t.core.close();
    damageHeader(t.dbPath);
    const before = sha256(t.dbPath);
    const core = open(t.dbPath, { database: { onCorrupt: 'refuse-writes' } });
    const health = await call<DatabaseHealth>(core, 'database.health', {});
    expect(health.state).toBe('corrupt');
    expect(health.problem).toContain('file is not a database');
    expect(failure(await core.dispatch('projects.list', {})).code).toBe('DB_CORRUPT');
    expect(failure(await core.dispatch('projects.create', { name: 'x' })).code).toBe('DB_CORRUPT');
    core.close();
    expect(sha256(t.dbPath)).toBe(before);
  });
});
