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

/** The schema with the given "kind:name" labels added (imports from other tools bring their own labels). */
export function withLabels(schema: LabelSchema, labels: string[]): LabelSchema {
  const next: LabelSchema = structuredClone(schema);
  for (const entry of labels) {
    const colon = entry.indexOf(':');
    const kind = entry.slice(0, colon);
    const name = entry.slice(colon + 1);
    if (kind === 'intents') next.intents.labels.push({ name, description: '', examples: [], hotkey: '', highRisk: false });
    if (kind === 'entities')
      next.entities.types.push({ name, color: PALETTE[next.entities.types.length % PALETTE.length]!, hotkey: '', description: '' });
    if (kind === 'sentiment') {
      const value = next.sentiment.levels.reduce((m, l) => Math.max(m, l.value), -1) + 1;
      next.sentiment.levels.push({ name, value, hotkey: '' });
    }
  }
  return next;
}
