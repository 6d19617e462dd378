import type { LabelSchema } from '../../../shared/domain/labelSchema';
import type { DB } from '../db/open';
import { stmt } from '../db/statements';
import { currentSchema } from '../db/repos/projects';

export type HeadTask = 'intents' | 'sentiment';

export interface LabeledExample {
  itemId: string;
  text: string;
  label: string;
}

/** The label names of a head's task in a schema, in the schema's order. */
export function taskLabels(schema: LabelSchema, task: HeadTask): string[] {
  return task === 'intents' ? schema.intents.labels.map((l) => l.name) : schema.sentiment.levels.map((l) => l.name);
}

/**
 * The label each annotated item has (majority over annotators; ties to the earliest), for the labels
 * the schema knows; items in their order. What the heads are trained on, and what versions are
 * compared on. (The same query and vote as PrelabelService's own copy.)
 */
export function labeledExamples(db: DB, projectId: string, task: HeadTask, schema: LabelSchema): LabeledExample[] {
  const known = new Set(taskLabels(schema, task));
  const rows = stmt<[string], { item_id: string; text: string; value: string | null }>(
    db,
    task === 'intents'
      ? `SELECT a.item_id, i.text, json_extract(a.intents_json, '$[0]') AS value FROM annotations a JOIN items i ON i.id = a.item_id
         WHERE a.project_id = ? AND json_array_length(a.intents_json) > 0 ORDER BY i.ord`
      : `SELECT a.item_id, i.text, a.sentiment AS value FROM annotations a JOIN items i ON i.id = a.item_id
         WHERE a.project_id = ? AND a.sentiment IS NOT NULL ORDER BY i.ord`,
  ).all(projectId);
  const votes = new Map<string, { text: string; counts: Map<string, number> }>();
  for (const r of rows) {
    if (!r.value || !known.has(r.value)) continue;
    const v = votes.get(r.item_id) ?? { text: r.text, counts: new Map() };
    v.counts.set(r.value, (v.counts.get(r.value) ?? 0) + 1);
    votes.set(r.item_id, v);
  }
  return [...votes.entries()].map(([itemId, v]) => ({
    itemId,
    text: v.text,
    label: [...v.counts.entries()].sort((a, b) => b[1] - a[1])[0]![0],
  }));
}

/**
 * The items that had a label for the task at a moment in the past, replayed from the append-only
 * annotation log: each annotator's last event of the task recorded by then (an imported event
 * counts from when its import finished), filtered by the label schema current then. That is the
 * set `labeledExamples` returned at that moment, so for a head trained then it is the set of items
 * it was trained on. Null when the project had no schema yet at that moment.
 */
export function labeledItemsAt(db: DB, projectId: string, task: HeadTask, at: string): Set<string> | null {
  const schemaVersion = stmt<[string, string], { version: number }>(
    db,
    'SELECT version FROM label_schemas WHERE project_id = ? AND created_at <= ? ORDER BY version DESC LIMIT 1',
  ).get(projectId, at)?.version;
  if (schemaVersion === undefined) return null;
  const known = new Set(taskLabels(currentSchema(db, projectId, schemaVersion), task));
  const rows = stmt<[string, string, string], { item_id: string; annotator_id: string; value_json: string }>(
    db,
    `SELECT e.item_id, e.annotator_id, e.value_json FROM annotation_events e LEFT JOIN imports im ON im.id = e.import_id
     WHERE e.project_id = ? AND e.kind = ? AND (CASE WHEN e.import_id IS NULL THEN e.ended_at ELSE im.finished_at END) <= ?
     ORDER BY e.seq`,
  ).all(projectId, task, at);
  const last = new Map<string, { itemId: string; value: unknown }>();
  for (const r of rows) last.set(`${r.item_id}\u0000${r.annotator_id}`, { itemId: r.item_id, value: JSON.parse(r.value_json) });
  const items = new Set<string>();
  for (const { itemId, value } of last.values()) {
    const label = task === 'intents' ? (Array.isArray(value) ? (value[0] as unknown) : null) : value;
    if (typeof label === 'string' && known.has(label)) items.add(itemId);
  }
  return items;
}
