import type { AdjudicationState, FieldValue } from '../../../shared/contract/adjudication';
import type { LabelSchema } from '../../../shared/domain/labelSchema';
import type { Span } from '../../../shared/domain/spans';
import { buildFields, valueKey } from '../services/adjudication/fields';
import type { ItemVersion } from '../services/adjudication/versions';

/**
 * adjudicated: a reviewer's or an automatic policy's values only. consensus: those, else the value
 * every submitting annotator gave (with at least minAnnotators of them).
 */
export type LabelPolicy = 'adjudicated' | 'consensus';

export type Exclusion = 'gold' | 'skipped' | 'flagged' | 'unlabeled' | 'unresolved' | 'no-consensus' | 'too-few-annotators';
export const EXCLUSIONS: readonly Exclusion[] = ['gold', 'skipped', 'flagged', 'unlabeled', 'unresolved', 'no-consensus', 'too-few-annotators'];

export interface ResolvedLabels {
  intents: string[];
  sentiment: string | null;
  entities: Span[];
}

export interface ItemLabels {
  isGold: boolean;
  /** Submitted annotations (the gold annotator's on a gold item). */
  versions: ItemVersion[];
  /** Someone skipped the item. */
  skipped: boolean;
  /** Its adjudication state, when it is in the queue. */
  state: AdjudicationState | null;
  /** Current adjudicated values per field. */
  decided: ReadonlyMap<string, FieldValue>;
}

export interface ResolveOptions {
  policy: LabelPolicy;
  minAnnotators: number;
  includeGold: boolean;
}

const byPosition = (a: Span, b: Span) => a.start - b.start || a.end - b.end || a.label.localeCompare(b.label);

/**
 * The labels an item is exported with, or why it is left out. A field a reviewer did not decide on
 * a resolved item takes the versions' unanimous value; without one the item is unresolved.
 */
export function resolveItemLabels(item: ItemLabels, schema: LabelSchema, o: ResolveOptions): ResolvedLabels | Exclusion {
  if (item.isGold && !o.includeGold) return 'gold';
  if (item.isGold) {
    const gold = item.versions[0];
    return gold ? { intents: gold.intents, sentiment: gold.sentiment, entities: [...gold.entities].sort(byPosition) } : 'unlabeled';
  }
  if (item.state === 'flagged' || item.versions.some((v) => v.flagged)) return 'flagged';
  if (!item.versions.length) return item.skipped ? 'skipped' : 'unlabeled';
  const resolved = item.state === 'human' || item.state === 'auto';
  if (!resolved && o.policy === 'adjudicated') return 'unresolved';
  if (!resolved && item.versions.length < o.minAnnotators) return 'too-few-annotators';

  const intents: string[] = [];
  let sentiment: string | null = null;
  const entities: Span[] = [];
  for (const f of buildFields(item.versions, schema)) {
    let value: FieldValue | undefined = resolved ? item.decided.get(f.field) : undefined;
    if (value === undefined && f.options.length === 1) value = f.options[0]!.value;
    if (value === undefined) return resolved ? 'unresolved' : 'no-consensus';
    if (f.field === 'intents' && typeof value === 'string') intents.push(value);
    else if (f.field.startsWith('intents:') && value === true) intents.push(f.label!);
    else if (f.field === 'sentiment') sentiment = typeof value === 'string' ? value : null;
    else if (f.task === 'entities' && Array.isArray(value)) entities.push(...value);
  }
  // Spans a reviewer added where no version had a cluster.
  if (resolved) {
    for (const [field, value] of item.decided) {
      if (!field.startsWith('entities:') || !Array.isArray(value)) continue;
      for (const s of value) if (!entities.some((e) => valueKey([e]) === valueKey([s]))) entities.push(s);
    }
  }
  return { intents, sentiment, entities: entities.sort(byPosition) };
}
