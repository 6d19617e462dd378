import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { createCore } from '../../core';
import { findProjectByName } from '../../core/db/repos/projects';
import { EXPORT_FORMATS, runExport, type ExportOptions } from '../../core/export/pipeline';
import type { ExportFormat } from '../../core/export/types';
import { printJson } from '../output';

interface ExportCliOptions {
  db: string;
  project: string;
  out: string;
  format: string;
  labels?: string;
  minAnnotators?: string;
  splits?: string;
  groupBy?: string;
  seed?: string;
  dedup?: string;
  redact?: string;
  includeGold?: boolean;
  meta?: string;
  systemPrompt?: string;
  license?: string;
  json?: boolean;
}

export function registerExport(program: Command): void {
  program
    .command('export')
    .description('export the labelled items of a project for training: HF JSONL/Parquet, CoNLL, spaCy, chat SFT, CSV, with a dataset card and manifest')
    .requiredOption('--db <path>', 'the database file')
    .requiredOption('--project <name>', 'project name')
    .requiredOption('--out <dir>', 'the folder the bundle folder is created in')
    .requiredOption('--format <list>', `comma-separated: ${EXPORT_FORMATS.join(',')}`)
    .option('--labels <policy>', 'adjudicated or consensus (default consensus)')
    .option('--min-annotators <n>', 'consensus needs at least this many submissions (default 1)')
    .option('--splits <ratios>', 'train,validation,test ratios, e.g. 0.8,0.1,0.1 (default: one data file)')
    .option('--group-by <field>', 'a metadata field whose items stay in one split (e.g. dialogue_id)')
    .option('--seed <n>', 'seed of the split assignment (default 42)')
    .option('--dedup <mode>', 'none, exact or near (default exact)')
    .option('--redact <mode>', 'none, placeholder, mask or pseudonym (default none)')
    .option('--include-gold', 'export gold items too (with the gold answer)')
    .option('--meta <fields>', 'comma-separated metadata fields to keep as columns')
    .option('--system-prompt <text>', 'system prompt of the chat formats (default: the project setting)')
    .option('--license <id>', 'dataset card licence (default: the project setting, else other)')
    .option('--json', 'print the result as one JSON object')
    .action(async (opts: ExportCliOptions) => {
      process.exitCode = await runExportCommand(opts);
    });
}

/** The app's version from its package.json (the card and manifest name it); npm's own variable when run through npm elsewhere. */
export function cliAppVersion(): string | undefined {
  try {
    const pkg = JSON.parse(readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8')) as { name?: unknown; version?: unknown };
    if (pkg.name === 'annotation-workstation' && typeof pkg.version === 'string') return pkg.version;
  } catch {
    // not next to the sources (a bundled CLI)
  }
  return process.env.npm_package_version;
}

function fail(message: string): number {
  console.error(`annot export: ${message}`);
  return 2;
}

async function runExportCommand(opts: ExportCliOptions): Promise<number> {
  const formats = opts.format.split(',').map((f) => f.trim()).filter(Boolean);
  const bad = formats.filter((f) => !EXPORT_FORMATS.includes(f as ExportFormat));
  if (!formats.length || bad.length) return fail(`unknown format ${bad.map((f) => `"${f}"`).join(', ') || '(none)'}; choose from ${EXPORT_FORMATS.join(', ')}`);
  const labels = opts.labels ?? 'consensus';
  if (labels !== 'adjudicated' && labels !== 'consensus') return fail('--labels must be adjudicated or consensus');
  const minAnnotators = Number(opts.minAnnotators ?? '1');
  if (!Number.isInteger(minAnnotators) || minAnnotators < 1) return fail('--min-annotators must be a positive integer');
  let splits: [number, number, number] | undefined;
  if (opts.splits) {
    const r = opts.splits.split(',').map(Number);
    if (r.length !== 3 || r.some((x) => !Number.isFinite(x) || x < 0) || !(r[0]! + r[1]! + r[2]! > 0)) return fail('--splits must be three non-negative numbers like 0.8,0.1,0.1');
    splits = [r[0]!, r[1]!, r[2]!];
  }
  const seed = Number(opts.seed ?? '42');
  if (!Number.isInteger(seed) || seed < 0) return fail('--seed must be a non-negative integer');
  const dedup = opts.dedup ?? 'exact';
  if (dedup !== 'none' && dedup !== 'exact' && dedup !== 'near') return fail('--dedup must be none, exact or near');
  const redact = opts.redact ?? 'none';
  if (!['none', 'placeholder', 'mask', 'pseudonym'].includes(redact)) return fail('--redact must be none, placeholder, mask or pseudonym');

  const core = createCore({ dbPath: opts.db });
  try {
    const project = findProjectByName(core.db, opts.project);
    if (!project) {
      console.error(`annot: no project named "${opts.project}"`);
      return 1;
    }
    const options: ExportOptions = {
      projectId: project.id,
      outDir: path.resolve(opts.out),
      formats: formats as ExportFormat[],
      labels,
      minAnnotators,
      splits,
      groupBy: opts.groupBy,
      seed,
      dedup,
      redact: redact as ExportOptions['redact'],
      includeGold: opts.includeGold === true,
      metaFields: opts.meta ? opts.meta.split(',').map((f) => f.trim()).filter(Boolean) : undefined,
      systemPrompt: opts.systemPrompt,
      license: opts.license,
      appVersion: cliAppVersion(),
    };
    const controller = new AbortController();
    const onSignal = () => controller.abort();
    process.once('SIGINT', onSignal);
    try {
      const started = Date.now();
      const result = await runExport(core.db, options, undefined, controller.signal);
      if (opts.json) {
        printJson({
          dir: result.dir,
          items: result.items,
          excluded: result.excluded,
          splits: result.splits,
          dedup: result.dedup,
          redaction: result.redaction,
          files: result.files.map((f) => ({ path: f.path, rows: f.rows, sha256: f.sha256 })),
          warnings: result.warnings,
          seconds: (Date.now() - started) / 1000,
        });
      } else {
        console.log(`exported ${result.items} items to ${result.dir}`);
        const ex = Object.entries(result.excluded).filter(([, n]) => n > 0);
        if (ex.length) console.log(`left out: ${ex.map(([r, n]) => `${r} ${n}`).join(', ')}`);
        for (const w of result.warnings) console.error(`annot export: warning: ${w}`);
        for (const f of result.files) console.log(`  ${f.path}${f.rows === null ? '' : `  ${f.rows} rows`}  ${f.bytes} bytes`);
      }
      return 0;
    } finally {
      process.removeListener('SIGINT', onSignal);
    }
  } catch (error) {
    if (error instanceof Error && !(error as { code?: unknown }).code) {
      console.error(`annot export: ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    core.close();
  }
}
