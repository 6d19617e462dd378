import type { AdjudicationField, AdjudicationItem, FieldValue } from '../../../../shared/contract/adjudication';
import type { Span } from '../../../../shared/domain/spans';

/** What the reviewer has decided for one field so far (not yet committed). */
export interface Decision {
  value: FieldValue;
  /** How the value was chosen: a version's, the pre-fill, the span editor, all spans rejected, or as committed before. */
  via: 'version' | 'prefill' | 'edit' | 'reject' | 'decided';
  /** With via 'version': the index of the version taken. */
  version?: number;
  reasonCode: string | null;
  note: string;
}

export type Decisions = Record<string, Decision>;

const byPosition = (a: Span, b: Span) => a.start - b.start || a.end - b.end || a.label.localeCompare(b.label);

/** Spans with only their three fields, in position order: the form the core compares. */
export const normalizeSpans = (spans: readonly Span[]): Span[] => spans.map((s) => ({ start: s.start, end: s.end, label: s.label })).sort(byPosition);

/** The key a value is compared by, as the core groups values (span lists in position order). */
export const valueKey = (v: FieldValue | undefined): string => (v === undefined ? 'undefined' : JSON.stringify(Array.isArray(v) ? normalizeSpans(v) : v));

export const sameValue = (a: FieldValue | undefined, b: FieldValue | undefined): boolean => valueKey(a) === valueKey(b);

export const isEntityField = (f: Pick<AdjudicationField, 'task'>): boolean => f.task === 'entities';

/** The value version `index` gave for a field (every version is in exactly one option); undefined when there is no such version. */
export function versionValue(field: AdjudicationField, index: number): FieldValue | undefined {
  return field.options.find((o) => o.versions.includes(index))?.value;
}

/** Whether committing this value needs a reason code: it differs from the majority of the versions. */
export function needsReason(field: AdjudicationField, value: FieldValue): boolean {
  return field.majority !== undefined && !sameValue(field.majority, value);
}

/** The decisions a newly shown item starts from: what was committed before, else the pre-fill; fields without either stay open. */
export function initialDecisions(item: AdjudicationItem): Decisions {
  const out: Decisions = {};
  for (const f of item.fields) {
    if (f.decided) out[f.field] = { value: f.decided.value, via: 'decided', reasonCode: f.decided.reasonCode, note: '' };
    else if (f.prefill !== undefined) out[f.field] = { value: f.prefill, via: 'prefill', reasonCode: null, note: '' };
  }
  return out;
}

/** The first field the versions disagree on (else the first field): where the reviewer starts. */
export function firstDisputed(fields: readonly AdjudicationField[]): number {
  const at = fields.findIndex((f) => f.agreement < 1);
  return at >= 0 ? at : 0;
}

/** Code points [start, end) of a text. */
export function sliceCodePoints(text: string, start: number, end: number): string {
  return [...text].slice(start, end).join('');
}

export const ENTITY_FIELD = /^entities:(\d+)-(\d+)$/;

export function fieldExtent(field: string): { start: number; end: number } | null {
  const m = ENTITY_FIELD.exec(field);
  return m ? { start: Number(m[1]), end: Number(m[2]) } : null;
}

/** A field for a cluster of spans the reviewer added where no version marked anything. */
export function newClusterField(start: number, end: number): AdjudicationField {
  return { field: `entities:${start}-${end}`, task: 'entities', label: null, extent: { start, end }, options: [], agreement: 1, decided: null };
}

export type SplitResult =
  | { ok: true; byField: Record<string, Span[]>; added: AdjudicationField[] }
  | { ok: false; span: Span };

/**
 * The spans of the whole item after editing, back into fields: each span inside a cluster's extent
 * belongs to that cluster; spans that touch no cluster make clusters of their own (overlapping ones
 * together). A span that crosses the edge of a cluster fits no field and is refused.
 */
export function splitSpans(spans: readonly Span[], entityFields: readonly AdjudicationField[]): SplitResult {
  const byField: Record<string, Span[]> = Object.fromEntries(entityFields.map((f) => [f.field, [] as Span[]]));
  const loose: Span[] = [];
  for (const s of normalizeSpans(spans)) {
    const inside = entityFields.find((f) => f.extent && f.extent.start <= s.start && s.end <= f.extent.end);
    if (inside) {
      byField[inside.field]!.push(s);
      continue;
    }
    if (entityFields.some((f) => f.extent && f.extent.start < s.end && s.start < f.extent.end)) return { ok: false, span: s };
    loose.push(s);
  }
  const groups: { start: number; end: number; spans: Span[] }[] = [];
  for (const s of loose) {
    const last = groups.at(-1);
    if (last && s.start < last.end) {
      last.end = Math.max(last.end, s.end);
      last.spans.push(s);
    } else groups.push({ start: s.start, end: s.end, spans: [s] });
  }
  const added = groups.map((g) => newClusterField(g.start, g.end));
  groups.forEach((g, i) => (byField[added[i]!.field] = g.spans));
  return { ok: true, byField, added };
}

/** The decided spans of every entity field together: what the span editor starts from. */
export function decidedSpans(fields: readonly AdjudicationField[], decisions: Decisions): Span[] {
  const out: Span[] = [];
  for (const f of fields) {
    const v = decisions[f.field]?.value;
    if (isEntityField(f) && Array.isArray(v)) out.push(...v);
  }
  return normalizeSpans(out);
}

/** Every label a field is about (the intents, levels or entity types its versions gave, and its decision): the guideline sections to show. */
export function fieldLabels(field: AdjudicationField, decision: Decision | undefined): string[] {
  const labels = new Set<string>();
  const add = (v: FieldValue | undefined) => {
    if (typeof v === 'string') labels.add(v);
    else if (Array.isArray(v)) for (const s of v) labels.add(s.label);
  };
  if (field.label) labels.add(field.label);
  if (!field.field.startsWith('intents:')) {
    add(decision?.value);
    for (const o of field.options) add(o.value);
  }
  return [...labels];
}

/** One colour per version (A, B, C, …), as Mantine colour names. */
export const VERSION_COLORS = ['blue', 'orange', 'teal', 'grape', 'red', 'lime', 'cyan', 'pink', 'yellow'] as const;
export const versionColor = (index: number): string => VERSION_COLORS[index % VERSION_COLORS.length]!;
export const versionCssColor = (index: number): string => `var(--mantine-color-${versionColor(index)}-6)`;
