import type { FieldValue } from '../../../../shared/contract/adjudication';
import { spanText } from '../../../../shared/domain/spans';
import type { GuidelineTopic } from '../guideline/GuidelinePanel';

type T = (key: string, options?: Record<string, unknown>) => string;

const ENTITY_FIELD = /^entities:(\d+)-(\d+)$/;

/** The field as the annotator reads it: "Intent", "Intent: 投诉", "Sentiment", "Entities «吸尘器»". */
export function fieldText(field: string, text: string, t: T): string {
  if (field === 'intents') return t('feedback.field_intents');
  if (field.startsWith('intents:')) return t('feedback.field_intent', { label: field.slice('intents:'.length) });
  if (field === 'sentiment') return t('feedback.field_sentiment');
  const m = ENTITY_FIELD.exec(field);
  if (m) return t('feedback.field_entities', { text: spanText(text, { start: Number(m[1]), end: Number(m[2]) }) });
  return field;
}

/** A decided or submitted value: a label, yes/no, none, or the spans with their text. */
export function valueText(value: FieldValue, text: string, t: T): string {
  if (value === null) return t('feedback.none');
  if (typeof value === 'boolean') return value ? t('feedback.yes') : t('feedback.no');
  if (typeof value === 'string') return value;
  if (value.length === 0) return t('feedback.noEntity');
  return value.map((s) => `${s.label}「${spanText(text, s)}」`).join('，');
}

/** The guideline sections a feedback row is about: its reason's reference first, then the labels on both sides. */
export function rowTopics(row: { field: string; yours: FieldValue; adjudicated: FieldValue }, guidelineRef: string | null): GuidelineTopic[] {
  const out: GuidelineTopic[] = [];
  const add = (topic: GuidelineTopic) => {
    if (topic.name && !out.some((x) => x.kind === topic.kind && x.name === topic.name)) out.push(topic);
  };
  if (guidelineRef) add({ kind: 'ref', name: guidelineRef });
  if (row.field.startsWith('intents:')) add({ kind: 'intent', name: row.field.slice('intents:'.length) });
  for (const value of [row.adjudicated, row.yours]) {
    if (row.field === 'intents' && typeof value === 'string') add({ kind: 'intent', name: value });
    if (row.field.startsWith('entities:') && Array.isArray(value)) for (const s of value) add({ kind: 'entity', name: s.label });
  }
  return out;
}
