import type { Span } from '../../../shared/domain/spans';
import { codePointLength, spanProblem } from '../../../shared/domain/spans';

/** One annotator's labels for an item, as read from a file. Absent fields were not labeled. */
export interface ImportedAnnotation {
  /** A name, or a key the importer resolves later (see ImportContext.annotatorAliases). */
  annotator: string | null;
  intents?: string[];
  entities?: Span[];
  sentiment?: string | null;
  startedAt?: string | null;
  endedAt?: string | null;
}

export interface ImportedSuggestion {
  kind: 'intents' | 'entities' | 'sentiment';
  value: unknown;
  score: number | null;
  modelVersion: string;
}

export interface ImportRecord {
  line: number;
  text: string;
  externalId: string | null;
  meta: Record<string, unknown>;
  gold: boolean;
  annotations: ImportedAnnotation[];
  suggestions: ImportedSuggestion[];
}

/** What a parser knows about the project it imports into. */
export interface ImportContext {
  sentimentLevels: ReadonlySet<string>;
  /** Filled by parsers whose files name annotators by id in one place and by name in another. */
  annotatorAliases: Map<string, string>;
}

export type ParsedLine = ImportRecord | { line: number; error: string };

export function isRecord(p: ParsedLine): p is ImportRecord {
  return !('error' in p);
}

export class LineProblem extends Error {}

/** Throws a LineProblem naming the first span that does not fit the text. */
export function checkSpans(text: string, spans: Span[]): Span[] {
  const length = codePointLength(text);
  for (const span of spans) {
    const problem = spanProblem(span, length);
    if (problem) throw new LineProblem(`entity ${JSON.stringify(span.label)} [${span.start}, ${span.end}): ${problem}`);
  }
  return spans;
}

export function asLabelList(value: unknown, field: string): string[] {
  if (value === null || value === undefined || value === '') return [];
  if (typeof value === 'string') return [value.trim()].filter(Boolean);
  if (typeof value === 'number') return [String(value)];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number')) {
    return value.map((v) => String(v).trim()).filter(Boolean);
  }
  throw new LineProblem(`"${field}" must be a label or a list of labels`);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function requireText(value: unknown, field: string): string {
  if (typeof value !== 'string') throw new LineProblem(value === undefined ? `no "${field}" field` : `"${field}" must be a string`);
  if (!value.trim()) throw new LineProblem(`"${field}" is empty`);
  return value;
}

export function externalIdOf(value: unknown): string | null {
  if (typeof value === 'string' && value) return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}
