import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { AppError } from '../../../../shared/contract/errors';
import type { Ratings } from '../../../../shared/domain/agreement';

/**
 * A ratings CSV: a header `item,<annotator>,<annotator>,…`, one row per item, each cell that
 * annotator's category (a number or a label), empty when missing. Problems name the file and line.
 */
export function readRatingsCsv(path: string): Ratings<string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  } catch (error) {
    throw new AppError('BAD_FILE', `${path}: cannot read: ${(error as Error).message}`, { file: path, reason: 'unreadable' });
  }
  let records: string[][];
  try {
    records = parse(text, { relax_column_count: true, skip_empty_lines: true, trim: true }) as string[][];
  } catch (error) {
    const e = error as Error & { lines?: number };
    throw new AppError('BAD_FILE', `${path}: line ${e.lines ?? '?'}: ${e.message}`, { file: path, line: e.lines ?? 0, reason: 'csv' });
  }
  const header = records[0];
  if (!header || header.length < 2) {
    throw new AppError('BAD_FILE', `${path}: line 1: expected a header "item,<annotator>,<annotator>,…"`, { file: path, line: 1, reason: 'header' });
  }
  const annotators = header.slice(1);
  const seen = new Set<string>();
  annotators.forEach((a, j) => {
    if (!a) throw new AppError('BAD_FILE', `${path}: line 1: column ${j + 2} has no annotator name`, { file: path, line: 1, reason: 'header' });
    if (seen.has(a)) throw new AppError('BAD_FILE', `${path}: line 1: annotator "${a}" appears twice`, { file: path, line: 1, reason: 'header' });
    seen.add(a);
  });
  const ids = new Set<string>();
  const items = records.slice(1).map((row, i) => {
    const line = i + 2;
    if (row.length > header.length) {
      throw new AppError('BAD_FILE', `${path}: line ${line}: ${row.length} cells, the header has ${header.length}`, {
        file: path,
        line,
        reason: 'columns',
      });
    }
    const id = row[0] ?? '';
    if (!id) throw new AppError('BAD_FILE', `${path}: line ${line}: the item cell is empty`, { file: path, line, reason: 'item' });
    if (ids.has(id)) throw new AppError('BAD_FILE', `${path}: line ${line}: item "${id}" appears twice`, { file: path, line, reason: 'item' });
    ids.add(id);
    return { id, values: annotators.map((_, j) => (row[j + 1] ? row[j + 1]! : null)) };
  });
  return { annotators, items };
}
