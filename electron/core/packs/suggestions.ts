import type { DB } from '../db/open';
import { labeledItemsAt } from '../services/trainingData';

export interface PackSuggestion {
  kind: 'intents' | 'sentiment';
  value: unknown;
  score: number | null;
  model: string;
}

/**
 * The local model's suggestions a pack may carry: only from head versions whose training set (the
 * items labeled when it was trained, replayed from the log) holds no gold item, so a suggestion can
 * never give a gold answer away. Imported predictions are left out: what they were trained on is unknown.
 */
export function goldFreeSuggestions(db: DB, projectId: string, itemIds: readonly string[]): Map<string, PackSuggestion[]> {
  const gold = new Set(db.prepare('SELECT id FROM items WHERE project_id = ? AND is_gold = 1').pluck().all(projectId) as string[]);
  const versions = db.prepare("SELECT task, version, created_at FROM model_versions WHERE project_id = ? AND task IN ('intents', 'sentiment')").all(projectId) as {
    task: 'intents' | 'sentiment';
    version: number;
    created_at: string;
  }[];
  const clean = new Set<string>();
  for (const v of versions) {
    const trained = labeledItemsAt(db, projectId, v.task, v.created_at);
    // null: the project had no schema yet, so the head was trained on nothing.
    if (!trained || ![...trained].some((id) => gold.has(id))) clean.add(`${v.task}@v${v.version}`);
  }
  const out = new Map<string, PackSuggestion[]>();
  if (!clean.size) return out;
  const rows = db.prepare("SELECT kind, value_json, score, model_version FROM suggestions WHERE item_id = ? AND kind IN ('intents', 'sentiment')");
  for (const id of itemIds) {
    const list = (rows.all(id) as { kind: 'intents' | 'sentiment'; value_json: string; score: number | null; model_version: string }[])
      .filter((r) => clean.has(r.model_version))
      .map((r) => ({ kind: r.kind, value: JSON.parse(r.value_json) as unknown, score: r.score, model: r.model_version }));
    if (list.length) out.set(id, list);
  }
  return out;
}
