import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { writeReportsProject } from './reports-data';
import { median, round } from './stats';

const ROOT = resolve(__dirname, '../..');

/**
 * The full project and per-annotator report over 1,000,000 annotations (200,000 items × 5
 * annotators; intents, sentiment and spans), each run in a fresh process, against a bare one-thread
 * read of the fields it needs, measured alternately in the same run. Budget: < 2 s, < 500 MB.
 */
export async function benchReports(args: string[]): Promise<Record<string, number>> {
  const items = Number(args.find((a) => a.startsWith('--items='))?.slice(8) ?? 200_000);
  const runs = Number(args.find((a) => a.startsWith('--runs='))?.slice(7) ?? 5);
  const dir = mkdtempSync(join(tmpdir(), 'annot-bench-reports-'));
  try {
    const db = join(dir, 'reports.db');
    console.log(`writing ${items.toLocaleString()} items × 5 annotators …`);
    const { projectId, annotations } = await writeReportsProject(db, items);
    const run = (...mode: string[]): { seconds: number; peak_rss_mb: number } => {
      const out = execFileSync(join(ROOT, 'node_modules/.bin/tsx'), [join(__dirname, 'reports-run.ts'), db, projectId, ...mode], {
        encoding: 'utf8',
      });
      return JSON.parse(out.trim().split('\n').pop()!) as { seconds: number; peak_rss_mb: number };
    };
    // Alternating, in the same run: the report, and the baseline of reading its fields bare.
    const results: { seconds: number; peak_rss_mb: number }[] = [];
    const raw: { seconds: number }[] = [];
    for (let i = 0; i < runs; i++) {
      raw.push(run('raw'));
      results.push(run());
      console.log(
        `run ${i + 1}/${runs}: report ${results[i]!.seconds.toFixed(3)} s, ${results[i]!.peak_rss_mb.toFixed(0)} MB; bare read ${raw[i]!.seconds.toFixed(3)} s`,
      );
    }
    const seconds = median(results.map((r) => r.seconds));
    const rawSeconds = median(raw.map((r) => r.seconds));
    return {
      annotations,
      seconds: round(seconds),
      peak_rss_mb: round(median(results.map((r) => r.peak_rss_mb)), 1),
      raw_read_seconds: round(rawSeconds),
      ratio_vs_raw_read: round(seconds / rawSeconds, 2),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
