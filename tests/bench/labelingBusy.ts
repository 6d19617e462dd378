import { join } from 'node:path';
import { createCore } from '../../electron/core';
import { CoreClient } from '../../electron/core/threads/coreClient';
import type { ImportStatus, LabelingItem } from '../../shared/contract/schemas';
import type { ProjectReport } from '../../shared/contract/reports';
import { writeImportFile } from './import-data';
import { fillProject } from './million';
import { writeReportsProject } from './reports-data';
import { percentile, round } from './stats';

const INTENTS = ['查询订单', '物流进度', '退换货', '投诉', '咨询活动', '支付问题', '账户问题'];
/** One decision every this many ms: far faster than a person, slow enough to be a loop of separate calls. */
const PACE_MS = 4;

export interface BusyOptions {
  dir: string;
  labelItems: number;
  reportItems: number;
  importRows: number;
  idleDecisions: number;
  /** false: long channels run on the core thread too (what the job threads buy). */
  jobThreads: boolean;
  synchronous: 'FULL' | 'NORMAL';
  /** Which long jobs run in the busy phase: the report and the import by default; 'search' adds ten searches first. */
  jobs: ('report' | 'import' | 'search')[];
}

async function ok<T>(client: CoreClient, channel: string, input: unknown): Promise<T> {
  const r = await client.dispatch(channel, input);
  if (!r.ok) throw new Error(`${channel}: ${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The labeling loop through the app's own boundary (CoreClient: the core thread, as Electron's main
 * process talks to it), idle, and while a full report over a million annotations and a million-line
 * import run. The ratio of the loop's p95 busy over idle is the budget (<= 1.25).
 */
export async function benchBusyLabeling(o: BusyOptions): Promise<Record<string, number>> {
  const dbPath = join(o.dir, 'busy.db');
  console.log(`busy: writing ${o.reportItems.toLocaleString()} items × 5 annotators for the report …`);
  const { projectId: reportProject, annotations } = await writeReportsProject(dbPath, o.reportItems);
  const setup = createCore({ dbPath });
  const created = await setup.dispatch('projects.create', { name: 'busy-labeling' });
  const incoming = await setup.dispatch('projects.create', { name: 'busy-import' });
  const annotator = await setup.dispatch('annotators.create', { name: 'busy' });
  if (!created.ok || !incoming.ok || !annotator.ok) throw new Error('busy: setup failed');
  const projectId = (created.value as { id: string }).id;
  const importProject = (incoming.value as { id: string }).id;
  const annotatorId = (annotator.value as { id: string }).id;
  console.log(`busy: filling ${o.labelItems.toLocaleString()} items to label, writing a ${o.importRows.toLocaleString()}-line file …`);
  fillProject(setup.db, projectId, o.labelItems, 10_000_000);
  setup.db.pragma('wal_checkpoint(TRUNCATE)');
  setup.close();
  const file = join(o.dir, 'incoming.jsonl');
  await writeImportFile(file, o.importRows);

  // Automatic backups are off: every 200 decisions of this loop (a second's work) would copy the whole
  // database; they are a job of their own (the maintenance thread), measured by their own tests.
  const client = await CoreClient.start({ dbPath, jobThreads: o.jobThreads, database: { synchronous: o.synchronous, autoBackup: false } });
  let item = await ok<LabelingItem>(client, 'labeling.next', { projectId, annotatorId, afterOrd: 0 });
  let n = 0;
  const decide = async (): Promise<number> => {
    const t0 = performance.now();
    await ok(client, 'labeling.apply', {
      projectId,
      annotatorId,
      itemId: item.item.id,
      changes: [
        { kind: 'intents', value: [INTENTS[n++ % INTENTS.length]] },
        { kind: 'status', value: 'submitted' },
      ],
    });
    item = await ok<LabelingItem>(client, 'labeling.next', { projectId, annotatorId, afterOrd: item.item.ord });
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
  try {
    for (let i = 0; i < 200; i++) await decide(); // warm-up
    let count = 0;
    const searchBusy: number[] = [];
    const idleBefore = await loop(() => count++ >= o.idleDecisions);

    console.log('busy: the report and the import start; the loop goes on …');
    const started = performance.now();
    let reportSeconds = 0;
    let importSeconds = 0;
    if (o.jobs.includes('search')) {
      // Searches over the report project's 1M items on the reader thread, before the report and import.
      let searched = false;
      void (async () => {
        for (let i = 0; i < 10; i++) await ok(client, 'items.list', { projectId: reportProject, search: `找不到${i}` });
        searched = true;
      })();
      searchBusy.push(...(await loop(() => searched)));
    }
    const report = (o.jobs.includes('report') ? ok<ProjectReport>(client, 'reports.project', { projectId: reportProject }) : Promise.resolve(null)).then((r) => {
      reportSeconds = (performance.now() - started) / 1000;
      return r;
    });
    const token = await client.grant(file, 'import');
    const importing = (async () => {
      if (!o.jobs.includes('import')) return null;
      let s = await ok<ImportStatus>(client, 'imports.start', { projectId: importProject, fileToken: token, format: 'jsonl', onBadLines: 'abort' });
      while (s.state === 'running') {
        await sleep(200);
        s = await ok<ImportStatus>(client, 'imports.get', { importId: s.id });
      }
      importSeconds = (performance.now() - started) / 1000;
      if (s.state !== 'committed') throw new Error(`busy: the import ended ${s.state}: ${s.fatal?.reason ?? ''}`);
      return s;
    })();
    let done = 0;
    void report.finally(() => done++);
    void importing.finally(() => done++);
    const busy = await loop(() => done === 2);
    const [reported, imported] = await Promise.all([report, importing]);
    count = 0;
    const idleAfter = await loop(() => count++ >= o.idleDecisions);

    const idle = [...idleBefore, ...idleAfter];
    const idleP95 = percentile(idle, 95);
    const busyP95 = percentile(busy, 95);
    console.log(
      `busy: idle p95 ${idleP95.toFixed(3)} ms (${percentile(idleBefore, 95).toFixed(3)} before, ${percentile(idleAfter, 95).toFixed(3)} after), ` +
        `busy p95 ${busyP95.toFixed(3)} ms over ${busy.length} decisions; report ${reportSeconds.toFixed(1)} s (${reported?.totals.annotations ?? 0} annotations), ` +
        `import ${importSeconds.toFixed(1)} s (${imported?.imported ?? 0} items)`,
    );
    return {
      busy_p95_ratio: round(busyP95 / idleP95, 3),
      idle_p95_ms: round(idleP95),
      busy_p95_ms: round(busyP95),
      busy_p99_ms: round(percentile(busy, 99)),
      busy_decisions: busy.length,
      busy_report_annotations: annotations,
      busy_report_seconds: round(reportSeconds, 2),
      busy_import_rows: imported?.imported ?? 0,
      busy_import_seconds: round(importSeconds, 2),
      ...(searchBusy.length ? { search_p95_ratio: round(percentile(searchBusy, 95) / idleP95, 3) } : {}),
    };
  } finally {
    await client.close();
  }
}
