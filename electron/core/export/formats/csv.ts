/**
 * CSV for people (a spreadsheet), not for training: UTF-8 with a BOM, CRLF, RFC 4180 quoting and
 * formula cells neutralised — all by csv/writeCsv.ts, the app's one CSV writer.
 *
 * Columns: the hf-jsonl columns in the same order; `intents` joined with `; `; `entities` as
 * `label: text` joined with `; ` (offsets are in the JSONL/Parquet files); metadata numbers and
 * booleans as values, text neutralised like every other text cell.
 */
import type { ExportRecord, FormatWriter, WriterOptions } from '../types';
import { csvRow, type CsvValue } from '../../csv/writeCsv';
import { exportColumns, RecordChecker } from './features';
import { TextFormatWriter } from './hfJsonl';

const EOL = '\r\n';

export function csvRecordRow(checker: RecordChecker, record: ExportRecord): CsvValue[] {
  const { features } = checker;
  const c = checker.check(record);
  const row: CsvValue[] = [record.id, record.text];
  row.push(features.multiLabel ? c.intents.join('; ') : c.intent);
  row.push(c.sentiment);
  row.push(c.entities.map((s) => `${s.label}: ${s.text}`).join('; '));
  if (features.dialogue) row.push(c.dialogueId, c.turn);
  row.push(...c.meta);
  return row;
}

export function createCsvWriter(path: string, options: WriterOptions): FormatWriter {
  const checker = new RecordChecker(options.features);
  const header = '\uFEFF' + csvRow(exportColumns(options.features)) + EOL;
  return new TextFormatWriter(path, (record) => csvRow(csvRecordRow(checker, record)) + EOL, header);
}
