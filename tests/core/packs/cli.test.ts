import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../electron/core/db/open';
import { freshDir, jsonl, REPO_ROOT, writeFile } from '../helpers';

const TSX = path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx');

function annot(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(TSX, ['electron/cli/index.ts', ...args], { cwd: REPO_ROOT, timeout: 60_000, maxBuffer: 20 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') return reject(error);
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

const lastJson = <T>(r: { stdout: string; stderr: string }): T => {
  const lines = r.stdout.trim().split('\n');
  expect(lines.at(-1), r.stderr).toBeDefined();
  return JSON.parse(lines.at(-1)!) as T;
};

function count(db: string, sql: string): number {
  const d = openDatabase(db);
  try {
    return d.prepare(sql).pluck().get() as number;
  } finally {
    d.close();
  }
}

/** A lead database with `n` items and 4 gold items, and the packs for two annotators. */
async function leadWithPacks(n: number) {
  const dir = freshDir('annot-packs-cli-');
  const lead = path.join(dir, 'lead.db');
  const rows = [
    ...Array.from({ length: n }, (_, i) => ({ text: `客户问题${i + 1}：订单什么时候到`, meta: { channel: 'app' } })),
    ...Array.from({ length: 4 }, (_, i) => ({ text: `考核${i + 1}`, gold: true, intent: '投诉', annotator: 'gold' })),
  ];
  const file = writeFile(dir, 'items.jsonl', jsonl(rows));
  expect((await annot('import', '--db', lead, '--project', '售后', '--file', file, '--json')).code).toBe(0);
  const out = path.join(dir, 'packs');
  const assign = await annot('assign', '--db', lead, '--project', '售后', '--annotators', 'wang,li', '--overlap', '2', '--gold-share', '0.1', '--seed', '5', '--out', out, '--json');
  expect(assign.code, assign.stderr).toBe(0);
  return { dir, lead, out, assign: lastJson<{ assignment: string; packs: { annotator: string; file: string; items: number; gold: number }[] }>(assign) };
}

/** An annotator's database with the pack opened and every item labeled (straight through the CLI's database). */
async function annotatorWork(dir: string, pack: string, name: string): Promise<string> {
  const db = path.join(dir, `${name}.db`);
  const opened = await annot('pack', 'open', '--db', db, '--file', pack, '--annotator', name, '--json');
  expect(opened.code, opened.stderr).toBe(0);
  const { createCore } = await import('../../../electron/core');
  const core = createCore({ dbPath: db });
  try {
    const me = core.db.prepare('SELECT id FROM annotators WHERE name = ?').pluck().get(name) as string;
    const project = core.db.prepare('SELECT id FROM projects').pluck().get() as string;
    for (const item of core.db.prepare('SELECT id FROM items ORDER BY ord').pluck().all() as string[]) {
      const r = await core.dispatch('labeling.apply', { projectId: project, itemId: item, annotatorId: me, changes: [{ kind: 'intents', value: ['查询订单'] }, { kind: 'status', value: 'submitted' }] });
      expect(r.ok).toBe(true);
    }
  } finally {
    core.close();
  }
  const result = path.join(dir, `${name}.result.zip`);
  const returned = await annot('pack', 'return', '--db', db, '--project', '售后', '--annotator', name, '--out', result, '--json');
  expect(returned.code, returned.stderr).toBe(0);
  return result;
}

describe('annot assign / pack open|return|merge', () => {
  it('the contract: JSON keys, files per annotator, exit codes; a standard tool lists a pack', async () => {
    const { dir, lead, out, assign } = await leadWithPacks(20);
    expect(assign.packs.map((p) => [p.annotator, path.basename(p.file), p.items, p.gold])).toEqual([
      ['wang', 'wang.zip', 22, 2],
      ['li', 'li.zip', 22, 2],
    ]);
    expect(fs.readdirSync(out).sort()).toEqual(['li.zip', 'wang.zip']);
    const listing = await new Promise<string>((resolve) => execFile('unzip', ['-l', path.join(out, 'wang.zip')], (_e, stdout) => resolve(stdout)));
    expect(listing).toContain('items.jsonl');
    expect(listing).toContain('manifest.json');

    const opened = await annot('pack', 'open', '--db', path.join(dir, 'wang.db'), '--file', path.join(out, 'wang.zip'), '--annotator', 'wang', '--json');
    expect(lastJson(opened)).toMatchObject({ project: '售后', items: 22 });
    const wang = await annotatorWork(dir, path.join(out, 'wang.zip'), 'wang');
    const li = await annotatorWork(dir, path.join(out, 'li.zip'), 'li');
    const merged = await annot('pack', 'merge', '--db', lead, '--file', wang, '--file', li, '--json');
    expect(merged.code, merged.stderr).toBe(0);
    expect(lastJson(merged)).toMatchObject({ merged_events: 88, already_had: 0, refused: [] });
    const again = await annot('pack', 'merge', '--db', lead, '--file', wang, '--json');
    expect(lastJson(again)).toMatchObject({ merged_events: 0, already_had: 44, refused: [] });
    const broken = writeFile(dir, 'broken.zip', 'not a pack');
    const refused = await annot('pack', 'merge', '--db', lead, '--file', broken, '--json');
    expect(refused.code).toBe(1);
    expect(lastJson<{ refused: { file: string; reason: string }[] }>(refused).refused[0]).toMatchObject({ file: broken });
    expect(count(lead, "SELECT count(*) FROM annotations WHERE status = 'submitted'")).toBe(44 + 4);
    const bad = await annot('assign', '--db', lead, '--project', '售后', '--annotators', 'wang', '--overlap', '2', '--out', out);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--overlap must be an integer from 1 to 1');
  }, 180_000);

  it('kill -9 in the middle of a merge leaves nothing half-merged', async () => {
    const { dir, lead, out } = await leadWithPacks(300);
    const wang = await annotatorWork(dir, path.join(out, 'wang.zip'), 'wang');
    const rounds = Number(process.env.PACK_CRASH_ROUNDS ?? 4);
    const all = 2 * (300 + 4);
    const baseline = count(lead, 'SELECT count(*) FROM annotation_events');
    // How long a whole merge takes here, start-up included: the kills land from well before its end to well after.
    const timed = path.join(dir, 'lead-timed.db');
    fs.copyFileSync(lead, timed);
    const started = Date.now();
    expect((await annot('pack', 'merge', '--db', timed, '--file', wang)).code).toBe(0);
    const whole = Date.now() - started;
    const outcomes = new Set<number>();
    for (let round = 0; round < rounds; round++) {
      const copy = path.join(dir, `lead-${round}.db`);
      fs.copyFileSync(lead, copy);
      const child = spawn(TSX, ['electron/cli/index.ts', 'pack', 'merge', '--db', copy, '--file', wang], { cwd: REPO_ROOT, stdio: 'ignore' });
      const exited = new Promise((r) => child.once('exit', r));
      await new Promise((r) => setTimeout(r, whole * (0.4 + (2.6 * round) / Math.max(1, rounds - 1))));
      child.kill('SIGKILL');
      await exited;
      const events = count(copy, 'SELECT count(*) FROM annotation_events') - baseline;
      expect([0, all], `round ${round}: ${events} events`).toContain(events);
      const results = count(copy, 'SELECT count(*) FROM result_packs');
      expect(results).toBe(events ? 1 : 0);
      outcomes.add(events);
    }
    // Killed before its transaction committed, and after: both seen, neither half.
    if (rounds >= 4) expect([...outcomes].sort((a, b) => a - b)).toEqual([0, all]);
  }, 240_000);
});
