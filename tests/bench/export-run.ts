/**
 * One measured export, in a process of its own so its peak RSS is the export's; or, with `raw`, the
 * baseline: a bare SELECT of the same rows (the item and its annotation), JSON.stringify of each, and
 * one file written through a write stream.
 * usage: tsx tests/bench/export-run.ts DB PROJECT_ID OUT_DIR (raw | FORMATS [REDACT])
 * prints {"seconds": s, "items": n, "peak_rss_mb": m, ...}
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { openDatabase } from '../../electron/core/db/open';
import { runExport, type ExportOptions } from '../../electron/core/export/pipeline';
import type { ExportFormat } from '../../electron/core/export/types';

const RAW_SQL = `SELECT i.id, i.ord, i.text, i.meta_json, a.intents_json, a.sentiment, a.entities_json
  FROM items i JOIN annotations a ON a.item_id = i.id WHERE i.project_id = ? ORDER BY i.ord`;

async function raw(dbPath: string, projectId: string, outDir: string): Promise<Record<string, number>> {
  const db = openDatabase(dbPath);
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const out = createWriteStream(join(outDir, 'raw.jsonl'));
  let rows = 0;
  for (const row of db.prepare(RAW_SQL).iterate(projectId)) {
    rows++;
    if (!out.write(`${JSON.stringify(row)}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'close');
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  db.close();
  return { seconds, cpu_seconds: (cpu.user + cpu.system) / 1e6, items: rows, peak_rss_mb: process.resourceUsage().maxRSS / 1024 };
}

/** The largest heap and off-heap figures seen, sampled every 50 ms (where the peak RSS goes). */
let currentPhase = 0;
const PHASES = ['setup', 'scan', 'write', 'finish'];

function sampleMemory(): () => Record<string, number> {
  const peak = { heap_total_mb: 0, heap_used_mb: 0, external_mb: 0, array_buffers_mb: 0, rss_sampled_mb: 0, rss_peak_phase: 0 };
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    if (m.rss / 2 ** 20 > peak.rss_sampled_mb) {
      peak.rss_sampled_mb = m.rss / 2 ** 20;
      peak.rss_peak_phase = currentPhase;
    }
    peak.heap_total_mb = Math.max(peak.heap_total_mb, m.heapTotal / 2 ** 20);
    peak.heap_used_mb = Math.max(peak.heap_used_mb, m.heapUsed / 2 ** 20);
    peak.external_mb = Math.max(peak.external_mb, m.external / 2 ** 20);
    peak.array_buffers_mb = Math.max(peak.array_buffers_mb, m.arrayBuffers / 2 ** 20);
  }, 50);
  timer.unref();
  return () => {
    clearInterval(timer);
    return peak;
  };
}

async function exportOnce(
  dbPath: string,
  projectId: string,
  outDir: string,
  formats: ExportFormat[],
  redact: ExportOptions['redact'],
): Promise<Record<string, number>> {
  const db = openDatabase(dbPath);
  const memory = sampleMemory();
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const phases: Record<string, number> = {};
  let phase = '';
  let phaseStart = t0;
  const result = await runExport(
    db,
    {
      projectId,
      outDir,
      formats,
      labels: 'consensus',
      minAnnotators: 1,
      splits: [0.8, 0.1, 0.1],
      seed: 42,
      dedup: 'exact',
      redact,
      includeGold: false,
      metaFields: ['channel'],
      appVersion: 'bench',
      name: `bundle-${formats.join('+')}`,
    },
    (p) => {
      if (p.phase === phase) return;
      const now = performance.now();
      if (phase) phases[`${phase}_seconds`] = (now - phaseStart) / 1000;
      phase = p.phase;
      phaseStart = now;
      currentPhase = PHASES.indexOf(p.phase);
    },
  );
  const now = performance.now();
  if (phase) phases[`${phase}_seconds`] = (now - phaseStart) / 1000;
  const seconds = (now - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  db.close();
  return {
    seconds,
    cpu_seconds: (cpu.user + cpu.system) / 1e6,
    items: result.items,
    files: result.files.length,
    bytes: result.files.reduce((a, f) => a + f.bytes, 0),
    redacted: Object.values(result.redaction).reduce((a, n) => a + n, 0),
    dedup_removed: result.dedup.removed,
    ...phases,
    ...memory(),
    peak_rss_mb: process.resourceUsage().maxRSS / 1024,
  };
}

const [dbPath, projectId, outDir, mode, redact] = process.argv.slice(2);
void (
  mode === 'raw'
    ? raw(dbPath!, projectId!, outDir!)
    : exportOnce(dbPath!, projectId!, outDir!, mode!.split(',') as ExportFormat[], (redact ?? 'placeholder') as ExportOptions['redact'])
).then((r) => process.stdout.write(`${JSON.stringify(r)}\n`));
