import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { writeImportFile } from './import-data';
import { median, round } from './stats';

interface Run {
  seconds: number;
  rows: number;
  peak_rss_mb: number;
}

const ROOT = resolve(__dirname, '../..');

function measure(mode: 'ours' | 'raw', file: string, db: string): Run {
  rmSync(db, { force: true });
  rmSync(`${db}-wal`, { force: true });
  rmSync(`${db}-shm`, { force: true });
  const out = execFileSync(join(ROOT, 'node_modules/.bin/tsx'), [join(__dirname, 'import-run.ts'), mode, file, db], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  return JSON.parse(out.trim().split('\n').pop()!) as Run;
}

/**
 * Imports a generated JSONL file through the app's importer and, alternating in the same run, inserts
 * the same rows with plain prepared better-sqlite3 statements. Budget: ratio >= 0.6, RSS < 400 MB.
 */
export async function benchImport(args: string[]): Promise<Record<string, number>> {
  const rows = Number(args.find((a) => a.startsWith('--rows='))?.slice(7) ?? 1_000_000);
  const runs = Number(args.find((a) => a.startsWith('--runs='))?.slice(7) ?? 3);
  const dir = mkdtempSync(join(tmpdir(), 'annot-bench-import-'));
  try {
    const file = join(dir, 'items.jsonl');
    console.log(`generating ${rows.toLocaleString()} rows …`);
    await writeImportFile(file, rows);
    const ours: Run[] = [];
    const raw: Run[] = [];
    for (let i = 0; i < runs; i++) {
      raw.push(measure('raw', file, join(dir, 'raw.db')));
      ours.push(measure('ours', file, join(dir, 'ours.db')));
      console.log(
        `run ${i + 1}/${runs}: raw ${raw[i]!.seconds.toFixed(2)} s, import ${ours[i]!.seconds.toFixed(2)} s, import peak RSS ${ours[i]!.peak_rss_mb.toFixed(0)} MB`,
      );
      if (ours[i]!.rows !== rows) throw new Error(`imported ${ours[i]!.rows} rows, expected ${rows}`);
    }
    const oursS = median(ours.map((r) => r.seconds));
    const rawS = median(raw.map((r) => r.seconds));
    return {
      rows,
      ratio_vs_raw: round(rawS / oursS),
      peak_rss_mb: round(median(ours.map((r) => r.peak_rss_mb)), 1),
      import_s_median: round(oursS),
      raw_s_median: round(rawS),
      raw_peak_rss_mb: round(median(raw.map((r) => r.peak_rss_mb)), 1),
      runs,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
