import type { TFunction } from 'i18next';
import type { AdjudicationField, AdjudicationVersion, FieldValue, ReasonCode } from '../../../../shared/contract/adjudication';
import { fieldExtent, sliceCodePoints, type Decision } from './fields';

/** The field as the reviewer reads it: 意图, 情感, 意图 · 退款, 实体「吸尘器」. */
export function fieldTitle(t: TFunction, field: AdjudicationField, text: string): string {
  if (field.field === 'intents') return t('adjudication.field.intents');
  if (field.field === 'sentiment') return t('adjudication.field.sentiment');
  if (field.field.startsWith('intents:')) return t('adjudication.field.intentLabel', { label: field.label ?? field.field.slice(8) });
  const extent = field.extent ?? fieldExtent(field.field);
  return t('adjudication.field.entities', { text: extent ? sliceCodePoints(text, extent.start, extent.end) : field.field });
}

/** A value as text: a label, yes/no, none, or the spans with their text. */
export function valueText(t: TFunction, value: FieldValue | undefined, text: string): string {
  if (value === undefined) return t('adjudication.value.undecided');
  if (value === null) return t('adjudication.value.none');
  if (typeof value === 'boolean') return value ? t('adjudication.value.yes') : t('adjudication.value.no');
  if (typeof value === 'string') return value;
  if (value.length === 0) return t('adjudication.value.noSpans');
  return value.map((s) => `${s.label}「${sliceCodePoints(text, s.start, s.end)}」`).join('  ');
}

/** The version's column header: its tag, and outside blind mode its annotator's name. */
export function versionName(v: AdjudicationVersion): string {
  return v.annotator ? `${v.tag} · ${v.annotator.name}` : v.tag;
}

/** How the decision came about, for its badge. */
export function decisionSource(t: TFunction, d: Decision, versions: readonly AdjudicationVersion[]): string {
  if (d.via === 'version') return t('adjudication.source.version', { tag: versions[d.version ?? 0]?.tag ?? '?' });
  return t(`adjudication.source.${d.via}`);
}

export function reasonLabel(reasons: readonly ReasonCode[], code: string | null): string | null {
  if (!code) return null;
  return reasons.find((r) => r.code === code)?.label ?? code;
}
