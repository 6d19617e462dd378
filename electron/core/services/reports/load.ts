import type { ReportFilter } from '../../../../shared/contract/reports';
import type { LabelSchema } from '../../../../shared/domain/labelSchema';
import type { Span } from '../../../../shared/domain/spans';
import type { DB } from '../../db/open';
import { readPages, startRangeReader, type ReportReadOptions } from './parallelRead';
import type { RangeColumns } from './readRange';
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

/** Items per page read from the annotations table. */
const PAGE_ITEMS = 500;

/**
 * Reads the annotations in the filter: one scan of the annotations table in key order (so an item's
 * rows come together), raw rows with what SQLite can pack into one integer packed there, labels
 * coded through caches keyed by the stored JSON text.
 */
export async function loadReportData(
  db: DB,
  projectId: string,
  schema: LabelSchema,
  filter: ReportFilter,
  reading: ReportReadOptions = {},
): Promise<ReportData> {
  const itemCount = (db.prepare('SELECT item_count FROM projects WHERE id = ?').pluck(true).get(projectId) as number | undefined) ?? 0;
  const reader = reading.parallel === false ? null : startRangeReader(db, itemCount, reading);
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
  // Every PAGE_ITEMS-th item (by rowid: no ids are read but these) splits the id range into pages.
  const bounds = [
    '',
    ...(db.prepare(`SELECT id FROM items WHERE project_id = ? AND rowid % ${PAGE_ITEMS} = 0 ORDER BY id`).pluck(true).all(projectId) as string[]),
  ];
  const pages = bounds.map((lo, i) => [lo, bounds[i + 1] ?? '\uffff'] as const);
  const parts = await readPages(db, { sql, params, pages, intents: [...intents], levels: [...levels] }, reader);

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
    // texts the query did not code, coded here on first use (rare: labels the schema no longer has).
    const intentLut = new Map<number, number>();
    const levelLut = new Map<number, number>();
    const setOf = new Map<number, readonly number[]>();
    const intentCode = (v: number): number => {
      if (v >= -1) return v;
      let c = intentLut.get(v);
      if (c === undefined) {
        const set = intentSet(part.dict[-v - 2]!);
        setOf.set(v, set);
        intentLut.set(v, (c = set.length ? set[0]! : -1));
      }
      return c;
    };
    const levelCode = (v: number): number => {
      if (v >= -1) return v;
      let c = levelLut.get(v);
      if (c === undefined) levelLut.set(v, (c = codeOfLevel(part.dict[-v - 2]!)));
      return c;
    };
    const c = columns;
    for (const key of COLUMN_KEYS) (c[key] as TypedColumn).set(part[key], base);
    for (let r = 0; r < part.rows; r++) {
      const n = base + r;
      if (c.intent[n]! < -1) c.intent[n] = intentCode(c.intent[n]!);
      if (c.firstIntent[n]! < -1) c.firstIntent[n] = intentCode(c.firstIntent[n]!);
      if (c.level[n]! < -1) c.level[n] = levelCode(c.level[n]!);
      if (c.firstLevel[n]! < -1) c.firstLevel[n] = levelCode(c.firstLevel[n]!);
      if (schema.intents.multiLabel) {
        const v = part.intent[r]!;
        multiSets[n] = v === -1 ? NONE : v >= 0 ? singleSet(v) : (intentCode(v), setOf.get(v)!);
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

type TypedColumn = Int32Array | Uint8Array | Float64Array;

/** The columns a read range carries under the same names (copied as they are). */
const COLUMN_KEYS = [
  'annotator',
  'intent',
  'level',
  'firstIntent',
  'firstLevel',
  'day',
  'submitted',
  'intentAccepted',
  'sentimentAccepted',
  'entitiesAccepted',
  'adjudicated',
  'submits',
  'activeMs',
] as const satisfies readonly (keyof ReportColumns & keyof RangeColumns)[];

/** The typed columns of ReportData: one entry per row (annotation). */
class ReportColumns {
  annotator: Int32Array;
  /** First intent's code, -1 when none. */
  intent: Int32Array;
  level: Int32Array;
  submitted: Uint8Array;
  submits: Int32Array;
  activeMs: Float64Array;
  /** Day of the first submit, in days since 1970-01-01 (UTC), -1 when never submitted. */
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
