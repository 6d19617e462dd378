import type { DB } from '../db/open';
import { CONTEXT_TURNS, roleOf } from '../export/records';

export interface ContextTurn {
  speaker: 'user' | 'assistant';
  text: string;
}

/**
 * The earlier turns of each wanted item's dialogue (metadata `dialogue_id`, in the project's order),
 * at most CONTEXT_TURNS, oldest first. One pass over the project's items, only when it has dialogues.
 */
export function dialogueContexts(db: DB, projectId: string, wanted: ReadonlySet<string>): Map<string, ContextTurn[]> {
  const out = new Map<string, ContextTurn[]>();
  const has = db
    .prepare("SELECT 1 FROM items WHERE project_id = ? AND json_extract(meta_json, '$.dialogue_id') IS NOT NULL LIMIT 1")
    .pluck()
    .get(projectId);
  if (!has) return out;
  const turns = new Map<string, ContextTurn[]>();
  const rows = db
    .prepare(
      "SELECT id, text, meta_json FROM items WHERE project_id = ? AND json_extract(meta_json, '$.dialogue_id') IS NOT NULL ORDER BY ord",
    )
    .raw(true)
    .iterate(projectId) as Iterable<[string, string, string]>;
  for (const [id, text, metaJson] of rows) {
    const meta = JSON.parse(metaJson) as Record<string, unknown>;
    const dialogue = String(meta.dialogue_id as string | number);
    let list = turns.get(dialogue);
    if (!list) turns.set(dialogue, (list = []));
    if (wanted.has(id) && list.length) out.set(id, list.slice());
    list.push({ speaker: roleOf(meta), text });
    if (list.length > CONTEXT_TURNS) list.shift();
  }
  return out;
}
