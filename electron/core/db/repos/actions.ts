import type { AnnotationSource } from '../../../../shared/domain/annotation';
import type { DB } from '../open';
import { stmt } from '../statements';

/**
 * One undo step. `item_id` is the item the action was made on, and the one undo shows; an action
 * over many items (a bulk acceptance) names its first item, and each of its events and suggestion
 * reviews carries its own item, which is what undo and redo follow.
 */
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
  item_id: string;
  kind: string;
  value_json: string;
  prev_value_json: string | null;
  /** The source the event wrote, which redo writes again. */
  source: AnnotationSource;
  /** The source of the value the event replaced, which undo restores ('none': the field had none). */
  restore_source: AnnotationSource | 'none';
}

/**
 * The events of an action in order, each with the source undo restores: the one the event recorded
 * (migration 0006), else, for flag and status events and for events from before 0006, the source
 * of the field's previous event, which is what the state held then.
 */
export function eventsOfAction(db: DB, actionId: string): ActionEvent[] {
  return stmt<[string], ActionEvent>(
    db,
    `SELECT e.item_id, e.kind, e.value_json, e.prev_value_json, e.source,
       coalesce(e.prev_source,
         (SELECT p.source FROM annotation_events p WHERE p.item_id = e.item_id AND p.annotator_id = e.annotator_id AND p.kind = e.kind AND p.seq < e.seq
          ORDER BY p.seq DESC LIMIT 1),
         'none') AS restore_source
     FROM annotation_events e WHERE e.action_id = ? ORDER BY e.seq`,
  ).all(actionId);
}

export function eventCount(db: DB, actionId: string): number {
  return stmt<[string], { n: number }>(db, 'SELECT count(*) AS n FROM annotation_events WHERE action_id = ?').get(actionId)?.n ?? 0;
}

export interface ActionReview {
  project_id: string;
  item_id: string;
  suggestion_id: string;
  model_version: string;
  field: 'intents' | 'entities' | 'sentiment';
  value_json: string;
}

/** The suggestion reviews (rejections) an action made, in order. */
export function reviewsOfAction(db: DB, actionId: string): ActionReview[] {
  return stmt<[string], ActionReview>(
    db,
    'SELECT project_id, item_id, suggestion_id, model_version, field, value_json FROM suggestion_reviews WHERE action_id = ? ORDER BY seq',
  ).all(actionId);
}
