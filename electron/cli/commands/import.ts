import type { Command } from 'commander';
import { ImportFormat, ImportRedaction, type ColumnMapping, type ImportStatus } from '../../../shared/contract/schemas';
import { createCore } from '../../core';
import { findProjectByName, deleteEmptyProject } from '../../core/db/repos/projects';
import { createProject } from '../../core/services/projects';
import { guessFormat, inspectFile } from '../../core/services/inspect';
import { systemRuntime } from '../../core/runtime';
import { printJson } from '../output';

interface ImportOptions {
  db: string;
  project: string;
  file: string;
  format?: string;
  textColumn?: string;
  intentColumn?: string;
  sentimentColumn?: string;
  idColumn?: string;
  annotatorColumn?: string;
  sentimentField?: string;
  intentField?: string;
  intentFlags?: string;
  annotatorPattern?: string;
  annotator?: string;
  skipBad?: boolean;
  redact?: string;
  json?: boolean;
}

export function registerImport(program: Command): void {
  program
    .command('import')
    .description('import a file of items (and any labels in it) into a project, created if it does not exist')
    .requiredOption('--db <path>', 'the database file')
    .requiredOption('--project <name>', 'project name')
    .requiredOption('--file <path>', 'file to import')
    .option('--format <format>', `one of ${ImportFormat.options.join(', ')} (default: from the file name)`)
    .option('--text-column <name>', 'CSV/TSV: the column that holds the text')
    .option('--intent-column <name>', 'CSV/TSV: a column of intent labels (several separated by |)')
    .option('--sentiment-column <name>', 'CSV/TSV: a column of sentiment labels')
    .option('--id-column <name>', 'CSV/TSV: a column of item ids')
    .option('--annotator-column <name>', 'CSV/TSV: the column naming who made the labels')
    .option('--sentiment-field <name>', 'annotator-columns: the one-hot field whose value is the sentiment level ("" for none)')
    .option('--intent-field <name>', 'annotator-columns: a one-hot field whose value is the intent')
    .option('--intent-flags <names>', 'annotator-columns: yes/no fields that become intents, separated by commas ("" for none)')
    .option('--annotator-pattern <regex>', 'annotator-columns: how a column names its annotator, with two groups (annotator)(field)')
    .option('--annotator <name>', 'who made labels that name no annotator (default: imported)')
    .option('--skip-bad', 'import the good lines even when some lines are bad')
    .option('--redact <mode>', 'redact phone numbers, resident IDs, bank cards, e-mail and personal entity spans before anything is stored: none, placeholder, mask or pseudonym')
    .option('--json', 'print one JSON object')
    .action(async (opts: ImportOptions) => {
      process.exitCode = await runImport(opts);
    });
}

async function runImport(opts: ImportOptions): Promise<number> {
  const format = opts.format ? ImportFormat.safeParse(opts.format) : { success: true as const, data: guessFormat(opts.file, '') };
  if (!format.success) {
    console.error(`annot import: unknown format "${opts.format}" (use ${ImportFormat.options.join(', ')})`);
    return 2;
  }
  const redact = ImportRedaction.safeParse(opts.redact ?? 'none');
  if (!redact.success) {
    console.error(`annot import: unknown redaction mode "${opts.redact}" (use ${ImportRedaction.options.join(', ')})`);
    return 2;
  }
  const showProgress = !opts.json && process.stderr.isTTY;
  const core = createCore({
    dbPath: opts.db,
    ...(showProgress ? { emit: (event, status) => event === 'imports.progress' && printProgress(status as ImportStatus) } : {}),
  });
  try {
    const existing = findProjectByName(core.db, opts.project);
    const project = existing ?? createProject(core.db, systemRuntime(), { name: opts.project });
    const mapping = format.data === 'annotator-columns' ? await annotatorColumnsMapping(opts) : columnMapping(opts);
    const status = await core.imports.run({
      projectId: project.id,
      filePath: opts.file,
      format: format.data,
      mapping,
      onBadLines: opts.skipBad ? 'skip' : 'abort',
      annotator: opts.annotator,
      redact: redact.data,
    });
    if (showProgress) process.stderr.write('\r\x1b[K');
    if (status.state !== 'committed' && !existing) deleteEmptyProject(core.db, project.id);
    report(status, opts);
    return status.state === 'committed' ? 0 : 1;
  } finally {
    core.close();
  }
}

function columnMapping(opts: ImportOptions): ColumnMapping | undefined {
  return opts.textColumn
    ? {
        text: opts.textColumn,
        ...(opts.intentColumn ? { intent: opts.intentColumn } : {}),
        ...(opts.sentimentColumn ? { sentiment: opts.sentimentColumn } : {}),
        ...(opts.idColumn ? { id: opts.idColumn } : {}),
        ...(opts.annotatorColumn ? { annotator: opts.annotatorColumn } : {}),
      }
    : undefined;
}

/** The annotator-columns mapping: what the options name, the rest detected from the header. */
async function annotatorColumnsMapping(opts: ImportOptions): Promise<ColumnMapping | undefined> {
  const named =
    opts.textColumn !== undefined ||
    opts.idColumn !== undefined ||
    opts.sentimentField !== undefined ||
    opts.intentField !== undefined ||
    opts.intentFlags !== undefined ||
    opts.annotatorPattern !== undefined;
  if (!named) return undefined;
  let text = opts.textColumn;
  if (!text) {
    // The mapping needs a text column; take the one the importer would guess.
    try {
      text = (await inspectFile(opts.file, 'annotator-columns')).annotatorColumns?.defaults.text ?? undefined;
    } catch {
      // The import reports what is wrong with the file.
    }
  }
  if (!text) return undefined;
  return {
    text,
    ...(opts.idColumn !== undefined ? { id: opts.idColumn } : {}),
    ...(opts.sentimentField !== undefined ? { sentimentField: opts.sentimentField } : {}),
    ...(opts.intentField !== undefined ? { intentField: opts.intentField } : {}),
    ...(opts.intentFlags !== undefined
      ? {
          intentFlags: opts.intentFlags
            .split(',')
            .map((f) => f.trim())
            .filter(Boolean),
        }
      : {}),
    ...(opts.annotatorPattern !== undefined ? { annotatorPattern: opts.annotatorPattern } : {}),
  };
}

function printProgress(s: ImportStatus): void {
  if (s.state !== 'running') return;
  if (s.phase === 'committing') {
    process.stderr.write(`\r\x1b[Kwriting ${s.goodRows.toLocaleString()} items into the project …`);
    return;
  }
  const percent = s.totalBytes ? Math.floor((s.bytesRead / s.totalBytes) * 100) : 0;
  process.stderr.write(
    `\r\x1b[K${percent}%  ${s.linesRead.toLocaleString()} lines, ${s.goodRows.toLocaleString()} good, ${s.badLines.toLocaleString()} bad`,
  );
}

function report(s: ImportStatus, opts: ImportOptions): void {
  const errors = s.fatal ? [{ line: s.fatal.line ?? 0, reason: s.fatal.reason }, ...s.errors] : s.errors;
  if (opts.json) {
    printJson({
      imported: s.imported,
      duplicates: s.duplicates,
      errors,
      state: s.state,
      badLines: s.badLines,
      annotations: s.annotations,
      newLabels: s.newLabels,
      encoding: s.encoding,
      redacted: s.redacted,
    });
    return;
  }
  if (s.fatal) {
    console.error(`${s.file}: nothing imported: ${s.fatal.reason}`);
    return;
  }
  for (const e of s.errors.slice(0, 50)) console.error(`${s.file}:${e.line}: ${e.reason}`);
  if (s.badLines > 50) console.error(`… and ${s.badLines - 50} more bad lines`);
  if (s.state === 'committed') {
    console.log(
      `imported ${s.imported} items (${s.duplicates} duplicates skipped, ${s.annotations} annotations, ${s.badLines} bad lines skipped) from ${s.file} [${s.encoding}]`,
    );
    const redacted = Object.entries(s.redacted);
    if (redacted.length) console.log(`redacted before storing: ${redacted.map(([type, n]) => `${n} ${type}`).join(', ')}`);
    if (s.newLabels.length) console.log(`labels added to the schema: ${s.newLabels.join(', ')}`);
  } else {
    console.error(`nothing imported: ${s.badLines} bad lines; fix them or pass --skip-bad to import the ${s.goodRows} good lines`);
  }
}
