/**
 * The Hugging Face `datasets` features of an export: one description, used for the Parquet
 * `huggingface` key-value metadata (`{"info": {"features": …}}`) and for the dataset card's
 * `dataset_info.features` YAML, so the two cannot drift apart.
 *
 * The JSON form is what `datasets.Features.to_dict()` writes and `Features.from_dict()` reads, in the
 * subset that datasets 2.x, 3.x and 4.x all read the same way (datasets #7676, #7739: 4.x writes a
 * `List` type that 3.x cannot read, so it is never written here):
 *
 * - `Value` — `{"dtype": "string", "_type": "Value"}`;
 * - `ClassLabel` — `{"names": [...], "_type": "ClassLabel"}`: ids are contiguous from 0, in the
 *   order of the schema version's label list;
 * - `Sequence` of a `ClassLabel` for multi-label intents — `{"feature": …, "_type": "Sequence"}`,
 *   Arrow `list<int64>`;
 * - the entity spans as a **list of structs**, written as a one-element JSON list `[{start, end,
 *   label, text}]` (the Python-list feature). This is deliberately *not* `Sequence({...})`: in
 *   datasets 3.x and 4.x a `Sequence` of a dict is the TFDS "dict of lists" shape, Arrow
 *   `struct<start: list<int32>, …>`, which does not match a `list<struct>` column; the JSON list
 *   form reads as `list<struct>` in 3.x (a Python list) and in 4.x (`List`).
 *
 * Columns, in order: `id`, `text`, `intent` (single-label) or `intents` (multi-label), `sentiment`,
 * `entities`, then `dialogue_id` and `turn` when the export has dialogues, then the chosen metadata
 * fields as top-level columns (string → `string`, number → `float64`, boolean → `bool`).
 */
import type { ExportFeatures, ExportRecord, ExportSpan } from '../types';
import { codePointLength, spanText } from '../../../../shared/domain/spans';

export interface HfValue {
  dtype: 'string' | 'int32' | 'int64' | 'float64' | 'bool';
  _type: 'Value';
}
export interface HfClassLabel {
  names: string[];
  _type: 'ClassLabel';
}
export interface HfSequence {
  feature: HfFeature;
  _type: 'Sequence';
}
/** A struct: field name → feature (no `_type`). */
export interface HfStruct {
  [field: string]: HfFeature;
}
/** A list of the one feature it holds (the Python-list form: `[feature]`). */
export type HfList = [HfFeature];
export type HfFeature = HfValue | HfClassLabel | HfSequence | HfList | HfStruct;

/** Top-level column names that the record owns; a metadata field may not take one of them. */
export const RESERVED_COLUMNS = ['id', 'text', 'intent', 'intents', 'sentiment', 'entities', 'dialogue_id', 'turn'] as const;

const META_DTYPE = { string: 'string', number: 'float64', boolean: 'bool' } as const;

const value = (dtype: HfValue['dtype']): HfValue => ({ dtype, _type: 'Value' });
const classLabel = (names: string[]): HfClassLabel => ({ names: [...names], _type: 'ClassLabel' });

/** Throws when the features cannot be written (duplicate label names, a metadata field named like a column). */
export function checkFeatures(features: ExportFeatures): void {
  const lists: [string, string[]][] = [
    ['intent', features.intents],
    ['sentiment', features.sentiments],
    ['entity type', features.entityTypes],
  ];
  for (const [what, names] of lists) {
    const seen = new Set<string>();
    for (const name of names) {
      if (seen.has(name)) throw new Error(`export features: ${what} label "${name}" appears twice (class labels must be unique)`);
      seen.add(name);
    }
  }
  const metaSeen = new Set<string>();
  for (const { name } of features.meta) {
    if (!name) throw new Error('export features: a metadata field has an empty name');
    if ((RESERVED_COLUMNS as readonly string[]).includes(name))
      throw new Error(`export features: metadata field "${name}" has the name of a record column`);
    if (metaSeen.has(name)) throw new Error(`export features: metadata field "${name}" appears twice`);
    metaSeen.add(name);
  }
}

/** The column names in the order every format writes them. */
export function exportColumns(features: ExportFeatures): string[] {
  return Object.keys(hfFeatures(features));
}

/** The HF `dataset_info.features` object (JSON form, `Features.to_dict()`). */
export function hfFeatures(features: ExportFeatures): Record<string, HfFeature> {
  checkFeatures(features);
  // A null prototype: a metadata field named `__proto__` is a column like any other.
  const out = Object.create(null) as Record<string, HfFeature>;
  out.id = value('string');
  out.text = value('string');
  if (features.multiLabel) out.intents = { feature: classLabel(features.intents), _type: 'Sequence' };
  else out.intent = classLabel(features.intents);
  out.sentiment = classLabel(features.sentiments);
  out.entities = [{ start: value('int32'), end: value('int32'), label: classLabel(features.entityTypes), text: value('string') }];
  if (features.dialogue) {
    out.dialogue_id = value('string');
    out.turn = value('int32');
  }
  for (const { name, type } of features.meta) out[name] = value(META_DTYPE[type]);
  return out;
}

/** The Parquet `huggingface` key-value metadata value. */
export function huggingfaceMetadata(features: ExportFeatures): string {
  return JSON.stringify({ info: { features: hfFeatures(features) } });
}

/** One entry of the card's `dataset_info.features` YAML list. */
export type HfYamlFeature = { name: string } & Record<string, unknown>;

/**
 * The same features in the dataset card's YAML shape (`Features._to_yaml_list()` of datasets 3.x:
 * `dtype: string`, `dtype: {class_label: {names: {'0': …}}}`, `sequence: {class_label: …}`,
 * `list: [{name: start, dtype: int32}, …]`), ready for a YAML serialiser.
 */
export function hfFeaturesYaml(features: ExportFeatures): HfYamlFeature[] {
  return Object.entries(hfFeatures(features)).map(([name, feature]) => ({ name, ...yamlInner(feature) }));
}

function yamlInner(feature: HfFeature): Record<string, unknown> {
  if (Array.isArray(feature)) {
    const inner = yamlInner(feature[0]);
    // `list: {struct: [...]}` and `list: {dtype: x}` are simplified as datasets does.
    const keys = Object.keys(inner);
    return { list: keys.length === 1 && (keys[0] === 'struct' || keys[0] === 'dtype') ? inner[keys[0]] : inner };
  }
  if (isValue(feature)) return { dtype: feature.dtype };
  if (isClassLabel(feature)) return { dtype: { class_label: { names: Object.fromEntries(feature.names.map((n, i) => [String(i), n])) } } };
  if (isSequence(feature)) {
    const inner = yamlInner(feature.feature);
    const keys = Object.keys(inner);
    return { sequence: keys.length === 1 && (keys[0] === 'struct' || keys[0] === 'dtype') ? inner[keys[0]] : inner };
  }
  return { struct: Object.entries(feature).map(([name, sub]) => ({ name, ...yamlInner(sub) })) };
}

function isValue(f: HfFeature): f is HfValue {
  return !Array.isArray(f) && (f as { _type?: unknown })._type === 'Value';
}
function isClassLabel(f: HfFeature): f is HfClassLabel {
  return !Array.isArray(f) && (f as { _type?: unknown })._type === 'ClassLabel';
}
function isSequence(f: HfFeature): f is HfSequence {
  return !Array.isArray(f) && (f as { _type?: unknown })._type === 'Sequence';
}

/** A record's labels, checked against the features and ready to write (strings and class ids). */
export interface CheckedRecord {
  intent: string | null;
  intentId: number | null;
  intents: string[];
  intentIds: number[];
  sentiment: string | null;
  sentimentId: number | null;
  /** Sorted by start, then end, then label. */
  entities: ExportSpan[];
  entityIds: number[];
  dialogueId: string | null;
  turn: number | null;
  /** In the order of `features.meta`; absent fields are null. */
  meta: (string | number | boolean | null)[];
}

function fail(record: ExportRecord, why: string): never {
  throw new Error(`export record ${record.id}: ${why}`);
}

function classId(record: ExportRecord, index: Map<string, number>, what: string, name: string): number {
  const id = index.get(name);
  if (id === undefined) fail(record, `${what} "${name}" is not a label of the exported schema`);
  return id;
}

/**
 * Checks records against the features before any format writes them: every label is a class of
 * the schema version (a class-label column cannot hold anything else), spans are in range with the
 * text they claim, metadata values have their declared type. Throws with the item id otherwise.
 */
export class RecordChecker {
  private readonly intentIndex: Map<string, number>;
  private readonly sentimentIndex: Map<string, number>;
  private readonly entityIndex: Map<string, number>;

  constructor(readonly features: ExportFeatures) {
    checkFeatures(features);
    this.intentIndex = new Map(features.intents.map((n, i) => [n, i]));
    this.sentimentIndex = new Map(features.sentiments.map((n, i) => [n, i]));
    this.entityIndex = new Map(features.entityTypes.map((n, i) => [n, i]));
  }

  check(record: ExportRecord): CheckedRecord {
    const { features } = this;
    if (typeof record.id !== 'string' || typeof record.text !== 'string') fail(record, 'id and text must be strings');

    let intent: string | null = null;
    let intentId: number | null = null;
    let intents: string[] = [];
    let intentIds: number[] = [];
    if (features.multiLabel) {
      intents = record.intents ?? [];
      intentIds = intents.map((n) => classId(record, this.intentIndex, 'intent', n));
    } else {
      intent = record.intent ?? null;
      intentId = intent === null ? null : classId(record, this.intentIndex, 'intent', intent);
    }
    const sentiment = record.sentiment ?? null;
    const sentimentId = sentiment === null ? null : classId(record, this.sentimentIndex, 'sentiment', sentiment);

    const length = codePointLength(record.text);
    const entities = [...record.entities].sort((a, b) => a.start - b.start || a.end - b.end || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
    const entityIds = entities.map((s) => {
      if (!Number.isInteger(s.start) || !Number.isInteger(s.end) || s.start < 0 || s.end <= s.start || s.end > length) {
        fail(record, `span [${s.start}, ${s.end}) is not inside the text (${length} code points)`);
      }
      if (spanText(record.text, s) !== s.text) fail(record, `span [${s.start}, ${s.end}) text ${JSON.stringify(s.text)} is not the text it covers`);
      return classId(record, this.entityIndex, 'entity type', s.label);
    });

    let dialogueId: string | null = null;
    let turn: number | null = null;
    if (features.dialogue) {
      dialogueId = record.dialogue_id ?? null;
      turn = record.turn ?? null;
      if (turn !== null && !(Number.isInteger(turn) && turn >= -0x80000000 && turn <= 0x7fffffff)) fail(record, `turn ${turn} is not a 32-bit integer`);
    }

    const meta = features.meta.map(({ name, type }) => {
      const v = record.meta[name];
      if (v === null || v === undefined) return null;
      if (typeof v === type) return v;
      // A number or boolean in a text field is written as its text (no information lost).
      if (type === 'string') return String(v);
      return fail(record, `metadata field "${name}" is ${typeof v}, declared ${type}`);
    });

    return { intent, intentId, intents, intentIds, sentiment, sentimentId, entities, entityIds, dialogueId, turn, meta };
  }
}

/** The record as the HF object (hf-jsonl line, Parquet row before class-id encoding): keys in column order. */
export function hfObject(features: ExportFeatures, record: ExportRecord, checked: CheckedRecord): Record<string, unknown> {
  const out = Object.create(null) as Record<string, unknown>;
  out.id = record.id;
  out.text = record.text;
  if (features.multiLabel) out.intents = checked.intents;
  else out.intent = checked.intent;
  out.sentiment = checked.sentiment;
  out.entities = checked.entities.map((s) => ({ start: s.start, end: s.end, label: s.label, text: s.text }));
  if (features.dialogue) {
    out.dialogue_id = checked.dialogueId;
    out.turn = checked.turn;
  }
  features.meta.forEach(({ name }, i) => {
    out[name] = checked.meta[i];
  });
  return out;
}
