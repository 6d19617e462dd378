import { AppError } from '../../../shared/contract/errors';
import type { ApplyResult, LabelingItem, Progress, QueueFilter, UndoResult } from '../../../shared/contract/schemas';
import type { AnnotationChange, AnnotationSource } from '../../../shared/domain/annotation';
import type { LabelSchema } from '../../../shared/domain/labelSchema';
import { codePointLength, hasOverlap, sortSpans, spanProblem } from '../../../shared/domain/spans';
import type { DB } from '../db/open';
import { stmt } from '../db/statements';
import { annotationOf, appendEvent, EMPTY_VALUE } from '../db/repos/annotations';
import { beginAction, eventsOfAction, firstUndone, lastDone, setActionState } from '../db/repos/actions';
import { getItem, suggestionsOfItem } from '../db/repos/items';
import { currentSchema } from '../db/repos/projects';
import { queueStep } from '../db/repos/queue';
import type { Runtime } from '../runtime';

const CONTEXT_TURNS = 10;

interface ApplyRequest {
  projectId: string;
  itemId: string;
  annotatorId: string;
  changes: AnnotationChange[];
  source: Exclude<AnnotationSource, 'import' | 'adjudication'>;
  startedAt?: string | undefined;
}

/**
 * The annotator's loop: show an item, apply a decision (one action = one or more events in one
 * transaction, committed before the call returns), undo and redo (new events, persisted), walk the
 * queue. The label schema is cached per project and version.
 */
export class LabelingService {
  private readonly schemas = new Map<string, { version: number; schema: LabelSchema }>();

  constructor(
    private readonly db: DB,
    private readonly rt: Runtime,
  ) {}

  item(itemId: string, annotatorId: string): LabelingItem {
    const { projectId, ...item } = getItem(this.db, itemId);
    return {
      item,
      annotation: annotationOf(this.db, itemId, annotatorId),
      suggestions: suggestionsOfItem(this.db, itemId),
      context: this.context(projectId, item.meta, item.ord),
    };
  }

  at(projectId: string, annotatorId: string, ord: number): LabelingItem | null {
    const row = stmt<[string, number], { id: string }>(this.db, 'SELECT id FROM items WHERE project_id = ? AND ord = ?').get(projectId, ord);
    return row ? this.item(row.id, annotatorId) : null;
  }

  next(p: { projectId: string; annotatorId: string; afterOrd: number; direction: 'next' | 'prev'; filter: QueueFilter }): LabelingItem | null {
    const id = queueStep(this.db, p);
    return id ? this.item(id, p.annotatorId) : null;
  }

  progress(projectId: string, annotatorId: string): Progress {
    const row = stmt<[string, string], { submitted: number; skipped: number }>(
      this.db,
      'SELECT submitted, skipped FROM annotator_progress WHERE project_id = ? AND annotator_id = ?',
    ).get(projectId, annotatorId);
    const total = stmt<[string], { n: number }>(this.db, 'SELECT item_count AS n FROM projects WHERE id = ?').get(projectId)?.n ?? 0;
    return { done: row?.submitted ?? 0, skipped: row?.skipped ?? 0, total };
  }

  apply(req: ApplyRequest): ApplyResult {
    const { projectId, schema, version } = this.schemaOf(req.projectId);
    const item = this.requireItem(req.itemId, projectId);
    for (const change of req.changes) this.check(schema, item.text, change);
    const actionId = this.rt.newId();
    const now = this.rt.now().toISOString();
    this.db
      .transaction(() => {
        beginAction(this.db, { id: actionId, projectId, annotatorId: req.annotatorId, itemId: req.itemId, now });
        for (const change of req.changes) {
          appendEvent(this.db, {
            id: this.rt.newId(),
            projectId,
            itemId: req.itemId,
            annotatorId: req.annotatorId,
            change: change.kind === 'entities' ? { kind: 'entities', value: sortSpans(change.value) } : change,
            source: req.source,
            schemaVersion: version,
            startedAt: req.startedAt ?? null,
            endedAt: now,
            actionId,
          });
        }
      })
      .immediate();
    return { annotation: annotationOf(this.db, req.itemId, req.annotatorId)!, actionId, progress: this.progress(projectId, req.annotatorId) };
  }

  /** Reverts the annotator's latest action in this project with new events restoring the earlier values. */
  undo(projectId: string, annotatorId: string): UndoResult | null {
    return this.revert(projectId, annotatorId, 'undo');
  }

  /** Re-applies the most recently undone action. */
  redo(projectId: string, annotatorId: string): UndoResult | null {
    return this.revert(projectId, annotatorId, 'redo');
  }

  private revert(projectId: string, annotatorId: string, direction: 'undo' | 'redo'): UndoResult | null {
    const { version } = this.schemaOf(projectId);
    const now = this.rt.now().toISOString();
    const done = this.db
      .transaction(() => {
        const action = direction === 'undo' ? lastDone(this.db, annotatorId, projectId) : firstUndone(this.db, annotatorId, projectId);
        if (!action) return null;
        const events = eventsOfAction(this.db, action.id);
        for (const e of direction === 'undo' ? [...events].reverse() : events) {
          const kind = e.kind as AnnotationChange['kind'];
          const json = direction === 'undo' ? e.prev_value_json : e.value_json;
          const value = json === null ? EMPTY_VALUE[kind] : JSON.parse(json);
          appendEvent(this.db, {
            id: this.rt.newId(),
            projectId,
            itemId: action.item_id,
            annotatorId,
            change: { kind, value } as AnnotationChange,
            source: 'manual',
            schemaVersion: version,
            startedAt: null,
            endedAt: now,
            revertsActionId: action.id,
          });
        }
        setActionState(this.db, action.id, direction === 'undo' ? 'undone' : 'done');
        return action.item_id;
      })
      .immediate();
    if (!done) return null;
    return { itemId: done, annotation: annotationOf(this.db, done, annotatorId)!, progress: this.progress(projectId, annotatorId) };
  }

  private schemaOf(projectId: string): { projectId: string; schema: LabelSchema; version: number } {
    const version = stmt<[string], { v: number }>(this.db, 'SELECT schema_version AS v FROM projects WHERE id = ?').get(projectId)?.v;
    if (version === undefined) throw new AppError('NOT_FOUND', `no project with id ${projectId}`, { projectId });
    const cached = this.schemas.get(projectId);
    if (cached && cached.version === version) return { projectId, ...cached };
    const schema = currentSchema(this.db, projectId, version);
    this.schemas.set(projectId, { version, schema });
    return { projectId, schema, version };
  }

  private requireItem(itemId: string, projectId: string): { text: string } {
    const row = stmt<[string], { text: string; project_id: string }>(this.db, 'SELECT text, project_id FROM items WHERE id = ?').get(itemId);
    if (!row || row.project_id !== projectId) throw new AppError('NOT_FOUND', `no item ${itemId} in project ${projectId}`, { itemId });
    return row;
  }

  /** Refuses a change the label schema does not allow, before anything is written. */
  private check(schema: LabelSchema, text: string, change: AnnotationChange): void {
    const invalid = (message: string) => new AppError('VALIDATION', message);
    if (change.kind === 'intents') {
      const known = new Set(schema.intents.labels.map((l) => l.name));
      for (const name of change.value) if (!known.has(name)) throw invalid(`"${name}" is not an intent of this project`);
      if (!schema.intents.multiLabel && change.value.length > 1) throw invalid('this project takes one intent per item');
      if (new Set(change.value).size !== change.value.length) throw invalid('an intent is given twice');
    } else if (change.kind === 'entities') {
      const known = new Set(schema.entities.types.map((t) => t.name));
      const length = codePointLength(text);
      for (const span of change.value) {
        if (!known.has(span.label)) throw invalid(`"${span.label}" is not an entity type of this project`);
        const problem = spanProblem(span, length);
        if (problem) throw invalid(`span [${span.start}, ${span.end}): ${problem}`);
      }
      if (!schema.entities.allowOverlap && hasOverlap(change.value)) throw invalid('entity spans overlap, and this project does not allow it');
    } else if (change.kind === 'sentiment') {
      if (change.value !== null && !schema.sentiment.levels.some((l) => l.name === change.value)) {
        throw invalid(`"${change.value}" is not a sentiment level of this project`);
      }
    }
  }

  private context(projectId: string, meta: Record<string, unknown>, ord: number): LabelingItem['context'] {
    const dialogue = meta.dialogue_id;
    if (typeof dialogue !== 'string' && typeof dialogue !== 'number') return [];
    const rows = stmt<[string, string | number, number, number], { ord: number; text: string; turn: unknown }>(
      this.db,
      `SELECT ord, text, json_extract(meta_json, '$.turn') AS turn FROM items
       WHERE project_id = ? AND json_extract(meta_json, '$.dialogue_id') = ? AND ord < ? AND json_extract(meta_json, '$.dialogue_id') IS NOT NULL
       ORDER BY ord DESC LIMIT ?`,
    ).all(projectId, dialogue, ord, CONTEXT_TURNS);
    return rows.reverse().map((r) => ({ ord: r.ord, text: r.text, turn: r.turn ?? undefined }));
  }
}
