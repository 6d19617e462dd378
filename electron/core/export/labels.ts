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

const isResolved = (item: ItemLabels): boolean => item.state === 'human' || item.state === 'auto';

/** The outcome decided before any field is looked at (gold, flags, missing versions, the policy), or undefined. */
function earlyOutcome(item: ItemLabels, o: ResolveOptions): ResolvedLabels | Exclusion | undefined {
  if (item.isGold && !o.includeGold) return 'gold';
  if (item.isGold) {
    const gold = item.versions[0];
    return gold ? { intents: gold.intents, sentiment: gold.sentiment, entities: [...gold.entities].sort(byPosition) } : 'unlabeled';
  }
  if (item.state === 'flagged' || item.versions.some((v) => v.flagged)) return 'flagged';
  if (!item.versions.length) return item.skipped ? 'skipped' : 'unlabeled';
  const resolved = isResolved(item);
  if (!resolved && o.policy === 'adjudicated') return 'unresolved';
  if (!resolved && item.versions.length < o.minAnnotators) return 'too-few-annotators';
  return undefined;
}

/**
 * The labels an item is exported with, or why it is left out. A field a reviewer did not decide on
 * a resolved item takes the versions' unanimous value; without one the item is unresolved.
 */
export function resolveItemLabels(item: ItemLabels, schema: LabelSchema, o: ResolveOptions): ResolvedLabels | Exclusion {
  const early = earlyOutcome(item, o);
  if (early !== undefined) return early;
  const resolved = isResolved(item);
  if (!resolved) {
    const agreed = unanimous(item.versions, schema);
    if (agreed !== 'differ') return agreed;
  }
  return resolveFields(item, schema, resolved);
}

/** The same through the fields alone (no shortcut for versions that agree), for tests of the shortcut. */
export function resolveItemLabelsByFields(item: ItemLabels, schema: LabelSchema, o: ResolveOptions): ResolvedLabels | Exclusion {
  return earlyOutcome(item, o) ?? resolveFields(item, schema, isResolved(item));
}

/**
 * Without a decision, the labels of versions that agree on every field: what `resolveFields` gives
 * when each field has one option, without building the fields (most items of a project). 'differ'
 * when any field has more than one option (the general path decides then).
 */
function unanimous(versions: readonly ItemVersion[], schema: LabelSchema): ResolvedLabels | 'differ' {
  const first = versions[0]!;
  for (const s of first.entities) checkSpan(s);
  const entities = [...first.entities].sort(byPosition);
  if (versions.length > 1) {
    const intentsKey = intentsKeyOf(first, schema);
    const entitiesKey = JSON.stringify(entities);
    for (let i = 1; i < versions.length; i++) {
      const v = versions[i]!;
      for (const s of v.entities) checkSpan(s);
      if (v.sentiment !== first.sentiment || intentsKeyOf(v, schema) !== intentsKey) return 'differ';
      if (JSON.stringify([...v.entities].sort(byPosition)) !== entitiesKey) return 'differ';
    }
  }
  let intents: string[];
  if (schema.intents.multiLabel) intents = [...new Set(first.intents)].sort();
  else intents = typeof first.intents[0] === 'string' ? [first.intents[0]] : [];
  return { intents, sentiment: first.sentiment, entities };
}

/** What the intent fields compare: the first intent (single-label), or the distinct labels sorted. */
function intentsKeyOf(v: ItemVersion, schema: LabelSchema): string {
  return JSON.stringify(schema.intents.multiLabel ? [...new Set(v.intents)].sort() : (v.intents[0] ?? null));
}

/** The span check clusterSpans makes, with its message. */
function checkSpan(span: Span): void {
  if (!Number.isInteger(span.start) || !Number.isInteger(span.end) || span.start < 0 || span.end <= span.start) {
    throw new RangeError(`invalid span [${span.start}, ${span.end}) ${span.label}: offsets must be integers with 0 <= start < end`);
  }
}

function resolveFields(item: ItemLabels, schema: LabelSchema, resolved: boolean): ResolvedLabels | Exclusion {
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
