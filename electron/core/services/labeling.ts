import { AppError } from '../../../shared/contract/errors';
import type {
  ApplyResult,
  LabelingItem,
  Progress,
  QueueFilter,
  RejectedSuggestion,
  RejectResult,
  Suggestion,
  UndoResult,
} from '../../../shared/contract/schemas';
import { SpanValue, type AnnotationChange, type AnnotationSource } from '../../../shared/domain/annotation';
import type { LabelSchema } from '../../../shared/domain/labelSchema';
import { codePointLength, hasOverlap, sortSpans, spanProblem } from '../../../shared/domain/spans';
import type { DB } from '../db/open';
import { stmt } from '../db/statements';
import {
  annotationOf,
  appendEvent,
  appendSuggestionReview,
  EMPTY_VALUE,
  fieldSources,
  isSourcedKind,
  rejectionsOf,
  untouchedAnnotation,
  type SourcedKind,
} from '../db/repos/annotations';
import { beginAction, eventCount, eventsOfAction, firstUndone, lastDone, reviewsOfAction, setActionState } from '../db/repos/actions';
import { getItem, suggestionsOfItem } from '../db/repos/items';
import { currentSchema } from '../db/repos/projects';
import { queueStep } from '../db/repos/queue';
import type { Runtime } from '../runtime';
import { writeTransaction } from '../db/write';
import { auditFollowsAction } from './layeredReview';

const CONTEXT_TURNS = 10;

/** The sources a person's change can claim (imports and adjudication are written elsewhere). */
export type ClaimedSource = Exclude<AnnotationSource, 'import' | 'adjudication'>;

interface ApplyRequest {
  projectId: string;
  itemId: string;
  annotatorId: string;
  changes: AnnotationChange[];
  source: ClaimedSource;
  startedAt?: string | undefined;
}

interface RejectRequest {
  projectId: string;
  itemId: string;
  annotatorId: string;
  suggestionId: string;
  span?: SpanValue | undefined;
  startedAt?: string | undefined;
}

const spanKey = (s: { start: number; end: number; label: string }) => `${s.start}:${s.end}:${s.label}`;
const isSpan = (v: unknown): v is SpanValue => SpanValue.safeParse(v).success;
const setKey = (names: readonly string[]) => [...new Set(names)].sort().join('\u0000');

/**
 * Whether a change's value is what the item's suggestions for its field propose, or null when the
 * item has no suggestion for that field.
 * - intents: the same set of intents as one suggestion, taken as accept-all takes it (only the
 *   schema's intents, only the first one in a single-intent project);
 * - sentiment: the level of one suggestion;
 * - entities: every span is a span of one of the suggestions (accepting some spans and rejecting
 *   others still leaves only suggested spans).
 * An empty value (no intent, no sentiment, no span) is never a suggestion.
 */
export function suggestedValue(
  kind: SourcedKind,
  suggestions: readonly Suggestion[],
  schema: LabelSchema,
): ((change: AnnotationChange) => boolean) | null {
  const own = suggestions.filter((s) => s.kind === kind);
  if (!own.length) return null;
  if (kind === 'intents') {
    const known = new Set(schema.intents.labels.map((l) => l.name));
    const proposed = new Set(
      own.map((s) => {
        const names = (Array.isArray(s.value) ? s.value : []).filter((n): n is string => typeof n === 'string' && known.has(n));
        return setKey(schema.intents.multiLabel ? names : names.slice(0, 1));
      }),
    );
    return (c) => c.kind === 'intents' && c.value.length > 0 && proposed.has(setKey(c.value));
  }
  if (kind === 'sentiment') {
    const proposed = new Set(own.map((s) => s.value).filter((v): v is string => typeof v === 'string'));
    return (c) => c.kind === 'sentiment' && c.value !== null && proposed.has(c.value);
  }
  const proposed = new Set(own.flatMap((s) => (Array.isArray(s.value) ? s.value.filter(isSpan).map(spanKey) : [])));
  return (c) => c.kind === 'entities' && c.value.length > 0 && c.value.every((span) => proposed.has(spanKey(span)));
}

const FROM_SUGGESTION: ReadonlySet<AnnotationSource | null> = new Set(['accepted-suggestion', 'edited-suggestion']);

/**
 * The source recorded for a change of intents, sentiment or entities. The renderer's `claim` says
 * whether the person took a suggestion; the core checks it against what it knows: the field's
 * current source and the item's suggestions (`matches`, null when the item has none for the field).
 * - Neither the claim nor the field's current value comes from a suggestion: manual (a person who
 *   types what the model proposed still typed it).
 * - Otherwise, the value equals a suggestion: accepted-suggestion; it differs from every one:
 *   edited-suggestion (the person took a suggestion and changed it, or changes a value that came
 *   from one).
 * - When the item has no suggestion for the field, the core cannot check a claim of accepted- or
 *   edited-suggestion and keeps it; a manual change of a value that came from a suggestion is
 *   edited-suggestion.
 */
export function changeSource(
  claim: ClaimedSource,
  current: AnnotationSource | null,
  change: AnnotationChange,
  matches: ((change: AnnotationChange) => boolean) | null,
): AnnotationSource {
  if (claim === 'manual' && !FROM_SUGGESTION.has(current)) return 'manual';
  if (!matches) return claim === 'manual' ? 'edited-suggestion' : claim;
  return matches(change) ? 'accepted-suggestion' : 'edited-suggestion';
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
      rejected: this.rejected(itemId, annotatorId),
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
    writeTransaction(this.db, () => {
      beginAction(this.db, { id: actionId, projectId, annotatorId: req.annotatorId, itemId: req.itemId, now });
      // Read in the transaction: the suggestions and sources as they are when the change commits.
      let suggestions: Suggestion[] | null = null;
      for (const raw of req.changes) {
        const change: AnnotationChange = raw.kind === 'entities' ? { kind: 'entities', value: sortSpans(raw.value) } : raw;
        let source: AnnotationSource = req.source;
        if (isSourcedKind(change.kind)) {
          suggestions ??= suggestionsOfItem(this.db, req.itemId);
          const current = fieldSources(this.db, req.itemId, req.annotatorId)[change.kind];
          source = changeSource(req.source, current, change, suggestedValue(change.kind, suggestions, schema));
        }
        appendEvent(this.db, {
          id: this.rt.newId(),
          projectId,
          itemId: req.itemId,
          annotatorId: req.annotatorId,
          change,
          source,
          schemaVersion: version,
          startedAt: req.startedAt ?? null,
          endedAt: now,
          actionId,
        });
      }
    });
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

  /** How many events the next undo (or redo) would write: thousands for a bulk acceptance. */
  revertSize(projectId: string, annotatorId: string, direction: 'undo' | 'redo'): number {
    const action = direction === 'undo' ? lastDone(this.db, annotatorId, projectId) : firstUndone(this.db, annotatorId, projectId);
    return action ? eventCount(this.db, action.id) : 0;
  }

  /**
   * Rejects one suggestion of the item (one span of an entities suggestion) as this annotator's
   * action: a suggestion_reviews row, undone and redone like the events of any action. The value is
   * taken from the stored suggestion, not from the caller.
   */
  reject(req: RejectRequest): RejectResult {
    const { projectId } = this.schemaOf(req.projectId);
    this.requireItem(req.itemId, projectId);
    const s = stmt<[string], { item_id: string; kind: SourcedKind; value_json: string; model_version: string }>(
      this.db,
      'SELECT item_id, kind, value_json, model_version FROM suggestions WHERE id = ?',
    ).get(req.suggestionId);
    if (!s || s.item_id !== req.itemId) {
      throw new AppError('NOT_FOUND', `no suggestion ${req.suggestionId} on item ${req.itemId}`, { suggestionId: req.suggestionId });
    }
    let valueJson: string;
    if (s.kind === 'entities') {
      const span = req.span;
      if (!span) throw new AppError('VALIDATION', 'name the span of the entities suggestion to reject');
      const spans = JSON.parse(s.value_json) as unknown;
      if (!Array.isArray(spans) || !spans.some((x) => isSpan(x) && spanKey(x) === spanKey(span))) {
        throw new AppError('VALIDATION', `the suggestion has no span [${span.start}, ${span.end}) ${span.label}`);
      }
      valueJson = JSON.stringify({ start: span.start, end: span.end, label: span.label });
    } else {
      if (req.span) throw new AppError('VALIDATION', `a ${s.kind} suggestion has no spans; reject it whole`);
      valueJson = JSON.stringify(JSON.parse(s.value_json));
    }
    const actionId = this.rt.newId();
    const now = this.rt.now().toISOString();
    writeTransaction(this.db, () => {
      if (rejectionsOf(this.db, req.itemId, req.annotatorId).some((r) => r.field === s.kind && r.value_json === valueJson)) {
        throw new AppError('CONFLICT', 'this suggestion is already rejected');
      }
      beginAction(this.db, { id: actionId, projectId, annotatorId: req.annotatorId, itemId: req.itemId, now });
      appendSuggestionReview(this.db, {
        id: this.rt.newId(),
        projectId,
        itemId: req.itemId,
        annotatorId: req.annotatorId,
        suggestionId: req.suggestionId,
        modelVersion: s.model_version,
        field: s.kind,
        valueJson,
        decision: 'rejected',
        actionId,
        startedAt: req.startedAt ?? null,
        at: now,
      });
    });
    return { actionId, rejected: this.rejected(req.itemId, req.annotatorId) };
  }

  /**
   * Undo appends, for each event of the action (last first, each on its own item), the value it
   * replaced with the source that value had, and withdraws the action's rejections; redo appends
   * the action's values with their own sources and rejects again. Either way each field's source in
   * the state ends up as it was (null when the field had none).
   */
  private revert(projectId: string, annotatorId: string, direction: 'undo' | 'redo'): UndoResult | null {
    const { version } = this.schemaOf(projectId);
    const now = this.rt.now().toISOString();
    const undo = direction === 'undo';
    const done = writeTransaction(this.db, () => {
      const action = undo ? lastDone(this.db, annotatorId, projectId) : firstUndone(this.db, annotatorId, projectId);
      if (!action) return null;
      const events = eventsOfAction(this.db, action.id);
      for (const e of undo ? [...events].reverse() : events) {
        const kind = e.kind as AnnotationChange['kind'];
        const json = undo ? e.prev_value_json : e.value_json;
        const value = json === null ? EMPTY_VALUE[kind] : JSON.parse(json);
        const restored = undo ? e.restore_source : e.source;
        appendEvent(this.db, {
          id: this.rt.newId(),
          projectId,
          itemId: e.item_id,
          annotatorId,
          change: { kind, value } as AnnotationChange,
          // Restoring a value that had no source (never set) is the person's undo; the state's column goes back to null.
          source: restored === 'none' ? 'manual' : restored,
          fieldSource: restored === 'none' ? null : restored,
          schemaVersion: version,
          startedAt: null,
          endedAt: now,
          revertsActionId: action.id,
        });
      }
      const reviews = reviewsOfAction(this.db, action.id);
      for (const r of undo ? [...reviews].reverse() : reviews) {
        appendSuggestionReview(this.db, {
          id: this.rt.newId(),
          projectId: r.project_id,
          itemId: r.item_id,
          annotatorId,
          suggestionId: r.suggestion_id,
          modelVersion: r.model_version,
          field: r.field,
          valueJson: r.value_json,
          decision: undo ? 'withdrawn' : 'rejected',
          revertsActionId: action.id,
          at: now,
        });
      }
      auditFollowsAction(this.db, action.id, !undo);
      setActionState(this.db, action.id, undo ? 'undone' : 'done');
      return action.item_id;
    });
    if (!done) return null;
    return {
      itemId: done,
      annotation: annotationOf(this.db, done, annotatorId) ?? untouchedAnnotation(this.db, done, annotatorId, now),
      progress: this.progress(projectId, annotatorId),
    };
  }

  private rejected(itemId: string, annotatorId: string): RejectedSuggestion[] {
    return rejectionsOf(this.db, itemId, annotatorId).map((r) => ({
      suggestionId: r.suggestion_id,
      kind: r.field,
      value: JSON.parse(r.value_json) as unknown,
      modelVersion: r.model_version,
      at: r.at,
    }));
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
