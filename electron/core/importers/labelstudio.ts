import type { Span } from '../../../shared/domain/spans';
import { codePointToUtf16, spanText, utf16ToCodePoint } from '../../../shared/domain/spans';
import {
  LineProblem,
  checkSpans,
  externalIdOf,
  isPlainObject,
  type ImportContext,
  type ImportRecord,
  type ImportedAnnotation,
  type ImportedSuggestion,
} from './record';

const SENTIMENT_NAME = /sentiment|情感|情绪|polarity/i;

/**
 * One task of a Label Studio JSON export. Each annotation that was not cancelled becomes that
 * annotator's annotation; predictions become suggestions. Label Studio 1.4+ stores span offsets as
 * code points; older versions used UTF-16, detected when value.text only matches that way.
 */
export function parseLabelStudioTask(task: unknown, index: number, ctx: ImportContext): ImportRecord {
  if (!isPlainObject(task)) throw new LineProblem('a task must be a JSON object');
  const data = task.data;
  if (!isPlainObject(data)) throw new LineProblem('task has no "data" object');
  const textKey = typeof data.text === 'string' ? 'text' : Object.keys(data).find((k) => typeof data[k] === 'string');
  const text = textKey ? (data[textKey] as string) : '';
  if (!text.trim()) throw new LineProblem('task data has no text');

  const meta: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(data)) if (k !== textKey) meta[k] = v;
  if (isPlainObject(task.meta)) Object.assign(meta, task.meta);
  if (task.id !== undefined) meta.labelstudio_task_id = task.id;

  const annotations: ImportedAnnotation[] = [];
  const list = Array.isArray(task.annotations) ? task.annotations : Array.isArray(task.completions) ? task.completions : [];
  for (const a of list) {
    if (!isPlainObject(a) || a.was_cancelled === true) continue;
    const annotation: ImportedAnnotation = { annotator: annotatorKey(a.completed_by, ctx), ...timesOf(a) };
    Object.assign(annotation, readResults(text, a.result, ctx));
    annotations.push(annotation);
  }

  const suggestions: ImportedSuggestion[] = [];
  for (const p of Array.isArray(task.predictions) ? task.predictions : []) {
    if (!isPlainObject(p)) continue;
    const labels = readResults(text, p.result, ctx);
    const modelVersion = `labelstudio:${typeof p.model_version === 'string' && p.model_version ? p.model_version : 'unknown'}`;
    const score = typeof p.score === 'number' ? p.score : null;
    if (labels.intents) suggestions.push({ kind: 'intents', value: labels.intents, score, modelVersion });
    if (labels.entities) suggestions.push({ kind: 'entities', value: labels.entities, score, modelVersion });
    if (labels.sentiment !== undefined) suggestions.push({ kind: 'sentiment', value: labels.sentiment, score, modelVersion });
  }

  return { line: index, text, externalId: externalIdOf(task.id), meta, gold: false, annotations, suggestions };
}

function readResults(text: string, results: unknown, ctx: ImportContext): Omit<ImportedAnnotation, 'annotator'> {
  const out: Omit<ImportedAnnotation, 'annotator'> = {};
  if (!Array.isArray(results)) return out;
  for (const r of results) {
    if (!isPlainObject(r) || !isPlainObject(r.value)) continue;
    const value = r.value;
    const type = typeof r.type === 'string' ? r.type : '';
    if (type === 'labels' || type === 'hypertextlabels' || (typeof value.start === 'number' && Array.isArray(value.labels))) {
      const label = Array.isArray(value.labels) && typeof value.labels[0] === 'string' ? value.labels[0] : null;
      if (!label || typeof value.start !== 'number' || typeof value.end !== 'number') continue;
      const span = locate(text, value.start, value.end, label, typeof value.text === 'string' ? value.text : null);
      (out.entities ??= []).push(span);
    } else if (type === 'choices' || Array.isArray(value.choices)) {
      const choices = Array.isArray(value.choices) ? value.choices.filter((c): c is string => typeof c === 'string') : [];
      const fromName = typeof r.from_name === 'string' ? r.from_name : '';
      const isSentiment = SENTIMENT_NAME.test(fromName) || (choices.length === 1 && ctx.sentimentLevels.has(choices[0]!));
      if (isSentiment) out.sentiment = choices[0] ?? null;
      else out.intents = [...(out.intents ?? []), ...choices];
    }
  }
  if (out.entities) checkSpans(text, out.entities);
  return out;
}

/** Code-point offsets, unless value.text shows the export used UTF-16 (Label Studio before 1.4). */
function locate(text: string, start: number, end: number, label: string, mention: string | null): Span {
  const span = { start, end, label };
  if (mention === null || spanText(text, span) === mention) return span;
  if (text.slice(start, end) === mention) {
    return { start: utf16ToCodePoint(text, start), end: utf16ToCodePoint(text, end), label };
  }
  const shown = text.slice(codePointToUtf16(text, start), codePointToUtf16(text, end));
  throw new LineProblem(
    `span [${start}, ${end}) of ${JSON.stringify(label)} covers ${JSON.stringify(shown)}, but the export says ${JSON.stringify(mention)}`,
  );
}

function annotatorKey(completedBy: unknown, ctx: ImportContext): string | null {
  if (isPlainObject(completedBy)) {
    const name = typeof completedBy.email === 'string' && completedBy.email ? completedBy.email : null;
    const id = typeof completedBy.id === 'number' || typeof completedBy.id === 'string' ? String(completedBy.id) : null;
    if (id && name) ctx.annotatorAliases.set(`labelstudio:${id}`, name);
    if (name) return name;
    if (id) return `labelstudio:${id}`;
    return null;
  }
  if (typeof completedBy === 'number' || typeof completedBy === 'string') return `labelstudio:${completedBy}`;
  return null;
}

function timesOf(a: Record<string, unknown>): { startedAt: string | null; endedAt: string | null } {
  const ended = typeof a.updated_at === 'string' ? a.updated_at : typeof a.created_at === 'string' ? a.created_at : null;
  if (!ended) return { startedAt: null, endedAt: null };
  const lead = typeof a.lead_time === 'number' && Number.isFinite(a.lead_time) ? a.lead_time : null;
  const endMs = Date.parse(ended);
  if (Number.isNaN(endMs)) return { startedAt: null, endedAt: null };
  return { startedAt: lead !== null ? new Date(endMs - lead * 1000).toISOString() : null, endedAt: new Date(endMs).toISOString() };
}

/** Resolves Label Studio user ids to the e-mail seen for them anywhere in the file. */
export function labelStudioAnnotatorName(key: string, aliases: Map<string, string>): string {
  const alias = aliases.get(key);
  if (alias) return alias;
  return key.startsWith('labelstudio:') ? `Label Studio user ${key.slice('labelstudio:'.length)}` : key;
}
