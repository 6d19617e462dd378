import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { freshDir, REPO_ROOT } from './helpers';
import { annot, damagePages, decisionsIn, filesIn, labelingDb, lastJson, sha256 } from './db-helpers';

const json = lastJson;

/** A labeling database with one decision, backed up by `annot backup`, then closed. */
async function backedUpAndClosed(items: number) {
  const t = await labelingDb(freshDir(), items);
  await t.decide(0);
  expect((await annot('backup', '--db', t.dbPath)).code).toBe(0);
  t.core.close();
  return t;
}

describe('annot backup / annot restore', () => {
  it('round trip: label, back up, label more, restore --latest: exactly the backed-up decisions; --from a file works too', async () => {
    const dir = freshDir();
    const t = await labelingDb(dir, 20);
    for (let i = 0; i < 4; i++) await t.decide(i);
    const backedUp = decisionsIn(t.dbPath);
    // Backed up while the core has the database open (WAL: the backup reads a snapshot).
    const b = await annot('backup', '--db', t.dbPath, '--json');
    expect(b.code, b.stderr).toBe(0);
    const made = json<{ file: string; backup: string; createdAt: string; size: number; removed: string[] }>(b);
    expect(made.file).toBe(t.dbPath);
    expect(path.dirname(made.backup)).toBe(`${t.dbPath}-backups`);
    expect(made.size).toBe(fs.statSync(made.backup).size);
    expect(decisionsIn(made.backup)).toEqual(backedUp);
    const out = path.join(dir, 'mine.db');
    expect((await annot('backup', '--db', t.dbPath, '--out', out)).code).toBe(0);
    expect((await annot('backup', '--db', t.dbPath, '--out', out)).code).toBe(1); // never overwrites
    for (let i = 4; i < 9; i++) await t.decide(i, '投诉');
    const later = decisionsIn(t.dbPath);
    t.core.close();

    const r = await annot('restore', '--db', t.dbPath, '--latest', '--json');
    expect(r.code, r.stderr).toBe(0);
    const restored = json<{ file: string; restoredFrom: { path: string }; movedAside: string[]; skipped: unknown[] }>(r);
    expect(restored.restoredFrom.path).toBe(made.backup);
    expect(restored.movedAside[0]).toMatch(/workstation\.db\.replaced-/);
    expect(restored.skipped).toEqual([]);
    expect(decisionsIn(t.dbPath)).toEqual(backedUp);
    expect(decisionsIn(restored.movedAside[0]!)).toEqual(later);

    const from = await annot('restore', '--db', t.dbPath, '--from', out);
    expect(from.code, from.stderr).toBe(0);
    expect(from.stdout).toContain('restored');
    expect(decisionsIn(t.dbPath)).toEqual(backedUp);
    expect((await annot('restore', '--db', t.dbPath)).code).toBe(2);
  });

  it('restore is refused while another program has the database open; nothing is moved', async () => {
    const dir = freshDir();
    const t = await labelingDb(dir, 10);
    await t.decide(0);
    expect((await annot('backup', '--db', t.dbPath)).code).toBe(0);
    await t.decide(1);
    const r = await annot('restore', '--db', t.dbPath, '--latest');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${t.dbPath} is open in another program`);
    expect(filesIn(dir, 'workstation.db.replaced')).toEqual([]);
    expect(decisionsIn(t.dbPath)).toHaveLength(2);
    expect(filesIn(dir).some((f) => f.startsWith('.workstation.db.restoring'))).toBe(false);
  });

  it('never mixes the restored file with the WAL of the one it replaces (a process killed with commits only in its WAL)', async () => {
    const t = await backedUpAndClosed(10);
    // A writer killed with SIGKILL after committing: its commit lives only in workstation.db-wal.
    const script = `const D = require('better-sqlite3'); const db = new D(${JSON.stringify(t.dbPath)}); db.pragma('wal_autocheckpoint = 0');
      db.prepare("INSERT INTO app_settings (key, value_json) VALUES ('after-backup', '1')").run(); console.log('committed'); setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['-e', script], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise((resolve) => child.stdout.once('data', resolve));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    expect(fs.statSync(`${t.dbPath}-wal`).size).toBeGreaterThan(0);

    const r = await annot('restore', '--db', t.dbPath, '--latest', '--json');
    expect(r.code, r.stderr).toBe(0);
    const { movedAside } = json<{ movedAside: string[] }>(r);
    // Nothing of the old WAL is beside the restored file; SQLite folded it into the old file when the
    // in-use probe, the last connection, closed (or it was moved along with it).
    expect(fs.existsSync(`${t.dbPath}-wal`)).toBe(false);
    expect(movedAside.every((f) => f.startsWith(`${t.dbPath}.replaced-`))).toBe(true);
    const setting = (file: string) => {
      const db = new Database(file, { readonly: true });
      try {
        return db.prepare("SELECT count(*) AS n FROM app_settings WHERE key = 'after-backup'").get();
      } finally {
        db.close();
      }
    };
    expect(setting(t.dbPath)).toEqual({ n: 0 });
    expect(setting(movedAside[0]!)).toEqual({ n: 1 }); // the commit that was only in the WAL is in the moved-aside copy
    expect(decisionsIn(t.dbPath)).toHaveLength(1);
  });

  it('on a damaged file every command names it and prints the restore command, exits non-zero; backup refuses; restore recovers', async () => {
    const t = await backedUpAndClosed(300);
    damagePages(t.dbPath);
    const before = sha256(t.dbPath);
    const restoreLine = `annot restore --db ${t.dbPath} --latest`;
    for (const args of [
      ['projects', '--db', t.dbPath],
      ['stats', '--db', t.dbPath, '--project', '售后', '--json'],
      ['report', '--db', t.dbPath, '--project', '售后'],
      ['backup', '--db', t.dbPath],
    ]) {
      const r = await annot(...args);
      expect([args[0], r.code]).toEqual([args[0], 1]);
      expect(r.stderr).toContain(`The database file ${t.dbPath} is damaged`);
      expect(r.stderr).toContain(restoreLine);
    }
    expect(sha256(t.dbPath)).toBe(before);
    expect(filesIn(`${t.dbPath}-backups`).filter((f) => f.endsWith('.db'))).toHaveLength(1);

    const r = await annot('restore', '--db', t.dbPath, '--latest');
    expect(r.code, r.stderr).toBe(0);
    const stats = await annot('stats', '--db', t.dbPath, '--project', '售后', '--json');
    expect(stats.code, stats.stderr).toBe(0);
    expect(json<{ items: number; annotations: number }>(stats)).toMatchObject({ items: 300, annotations: 1 });
  });
});
