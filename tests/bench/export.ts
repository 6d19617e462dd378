/**
 * npm run bench -- export [--items=N] [--runs=R] [--redact=MODE] [--busy-decisions=N] [--no-busy] [--busy-via=core|process]
 *                         [--synchronous=FULL|NORMAL]
 *
 * A project of N labelled items (default 1,000,000; one annotator each: intent, sentiment, spans of five
 * entity types, one of them personal; ~2.5 % exact duplicates), written straight with SQL
 * (export-data.ts). Then, each in a fresh process of its own (export-run.ts, so its peak RSS is the
 * export's and not the data generator's), alternately, R times (default 2):
 *   raw        a bare SELECT of the same rows, JSON.stringify of each, one file written
 *   hf-jsonl   the export to hf-jsonl alone
 *   full       the export to hf-jsonl + parquet + conll
 * every export with 0.8/0.1/0.1 splits, exact dedup and redaction (placeholder by default).
 * Medians: seconds (full), hf_jsonl_seconds, raw_seconds; ratio_vs_raw = raw / hf-jsonl (budget ≥ 0.5);
 * peak_rss_mb of the full export (budget < 300 MB).
 * Then the labeling loop (labeling.apply + labeling.next through CoreClient, the app's boundary, on a
 * project of its own in the same file) idle, while a full export runs (export.start through the same
 * CoreClient: the core's exports job thread, as in the app; --busy-via=process: a process of its own),
 * and idle again: busy_p95_ratio = busy p95 / idle p95 (budget ≤ 1.25).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createCore } from '../../electron/core';
import { CoreClient } from '../../electron/core/threads/coreClient';
import type { ExportStatus } from '../../shared/contract/export';
import type { LabelingItem } from '../../shared/contract/schemas';
import { writeExportProject } from './export-data';
import { fillProject } from './million';
import { median, percentile, round } from './stats';

const ROOT = resolve(__dirname, '../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const FULL = 'hf-jsonl,parquet,conll';
const LABEL_ITEMS = 50_000;
const INTENTS = ['查询订单', '物流进度', '退换货', '投诉', '咨询活动'];
/** One decision every this many ms, as in labelingBusy.ts. */
const PACE_MS = 4;
const WARM_UP_MS = 5_000;
const CHECK_WAIT_MS = 300_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const arg = (args: string[], name: string): string | undefined => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);

type Measured = Record<string, number>;

/** Runs export-run.ts in a child process; resolves to its last stdout line, parsed. */
function runChild(dbPath: string, projectId: string, outDir: string, mode: string, redact: string): Promise<Measured> {
  mkdirSync(outDir, { recursive: true });
  return new Promise((resolvePromise, reject) => {
    const child = spawn(TSX, [join(__dirname, 'export-run.ts'), dbPath, projectId, outDir, mode, redact], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`export-run ${mode} exited with ${code}`));
      resolvePromise(JSON.parse(out.trim().split('\n').pop()!) as Measured);
    });
  });
}

function value<T>(r: { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } }, what: string): T {
  if (!r.ok) throw new Error(`${what}: ${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

type Ok = <T>(channel: string, input: unknown) => Promise<T>;

/**
 * A full export the way the app runs it: export.start through CoreClient (on the exports job thread
 * of the core), polled with export.get until it ends.
 */
async function exportThroughCore(client: CoreClient, ok: Ok, projectId: string, outDir: string, redact: string): Promise<Measured> {
  mkdirSync(outDir, { recursive: true });
  const t0 = performance.now();
  const folderToken = await client.grant(outDir, 'export-folder');
  let s = await ok<ExportStatus>('export.start', {
    projectId,
    folderToken,
    formats: FULL.split(','),
    splits: [0.8, 0.1, 0.1],
    dedup: 'exact',
    redact,
    metaFields: ['channel'],
  });
  while (s.state === 'running') {
    await sleep(200);
    s = await ok<ExportStatus>('export.get', { exportId: s.id });
  }
  if (s.state !== 'done') throw new Error(`busy: the export ended ${s.state}: ${s.error?.message ?? ''}`);
  return { seconds: (performance.now() - t0) / 1000, items: s.result!.items };
}

/**
 * The labeling loop idle, while a full export runs, and idle again, through CoreClient on a project
 * of its own. The export runs through the same CoreClient (the app's path), or with `viaProcess` in
 * a process of its own.
 */
async function busyLabeling(
  dbPath: string,
  idleDecisions: number,
  synchronous: 'FULL' | 'NORMAL',
  exportJob: { projectId: string; outDir: string; redact: string; viaProcess: boolean },
): Promise<Measured> {
  const setup = createCore({ dbPath, database: { autoBackup: false } });
  const project = value<{ id: string }>(await setup.dispatch('projects.create', { name: 'busy-labeling' }), 'project');
  const annotator = value<{ id: string }>(await setup.dispatch('annotators.create', { name: 'busy' }), 'annotator');
  fillProject(setup.db, project.id, LABEL_ITEMS, 10_000_000);
  setup.db.pragma('wal_checkpoint(TRUNCATE)');
  setup.close();

  const client = await CoreClient.start({ dbPath, database: { synchronous, autoBackup: false } });
  try {
    const ok: Ok = async <T>(channel: string, input: unknown): Promise<T> => value<T>(await client.dispatch(channel, input), channel);
    const job = exportJob.viaProcess
      ? () => runChild(dbPath, exportJob.projectId, exportJob.outDir, FULL, exportJob.redact)
      : () => exportThroughCore(client, ok, exportJob.projectId, exportJob.outDir, exportJob.redact);
    let item = await ok<LabelingItem>('labeling.next', { projectId: project.id, annotatorId: annotator.id, afterOrd: 0 });
    let n = 0;
    const decide = async (): Promise<number> => {
      const t0 = performance.now();
      await ok('labeling.apply', {
        projectId: project.id,
        annotatorId: annotator.id,
        itemId: item.item.id,
        changes: [
          { kind: 'intents', value: [INTENTS[n++ % INTENTS.length]] },
          { kind: 'status', value: 'submitted' },
        ],
      });
      // Past the last item, round again (a decision on a labelled item is a decision like any other).
      item =
        (await ok<LabelingItem | null>('labeling.next', { projectId: project.id, annotatorId: annotator.id, afterOrd: item.item.ord })) ??
        (await ok<LabelingItem>('labeling.next', { projectId: project.id, annotatorId: annotator.id, afterOrd: 0, filter: { status: 'all' } }));
      return performance.now() - t0;
    };
    const loop = async (until: () => boolean): Promise<number[]> => {
      const times: number[] = [];
      while (!until()) {
        times.push(await decide());
        await sleep(PACE_MS);
      }
      return times;
    };
    // The core checks a big file (quick_check) on its maintenance thread after it starts: idle means after that.
    const waited = performance.now();
    while ((await ok<{ checkedAt: string | null }>('database.health', {})).checkedAt === null && performance.now() - waited < CHECK_WAIT_MS)
      await sleep(500);
    console.log(`busy: the core's start-up check took ${((performance.now() - waited) / 1000).toFixed(1)} s`);
    const warmUntil = performance.now() + WARM_UP_MS;
    for (let i = 0; i < 200 || performance.now() < warmUntil; i++) await decide();
    let count = 0;
    const idleBefore = await loop(() => count++ >= idleDecisions);
    let done = false;
    let failure: unknown = null;
    let measured: Measured = {};
    const started = performance.now();
    const work = job()
      .then((m) => (measured = m))
      .catch((error: unknown) => (failure = error))
      .finally(() => (done = true));
    const busy = await loop(() => done);
    await work;
    if (failure) throw failure;
    const busySeconds = (performance.now() - started) / 1000;
    count = 0;
    const idleAfter = await loop(() => count++ >= idleDecisions);
    const idleP95 = percentile([...idleBefore, ...idleAfter], 95);
    const busyP95 = percentile(busy, 95);
    console.log(
      `busy: idle p95 ${idleP95.toFixed(3)} ms (${percentile(idleBefore, 95).toFixed(3)} before, ${percentile(idleAfter, 95).toFixed(3)} after), ` +
        `busy p95 ${busyP95.toFixed(3)} ms, p99 ${percentile(busy, 99).toFixed(3)} ms over ${busy.length} decisions while the export ran for ${busySeconds.toFixed(1)} s`,
    );
    return {
      busy_p95_ratio: round(busyP95 / idleP95, 3),
      idle_p95_ms: round(idleP95),
      busy_p95_ms: round(busyP95),
      busy_p99_ms: round(percentile(busy, 99)),
      busy_decisions: busy.length,
      busy_export_seconds: round(measured.seconds ?? busySeconds, 2),
      busy_export_in_core: exportJob.viaProcess ? 0 : 1,
    };
  } finally {
    await client.close();
  }
}

export async function benchExport(args: string[]): Promise<Record<string, number>> {
  const items = Number(arg(args, 'items') ?? 1_000_000);
  const runs = Number(arg(args, 'runs') ?? 2);
  const redact = arg(args, 'redact') ?? 'placeholder';
  const idleDecisions = Number(arg(args, 'busy-decisions') ?? 400);
  const synchronous = arg(args, 'synchronous') === 'NORMAL' ? 'NORMAL' : 'FULL';
  const dir = mkdtempSync(join(tmpdir(), 'annot-bench-export-'));
  try {
    const dbPath = join(dir, 'export.db');
    console.log(`writing ${items.toLocaleString()} labelled items …`);
    const t0 = performance.now();
    const { projectId } = await writeExportProject(dbPath, items);
    console.log(`  in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const raw: Measured[] = [];
    const hf: Measured[] = [];
    const full: Measured[] = [];
    for (let r = 0; r < runs; r++) {
      const out = join(dir, `out-${r}`);
      raw.push(await runChild(dbPath, projectId, out, 'raw', redact));
      hf.push(await runChild(dbPath, projectId, out, 'hf-jsonl', redact));
      full.push(await runChild(dbPath, projectId, out, FULL, redact));
      rmSync(out, { recursive: true, force: true });
      console.log(
        `run ${r + 1}/${runs}: raw ${raw[r]!.seconds!.toFixed(2)} s; hf-jsonl ${hf[r]!.seconds!.toFixed(2)} s, ${hf[r]!.peak_rss_mb!.toFixed(0)} MB; ` +
          `full ${full[r]!.seconds!.toFixed(2)} s (scan ${full[r]!.scan_seconds!.toFixed(2)}, write ${full[r]!.write_seconds!.toFixed(2)}), ${full[r]!.peak_rss_mb!.toFixed(0)} MB, ${full[r]!.items} items`,
      );
    }
    const med = (xs: Measured[], key: string): number => median(xs.map((x) => x[key]!));
    const rawSeconds = med(raw, 'seconds');
    const hfSeconds = med(hf, 'seconds');
    const fullSeconds = med(full, 'seconds');
    let busy: Measured = { busy_p95_ratio: -1 };
    if (!args.includes('--no-busy')) {
      const viaProcess = arg(args, 'busy-via') === 'process';
      console.log(
        `labeling loop idle and while a full export runs ${viaProcess ? 'in a process of its own' : "on the core's exports job thread"} (synchronous=${synchronous}) …`,
      );
      busy = await busyLabeling(dbPath, idleDecisions, synchronous, { projectId, outDir: join(dir, 'out-busy'), redact, viaProcess });
    }
    const result = {
      items,
      seconds: round(fullSeconds),
      peak_rss_mb: round(Math.max(...full.map((x) => x.peak_rss_mb!), ...hf.map((x) => x.peak_rss_mb!)), 1),
      raw_seconds: round(rawSeconds),
      ratio_vs_raw: round(rawSeconds / hfSeconds, 3),
      hf_jsonl_seconds: round(hfSeconds),
      full_ratio_vs_raw: round(rawSeconds / fullSeconds, 3),
      exported: full[0]!.items!,
      full_scan_seconds: round(med(full, 'scan_seconds')),
      full_write_seconds: round(med(full, 'write_seconds')),
      full_cpu_seconds: round(med(full, 'cpu_seconds')),
      hf_jsonl_cpu_seconds: round(med(hf, 'cpu_seconds')),
      raw_cpu_seconds: round(med(raw, 'cpu_seconds')),
      cpu_ratio_vs_raw: round(med(raw, 'cpu_seconds') / med(hf, 'cpu_seconds'), 3),
      hf_jsonl_peak_rss_mb: round(med(hf, 'peak_rss_mb'), 1),
      raw_peak_rss_mb: round(med(raw, 'peak_rss_mb'), 1),
      ...busy,
    };
    const budgets = {
      peak_rss_mb: result.peak_rss_mb < 300,
      ratio_vs_raw: result.ratio_vs_raw >= 0.5,
      busy_p95_ratio: busy.busy_p95_ratio! >= 0 && busy.busy_p95_ratio! <= 1.25,
    };
    const missed = Object.entries(budgets)
      .filter(([, met]) => !met)
      .map(([k]) => k);
    console.log(missed.length ? `budgets missed: ${missed.join(', ')}` : 'every budget met');
    return { ...result, budgets_missed: missed.length };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
