import type { Span } from '../../../shared/domain/spans';
import { utf16ToCodePoint } from '../../../shared/domain/spans';
import { parseJsonObject } from './jsonl';
import {
  LineProblem,
  asLabelList,
  checkSpans,
  externalIdOf,
  isPlainObject,
  type ImportContext,
  type ImportRecord,
  type ImportedAnnotation,
} from './record';

const KNOWN = new Set([
  'id',
  'doc_id',
  'text',
  'data',
  'label',
  'labels',
  'cats',
  'entities',
  'relations',
  'Comments',
  'meta',
  'metadata',
  'user',
  'username',
  'annotator',
  'annotation_approver',
]);

/**
 * doccano's JSONL exports. Text classification: "label": ["A", …] (or "cats"); sequence labeling:
 * "label": [[start, end, "TYPE"], …] or "entities": [{start_offset, end_offset, label}] (or tuples).
 * The current doccano UI (1.5+) counts offsets in UTF-16 code units, as JavaScript does; older
 * exports (text under "data", or "doc_id") count code points. Offsets are converted to code points.
 * A classification label that names one of the project's sentiment levels becomes the sentiment.
 */
export function parseDoccanoLine(raw: string, line: number, ctx: ImportContext): ImportRecord {
  const obj = parseJsonObject(raw);
  const legacy = typeof obj.data === 'string' || obj.doc_id !== undefined;
  const textValue = typeof obj.text === 'string' ? obj.text : obj.data;
  if (typeof textValue !== 'string' || !textValue.trim()) throw new LineProblem('no "text" (or "data") field with text');
  const text = textValue;
  const toCodePoints = legacy ? (i: number) => i : (i: number) => fromUtf16(text, i);

  const classes: string[] = [];
  const spans: Span[] = [];
  for (const field of ['label', 'labels', 'entities', 'cats'] as const) {
    const value = obj[field];
    if (value === undefined || value === null) continue;
    if (field === 'cats' && isPlainObject(value)) {
      for (const [name, on] of Object.entries(value)) if (on === true || (typeof on === 'number' && on >= 0.5)) classes.push(name);
      continue;
    }
    if (!Array.isArray(value)) throw new LineProblem(`"${field}" must be a list`);
    for (const entry of value) {
      const span = spanOf(entry, toCodePoints);
      if (span) spans.push(span);
      else if (typeof entry === 'string' || typeof entry === 'number') classes.push(...asLabelList(entry, field));
      else if (isPlainObject(entry) && typeof entry.label === 'number') {
        throw new LineProblem('labels are numeric ids; export from doccano with label names (JSONL) instead');
      } else throw new LineProblem(`"${field}" has an entry that is neither a label nor a span`);
    }
  }

  const meta: Record<string, unknown> = {};
  for (const key of ['meta', 'metadata'] as const) if (isPlainObject(obj[key])) Object.assign(meta, obj[key]);
  for (const [k, v] of Object.entries(obj)) if (!KNOWN.has(k)) meta[k] = v;

  const annotation: ImportedAnnotation = { annotator: annotatorOf(obj) };
  const sentiments = classes.filter((c) => ctx.sentimentLevels.has(c));
  const intents = classes.filter((c) => !ctx.sentimentLevels.has(c));
  if (intents.length) annotation.intents = intents;
  if (sentiments.length > 1) throw new LineProblem(`more than one sentiment: ${sentiments.join(', ')}`);
  if (sentiments.length) annotation.sentiment = sentiments[0]!;
  if (spans.length) annotation.entities = checkSpans(text, spans);
  return {
    line,
    text,
    externalId: externalIdOf(obj.id ?? obj.doc_id),
    meta,
    gold: false,
    annotations: classes.length || spans.length ? [annotation] : [],
    suggestions: [],
  };
}

function spanOf(entry: unknown, convert: (i: number) => number): Span | null {
  if (Array.isArray(entry) && entry.length >= 3 && typeof entry[0] === 'number' && typeof entry[1] === 'number' && typeof entry[2] === 'string') {
    return { start: convert(entry[0]), end: convert(entry[1]), label: entry[2].trim() };
  }
  if (isPlainObject(entry) && typeof entry.start_offset === 'number' && typeof entry.end_offset === 'number' && typeof entry.label === 'string') {
    return { start: convert(entry.start_offset), end: convert(entry.end_offset), label: entry.label.trim() };
  }
  return null;
}

function fromUtf16(text: string, index: number): number {
  if (!Number.isInteger(index) || index < 0 || index > text.length) {
    throw new LineProblem(`offset ${index} is outside the text (${text.length} UTF-16 code units)`);
  }
  const code = text.charCodeAt(index - 1);
  if (index > 0 && index < text.length && code >= 0xd800 && code <= 0xdbff) {
    throw new LineProblem(`offset ${index} splits an emoji or other surrogate pair; the file's offsets are not UTF-16`);
  }
  return utf16ToCodePoint(text, index);
}

function annotatorOf(obj: Record<string, unknown>): string | null {
  for (const key of ['annotator', 'username', 'user'] as const) {
    const v = obj[key];
    if (typeof v === 'string' && v.trim()) return v.trim();
    if (typeof v === 'number') return `doccano user ${v}`;
  }
  return null;
}
