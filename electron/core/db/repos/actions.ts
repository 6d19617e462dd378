import type { DB } from '../open';
import { stmt } from '../statements';

export interface ActionRow {
  id: string;
  item_id: string;
}

/** Records a new action; any undone actions can no longer be redone. */
export function beginAction(db: DB, a: { id: string; projectId: string; annotatorId: string; itemId: string; now: string }): void {
  stmt(db, "UPDATE actions SET state = 'dropped' WHERE annotator_id = ? AND project_id = ? AND state = 'undone'").run(a.annotatorId, a.projectId);
  stmt(db, "INSERT INTO actions (id, project_id, annotator_id, item_id, state, created_at) VALUES (?, ?, ?, ?, 'done', ?)").run(
    a.id,
    a.projectId,
    a.annotatorId,
    a.itemId,
    a.now,
  );
}

/** The action undo would revert: the annotator's latest one still done. */
export function lastDone(db: DB, annotatorId: string, projectId: string): ActionRow | null {
  return (
    stmt<[string, string], ActionRow>(
      db,
      "SELECT id, item_id FROM actions WHERE annotator_id = ? AND project_id = ? AND state = 'done' ORDER BY seq DESC LIMIT 1",
    ).get(annotatorId, projectId) ?? null
  );
}

/** The action redo would re-apply: the one undone most recently, i.e. the earliest still undone. */
export function firstUndone(db: DB, annotatorId: string, projectId: string): ActionRow | null {
  return (
    stmt<[string, string], ActionRow>(
      db,
      "SELECT id, item_id FROM actions WHERE annotator_id = ? AND project_id = ? AND state = 'undone' ORDER BY seq ASC LIMIT 1",
    ).get(annotatorId, projectId) ?? null
  );
}

export function setActionState(db: DB, id: string, state: 'done' | 'undone'): void {
  stmt(db, 'UPDATE actions SET state = ? WHERE id = ?').run(state, id);
}

export interface ActionEvent {
  kind: string;
  value_json: string;
  prev_value_json: string | null;
}

export function eventsOfAction(db: DB, actionId: string): ActionEvent[] {
  return stmt<[string], ActionEvent>(db, 'SELECT kind, value_json, prev_value_json FROM annotation_events WHERE action_id = ? ORDER BY seq').all(
    actionId,
  );
}
