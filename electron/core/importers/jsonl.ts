import type { Span } from '../../../shared/domain/spans';
import {
  LineProblem,
  asLabelList,
  checkSpans,
  externalIdOf,
  isPlainObject,
  requireText,
  type ImportContext,
  type ImportRecord,
  type ImportedAnnotation,
} from './record';

const KNOWN = new Set(['text', 'id', 'meta', 'intent', 'intents', 'entities', 'sentiment', 'annotator', 'gold']);

/**
 * The project's own JSONL: {"text", "id"?, "meta"?, "intent"|"intents"?, "entities"?: [{start, end,
 * label}] (code points, end-exclusive), "sentiment"?, "annotator"?, "gold"?}. Other top-level fields
 * are kept as metadata. One line per (item, annotator) is how several annotators' labels come in.
 */
export function parseJsonlLine(raw: string, line: number, _ctx: ImportContext): ImportRecord {
  const obj = parseJsonObject(raw);
  const text = requireText(obj.text, 'text');
  const meta: Record<string, unknown> = {};
  if (obj.meta !== undefined) {
    if (!isPlainObject(obj.meta)) throw new LineProblem('"meta" must be an object');
    Object.assign(meta, obj.meta);
  }
  for (const [k, v] of Object.entries(obj)) if (!KNOWN.has(k)) meta[k] = v;

  const annotation: ImportedAnnotation = { annotator: null };
  let labeled = false;
  if (obj.intent !== undefined || obj.intents !== undefined) {
    annotation.intents = asLabelList(obj.intents ?? obj.intent, obj.intents !== undefined ? 'intents' : 'intent');
    labeled = true;
  }
  if (obj.entities !== undefined) {
    annotation.entities = checkSpans(text, parseSpans(obj.entities));
    labeled = true;
  }
  if (obj.sentiment !== undefined && obj.sentiment !== null && obj.sentiment !== '') {
    if (typeof obj.sentiment !== 'string' && typeof obj.sentiment !== 'number') throw new LineProblem('"sentiment" must be a label');
    annotation.sentiment = String(obj.sentiment);
    labeled = true;
  }
  if (obj.annotator !== undefined && obj.annotator !== null) {
    if (typeof obj.annotator !== 'string' || !obj.annotator.trim()) throw new LineProblem('"annotator" must be a non-empty string');
    annotation.annotator = obj.annotator.trim();
  }
  if (obj.gold !== undefined && typeof obj.gold !== 'boolean') throw new LineProblem('"gold" must be true or false');
  return {
    line,
    text,
    externalId: externalIdOf(obj.id),
    meta,
    gold: obj.gold === true,
    annotations: labeled ? [annotation] : [],
    suggestions: [],
  };
}

export function parseJsonObject(raw: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    throw new LineProblem(`malformed JSON (${(error as Error).message})`);
  }
  if (!isPlainObject(value)) throw new LineProblem('expected a JSON object');
  return value;
}

function parseSpans(value: unknown): Span[] {
  if (!Array.isArray(value)) throw new LineProblem('"entities" must be a list');
  return value.map((e, i) => {
    if (isPlainObject(e) && typeof e.start === 'number' && typeof e.end === 'number' && typeof e.label === 'string') {
      return { start: e.start, end: e.end, label: e.label.trim() };
    }
    if (Array.isArray(e) && e.length >= 3 && typeof e[0] === 'number' && typeof e[1] === 'number' && typeof e[2] === 'string') {
      return { start: e[0], end: e[1], label: e[2].trim() };
    }
    throw new LineProblem(`entity ${i + 1} must be {"start", "end", "label"}`);
  });
}
