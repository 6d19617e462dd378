import type { AnnotationChange, AnnotationSource } from '../../../shared/domain/annotation';
import type { DB } from '../db/open';

/** Visits longer than this count as this long (as appendEvent counts them). */
const MAX_VISIT_MS = 10 * 60 * 1000;

export interface ReplayEvent {
  id: string;
  change: AnnotationChange;
  source: AnnotationSource;
  startedAt: string | null;
  endedAt: string;
  actionId: string | null;
  revertsActionId: string | null;
}

interface PairState {
  intents_json: string;
  entities_json: string;
  sentiment: string | null;
  flagged: number;
  note: string;
  status: 'draft' | 'submitted' | 'skipped';
  intents_source: string | null;
  sentiment_source: string | null;
  entities_source: string | null;
  submits: number;
  active_ms: number;
  first_submitted_at: string | null;
  first_intents_json: string | null;
  first_sentiment: string | null;
  adjudicated: number;
}

const SOURCED = new Set(['intents', 'sentiment', 'entities']);

function fieldValue(kind: AnnotationChange['kind'], s: PairState): string {
  if (kind === 'intents') return s.intents_json;
  if (kind === 'entities') return s.entities_json;
  if (kind === 'sentiment') return JSON.stringify(s.sentiment);
  if (kind === 'flag') return JSON.stringify({ flagged: s.flagged === 1, note: s.note });
  return JSON.stringify(s.status);
}

export interface PairReplay {
  projectId: string;
  itemId: string;
  annotatorId: string;
  schemaVersion: number;
  events: ReplayEvent[];
}

/**
 * Merging an annotator's events on an item nobody here had their annotation of: the same rows
 * appendEvent writes one event at a time (each event with the value and source it replaced, the
 * state, the report columns, the progress counts), computed in one pass and written with one
 * statement per event and one per item. Call inside a transaction, only for pairs with no state yet.
 */
export class FreshPairWriter {
  private readonly insertEvent;
  private readonly insertState;
  private readonly hasAnyAnnotation;
  private readonly progress = new Map<string, { projectId: string; annotatorId: string; submitted: number; skipped: number }>();
  private readonly annotated = new Map<string, number>();
  private readonly guideline = new Map<string, number | null>();

  constructor(private readonly db: DB) {
    this.insertEvent = db.prepare(
      `INSERT INTO annotation_events (id, project_id, item_id, annotator_id, kind, value_json, source, schema_version, started_at, ended_at, import_id,
         action_id, prev_value_json, reverts_action_id, prev_source, guideline_version)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?)`,
    );
    this.insertState = db.prepare(
      `INSERT INTO annotations (item_id, annotator_id, project_id, intents_json, entities_json, sentiment, flagged, note, status, last_event_id, updated_at,
         intents_source, sentiment_source, entities_source, submits, first_submitted_at, first_intents_json, first_sentiment, active_ms, adjudicated)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.hasAnyAnnotation = db.prepare('SELECT 1 FROM annotations WHERE item_id = ? LIMIT 1').pluck();
  }

  write(p: PairReplay): void {
    if (p.events.length === 0) return;
    if (!this.guideline.has(p.projectId)) {
      this.guideline.set(p.projectId, (this.db.prepare('SELECT max(version) FROM guidelines WHERE project_id = ?').pluck().get(p.projectId) as number | null) ?? null);
    }
    const guideline = this.guideline.get(p.projectId) ?? null;
    if (!this.hasAnyAnnotation.get(p.itemId)) this.annotated.set(p.projectId, (this.annotated.get(p.projectId) ?? 0) + 1);
    let s: PairState | null = null;
    let progressFrom: PairState['status'] = 'draft';
    for (const e of p.events) {
      const c = e.change;
      const prevValue = s ? fieldValue(c.kind, s) : null;
      const prevSource = SOURCED.has(c.kind) ? ((s?.[`${c.kind as 'intents'}_source`] as string | null | undefined) ?? 'none') : null;
      this.insertEvent.run(e.id, p.projectId, p.itemId, p.annotatorId, c.kind, JSON.stringify(c.value), e.source, p.schemaVersion, e.startedAt, e.endedAt, e.actionId, prevValue, e.revertsActionId, prevSource, guideline);
      s ??= {
        intents_json: '[]',
        entities_json: '[]',
        sentiment: null,
        flagged: 0,
        note: '',
        status: 'draft',
        intents_source: null,
        sentiment_source: null,
        entities_source: null,
        submits: 0,
        active_ms: 0,
        first_submitted_at: null,
        first_intents_json: null,
        first_sentiment: null,
        adjudicated: 0,
      };
      if (c.kind === 'intents') s.intents_json = JSON.stringify(c.value);
      else if (c.kind === 'entities') s.entities_json = JSON.stringify(c.value);
      else if (c.kind === 'sentiment') s.sentiment = c.value;
      else if (c.kind === 'flag') {
        s.flagged = Number(c.value.flagged);
        s.note = c.value.note;
      } else s.status = c.value;
      const adjudicated = e.source === 'adjudication' ? 1 : 0;
      if (SOURCED.has(c.kind)) {
        s[`${c.kind as 'intents'}_source`] = e.source;
        s.adjudicated = Math.max(s.adjudicated, adjudicated);
      } else if (c.kind === 'status' && c.value === 'submitted') {
        const visit = e.startedAt ? Date.parse(e.endedAt) - Date.parse(e.startedAt) : 0;
        s.active_ms += Number.isFinite(visit) ? Math.max(0, Math.min(MAX_VISIT_MS, Math.round(visit))) : 0;
        s.submits++;
        s.adjudicated = Math.max(s.adjudicated, adjudicated);
        if (s.first_submitted_at === null) {
          s.first_intents_json = s.intents_json;
          s.first_sentiment = s.sentiment;
          s.first_submitted_at = e.endedAt;
        }
      } else if (adjudicated) s.adjudicated = 1;
      if (c.kind === 'status') progressFrom = this.count(p, progressFrom, c.value);
    }
    const last = p.events.at(-1)!;
    this.insertState.run(
      p.itemId,
      p.annotatorId,
      p.projectId,
      s!.intents_json,
      s!.entities_json,
      s!.sentiment,
      s!.flagged,
      s!.note,
      s!.status,
      last.id,
      last.endedAt,
      s!.intents_source,
      s!.sentiment_source,
      s!.entities_source,
      s!.submits,
      s!.first_submitted_at,
      s!.first_intents_json,
      s!.first_sentiment,
      s!.active_ms,
      s!.adjudicated,
    );
  }

  /** The progress counters and the projects' annotated counts, once for everything written. */
  finish(): void {
    const ensure = this.db.prepare('INSERT OR IGNORE INTO annotator_progress (project_id, annotator_id) VALUES (?, ?)');
    const add = this.db.prepare('UPDATE annotator_progress SET submitted = submitted + ?, skipped = skipped + ? WHERE project_id = ? AND annotator_id = ?');
    for (const p of this.progress.values()) {
      ensure.run(p.projectId, p.annotatorId);
      add.run(p.submitted, p.skipped, p.projectId, p.annotatorId);
    }
    const annotated = this.db.prepare('UPDATE projects SET annotated_count = annotated_count + ? WHERE id = ?');
    for (const [projectId, n] of this.annotated) annotated.run(n, projectId);
  }

  private count(p: PairReplay, from: PairState['status'], to: PairState['status']): PairState['status'] {
    if (from === to) return to;
    const key = `${p.projectId}\u0000${p.annotatorId}`;
    let c = this.progress.get(key);
    if (!c) this.progress.set(key, (c = { projectId: p.projectId, annotatorId: p.annotatorId, submitted: 0, skipped: 0 }));
    if (from === 'submitted') c.submitted--;
    if (from === 'skipped') c.skipped--;
    if (to === 'submitted') c.submitted++;
    if (to === 'skipped') c.skipped++;
    return to;
  }
}
