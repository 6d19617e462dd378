import type { AnnotatorFeedback, FieldValue } from '../../../../shared/contract/adjudication';
import type { DB } from '../../db/open';
import { currentSchema } from '../../db/repos/projects';
import { buildFields, valueKey } from './fields';
import { loadAdjudicationSettings } from './settings';
import { versionOf } from './versions';

/**
 * For one annotator: the items where an adjudication differs from their submission (with the value,
 * the reason and the note), and their accuracy against adjudicated fields per ISO week of the decision.
 */
export function annotatorFeedback(db: DB, projectId: string, annotatorId: string): AnnotatorFeedback {
  const schema = currentSchema(db, projectId);
  const reasons = new Map(loadAdjudicationSettings(db, projectId).reasonCodes.map((r) => [r.code, r.label]));
  const rows = db
    .prepare(
      `SELECT a.item_id, a.annotator_id, p.name, a.intents_json, a.sentiment, a.entities_json, a.flagged, i.ord, i.text,
              d.field, d.value_json, d.reason_code, e.note, d.updated_at
       FROM annotations a JOIN annotators p ON p.id = a.annotator_id JOIN items i ON i.id = a.item_id
       JOIN adjudications d ON d.item_id = a.item_id JOIN adjudication_events e ON e.id = d.last_event_id
       WHERE a.project_id = ? AND a.annotator_id = ? AND a.status = 'submitted'
       ORDER BY d.updated_at DESC`,
    )
    .all(projectId, annotatorId) as (Parameters<typeof versionOf>[0] & { ord: number; text: string; field: string; value_json: string; reason_code: string | null; note: string | null; updated_at: string })[];
  const out: AnnotatorFeedback['rows'] = [];
  const weeks = new Map<string, { fields: number; agreed: number }>();
  for (const r of rows) {
    const mine = buildFields([versionOf(r)], schema).find((f) => f.field === r.field);
    const yours: FieldValue = mine ? mine.options[0]!.value : r.field.startsWith('entities:') ? [] : r.field.startsWith('intents:') ? false : null;
    const adjudicated = JSON.parse(r.value_json) as FieldValue;
    const agreed = valueKey(yours) === valueKey(adjudicated);
    const week = isoWeek(r.updated_at);
    const w = weeks.get(week) ?? { fields: 0, agreed: 0 };
    w.fields++;
    if (agreed) w.agreed++;
    weeks.set(week, w);
    if (!agreed) {
      out.push({ itemId: r.item_id, ord: r.ord, text: r.text, field: r.field, yours, adjudicated, reasonCode: r.reason_code, reasonLabel: r.reason_code ? (reasons.get(r.reason_code) ?? r.reason_code) : null, note: r.note, at: r.updated_at });
    }
  }
  const accuracy = [...weeks.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([week, w]) => ({ week, fields: w.fields, agreed: w.agreed, accuracy: w.agreed / w.fields }));
  return { rows: out, accuracy };
}

/** '2026-W49' for an ISO timestamp. */
export function isoWeek(iso: string): string {
  const d = new Date(iso);
  const day = (d.getUTCDay() + 6) % 7;
  const thursday = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - day + 3));
  // The ISO week is the week of its Thursday: its day of the year, in sevens.
  const dayOfYear = (thursday.getTime() - Date.UTC(thursday.getUTCFullYear(), 0, 1)) / 86_400_000;
  const week = 1 + Math.floor(dayOfYear / 7);
  return `${thursday.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}
