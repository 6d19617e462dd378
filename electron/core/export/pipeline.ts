/**
 * The training-data export (DESIGN §12–13): a project's labelled items, with the label policy,
 * deduplication, PII redaction and train/validation/test splits, written as a bundle folder.
 *
 * 1. scan.ts: one read of the project's items (source.ts); each included item is redacted once, its
 *    record built, checked and spooled to disk (spool.ts); the dedup index and the per-item arrays
 *    split planning needs fill;
 * 2. plan.ts: dedup survivors, indivisible units, split assignment;
 * 3. write.ts: the spool again, each surviving record to one writer per (format, split);
 * 4. side files, README.md (card.ts), then manifest.json and the rename (bundle.ts).
 *
 * Everything is written into `outDir/.<name>.partial-<pid>`, renamed to `outDir/<name>` only when
 * complete, so a crash leaves only the `.partial-` folder (removed by the next export into the same
 * folder once its process is gone). An error or an abort removes it. The connection must not be used
 * by anything else while the export runs: its read statement stays open across awaits.
 */
import { loadExportSettings } from '../services/exportSettings';
import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../../shared/contract/errors';
import type { DB } from '../db/open';
import { currentSchema } from '../db/repos/projects';
import { loadAppSetting, saveAppSetting } from '../db/repos/settings';
import { generatePseudonymKey, personalEntityTypes, type RedactionMode } from '../redaction';
import { describeFiles, partialDirName, publishBundle, removeStalePartials, type BundleFile } from './bundle';
import { datasetCard } from './card';
import type { DedupCounts } from './dedup';
import { datasetInfo, writeSpacyScript, type ChatFile } from './formats';
import type { Exclusion, LabelPolicy } from './labels';
import { planSplits, type SplitPlan } from './plan';
import { makeRedactor } from './records';
import { labelIndex, scanItems, type ScanResult } from './scan';
import { SpoolWriter } from './spool';
import type { ExportFormat, FormatWriter } from './types';
import { writeSplits } from './write';

export { toYaml } from './card';

export const EXPORT_SCHEMA_VERSION = 1;
/** Named when the caller does not say which version of the app exports (the app and the CLI do). */
const DEFAULT_APP_VERSION = 'unknown';
const CHAT_FORMATS: readonly ExportFormat[] = ['chat-openai', 'sharegpt', 'alpaca'];
export const EXPORT_FORMATS: readonly ExportFormat[] = ['hf-jsonl', 'parquet', 'conll', 'spacy-jsonl', 'chat-openai', 'sharegpt', 'alpaca', 'csv'];
const SPOOL_FILE = '.records.spool';

export interface ExportOptions {
  projectId: string;
  outDir: string;
  formats: ExportFormat[];
  labels: LabelPolicy;
  minAnnotators: number;
  /** [train, validation, test] ratios; none = one `data.*` file per format. */
  splits?: [number, number, number];
  /** A metadata field whose items stay in one split (e.g. dialogue_id). */
  groupBy?: string;
  seed: number;
  dedup: 'none' | 'exact' | 'near';
  redact: 'none' | RedactionMode;
  includeGold: boolean;
  metaFields?: string[];
  systemPrompt?: string;
  /** Dataset card licence; default the project setting `export.license`, else `other`. */
  license?: string;
  /** The app version named in the card and manifest. */
  appVersion?: string;
  /** Final folder name; default `<project>-<timestamp>`. */
  name?: string;
}

export interface ExportProgress {
  phase: 'scan' | 'write' | 'finish';
  done: number;
  total: number;
}

export type ExportFileEntry = BundleFile;

export interface ExportResult {
  dir: string;
  items: number;
  excluded: Record<Exclusion, number>;
  dedup: DedupCounts & { mode: ExportOptions['dedup']; removed: number };
  redaction: Record<string, number>;
  splits: Record<string, number>;
  files: ExportFileEntry[];
  /** Things the lead should look at (e.g. one unit of grouped/duplicate items taking most of the data). */
  warnings: string[];
}

/** The pseudonym key of a project, created once and kept in app_settings. */
export function projectPseudonymKey(db: DB, projectId: string): string {
  const name = `redaction-key:${projectId}`;
  const existing = loadAppSetting<string>(db, name);
  if (typeof existing === 'string' && existing) return existing;
  const key = generatePseudonymKey();
  saveAppSetting(db, name, key);
  return key;
}

function slug(name: string): string {
  return name.replace(/[\\/:*?"<>|\s.]+/g, '_').replace(/^_+|_+$/g, '') || 'export';
}

function stamp(d: Date): string {
  return d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')
    .replace('T', '-');
}

function validate(options: ExportOptions): ExportFormat[] {
  const formats = [...new Set(options.formats)];
  if (!formats.length) throw new AppError('VALIDATION', 'choose at least one export format');
  for (const f of formats) if (!EXPORT_FORMATS.includes(f)) throw new AppError('VALIDATION', `unknown export format "${String(f)}"`);
  if (!Number.isInteger(options.minAnnotators) || options.minAnnotators < 1)
    throw new AppError('VALIDATION', '--min-annotators must be a positive integer');
  return formats;
}

/**
 * The first pass and the split plan. Only what the second pass and the summary need comes back: the
 * first pass's per-item arrays (priorities, labels, groups) are garbage before the second pass.
 */
async function scanAndPlan(
  db: DB,
  scanOptions: Parameters<typeof scanItems>[1],
  planOptions: Parameters<typeof planSplits>[1],
): Promise<{ plan: SplitPlan; scan: Pick<ScanResult, 'count' | 'features' | 'names' | 'excluded'> & { dedupCounts: DedupCounts } }> {
  const scan = await scanItems(db, scanOptions);
  await scanOptions.spool.close();
  const plan = planSplits(scan, planOptions);
  return { plan, scan: { count: scan.count, features: scan.features, names: scan.names, excluded: scan.excluded, dedupCounts: scan.dedup.counts() } };
}

export async function runExport(
  db: DB,
  options: ExportOptions,
  onProgress?: (p: ExportProgress) => void,
  signal?: AbortSignal,
): Promise<ExportResult> {
  const formats = validate(options);
  const project = db
    .prepare<[string], { id: string; name: string; schema_version: number }>('SELECT id, name, schema_version FROM projects WHERE id = ?')
    .get(options.projectId);
  if (!project) throw new AppError('NOT_FOUND', `no project ${options.projectId}`);
  const schema = currentSchema(db, project.id);
  const settings = loadExportSettings(db, project.id);
  const license = options.license ?? (typeof settings.license === 'string' ? settings.license : 'other');
  const systemPrompt = options.systemPrompt ?? (typeof settings.systemPrompt === 'string' ? settings.systemPrompt : '');
  const key = options.redact === 'pseudonym' ? projectPseudonymKey(db, project.id) : undefined;
  const personalTypes = options.redact === 'none' ? [] : personalEntityTypes(schema);
  const metaFields = (options.metaFields ?? []).filter((f) => f !== 'dialogue_id' && f !== 'turn');
  const checkAbort = (): void => {
    if (signal?.aborted) throw new AppError('CANCELLED', 'export cancelled');
  };
  const appVersion = options.appVersion ?? DEFAULT_APP_VERSION;
  const createdAt = new Date();
  const name = options.name ?? `${slug(project.name)}-${stamp(createdAt)}`;

  await fs.mkdir(options.outDir, { recursive: true });
  await removeStalePartials(options.outDir);
  const finalDir = path.join(options.outDir, name);
  if (
    await fs.stat(finalDir).then(
      () => true,
      () => false,
    )
  )
    throw new AppError('CONFLICT', `${finalDir} already exists`);
  const partial = path.join(options.outDir, partialDirName(name));
  await fs.rm(partial, { recursive: true, force: true });
  await fs.mkdir(partial);

  const spoolPath = path.join(partial, SPOOL_FILE);
  const spool = new SpoolWriter(spoolPath);
  const writers: FormatWriter[] = [];
  try {
    const { plan, scan } = await scanAndPlan(
      db,
      {
        projectId: project.id,
        schema,
        labels: options.labels,
        minAnnotators: options.minAnnotators,
        includeGold: options.includeGold,
        near: options.dedup !== 'none',
        ...(options.groupBy ? { groupBy: options.groupBy } : {}),
        metaFields,
        wantContext: formats.some((f) => CHAT_FORMATS.includes(f)),
        personalTypes,
        redactor: makeRedactor(options.redact, key, personalTypes),
        spool,
        progress(done, total) {
          checkAbort();
          onProgress?.({ phase: 'scan', done, total });
        },
      },
      {
        dedup: options.dedup,
        ...(options.splits ? { splits: options.splits } : {}),
        seed: options.seed,
        ...(options.groupBy ? { groupBy: options.groupBy } : {}),
        labelCount: labelIndex(schema).count,
      },
    );
    const count = scan.count;
    const written = await writeSplits({
      dir: partial,
      spoolPath,
      formats,
      features: scan.features,
      metaFields,
      names: scan.names,
      systemPrompt,
      plan,
      writers,
      progress(done) {
        checkAbort();
        onProgress?.({ phase: 'write', done, total: count });
      },
    });
    checkAbort();
    onProgress?.({ phase: 'finish', done: count, total: count });
    await fs.rm(spoolPath, { force: true });

    const sideFiles: string[] = [];
    const guideline = db
      .prepare<[string], { version: number; markdown: string }>(
        'SELECT version, markdown FROM guidelines WHERE project_id = ? ORDER BY version DESC LIMIT 1',
      )
      .get(project.id);
    if (guideline) {
      await fs.writeFile(path.join(partial, 'GUIDELINE.md'), guideline.markdown);
      sideFiles.push('GUIDELINE.md');
    }
    const chatFiles: ChatFile[] = written.files
      .filter((f) => CHAT_FORMATS.includes(f.format))
      .map((f) => ({ format: f.format as ChatFile['format'], fileName: f.file }));
    if (chatFiles.length) {
      await fs.writeFile(path.join(partial, 'dataset_info.json'), JSON.stringify(datasetInfo(chatFiles), null, 2) + '\n');
      sideFiles.push('dataset_info.json');
    }
    if (formats.includes('spacy-jsonl')) sideFiles.push(path.basename(await writeSpacyScript(partial)));

    const counts = scan.dedupCounts;
    const dedupSummary = {
      mode: options.dedup,
      removed: options.dedup === 'none' ? 0 : options.dedup === 'exact' ? counts.exact_removed : counts.near_removed,
      ...counts,
    };
    const policy = {
      labels: options.labels,
      min_annotators: options.minAnnotators,
      include_gold: options.includeGold,
      redact: options.redact,
      dedup: options.dedup,
      group_by: options.groupBy ?? null,
    };
    await fs.writeFile(
      path.join(partial, 'README.md'),
      datasetCard({
        projectName: project.name,
        schemaVersion: project.schema_version,
        license,
        formats,
        features: scan.features,
        splitSizes: plan.splitSizes,
        labelCounts: written.labelCounts,
        createdAt,
        appVersion,
        exportSchemaVersion: EXPORT_SCHEMA_VERSION,
        policy: {
          labels: options.labels,
          minAnnotators: options.minAnnotators,
          includeGold: options.includeGold,
          redact: options.redact,
          dedup: options.dedup,
        },
        annotators: written.annotators,
        excluded: scan.excluded,
        dedup: { removed: dedupSummary.removed, exactClusters: counts.exact_clusters, nearClusters: counts.near_clusters },
        redaction: written.redaction,
        guidelineVersion: guideline?.version ?? null,
        warnings: plan.warnings,
      }),
    );
    sideFiles.push('README.md');

    const files = await describeFiles(partial, [
      ...written.files.map((f) => ({ path: f.file, rows: f.rows })),
      ...sideFiles.map((f) => ({ path: f, rows: null })),
    ]);
    checkAbort();
    await publishBundle(partial, finalDir, {
      project: { id: project.id, name: project.name, schema_version: project.schema_version },
      created_at: createdAt.toISOString(),
      app_version: appVersion,
      export_schema_version: EXPORT_SCHEMA_VERSION,
      policy,
      formats,
      splits: options.splits ? { ratios: options.splits, sizes: plan.splitSizes } : null,
      seed: options.seed,
      items: written.written,
      excluded: scan.excluded,
      dedup: dedupSummary,
      redaction: written.redaction,
      guideline_version: guideline?.version ?? null,
      warnings: plan.warnings,
      files,
    });
    return {
      dir: finalDir,
      items: written.written,
      excluded: scan.excluded,
      dedup: dedupSummary,
      redaction: written.redaction,
      splits: plan.splitSizes,
      files,
      warnings: plan.warnings,
    };
  } catch (error) {
    await Promise.allSettled([spool.destroy(), ...writers.map((w) => w.abort())]);
    await fs.rm(partial, { recursive: true, force: true });
    throw error;
  }
}
