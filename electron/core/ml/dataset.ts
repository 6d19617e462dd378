import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { AppError } from '../../../shared/contract/errors';
import { isUtf8 } from 'node:buffer';
import { codePointLength, spanProblem, type Span } from '../../../shared/domain/spans';

export interface LabeledText {
  text: string;
  label: string;
}

export interface SpanExample {
  text: string;
  entities: Span[];
}

const TEXT_COLUMNS = ['text', 'review', 'sentence', 'content', 'utterance', 'query'];
const LABEL_COLUMNS = ['label', 'category', 'intent', 'sentiment', 'class'];

function readText(path: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new AppError('BAD_FILE', `${path}: cannot read it (${(error as NodeJS.ErrnoException).code ?? 'error'})`, { file: path });
  }
  if (!isUtf8(bytes)) return new TextDecoder('gb18030').decode(bytes);
  return bytes.toString('utf8').replace(/^\uFEFF/, '');
}

/**
 * A TSV or CSV with a header naming a text column (text, review, …) and a label column
 * (label, category, …); the delimiter is taken from the header line.
 */
export function readLabeledTexts(path: string, columns: { text?: string; label?: string } = {}): LabeledText[] {
  const content = readText(path);
  const firstLine = content.slice(0, content.indexOf('\n') >>> 0);
  const delimiter = firstLine.includes('\t') ? '\t' : ',';
  const rows = parse(content, { delimiter, quote: delimiter === '\t' ? false : '"', relax_column_count: true, skip_empty_lines: true }) as string[][];
  const header = (rows.shift() ?? []).map((h) => h.trim());
  const find = (name: string | undefined, candidates: string[], role: string): number => {
    const i = name ? header.indexOf(name) : header.findIndex((h) => candidates.includes(h.toLowerCase()));
    if (i < 0)
      throw new AppError('BAD_FILE', `${path}: line 1: no ${role} column${name ? ` "${name}"` : ''} (columns: ${header.join(', ')})`, {
        file: path,
        line: 1,
      });
    return i;
  };
  const ti = find(columns.text, TEXT_COLUMNS, 'text');
  const li = find(columns.label, LABEL_COLUMNS, 'label');
  const out: LabeledText[] = [];
  rows.forEach((row, i) => {
    const text = row[ti]?.trim();
    const label = row[li]?.trim();
    if (!text || !label) throw new AppError('BAD_FILE', `${path}: line ${i + 2}: empty text or label`, { file: path, line: i + 2 });
    out.push({ text, label });
  });
  return out;
}

/** JSONL {"text", "entities": [{start, end, label}]} with code-point offsets, end-exclusive. */
export function readSpanExamples(path: string): SpanExample[] {
  const out: SpanExample[] = [];
  readText(path)
    .split('\n')
    .forEach((line, i) => {
      if (!line.trim()) return;
      let obj: { text?: unknown; entities?: unknown };
      try {
        obj = JSON.parse(line);
      } catch {
        throw new AppError('BAD_FILE', `${path}: line ${i + 1}: malformed JSON`, { file: path, line: i + 1 });
      }
      if (typeof obj.text !== 'string' || !Array.isArray(obj.entities)) {
        throw new AppError('BAD_FILE', `${path}: line ${i + 1}: expected {"text", "entities"}`, { file: path, line: i + 1 });
      }
      const length = codePointLength(obj.text);
      const entities = (obj.entities as Span[]).map((e) => ({ start: e.start, end: e.end, label: e.label }));
      for (const e of entities) {
        const problem = spanProblem(e, length);
        if (problem) throw new AppError('BAD_FILE', `${path}: line ${i + 1}: ${problem}`, { file: path, line: i + 1 });
      }
      out.push({ text: obj.text, entities });
    });
  return out;
}
