import type { AdjudicationTask, FieldValue } from '../../../../shared/contract/adjudication';
import { clusterExtents, disagreementScore } from '../../../../shared/domain/adjudication';
import type { LabelSchema } from '../../../../shared/domain/labelSchema';
import type { Span } from '../../../../shared/domain/spans';
import type { ItemVersion } from './versions';

/** One field of one item across its versions: the distinct values and who gave each. */
export interface BuiltField {
  field: string;
  task: AdjudicationTask;
  label: string | null;
  extent: { start: number; end: number } | null;
  options: { value: FieldValue; versions: number[] }[];
  agreement: number;
  /** The value of more than half of the versions. */
  majority: FieldValue | undefined;
}

export const TASK_BIT: Record<AdjudicationTask, number> = { intents: 1, sentiment: 2, entities: 4 };

const byPosition = (a: Span, b: Span) => a.start - b.start || a.end - b.end || a.label.localeCompare(b.label);

/** The key a value is grouped by: equal values, equal keys (span lists in position order). */
export const valueKey = (v: FieldValue): string => JSON.stringify(Array.isArray(v) ? [...v].sort(byPosition) : v);

type Scalar = string | boolean | null;

/**
 * The distinct values of a field and who gave each, most given first (then first given); the
 * value of more than half of them. Scalars are grouped by themselves, span lists by their key.
 */
function field(name: string, task: AdjudicationTask, values: FieldValue[], label: string | null = null, extent: BuiltField['extent'] = null): BuiltField {
  const groups = new Map<Scalar, { value: FieldValue; versions: number[] }>();
  for (let version = 0; version < values.length; version++) {
    let value = values[version]!;
    let key: Scalar;
    if (Array.isArray(value)) {
      value = [...value].sort(byPosition);
      key = JSON.stringify(value); // valueKey(value), sorted once
    } else {
      key = value;
    }
    const group = groups.get(key);
    if (group) group.versions.push(version);
    else groups.set(key, { value, versions: [version] });
  }
  const options = [...groups.values()];
  if (options.length > 1) options.sort((a, b) => b.versions.length - a.versions.length || a.versions[0]! - b.versions[0]!);
  const top = options[0]?.versions.length ?? 0;
  const majority = top * 2 > values.length ? options[0]!.value : undefined;
  return { field: name, task, label, extent, options, agreement: values.length ? top / values.length : 1, majority };
}

/**
 * The fields a reviewer decides for an item: the intent (single-label) or each intent label any
 * version gave (multi-label, present or absent), the sentiment, and each cluster of overlapping spans.
 */
export function buildFields(versions: readonly ItemVersion[], schema: LabelSchema): BuiltField[] {
  if (versions.length > 1 && versions.every(sameAsFirst)) {
    // Every version gave the same values (the same parsed objects): one version's fields, each given by all.
    const all = versions.map((_, i) => i);
    return buildFields([versions[0]!], schema).map((f) => ({ ...f, options: f.options.map((o) => ({ ...o, versions: all })) }));
  }
  const fields: BuiltField[] = [];
  const anyIntents = versions.some((v) => v.intents.length > 0);
  if (schema.intents.labels.length || anyIntents) {
    if (schema.intents.multiLabel) {
      const labels = [...new Set(versions.flatMap((v) => v.intents))].sort();
      for (const label of labels) fields.push(field(`intents:${label}`, 'intents', versions.map((v) => v.intents.includes(label)), label));
    } else {
      fields.push(field('intents', 'intents', versions.map((v) => v.intents[0] ?? null)));
    }
  }
  if (schema.sentiment.levels.length || versions.some((v) => v.sentiment !== null)) {
    fields.push(field('sentiment', 'sentiment', versions.map((v) => v.sentiment)));
  }
  const spans = versions.flatMap((v) => v.entities);
  if (spans.length) {
    for (const c of clusterExtents(spans)) {
      const inCluster = versions.map((v) => v.entities.filter((s) => s.start < c.end && c.start < s.end));
      fields.push(field(`entities:${c.start}-${c.end}`, 'entities', inCluster, null, { start: c.start, end: c.end }));
    }
  }
  return fields;
}

function sameAsFirst(v: ItemVersion, _: number, versions: readonly ItemVersion[]): boolean {
  const first = versions[0]!;
  return v.intents === first.intents && v.sentiment === first.sentiment && v.entities === first.entities;
}

/** The item's disagreement score and the tasks whose versions disagree (a bit per task). */
export function disagreementOf(fields: readonly BuiltField[], versions: number): { score: number; disputedTasks: number } {
  let disputedTasks = 0;
  for (const f of fields) if (f.agreement < 1) disputedTasks |= TASK_BIT[f.task];
  return { score: fields.length ? disagreementScore(fields.map((f) => ({ topShare: f.agreement, versions }))) : 0, disputedTasks };
}
