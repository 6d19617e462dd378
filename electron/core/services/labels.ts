import type { LabelSchema } from '../../../shared/domain/labelSchema';

const PALETTE = ['#1c7ed6', '#37b24d', '#f59f00', '#e8590c', '#ae3ec9', '#0ca678', '#d6336c', '#4263eb', '#74b816', '#f76707'];

export interface LabelNames {
  intents: Set<string>;
  entities: Set<string>;
  sentiment: Set<string>;
}

export const emptyLabelNames = (): LabelNames => ({ intents: new Set(), entities: new Set(), sentiment: new Set() });

/** Labels used in data that the schema does not have yet, as "kind:name". */
export function missingLabels(schema: LabelSchema, used: LabelNames): string[] {
  const has = {
    intents: new Set(schema.intents.labels.map((l) => l.name)),
    entities: new Set(schema.entities.types.map((t) => t.name)),
    sentiment: new Set(schema.sentiment.levels.map((l) => l.name)),
  };
  const out: string[] = [];
  for (const kind of ['intents', 'entities', 'sentiment'] as const) {
    for (const name of used[kind]) if (!has[kind].has(name)) out.push(`${kind}:${name}`);
  }
  return out;
}

/** The "kind:name" labels the schema still lacks (it may have changed since they were collected). */
export function stillMissing(schema: LabelSchema, labels: string[]): string[] {
  const used = emptyLabelNames();
  for (const entry of labels) {
    const colon = entry.indexOf(':');
    const kind = entry.slice(0, colon) as keyof LabelNames;
    used[kind]?.add(entry.slice(colon + 1));
  }
  return missingLabels(schema, used);
}

/** The schema with the given "kind:name" labels added (imports from other tools bring their own labels). */
export function withLabels(schema: LabelSchema, labels: string[]): LabelSchema {
  const next: LabelSchema = structuredClone(schema);
  for (const entry of labels) {
    const colon = entry.indexOf(':');
    const kind = entry.slice(0, colon);
    const name = entry.slice(colon + 1);
    if (kind === 'intents') next.intents.labels.push({ name, description: '', examples: [], hotkey: '', highRisk: false });
    if (kind === 'entities')
      next.entities.types.push({ name, color: PALETTE[next.entities.types.length % PALETTE.length]!, hotkey: '', description: '', personal: false });
    if (kind === 'sentiment') {
      const value = next.sentiment.levels.reduce((m, l) => Math.max(m, l.value), -1) + 1;
      next.sentiment.levels.push({ name, value, hotkey: '' });
    }
  }
  return next;
}

/** The longest names a label schema takes (shared/domain/labelSchema.ts). */
const MAX_NAME = { intents: 100, entities: 100, sentiment: 50 } as const;

/**
 * Brings an imported record's label names to the form the schema stores (trimmed), or says why
 * one cannot be a label name (the line is then a bad line: a schema cannot take it).
 */
export function normalizeLabels(annotations: { intents?: string[]; entities?: { label: string }[]; sentiment?: string | null }[]): string | null {
  for (const a of annotations) {
    if (a.intents) a.intents = a.intents.map((n) => n.trim()).filter(Boolean);
    for (const e of a.entities ?? []) e.label = e.label.trim();
    if (typeof a.sentiment === 'string') a.sentiment = a.sentiment.trim() || null;
    const long =
      a.intents?.find((n) => n.length > MAX_NAME.intents) ??
      a.entities?.find((e) => e.label.length > MAX_NAME.entities || !e.label)?.label ??
      (a.sentiment && a.sentiment.length > MAX_NAME.sentiment ? a.sentiment : undefined);
    if (long !== undefined) {
      return long ? `the label "${long.slice(0, 40)}…" is longer than a label name can be` : 'an entity without a label';
    }
  }
  return null;
}
