import { AppError } from '../../../shared/contract/errors';
import type { ColumnMapping } from '../../../shared/contract/schemas';
import { MAX_LINE_BYTES } from './lines';
import { TOO_LONG_MARKER } from './csvGuard';
import { LineProblem, type ImportRecord } from './record';

const TEXT_COLUMNS = ['text', 'content', 'utterance', 'sentence', 'query', 'review', '文本', '内容', '句子'];
const INTENT_COLUMNS = ['intent', 'intents', '意图'];
const SENTIMENT_COLUMNS = ['sentiment', '情感', '情绪'];

export interface ResolvedColumns {
  text: number;
  id: number | null;
  intent: number | null;
  sentiment: number | null;
  annotator: number | null;
  meta: number[];
}

/** Maps column names to positions; a mapped column missing from the header refuses the file. */
export function resolveMapping(path: string, header: string[], mapping: ColumnMapping | undefined): ResolvedColumns {
  const find = (name: string | undefined, role: string): number | null => {
    if (name === undefined || name === '') return null;
    const i = header.indexOf(name);
    if (i < 0) {
      throw new AppError('BAD_FILE', `${path}: line 1: there is no column "${name}" for the ${role} (columns: ${header.join(', ')})`, {
        file: path,
        line: 1,
        reason: 'missing-column',
        column: name,
      });
    }
    return i;
  };
  const guess = (candidates: string[]): string | undefined => header.find((h) => candidates.includes(h.toLowerCase()));
  const textName = mapping?.text ?? guess(TEXT_COLUMNS);
  if (!textName) {
    throw new AppError('BAD_FILE', `${path}: line 1: no text column; name it (columns: ${header.join(', ')})`, {
      file: path,
      line: 1,
      reason: 'missing-column',
      column: '',
    });
  }
  const resolved: ResolvedColumns = {
    text: find(textName, 'text')!,
    id: find(mapping ? mapping.id : guess(['id']), 'id'),
    intent: find(mapping ? mapping.intent : guess(INTENT_COLUMNS), 'intent'),
    sentiment: find(mapping ? mapping.sentiment : guess(SENTIMENT_COLUMNS), 'sentiment'),
    annotator: find(mapping ? mapping.annotator : guess(['annotator']), 'annotator'),
    meta: [],
  };
  const used = new Set([resolved.text, resolved.id, resolved.intent, resolved.sentiment, resolved.annotator]);
  resolved.meta = mapping?.meta ? mapping.meta.map((m) => find(m, 'metadata')!) : header.map((_, i) => i).filter((i) => !used.has(i));
  return resolved;
}

/** A CSV record's text and metadata, after the checks every CSV format makes (size, field count, text). */
export function recordTextAndMeta(
  record: string[],
  header: string[],
  textColumn: number,
  metaColumns: readonly number[],
): { text: string; meta: Record<string, unknown> } {
  if (record.length === 1 && record[0]!.startsWith(TOO_LONG_MARKER)) {
    const bytes = parseInt(record[0]!.slice(TOO_LONG_MARKER.length), 10);
    throw new LineProblem(`record is longer than ${MAX_LINE_BYTES} bytes (${bytes} bytes)`);
  }
  if (record.length !== header.length) throw new LineProblem(`has ${record.length} fields, the header has ${header.length}`);
  const text = record[textColumn] ?? '';
  if (!text.trim()) throw new LineProblem(`the text column "${header[textColumn]}" is empty`);
  if (text.includes('\uFFFD')) throw new LineProblem("contains bytes that are not valid text in the file's encoding");
  const meta: Record<string, unknown> = {};
  for (const i of metaColumns) meta[header[i]!] = record[i];
  return { text, meta };
}

export function csvRecordToItem(record: string[], line: number, header: string[], c: ResolvedColumns): ImportRecord {
  const { text, meta } = recordTextAndMeta(record, header, c.text, c.meta);
  const intent = c.intent !== null ? (record[c.intent] ?? '').trim() : '';
  const sentiment = c.sentiment !== null ? (record[c.sentiment] ?? '').trim() : '';
  const annotator = c.annotator !== null ? (record[c.annotator] ?? '').trim() : '';
  const annotations = [];
  if (intent || sentiment) {
    annotations.push({
      annotator: annotator || null,
      ...(intent
        ? {
            intents: intent
              .split('|')
              .map((s) => s.trim())
              .filter(Boolean),
          }
        : {}),
      ...(sentiment ? { sentiment } : {}),
    });
  }
  return {
    line,
    text,
    externalId: c.id !== null ? record[c.id] || null : null,
    meta,
    gold: false,
    annotations,
    suggestions: [],
  };
}
