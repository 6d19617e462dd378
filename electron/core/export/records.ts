/**
 * One item as the export writes it: its labels (labels.ts), its text redacted once (with the spans
 * remapped onto the new text), its metadata columns and, for chat formats, its dialogue's earlier
 * turns.
 */
import { codePointLength, spanText, type Span } from '../../../shared/domain/spans';
import { redactText, type RedactionMode } from '../redaction';
import type { ResolvedLabels } from './labels';
import type { SourceItem } from './source';
import type { ChatTurn, ExportRecord } from './types';

/** Earlier turns of a dialogue given to chat formats. */
export const CONTEXT_TURNS = 10;

export interface Redacted {
  text: string;
  spans: Span[];
  /** The type of each replacement (a PII type or a personal entity type's name), for the summary. */
  types: string[];
}

export interface Redactor {
  redact(text: string, spans: Span[]): Redacted;
}

export function makeRedactor(mode: 'none' | RedactionMode, key: string | undefined, personalTypes: readonly string[]): Redactor {
  if (mode === 'none') return { redact: (text, spans) => ({ text, spans, types: [] }) };
  return {
    redact(text, spans) {
      const r = redactText(text, { mode, key, spans, personalTypes });
      return { text: r.text, spans: r.spans, types: r.replacements.map((x) => x.type) };
    },
  };
}

export function scalarMeta(v: unknown): string | number | boolean | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  return JSON.stringify(v);
}

/** `meta.dialogue_id` as a string; null when absent or empty. */
export function dialogueIdOf(meta: Record<string, unknown>): string | null {
  const d = meta.dialogue_id;
  return d === undefined || d === null || d === '' ? null : String(d as string | number);
}

export function buildRecord(
  item: SourceItem,
  labels: ResolvedLabels,
  redacted: Redacted,
  o: { multiLabel: boolean; metaFields: readonly string[]; context: ChatTurn[] },
): ExportRecord {
  const { meta } = item;
  const turn = meta.turn;
  const record: ExportRecord = {
    id: item.externalId ?? item.id,
    text: redacted.text,
    sentiment: labels.sentiment,
    entities: redacted.spans.map((s) => ({ start: s.start, end: s.end, label: s.label, text: spanText(redacted.text, s) })),
    dialogue_id: meta.dialogue_id === undefined || meta.dialogue_id === null ? null : String(meta.dialogue_id as string | number),
    turn: typeof turn === 'number' ? turn : typeof turn === 'string' && /^-?\d+$/.test(turn) ? Number(turn) : null,
    context: o.context,
    meta: Object.fromEntries(o.metaFields.map((f) => [f, scalarMeta(meta[f])])),
  };
  if (o.multiLabel) record.intents = labels.intents;
  else record.intent = labels.intents[0] ?? null;
  return record;
}

const ASSISTANT_ROLES = new Set(['agent', 'assistant', 'staff', 'bot', 'service', '客服', '坐席']);

/** The speaker of a dialogue turn from its metadata (`speaker` or `role`); customers by default. */
export function roleOf(meta: Record<string, unknown>): ChatTurn['role'] {
  const s = meta.speaker ?? meta.role;
  return typeof s === 'string' && ASSISTANT_ROLES.has(s.trim().toLowerCase()) ? 'assistant' : 'user';
}

/**
 * The last CONTEXT_TURNS turns of every dialogue seen so far, redacted. Memory grows with the number
 * of dialogues (only kept when a chat format is exported).
 */
export class DialogueTurns {
  private readonly turns = new Map<string, ChatTurn[]>();

  /** The earlier turns of the item's dialogue (a copy). */
  before(dialogueId: string): ChatTurn[] {
    return this.turns.get(dialogueId)?.slice() ?? [];
  }

  add(dialogueId: string, turn: ChatTurn): void {
    let list = this.turns.get(dialogueId);
    if (!list) this.turns.set(dialogueId, (list = []));
    list.push(turn);
    if (list.length > CONTEXT_TURNS) list.shift();
  }
}

/**
 * The spans of personal entity types any annotator marked on an item: redacted in the context text
 * of an item that is not exported itself (it has no resolved spans).
 */
export function personalSpansOfVersions(item: SourceItem, personalTypes: ReadonlySet<string>): Span[] {
  if (!personalTypes.size) return [];
  const length = codePointLength(item.text);
  const out: Span[] = [];
  for (const v of item.versions) {
    for (const s of v.entities) {
      if (personalTypes.has(s.label) && Number.isInteger(s.start) && Number.isInteger(s.end) && s.start >= 0 && s.start < s.end && s.end <= length)
        out.push(s);
    }
  }
  return out;
}
