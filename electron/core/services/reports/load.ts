import type { ReportFilter } from '../../../../shared/contract/reports';
import type { LabelSchema } from '../../../../shared/domain/labelSchema';
import type { Span } from '../../../../shared/domain/spans';
import type { DB } from '../../db/open';

/** Annotators whose labels are the reference of gold items rather than decisions to be scored. */
export const GOLD_ANNOTATOR_NAME = 'gold';

/**
 * A project's annotations for a report, in columns: row r is one (item, annotator) annotation;
 * rows of one item are consecutive. Labels are small integer codes (see `intents`, `levels`).
 */
export interface ReportData {
  annotators: { id: string; name: string; gold: boolean }[];
  /** Intent names by code; the schema's first, then any others met in annotations. */
  intents: string[];
  /** Sentiment levels by code, in the schema's order (its scale). */
  levels: string[];
  multiLabel: boolean;
  /** Days of first submits, by code (see `day`). */
  days: string[];
  /** Item of each row, as an index into `itemIds`, with `itemStart[i]…itemStart[i + 1]` its rows. */
  itemIds: string[];
  itemGold: Uint8Array;
  itemStart: Int32Array;
  rows: number;
  annotator: Int32Array;
  /** First intent's code, -1 when none. */
  intent: Int32Array;
  /** All intent codes of a row (multi-label projects); shared arrays, do not mutate. */
  intentSets: (readonly number[])[];
  level: Int32Array;
  /** The entities JSON as stored (identical strings mean identical span lists). */
  entitiesJson: string[];
  submitted: Uint8Array;
  submits: Int32Array;
  activeMs: Float64Array;
  /** Day of the first submit as an index into `days` ('YYYY-MM-DD'), -1 when never submitted. */
  day: Int32Array;
  firstIntent: Int32Array;
  firstLevel: Int32Array;
  intentAccepted: Uint8Array;
  sentimentAccepted: Uint8Array;
  entitiesAccepted: Uint8Array;
  adjudicated: Uint8Array;
}

type Row = [string, string, string, string | null, string | null, number, number, number, string | null, string | null, string | null];

/** Bits of the `flags` column the query packs. */
const SUBMITTED = 1;
const INTENT_ACCEPTED = 2;
const SENTIMENT_ACCEPTED = 4;
const ENTITIES_ACCEPTED = 8;
const ADJUDICATED = 16;

/**
 * Reads the annotations in the filter: one scan of the annotations table in key order (so an item's
 * rows come together), raw rows with what SQLite can pack into one integer packed there, labels
 * coded through caches keyed by the stored JSON text.
 */
export function loadReportData(db: DB, projectId: string, schema: LabelSchema, filter: ReportFilter): ReportData {
  const annotatorRows = db
    .prepare('SELECT id, name FROM annotators WHERE id IN (SELECT DISTINCT annotator_id FROM annotations WHERE project_id = ?) ORDER BY name')
    .all(projectId) as { id: string; name: string }[];
  const wanted = filter.annotatorIds.length ? new Set(filter.annotatorIds) : null;
  const annotators = annotatorRows
    .filter((a) => !wanted || wanted.has(a.id) || a.name === GOLD_ANNOTATOR_NAME)
    .map((a) => ({ ...a, gold: a.name === GOLD_ANNOTATOR_NAME }));
  const annotatorIndex = new Map(annotators.map((a, i) => [a.id, i]));

  const intents = schema.intents.labels.map((l) => l.name);
  const intentCode = new Map(intents.map((n, i) => [n, i]));
  const codeOfIntent = (name: string): number => {
    let c = intentCode.get(name);
    if (c === undefined) {
      c = intents.length;
      intents.push(name);
      intentCode.set(name, c);
    }
    return c;
  };
  const levels = schema.sentiment.levels.map((l) => l.name);
  const levelCode = new Map<string | null, number>(levels.map((n, i) => [n, i]));
  levelCode.set(null, -1);
  const codeOfLevel = (name: string | null): number => {
    let c = levelCode.get(name);
    if (c === undefined) {
      c = levels.length;
      levels.push(name!);
      levelCode.set(name, c);
    }
    return c;
  };
  const intentCache = new Map<string, readonly number[]>();
  const intentSet = (json: string | null): readonly number[] => {
    if (json === null) return NONE;
    let codes = intentCache.get(json);
    if (!codes) {
      codes = (JSON.parse(json) as string[]).map(codeOfIntent);
      intentCache.set(json, codes);
    }
    return codes;
  };
  const days: string[] = [];
  const dayCode = new Map<string | null, number>([[null, -1]]);
  const codeOfDay = (day: string | null): number => {
    let c = dayCode.get(day);
    if (c === undefined) {
      c = days.length;
      days.push(day!);
      dayCode.set(day, c);
    }
    return c;
  };

  const conditions = ['+project_id = ?'];
  const params: unknown[] = [projectId];
  if (filter.from) {
    conditions.push('updated_at >= ?');
    params.push(filter.from);
  }
  if (filter.to) {
    conditions.push('updated_at < ?');
    params.push(filter.to);
  }
  // '+project_id' keeps the planner off the project index: it walks the primary key (item, annotator)
  // in order, so each item's rows are adjacent and nothing is sorted. First decisions are read only
  // where there was a second submit; empty span lists come back as NULL.
  const stmt = db
    .prepare(
      `SELECT item_id, annotator_id, intents_json, sentiment, NULLIF(entities_json, '[]'),
              (status IS 'submitted') | ((intents_source IS 'accepted-suggestion') << 1) | ((sentiment_source IS 'accepted-suggestion') << 2)
                | ((entities_source IS 'accepted-suggestion') << 3) | (adjudicated << 4),
              submits, active_ms, substr(first_submitted_at, 1, 10),
              CASE WHEN submits >= 2 THEN first_intents_json END, CASE WHEN submits >= 2 THEN first_sentiment END
       FROM annotations WHERE ${conditions.join(' AND ')} ORDER BY item_id, annotator_id`,
    )
    .raw(true);

  const columns = new ReportColumns(1 << 16);
  const intentSets: (readonly number[])[] = [];
  const entitiesJson: string[] = [];
  const itemIds: string[] = [];
  const starts: number[] = [];
  let lastItem = '';
  let n = 0;
  for (const r of stmt.iterate(...params) as IterableIterator<Row>) {
    const a = annotatorIndex.get(r[1]);
    if (a === undefined) continue;
    if (n === columns.size) columns.grow();
    if (r[0] !== lastItem) {
      lastItem = r[0];
      itemIds.push(r[0]);
      starts.push(n);
    }
    const c = columns;
    c.annotator[n] = a;
    const set = intentSet(r[2]);
    if (schema.intents.multiLabel) intentSets.push(set);
    c.intent[n] = set.length ? set[0]! : -1;
    c.level[n] = codeOfLevel(r[3]);
    entitiesJson.push(r[4] ?? EMPTY_SPANS);
    const flags = r[5];
    c.submitted[n] = flags & SUBMITTED;
    c.intentAccepted[n] = (flags & INTENT_ACCEPTED) >> 1;
    c.sentimentAccepted[n] = (flags & SENTIMENT_ACCEPTED) >> 2;
    c.entitiesAccepted[n] = (flags & ENTITIES_ACCEPTED) >> 3;
    c.adjudicated[n] = (flags & ADJUDICATED) >> 4;
    c.submits[n] = r[6];
    c.activeMs[n] = r[7];
    c.day[n] = codeOfDay(r[8]);
    if (r[6] >= 2) {
      const first = intentSet(r[9]);
      c.firstIntent[n] = first.length ? first[0]! : -1;
      c.firstLevel[n] = codeOfLevel(r[10]);
    } else {
      c.firstIntent[n] = c.intent[n]!;
      c.firstLevel[n] = c.level[n]!;
    }
    n++;
  }
  starts.push(n);
  const goldIds = new Set(db.prepare('SELECT id FROM items WHERE project_id = ? AND is_gold = 1').pluck(true).all(projectId) as string[]);
  const itemGold = new Uint8Array(itemIds.length);
  itemIds.forEach((id, i) => (itemGold[i] = goldIds.has(id) ? 1 : 0));
  const c = columns;
  return {
    annotators,
    intents,
    levels,
    days,
    multiLabel: schema.intents.multiLabel,
    itemIds,
    itemGold,
    itemStart: Int32Array.from(starts),
    rows: n,
    annotator: c.annotator,
    intent: c.intent,
    intentSets: schema.intents.multiLabel ? intentSets : singleSets(c.intent, n),
    level: c.level,
    entitiesJson,
    submitted: c.submitted,
    submits: c.submits,
    activeMs: c.activeMs,
    day: c.day,
    firstIntent: c.firstIntent,
    firstLevel: c.firstLevel,
    intentAccepted: c.intentAccepted,
    sentimentAccepted: c.sentimentAccepted,
    entitiesAccepted: c.entitiesAccepted,
    adjudicated: c.adjudicated,
  };
}

/** The stored text of an empty span list. */
export const EMPTY_SPANS = '[]';

/** Intent sets of a single-label project, from the first-intent codes, one shared array per code. */
function singleSets(intent: Int32Array, n: number): (readonly number[])[] {
  const byCode = new Map<number, readonly number[]>([[-1, NONE]]);
  const out: (readonly number[])[] = new Array<readonly number[]>(n);
  for (let r = 0; r < n; r++) {
    let set = byCode.get(intent[r]!);
    if (!set) byCode.set(intent[r]!, (set = Object.freeze([intent[r]!])));
    out[r] = set;
  }
  return out;
}

/** The typed columns of ReportData, grown by doubling while rows are read. */
class ReportColumns {
  annotator: Int32Array;
  intent: Int32Array;
  level: Int32Array;
  submitted: Uint8Array;
  submits: Int32Array;
  activeMs: Float64Array;
  day: Int32Array;
  firstIntent: Int32Array;
  firstLevel: Int32Array;
  intentAccepted: Uint8Array;
  sentimentAccepted: Uint8Array;
  entitiesAccepted: Uint8Array;
  adjudicated: Uint8Array;

  constructor(public size: number) {
    this.annotator = new Int32Array(size);
    this.intent = new Int32Array(size);
    this.level = new Int32Array(size);
    this.submitted = new Uint8Array(size);
    this.submits = new Int32Array(size);
    this.activeMs = new Float64Array(size);
    this.day = new Int32Array(size);
    this.firstIntent = new Int32Array(size);
    this.firstLevel = new Int32Array(size);
    this.intentAccepted = new Uint8Array(size);
    this.sentimentAccepted = new Uint8Array(size);
    this.entitiesAccepted = new Uint8Array(size);
    this.adjudicated = new Uint8Array(size);
  }

  grow(): void {
    this.size *= 2;
    const g = <T extends Int32Array | Uint8Array | Float64Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(this.size);
      b.set(a);
      return b;
    };
    this.annotator = g(this.annotator);
    this.intent = g(this.intent);
    this.level = g(this.level);
    this.submitted = g(this.submitted);
    this.submits = g(this.submits);
    this.activeMs = g(this.activeMs);
    this.day = g(this.day);
    this.firstIntent = g(this.firstIntent);
    this.firstLevel = g(this.firstLevel);
    this.intentAccepted = g(this.intentAccepted);
    this.sentimentAccepted = g(this.sentimentAccepted);
    this.entitiesAccepted = g(this.entitiesAccepted);
    this.adjudicated = g(this.adjudicated);
  }
}

const NONE: readonly number[] = Object.freeze([]);

/** Parsed span lists, one parse per distinct JSON text. */
export function spanParser(): (json: string) => readonly Span[] {
  const cache = new Map<string, readonly Span[]>();
  return (json) => {
    if (json === '[]') return NO_SPANS;
    let spans = cache.get(json);
    if (!spans) {
      spans = (JSON.parse(json) as Span[]).map(({ start, end, label }) => ({ start, end, label }));
      if (cache.size > 200_000) cache.clear();
      cache.set(json, spans);
    }
    return spans;
  };
}

const NO_SPANS: readonly Span[] = Object.freeze([]);
