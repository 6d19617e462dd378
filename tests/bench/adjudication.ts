/**
 * npm run bench -- adjudication [--items=N] [--busy-decisions=N] [--synchronous=FULL|NORMAL]
 *
 * A team project of N items (default 200,000) × 3 annotators (intents over ten labels, sentiment
 * over three levels, spans), ~30 % disputed on some field, written straight with SQL as an import
 * writes it (tests/bench/adjudication-data.ts). Then, in a fresh process of its own (so its peak RSS
 * is the adjudication's, not the data generator's), through core.dispatch:
 *   refresh_seconds      the first full refresh of the queue (adjudication.queue)
 *   auto_seconds         adjudication.auto unanimous, then majority, over every item (their sum)
 *   dawid_skene_seconds  adjudication.auto dawid-skene
 *   next_p95_ms          adjudication.next (the next disputed item with its versions), walking with afterItemId
 *   peak_rss_mb          process.resourceUsage().maxRSS / 1024 of that process
 * and, on a copy of the database through CoreClient (the core thread and its job threads, as the app
 * runs them), the labeling loop (labeling.apply + labeling.next on another project of the same file)
 * idle and while adjudication.auto unanimous + majority run on a job thread:
 *   labeling_busy_p95_ratio  busy p95 / idle p95
 * Budgets: next p95 < 5 ms; unanimous + majority < 5 s; Dawid–Skene < 10 s; RSS < 500 MB; ratio <= 1.25.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createCore } from '../../electron/core';
import { CoreClient } from '../../electron/core/threads/coreClient';
import type { AdjudicationItem, AdjudicationQueue, AutoResult } from '../../shared/contract/adjudication';
import type { LabelingItem } from '../../shared/contract/schemas';
import { writeTeamProject } from './adjudication-data';
import { fillProject } from './million';
import { percentile, round } from './stats';

const ROOT = resolve(__dirname, '../..');
const NEXT_CALLS = 600;
const NEXT_WARMUP = 20;
const LABEL_ITEMS = 20_000;
const INTENTS = ['查询订单', '物流进度', '退换货', '投诉', '咨询活动'];
/** One decision every this many ms, as in labelingBusy.ts. */
const PACE_MS = 4;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const arg = (args: string[], name: string): string | undefined => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);

interface Measured {
  refresh_seconds: number;
  unanimous_seconds: number;
  majority_seconds: number;
  auto_seconds: number;
  dawid_skene_seconds: number;
  refresh_cpu_seconds: number;
  auto_cpu_seconds: number;
  dawid_skene_cpu_seconds: number;
  next_p50_ms: number;
  next_p95_ms: number;
  next_p99_ms: number;
  next_calls: number;
  peak_rss_mb: number;
  queued: number;
  unanimous_resolved: number;
  majority_resolved: number;
  majority_disputed: number;
  majority_written: number;
  dawid_skene_resolved: number;
  dawid_skene_disputed: number;
}

function value<T>(r: { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } }, what: string): T {
  if (!r.ok) throw new Error(`${what}: ${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

/** The measured part, in its own process: tsx tests/bench/adjudication.ts --measure DB PROJECT_ID */
async function measure(dbPath: string, projectId: string): Promise<Measured> {
  const core = createCore({ dbPath, database: { autoBackup: false } });
  try {
    const reviewer = value<{ id: string }>(await core.dispatch('annotators.create', { name: '审核员' }), 'reviewer');
    value(await core.dispatch('annotators.setRoles', { annotatorId: reviewer.id, roles: ['reviewer'] }), 'roles');
    const cpu: Record<string, number> = {};
    const timed = async <T>(what: string, run: () => Promise<T>): Promise<[T, number]> => {
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      const out = await run();
      const s = (performance.now() - t0) / 1000;
      const c = process.cpuUsage(c0);
      cpu[what] = (c.user + c.system) / 1e6;
      process.stderr.write(`  ${what}: ${s.toFixed(3)} s (${cpu[what]!.toFixed(3)} s of CPU)\n`);
      return [out, s];
    };
    const [queue, refresh] = await timed('refresh', async () =>
      value<AdjudicationQueue>(await core.dispatch('adjudication.queue', { projectId, limit: 50 }), 'queue'),
    );
    const auto = (policy: string) => async () => value<AutoResult>(await core.dispatch('adjudication.auto', { projectId, policy }), policy);
    const [unanimous, unanimousSeconds] = await timed('auto unanimous', auto('unanimous'));
    const [majority, majoritySeconds] = await timed('auto majority', auto('majority'));
    process.stderr.write(`  after majority: ${JSON.stringify(majority)}\n`);

    const times: number[] = [];
    let after: string | null = null;
    for (let i = 0; i < NEXT_WARMUP + NEXT_CALLS; i++) {
      const t0 = performance.now();
      const item: AdjudicationItem | null = value<AdjudicationItem | null>(
        await core.dispatch('adjudication.next', { projectId, reviewerId: reviewer.id, afterItemId: after }),
        'next',
      );
      const ms = performance.now() - t0;
      if (!item) {
        if (after === null) throw new Error('no disputed item to walk');
        after = null; // the end of the queue: round again
        continue;
      }
      if (item.versions.length < 2 || item.state !== 'disputed') throw new Error(`next gave ${item.state} with ${item.versions.length} versions`);
      if (i >= NEXT_WARMUP) times.push(ms);
      after = item.itemId;
    }
    const [ds, dsSeconds] = await timed('auto dawid-skene', auto('dawid-skene'));
    process.stderr.write(`  after dawid-skene: ${JSON.stringify(ds)}\n`);
    return {
      refresh_seconds: round(refresh),
      unanimous_seconds: round(unanimousSeconds),
      majority_seconds: round(majoritySeconds),
      auto_seconds: round(unanimousSeconds + majoritySeconds),
      dawid_skene_seconds: round(dsSeconds),
      refresh_cpu_seconds: round(cpu.refresh!),
      auto_cpu_seconds: round(cpu['auto unanimous']! + cpu['auto majority']!),
      dawid_skene_cpu_seconds: round(cpu['auto dawid-skene']!),
      next_p50_ms: round(percentile(times, 50)),
      next_p95_ms: round(percentile(times, 95)),
      next_p99_ms: round(percentile(times, 99)),
      next_calls: times.length,
      peak_rss_mb: round(process.resourceUsage().maxRSS / 1024, 1),
      queued: queue.total,
      unanimous_resolved: unanimous.resolved,
      majority_resolved: majority.resolved,
      majority_disputed: majority.disputed,
      majority_written: majority.written,
      dawid_skene_resolved: ds.resolved,
      dawid_skene_disputed: ds.disputed,
    };
  } finally {
    core.close();
  }
}

/**
 * The labeling loop through CoreClient on a project of its own in the same file, idle, then while
 * adjudication.auto (unanimous, then majority: the queue's first refresh, then the writes) runs on
 * a job thread, then idle again.
 */
async function busyLabeling(
  dbPath: string,
  projectId: string,
  idleDecisions: number,
  synchronous: 'FULL' | 'NORMAL',
): Promise<Record<string, number>> {
  const setup = createCore({ dbPath, database: { autoBackup: false } });
  const labelProject = value<{ id: string }>(await setup.dispatch('projects.create', { name: 'busy-labeling' }), 'project');
  const annotator = value<{ id: string }>(await setup.dispatch('annotators.create', { name: 'busy' }), 'annotator');
  fillProject(setup.db, labelProject.id, LABEL_ITEMS, 10_000_000);
  setup.db.pragma('wal_checkpoint(TRUNCATE)');
  setup.close();

  const client = await CoreClient.start({ dbPath, database: { synchronous, autoBackup: false } });
  try {
    const ok = async <T>(channel: string, input: unknown): Promise<T> => value<T>(await client.dispatch(channel, input), channel);
    let item = await ok<LabelingItem>('labeling.next', { projectId: labelProject.id, annotatorId: annotator.id, afterOrd: 0 });
    let n = 0;
    const decide = async (): Promise<number> => {
      const t0 = performance.now();
      await ok('labeling.apply', {
        projectId: labelProject.id,
        annotatorId: annotator.id,
        itemId: item.item.id,
        changes: [
          { kind: 'intents', value: [INTENTS[n++ % INTENTS.length]] },
          { kind: 'status', value: 'submitted' },
        ],
      });
      item = await ok<LabelingItem>('labeling.next', { projectId: labelProject.id, annotatorId: annotator.id, afterOrd: item.item.ord });
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
    for (let i = 0; i < 200; i++) await decide(); // warm-up
    let count = 0;
    const idleBefore = await loop(() => count++ >= idleDecisions);
    let done = false;
    const started = performance.now();
    const seconds: number[] = [];
    const results: AutoResult[] = [];
    // A failure is caught at once: a rejection left unhandled while the loop runs would end the process.
    let failure: unknown = null;
    const work = (async () => {
      for (const policy of ['unanimous', 'majority']) {
        const t0 = performance.now();
        results.push(await ok<AutoResult>('adjudication.auto', { projectId, policy }));
        seconds.push((performance.now() - t0) / 1000);
      }
    })()
      .catch((error: unknown) => {
        failure = error;
      })
      .finally(() => (done = true));
    const busy = await loop(() => done);
    await work;
    if (failure) throw failure;
    const busySeconds = (performance.now() - started) / 1000;
    count = 0;
    const idleAfter = await loop(() => count++ >= idleDecisions);
    const idle = [...idleBefore, ...idleAfter];
    const idleP95 = percentile(idle, 95);
    const busyP95 = percentile(busy, 95);
    console.log(
      `busy: idle p95 ${idleP95.toFixed(3)} ms (${percentile(idleBefore, 95).toFixed(3)} before, ${percentile(idleAfter, 95).toFixed(3)} after), ` +
        `busy p95 ${busyP95.toFixed(3)} ms over ${busy.length} decisions while auto ran on a job thread for ${busySeconds.toFixed(1)} s ` +
        `(unanimous ${seconds[0]!.toFixed(2)} s incl. the queue's first refresh, majority ${seconds[1]!.toFixed(2)} s; majority resolved ${results[1]!.resolved})`,
    );
    return {
      labeling_busy_p95_ratio: round(busyP95 / idleP95, 3),
      labeling_idle_p95_ms: round(idleP95),
      labeling_busy_p95_ms: round(busyP95),
      labeling_busy_p99_ms: round(percentile(busy, 99)),
      labeling_busy_decisions: busy.length,
      busy_auto_job_seconds: round(busySeconds, 2),
    };
  } finally {
    await client.close();
  }
}

export async function benchAdjudication(args: string[]): Promise<Record<string, number>> {
  const items = Number(arg(args, 'items') ?? 200_000);
  const idleDecisions = Number(arg(args, 'busy-decisions') ?? 400);
  const synchronous = arg(args, 'synchronous') === 'NORMAL' ? 'NORMAL' : 'FULL';
  const dir = mkdtempSync(join(tmpdir(), 'annot-bench-adjudication-'));
  try {
    const dbPath = join(dir, 'adjudication.db');
    console.log(`writing ${items.toLocaleString()} items × 3 annotators (annotations and their events) …`);
    const t0 = performance.now();
    const team = await writeTeamProject(dbPath, items);
    const writeSeconds = (performance.now() - t0) / 1000;
    console.log(
      `  ${team.annotations.toLocaleString()} annotations, ${team.events.toLocaleString()} events, ${team.disputedItems.toLocaleString()} items disputed ` +
        `(${team.splitItems.toLocaleString()} split three ways) in ${writeSeconds.toFixed(1)} s`,
    );
    const pristine = join(dir, 'pristine.db');
    copyFileSync(dbPath, pristine);
    console.log('measuring refresh, auto, next and Dawid–Skene in a fresh process …');
    const out = execFileSync(join(ROOT, 'node_modules/.bin/tsx'), [__filename, '--measure', dbPath, team.projectId], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 16 * 1024 * 1024,
    });
    const measured = JSON.parse(out.trim().split('\n').pop()!) as Measured;
    console.log(`  ${JSON.stringify(measured)}`);

    console.log(`labeling loop idle and while adjudication.auto runs on a job thread (synchronous=${synchronous}) …`);
    let busy: Record<string, number> = { labeling_busy_p95_ratio: -1, busy_failed: 1 };
    for (let attempt = 1; attempt <= 2; attempt++) {
      const busyPath = join(dir, `busy-${attempt}.db`);
      copyFileSync(pristine, busyPath);
      try {
        busy = await busyLabeling(busyPath, team.projectId, idleDecisions, synchronous);
        break;
      } catch (error) {
        console.log(`busy: attempt ${attempt} failed: ${(error as Error).message}`);
      }
    }
    const budgets = {
      next_p95_ms: measured.next_p95_ms < 5,
      auto_seconds: measured.auto_seconds < 5,
      dawid_skene_seconds: measured.dawid_skene_seconds < 10,
      peak_rss_mb: measured.peak_rss_mb < 500,
      labeling_busy_p95_ratio: busy.labeling_busy_p95_ratio! >= 0 && busy.labeling_busy_p95_ratio! <= 1.25,
    };
    const missed = Object.entries(budgets)
      .filter(([, met]) => !met)
      .map(([k]) => k);
    console.log(missed.length ? `budgets missed: ${missed.join(', ')}` : 'every budget met');
    return {
      items,
      next_p95_ms: measured.next_p95_ms,
      auto_seconds: measured.auto_seconds,
      dawid_skene_seconds: measured.dawid_skene_seconds,
      peak_rss_mb: measured.peak_rss_mb,
      refresh_seconds: measured.refresh_seconds,
      labeling_busy_p95_ratio: busy.labeling_busy_p95_ratio!,
      refresh_cpu_seconds: measured.refresh_cpu_seconds,
      auto_cpu_seconds: measured.auto_cpu_seconds,
      dawid_skene_cpu_seconds: measured.dawid_skene_cpu_seconds,
      unanimous_seconds: measured.unanimous_seconds,
      majority_seconds: measured.majority_seconds,
      next_p50_ms: measured.next_p50_ms,
      next_p99_ms: measured.next_p99_ms,
      next_calls: measured.next_calls,
      queued: measured.queued,
      disputed_written: team.disputedItems,
      unanimous_resolved: measured.unanimous_resolved,
      majority_resolved: measured.majority_resolved,
      majority_disputed: measured.majority_disputed,
      dawid_skene_resolved: measured.dawid_skene_resolved,
      dawid_skene_disputed: measured.dawid_skene_disputed,
      annotations: team.annotations,
      annotation_events: team.events,
      write_seconds: round(writeSeconds, 2),
      ...busy,
      budgets_missed: missed.length,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module && process.argv[2] === '--measure') {
  void measure(process.argv[3]!, process.argv[4]!).then((m) => process.stdout.write(`${JSON.stringify(m)}\n`));
}
