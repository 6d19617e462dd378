import type { AutoInput, FieldValue } from '../../../../shared/contract/adjudication';
import type { LabelSchema } from '../../../../shared/domain/labelSchema';
import { buildFields, valueKey, type BuiltField } from './fields';
import type { PageItem } from './pages';
import type { ItemVersion } from './versions';

/** A field's Dawid–Skene estimate: its most likely value and that value's posterior. */
export interface Posterior {
  value: FieldValue;
  p: number;
}

/** The estimate of a field for an item's versions; undefined when the policy estimates no such field. */
export type PosteriorOf = (field: BuiltField, versions: readonly ItemVersion[]) => Posterior | undefined;

/** What an automatic run wants for one item. */
export interface ItemPlan {
  itemId: string;
  state: 'auto' | 'disputed';
  /** Fields of the chosen tasks whose value differs from the standing one (only when the item resolves). */
  writes: { field: string; value: FieldValue }[];
  /** Fields of the chosen tasks whose automatic decision is withdrawn. */
  withdraw: string[];
  /** 1 − the lowest Dawid–Skene posterior of its fields (0 under the vote policies). */
  uncertainty: number;
}

/**
 * A field's resolution under a vote policy: its value, or undefined when it stays disputed. Counted
 * from the field's options (one per distinct value, most votes first), as `unanimous` and
 * `majority` count their votes: unanimous, one value among at least minAnnotators votes; majority,
 * a unique top value with a share >= minShare of at least minAnnotators votes.
 */
function byVotes(f: BuiltField, input: AutoInput): FieldValue | undefined {
  const top = f.options[0];
  if (!top) return undefined;
  let votes = 0;
  for (const o of f.options) votes += o.versions.length;
  if (votes < input.minAnnotators) return undefined;
  if (input.policy === 'unanimous') return f.options.length === 1 ? top.value : undefined;
  if (f.options.length > 1 && f.options[1]!.versions.length === top.versions.length) return undefined;
  return top.versions.length / votes >= input.minShare ? top.value : undefined;
}

/** The stored JSON of a standing value holds `value` (span lists compared in position order). */
export function holds(valueJson: string, value: FieldValue): boolean {
  const key = valueKey(value);
  return valueJson === key || valueKey(JSON.parse(valueJson) as FieldValue) === key;
}

/**
 * An item's plan: each field of the chosen tasks resolved by the policy, the fields a person
 * decided left alone. The item resolves when every such field does and no field outside the chosen
 * tasks is open (undecided and with more than one option); only a resolved item carries automatic
 * decisions, so a disputed one has all of its automatic decisions (in the chosen tasks) withdrawn.
 */
export function planItem(item: PageItem, schema: LabelSchema, input: AutoInput, tasks: ReadonlySet<string>, posteriorOf: PosteriorOf): ItemPlan {
  const { versions, standing } = item;
  const fields = buildFields(versions, schema);
  const votePolicy = input.policy === 'dawid-skene' ? { ...input, policy: 'majority' as const } : input;
  const writes: ItemPlan['writes'] = [];
  const withdraw: string[] = [];
  let all = true;
  let uncertainty = 0;
  for (const f of fields) {
    const current = standing.get(f.field);
    if (!tasks.has(f.task)) {
      if (!current && f.options.length > 1) all = false;
      continue;
    }
    if (current?.source === 'adjudication') continue; // a person decided this field: it stands
    const ds = posteriorOf(f, versions);
    let value: FieldValue | undefined;
    if (ds && f.options.length) {
      uncertainty = Math.max(uncertainty, 1 - ds.p);
      value = ds.p >= input.minPosterior && versions.length >= input.minAnnotators ? ds.value : undefined;
    } else {
      value = byVotes(f, votePolicy);
    }
    if (value === undefined) {
      all = false;
      if (current?.source === 'auto') withdraw.push(f.field);
    } else if (!current || !holds(current.valueJson, value)) {
      writes.push({ field: f.field, value });
    }
  }
  const state = all && fields.length > 0 ? 'auto' : 'disputed';
  if (state === 'disputed') {
    writes.length = 0;
    for (const f of fields) {
      if (tasks.has(f.task) && standing.get(f.field)?.source === 'auto' && !withdraw.includes(f.field)) withdraw.push(f.field);
    }
  }
  return { itemId: item.itemId, state, writes, withdraw, uncertainty };
}

/**
 * The plan changes something: a value, a withdrawal, the state, or (after a Dawid–Skene estimate)
 * the uncertainty. A rerun over the same data changes nothing, so it writes nothing.
 */
export function changesSomething(plan: ItemPlan, item: PageItem): boolean {
  return (
    plan.writes.length > 0 ||
    plan.withdraw.length > 0 ||
    (item.state ?? 'disputed') !== plan.state ||
    (plan.uncertainty > 0 && plan.uncertainty !== item.uncertainty)
  );
}
