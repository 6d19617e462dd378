import { parse as parseCsv } from 'csv-parse';
import { JSONParser } from '@streamparser/json';
import { AppError } from '../../../shared/contract/errors';
import type { ColumnMapping, ImportFormat } from '../../../shared/contract/schemas';
import type { Sniffed } from './encoding';
import { MAX_LINE_BYTES, readLines, utf8Stream, type ByteProgress } from './lines';
import { parseJsonlLine } from './jsonl';
import { parseDoccanoLine } from './doccano';
import { parseLabelStudioTask } from './labelstudio';
import { csvRecordToItem, resolveMapping } from './csv';
import { annotatorColumnsRecordToItem, resolveAnnotatorMapping } from './annotatorColumns';
import { csvRecordGuard } from './csvGuard';
import { LineProblem, type ImportContext, type ImportRecord, type ParsedLine } from './record';

export interface SourceOptions {
  path: string;
  format: ImportFormat;
  sniffed: Sniffed;
  mapping?: ColumnMapping | undefined;
  ctx: ImportContext;
  progress: ByteProgress;
}

/** Streams a file as batches of parsed records or per-line errors. Fatal problems throw AppError. */
export function readRecords(options: SourceOptions): AsyncGenerator<ParsedLine[]> {
  switch (options.format) {
    case 'jsonl':
      return lineRecords(options, parseJsonlLine);
    case 'doccano':
      return lineRecords(options, parseDoccanoLine);
    case 'txt':
      return lineRecords(options, (raw, line) => plainTextRecord(raw, line));
    case 'csv':
    case 'tsv':
    case 'annotator-columns':
      return csvRecords(options);
    case 'labelstudio':
      return labelStudioRecords(options);
  }
}

type LineParser = (raw: string, line: number, ctx: ImportContext) => ImportRecord;

async function* lineRecords(options: SourceOptions, parseLine: LineParser): AsyncGenerator<ParsedLine[]> {
  const { path, sniffed, ctx, progress } = options;
  for await (const batch of readLines(path, sniffed.encoding, sniffed.bomLength, progress)) {
    yield batch.map((raw) => ('error' in raw ? raw : attempt(raw.line, () => parseLine(raw.text, raw.line, ctx))));
  }
}

function plainTextRecord(raw: string, line: number): ImportRecord {
  return { line, text: raw.trim(), externalId: null, meta: {}, gold: false, annotations: [], suggestions: [] };
}

function attempt(line: number, parse: () => ImportRecord): ParsedLine {
  try {
    return parse();
  } catch (error) {
    if (error instanceof LineProblem) return { line, error: error.message };
    throw error;
  }
}

async function* csvRecords(options: SourceOptions): AsyncGenerator<ParsedLine[]> {
  const { path, sniffed, progress, format } = options;
  const skipped: ParsedLine[] = [];
  let tooLong: number | null = null;
  const parser = parseCsv({
    delimiter: format === 'tsv' ? '\t' : ',',
    quote: format === 'tsv' ? false : '"',
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    // csvRecordGuard already replaced longer records by a marker; this only backs it up.
    max_record_size: 2 * MAX_LINE_BYTES,
    info: true,
    on_skip: (err) => {
      if (!err) return;
      const line = (err as { lines?: number }).lines ?? 0;
      if ((err as { code?: string }).code === 'CSV_MAX_RECORD_SIZE') tooLong ??= line;
      else skipped.push({ line, error: csvErrorReason(err) });
    },
  });
  const stream = utf8Stream(path, sniffed.encoding, sniffed.bomLength, progress)
    .pipe(csvRecordGuard(MAX_LINE_BYTES, format === 'tsv' ? null : 0x22))
    .pipe(parser);
  let header: string[] | null = null;
  let toItem: ((record: string[], line: number) => ImportRecord) | null = null;
  let batch: ParsedLine[] = [];
  for await (const entry of stream as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    if (tooLong !== null) break;
    const { record, info } = entry;
    if (skipped.length) batch.push(...skipped.splice(0));
    if (!header) {
      header = record.map((h) => h.trim());
      toItem = csvRowReader(path, header, options);
      continue;
    }
    batch.push(attempt(info.lines, () => toItem!(record, info.lines)));
    if (batch.length >= 2000) {
      yield batch;
      batch = [];
    }
  }
  if (tooLong !== null) {
    throw new AppError(
      'BAD_FILE',
      `${path}: line ${tooLong}: a record longer than ${(2 * MAX_LINE_BYTES) / 1024 / 1024} MiB; is this really ${format === 'tsv' ? 'TSV' : 'CSV'}?`,
      {
        file: path,
        line: tooLong,
        reason: 'record-too-long',
      },
    );
  }
  if (skipped.length) batch.push(...skipped.splice(0));
  if (!header) throw new AppError('BAD_FILE', `${path}: the file has no header row`, { file: path, reason: 'no-header' });
  if (batch.length) yield batch;
}

/** Checks the header against the mapping (refusing the file if it does not fit) and returns the row converter. */
function csvRowReader(path: string, header: string[], options: SourceOptions): (record: string[], line: number) => ImportRecord {
  if (options.format === 'annotator-columns') {
    const columns = resolveAnnotatorMapping(path, header, options.mapping);
    return (record, line) => annotatorColumnsRecordToItem(record, line, header, columns);
  }
  const columns = resolveMapping(path, header, options.mapping);
  return (record, line) => csvRecordToItem(record, line, header, columns);
}

function csvErrorReason(err: Error & { code?: string }): string {
  switch (err.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted field is never closed';
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return 'text after a closing quote; quote the whole field and double inner quotes ("")';
    default:
      return err.message.replace(/^Invalid Record Length: /, '');
  }
}

async function* labelStudioRecords(options: SourceOptions): AsyncGenerator<ParsedLine[]> {
  const { path, sniffed, progress, ctx } = options;
  const firstChar = new TextDecoder(sniffed.encoding).decode(sniffed.head.subarray(sniffed.bomLength)).trimStart()[0];
  if (firstChar !== '[') {
    throw new AppError(
      'BAD_FILE',
      `${path}: a Label Studio JSON export is a list of tasks ([ … ]); this file starts with ${JSON.stringify(firstChar ?? '')}`,
      {
        file: path,
        reason: 'not-array',
      },
    );
  }
  let tasks: unknown[] = [];
  const parser = new JSONParser({ paths: ['$.*'], keepStack: false });
  parser.onValue = ({ value }) => {
    tasks.push(value);
  };
  let index = 0;
  for await (const chunk of utf8Stream(path, sniffed.encoding, sniffed.bomLength, progress)) {
    try {
      parser.write(chunk as Buffer);
    } catch (error) {
      throw new AppError('BAD_FILE', `${path}: malformed JSON after task ${index + tasks.length}: ${(error as Error).message}`, {
        file: path,
        reason: 'json',
      });
    }
    if (tasks.length) {
      const batch = tasks.map((task) => {
        index++;
        const n = index;
        return attempt(n, () => parseLabelStudioTask(task, n, ctx));
      });
      tasks = [];
      yield batch.map((p) => ('error' in p ? { line: p.line, error: `task ${p.line}: ${p.error}` } : p));
    }
  }
  if (!parser.isEnded) {
    throw new AppError('BAD_FILE', `${path}: the JSON ends before the list of tasks is closed`, { file: path, reason: 'json' });
  }
}
