import type { ReportFilter } from '../../../../shared/contract/reports';
import type { LabelSchema } from '../../../../shared/domain/labelSchema';
import type { Span } from '../../../../shared/domain/spans';
import type { DB } from '../../db/open';
import { readPages } from './parallelRead';
import { reportQuery } from './readRange';

/** Annotators whose labels are the reference of gold items rather than decisions to be scored. */
export const GOLD_ANNOTATOR_NAME = 'gold';

/**
 * A project's annotations for a report, in columns: row r is one (item, annotator) annotation;
 * rows of one item are consecutive. Labels are small integer codes (see `intents`, `levels`).
 */
export interface ReportData extends ReportColumns {
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
  /** All intent codes of a row; shared arrays, do not mutate. */
  intentsOf(row: number): readonly number[];
  /** The entities JSON as stored (identical strings mean identical span lists). */
  entitiesJson: string[];
}

/** A lookup-table entry not computed yet. */
const UNSET = -2;

/** Items per page read from the annotations table. */
const PAGE_ITEMS = 500;

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
export async function loadReportData(db: DB, projectId: string, schema: LabelSchema, filter: ReportFilter): Promise<ReportData> {
  const annotatorRows = db
    .prepare('SELECT id, name FROM annotators a WHERE EXISTS (SELECT 1 FROM annotations WHERE project_id = ? AND annotator_id = a.id) ORDER BY name')
    .all(projectId) as { id: string; name: string }[];
  const wanted = filter.annotatorIds.length ? new Set(filter.annotatorIds) : null;
  const annotators = annotatorRows
    .filter((a) => !wanted || wanted.has(a.id) || a.name === GOLD_ANNOTATOR_NAME)
    .map((a) => ({ ...a, gold: a.name === GOLD_ANNOTATOR_NAME }));

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
  const dayCode = new Map<number, number>([[-1, -1]]);
  const codeOfDayNumber = (day: number): number => {
    let c = dayCode.get(day);
    if (c === undefined) {
      c = days.length;
      days.push(new Date(day * 86_400_000).toISOString().slice(0, 10));
      dayCode.set(day, c);
    }
    return c;
  };
  const singles = new Map<number, readonly number[]>();
  const singleSet = (code: number): readonly number[] => {
    let set = singles.get(code);
    if (!set) singles.set(code, (set = Object.freeze([code])));
    return set;
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
  const sql = reportQuery(
    annotators.map((a) => a.id),
    intents,
    levels,
    conditions.join(' AND '),
  );
  // Pages of whole items (their ids split the key range), each read with all(): short-lived rows.
  const bounds = db
    .prepare(`SELECT id FROM (SELECT id, row_number() OVER (ORDER BY id) AS k FROM items WHERE project_id = ?) WHERE k % ${PAGE_ITEMS} = 1`)
    .pluck(true)
    .all(projectId) as string[];
  const pages = bounds.map((lo, i) => [lo, bounds[i + 1] ?? '\uffff'] as const);
  // Pages × page size × annotators: about how many rows there are, to decide whether to read in parallel.
  const parts = await readPages(db, { sql, params, pages }, pages.length * PAGE_ITEMS * annotators.length);

  const rows = parts.reduce((s, p) => s + p.rows, 0);
  const columns = new ReportColumns(Math.max(1, rows));
  const multiSets: (readonly number[])[] = schema.intents.multiLabel ? new Array<readonly number[]>(rows) : [];
  const entitiesJson: string[] = [];
  const itemIds: string[] = [];
  const itemStart = new Int32Array(parts.reduce((s, p) => s + p.itemIds.length, 0) + 1);
  let base = 0;
  let items = 0;
  for (const part of parts) {
    // Codes >= 0 are the query's (the schema's order); −(k + 2) points at the part's dictionary of
    // texts, coded here on first use (UNSET until then).
    const intentLut = new Int32Array(part.dict.length).fill(UNSET);
    const levelLut = new Int32Array(part.dict.length).fill(UNSET);
    const setOf: (readonly number[])[] = [];
    const intentCode = (v: number): number => {
      if (v >= -1) return v;
      const k = -v - 2;
      if (intentLut[k] === UNSET) {
        const set = intentSet(part.dict[k]!);
        setOf[k] = set;
        intentLut[k] = set.length ? set[0]! : -1;
      }
      return intentLut[k]!;
    };
    const intentsOfCode = (v: number): readonly number[] => {
      if (v === -1) return NONE;
      if (v >= 0) return singleSet(v);
      intentCode(v);
      return setOf[-v - 2]!;
    };
    const levelOf = (v: number): number => {
      if (v >= -1) return v;
      const k = -v - 2;
      return levelLut[k] !== UNSET ? levelLut[k]! : (levelLut[k] = codeOfLevel(part.dict[k]!));
    };
    // Rows of an item, and items near each other, mostly share their day: remember the last one.
    let lastDay = -1;
    let lastDayCode = -1;
    const c = columns;
    c.annotator.set(part.annotator, base);
    c.submits.set(part.submits, base);
    c.activeMs.set(part.activeMs, base);
    for (let r = 0; r < part.rows; r++) {
      const n = base + r;
      const iv = part.intents[r]!;
      c.intent[n] = iv >= -1 ? iv : intentCode(iv);
      if (schema.intents.multiLabel) multiSets[n] = intentsOfCode(iv);
      const sv = part.sentiment[r]!;
      c.level[n] = sv >= -1 ? sv : levelOf(sv);
      const flags = part.flags[r]!;
      c.submitted[n] = flags & SUBMITTED;
      c.intentAccepted[n] = (flags & INTENT_ACCEPTED) >> 1;
      c.sentimentAccepted[n] = (flags & SENTIMENT_ACCEPTED) >> 2;
      c.entitiesAccepted[n] = (flags & ENTITIES_ACCEPTED) >> 3;
      c.adjudicated[n] = (flags & ADJUDICATED) >> 4;
      const d = part.day[r]!;
      c.day[n] = d === lastDay ? lastDayCode : ((lastDay = d), (lastDayCode = codeOfDayNumber(d)));
      if (part.submits[r]! >= 2) {
        c.firstIntent[n] = intentCode(part.firstIntents[r]!);
        c.firstLevel[n] = levelOf(part.firstSentiment[r]!);
      } else {
        c.firstIntent[n] = c.intent[n]!;
        c.firstLevel[n] = c.level[n]!;
      }
    }
    for (const e of part.entities) entitiesJson.push(e);
    for (let i = 0; i < part.itemIds.length; i++) {
      itemIds.push(part.itemIds[i]!);
      itemStart[items++] = base + part.starts[i]!;
    }
    base += part.rows;
  }
  itemStart[items] = base;
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
    itemStart,
    rows,
    ...c,
    intentsOf: schema.intents.multiLabel ? (r) => multiSets[r]! : singleIntent(c.intent),
    entitiesJson,
  };
}

/** The stored text of an empty span list. */
export const EMPTY_SPANS = '[]';

/** The intents of a row of a single-label project: its one code, as a shared one-element array. */
function singleIntent(intent: Int32Array): (row: number) => readonly number[] {
  const byCode = new Map<number, readonly number[]>([[-1, NONE]]);
  return (row) => {
    const code = intent[row]!;
    let set = byCode.get(code);
    if (!set) byCode.set(code, (set = Object.freeze([code])));
    return set;
  };
}

/** The typed columns of ReportData: one entry per row (annotation). */
class ReportColumns {
  annotator: Int32Array;
  /** First intent's code, -1 when none. */
  intent: Int32Array;
  level: Int32Array;
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

  constructor(size: number) {
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
}

const NONE: readonly number[] = Object.freeze([]);

/** A stored span list, parsed (the empty list without parsing). */
export function parseSpans(json: string): readonly Span[] {
  return json === EMPTY_SPANS ? NO_SPANS : (JSON.parse(json) as Span[]);
}

/** Parsed span lists, one parse per distinct JSON text (for lists met again and again). */
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
