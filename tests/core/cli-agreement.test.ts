import { execFile } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { seedDemoProject } from '../../electron/core/services/demo';
import type { ProjectReport } from '../../shared/contract/reports';
import { freshDir, openCore, REPO_ROOT, writeFile } from './helpers';

const TSX = path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
const FIXTURES = path.join(REPO_ROOT, 'tests', 'fixtures', 'agreement');

function annot(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(TSX, ['electron/cli/index.ts', ...args], { cwd: REPO_ROOT, timeout: 90_000, maxBuffer: 50 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') return reject(error);
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

const json = async (...args: string[]) => {
  const r = await annot(...args, '--json');
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout.trim()) as Record<string, unknown> & { value: number; pairs?: { a: string; b: string; value: number }[] };
};

describe('annot agreement', () => {
  it('reproduces the published values on the reference ratings', async () => {
    const diagnoses = path.join(FIXTURES, 'fleiss-diagnoses.csv');
    const fleiss = await json('agreement', '--ratings', diagnoses, '--metric', 'fleiss');
    expect(fleiss).toMatchObject({ metric: 'fleiss', level: 'nominal', items: 30, annotators: 6 });
    expect(fleiss.value).toBeCloseTo(0.4302445, 6);
    expect((await json('agreement', '--ratings', diagnoses, '--metric', 'alpha')).value).toBeCloseTo(0.4334098, 6);
    const cohen = await json('agreement', '--ratings', diagnoses, '--metric', 'cohen');
    expect(cohen.pairs).toHaveLength(15);
    expect(cohen.pairs!.find((p) => p.a === 'r2' && p.b === 'r3')!.value).toBeCloseTo(0.6311475, 6);
    expect(cohen.value).toBeCloseTo(cohen.pairs!.reduce((s, p) => s + p.value, 0) / 15, 12);

    const k = path.join(FIXTURES, 'krippendorff-2011.csv');
    const published = { nominal: 0.743, ordinal: 0.815, interval: 0.849, ratio: 0.797 };
    for (const [level, value] of Object.entries(published)) {
      const r = await json('agreement', '--ratings', k, '--metric', 'alpha', '--level', level);
      expect(r).toMatchObject({ metric: 'alpha', level, items: 12, annotators: 4 });
      expect(r.value).toBeCloseTo(value, 3);
    }
    const text = await annot('agreement', '--ratings', k, '--metric', 'percent');
    expect(text.stdout).toMatch(/^percent agreement: 0\.818182 — 12 items, 4 annotators/);
  }, 120_000);

  it('two annotators: Cohen weighted, no pairs list; bad input is a clear error', async () => {
    const dir = freshDir();
    // Artstein & Poesio (2008): [[46,0,0],[6,32,6],[0,0,10]] → kappa 0.80132.
    const rows: string[] = [];
    const cells = [
      [46, 'a', 'a'],
      [6, 'b', 'a'],
      [32, 'b', 'b'],
      [6, 'b', 'c'],
      [10, 'c', 'c'],
    ] as const;
    for (const [n, x, y] of cells) for (let i = 0; i < n; i++) rows.push(`i${rows.length},${x},${y}`);
    const file = writeFile(dir, 'ap.csv', ['item,coder1,coder2', ...rows].join('\n'));
    const r = await json('agreement', '--ratings', file, '--metric', 'cohen');
    expect(r.value).toBeCloseTo(0.80132, 5);
    expect(r.pairs).toBeUndefined();
    expect((await json('agreement', '--ratings', file, '--metric', 'cohen', '--weights', 'linear')).weights).toBe('linear');

    const bad = writeFile(dir, 'bad.csv', 'item,a,b\nx,1,2\nx,1,1\n');
    const dup = await annot('agreement', '--ratings', bad, '--metric', 'fleiss');
    expect(dup.code).toBe(1);
    expect(dup.stderr).toContain(`${bad}: line 3: item "x" appears twice`);
    const wide = writeFile(dir, 'wide.csv', 'item,a,b\nx,1,2,3\n');
    expect((await annot('agreement', '--ratings', wide, '--metric', 'fleiss')).stderr).toContain('line 2: 4 cells, the header has 3');
    expect((await annot('agreement', '--ratings', file, '--metric', 'nope')).code).toBe(2);
    // Labels on an ordinal scale need their order: c < a < b reverses the distances of a, b, c.
    const ordered = await json('agreement', '--ratings', file, '--metric', 'cohen', '--weights', 'quadratic', '--order', 'c,a,b');
    const sorted = await json('agreement', '--ratings', file, '--metric', 'cohen', '--weights', 'quadratic');
    expect(ordered.value).not.toBeCloseTo(sorted.value, 3);
    expect((await annot('agreement', '--ratings', file, '--metric', 'alpha', '--level', 'ordinal', '--order', 'a,b')).stderr).toContain(
      '--order does not list "c"',
    );
    expect((await annot('agreement', '--ratings', file, '--metric', 'fleiss', '--level', 'ordinal')).code).toBe(2);
  }, 120_000);
});

describe('annot report', () => {
  it('prints the demo project report as JSON and writes HTML/CSV files', async () => {
    const { core, dir, dbPath } = openCore();
    const project = (await seedDemoProject(core.db, core.runtime, core.imports, path.join(REPO_ROOT, 'resources', 'demo', 'demo-items.jsonl')))!;
    core.close();
    const out = await annot('report', '--db', dbPath, '--project', project.name, '--json');
    expect(out.code, out.stderr).toBe(0);
    const report = JSON.parse(out.stdout.trim()) as ProjectReport;
    expect(report.projectName).toBe(project.name);
    expect(report.totals.goldItems).toBeGreaterThan(0);
    const html = path.join(dir, 'r.html');
    expect((await annot('report', '--db', dbPath, '--project', project.name, '--out', html, '--lang', 'en')).code).toBe(0);
    expect((await import('node:fs')).readFileSync(html, 'utf8')).toContain('Quality report');
    expect((await annot('report', '--db', dbPath, '--project', 'nope')).code).toBe(1);
    expect((await annot('report', '--db', dbPath, '--project', project.name, '--out', path.join(dir, 'r.txt'))).code).toBe(2);
  }, 120_000);
});
