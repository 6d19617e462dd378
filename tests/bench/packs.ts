/**
 * npm run bench -- packs [--items=N]
 *
 * Assign N items (default 1,000,000) to 10 annotators with overlap 2 (packs of N/5 items), make one
 * result pack per annotator (N/5 events each), merge the ten, and, on a copy of the database after
 * assigning, insert the same events with a bare INSERT (the baseline). Each step in a process of its
 * own (tests/bench/packs-run.ts). Budgets: merge >= 0.5 of the raw inserts; RSS < 300 MB.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createCore } from '../../electron/core';
import { fillProject } from './million';
import { round } from './stats';

const ROOT = resolve(__dirname, '../..');

interface Step {
  seconds: number;
  cpu_seconds: number;
  peak_rss_mb: number;
}

function step(...args: string[]): Step {
  const out = execFileSync(join(ROOT, 'node_modules/.bin/tsx'), [join(__dirname, 'packs-run.ts'), ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(out.trim().split('\n').pop()!) as Step;
}

export async function benchPacks(args: string[]): Promise<Record<string, number>> {
  const items = Number(args.find((a) => a.startsWith('--items='))?.slice(8) ?? 1_000_000);
  const dir = mkdtempSync(join(tmpdir(), 'annot-bench-packs-'));
  try {
    const db = join(dir, 'lead.db');
    const core = createCore({ dbPath: db });
    const created = await core.dispatch('projects.create', { name: 'bench' });
    if (!created.ok) throw new Error(created.error.message);
    const projectId = (created.value as { id: string }).id;
    console.log(`writing ${items.toLocaleString()} items …`);
    fillProject(core.db, projectId, items);
    core.close();
    const out = join(dir, 'packs');
    mkdirSync(out);
    console.log('assigning (10 annotators, overlap 2) …');
    const assign = step('assign', db, projectId, out);
    console.log(`assign ${assign.seconds.toFixed(1)} s, ${assign.peak_rss_mb.toFixed(0)} MB`);
    step('results', db, out);
    const rawDb = join(dir, 'raw.db');
    copyFileSync(db, rawDb);
    console.log('merging 10 result packs …');
    const merge = step('merge', db, out);
    console.log(`merge ${merge.seconds.toFixed(1)} s, ${merge.peak_rss_mb.toFixed(0)} MB`);
    const raw = step('raw', rawDb, out);
    console.log(`raw inserts ${raw.seconds.toFixed(1)} s`);
    return {
      items,
      assign_seconds: round(assign.seconds),
      merge_seconds: round(merge.seconds),
      raw_insert_seconds: round(raw.seconds),
      merge_ratio_vs_raw: round(raw.seconds / merge.seconds, 2),
      peak_rss_mb: round(Math.max(assign.peak_rss_mb, merge.peak_rss_mb), 1),
      assign_peak_rss_mb: round(assign.peak_rss_mb, 1),
      merge_peak_rss_mb: round(merge.peak_rss_mb, 1),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
