import { AppError } from '../../../../shared/contract/errors';
import { pauseForInteractiveCalls } from '../../threads/interactiveCalls';

/**
 * Reads the annotations of a range of pages into plain columns. The query (see `reportQuery`) packs
 * what it can into integers, because on a million rows each value read costs more than the work
 * done with it; text fields the query could not code come back as text and are replaced here by an
 * index into a small dictionary. A worker thread (workers/reportReader.worker.ts) runs it on half of a
 * big project while the calling thread reads the other half.
 */
export interface RangeColumns {
  itemIds: string[];
  /** First row of each item, then the row count. */
  starts: Int32Array;
  rows: number;
  annotator: Int32Array;
  /** First intent and sentiment level: a code from the query (>= 0), -1 for none, or −(k + 2) for `dict[k]` (text the query did not code). */
  intent: Int32Array;
  level: Int32Array;
  /** Days since 1970-01-01 of the first submit, -1 when never submitted. */
  day: Int32Array;
  /** The decision at the first submit, coded like `intents` and `sentiment` (the same where there was one submit). */
  firstIntent: Int32Array;
  firstLevel: Int32Array;
  submitted: Uint8Array;
  intentAccepted: Uint8Array;
  sentimentAccepted: Uint8Array;
  entitiesAccepted: Uint8Array;
  adjudicated: Uint8Array;
  submits: Int32Array;
  activeMs: Float64Array;
  /** Span lists as stored ('[]' for none); identical lists of one item share one string. */
  entities: string[];
  dict: string[];
}

export interface RangeQuery {
  sql: string;
  params: unknown[];
  pages: (readonly [string, string])[];
  /** The labels the query codes, in code order (to code first decisions, which come as text). */
  intents: string[];
  levels: string[];
}

export function readRange(db: { prepare(sql: string): { raw(on: boolean): { all(...params: unknown[]): unknown[] } } }, q: RangeQuery): RangeColumns {
  const ANNOTATOR_MASK = 1023;
  const ACTIVE_SPAN = 1048576;
  const dict: string[] = [];
  const dictIndex = new Map<string, number>();
  const text = (s: string): number => {
    let c = dictIndex.get(s);
    if (c === undefined) {
      c = dict.length;
      dict.push(s);
      dictIndex.set(s, c);
    }
    return -(c + 2);
  };
  const intentCodes = new Map<string, number>();
  q.intents.forEach((name, i) => intentCodes.set(JSON.stringify([name]), i));
  const levelCodes = new Map<string, number>();
  q.levels.forEach((name, i) => levelCodes.set(name, i));
  let size = 1 << 15;
  let annotator = new Int32Array(size);
  let intents = new Int32Array(size);
  let sentiment = new Int32Array(size);
  let day = new Int32Array(size);
  let firstIntents = new Int32Array(size);
  let firstSentiment = new Int32Array(size);
  let submitted = new Uint8Array(size);
  let intentAccepted = new Uint8Array(size);
  let sentimentAccepted = new Uint8Array(size);
  let entitiesAccepted = new Uint8Array(size);
  let adjudicated = new Uint8Array(size);
  let submits = new Int32Array(size);
  let activeMs = new Float64Array(size);
  const grow = <T extends Int32Array | Uint8Array | Float64Array>(a: T): T => {
    const b = new (a.constructor as new (n: number) => T)(size);
    b.set(a);
    return b;
  };
  const entities: string[] = [];
  const itemIds: string[] = [];
  const starts: number[] = [];
  let lastItem = '';
  let n = 0;
  const stmt = db.prepare(q.sql).raw(true);
  for (const [lo, hi] of q.pages) {
    pauseForInteractiveCalls();
    const page = stmt.all(...q.params, lo, hi) as (string | number | null)[][];
    for (const r of page) {
      const packed = r[1] as number;
      const a = packed & ANNOTATOR_MASK;
      if (a === ANNOTATOR_MASK) continue;
      if (n === size) {
        size *= 2;
        annotator = grow(annotator);
        intents = grow(intents);
        sentiment = grow(sentiment);
        day = grow(day);
        firstIntents = grow(firstIntents);
        firstSentiment = grow(firstSentiment);
        submitted = grow(submitted);
        intentAccepted = grow(intentAccepted);
        sentimentAccepted = grow(sentimentAccepted);
        entitiesAccepted = grow(entitiesAccepted);
        adjudicated = grow(adjudicated);
        submits = grow(submits);
        activeMs = grow(activeMs);
      }
      if (r[0] !== lastItem) {
        lastItem = r[0] as string;
        itemIds.push(lastItem);
        starts.push(n);
      }
      annotator[n] = a;
      const flags = (packed >> 10) & 31;
      submitted[n] = flags & 1;
      intentAccepted[n] = (flags >> 1) & 1;
      sentimentAccepted[n] = (flags >> 2) & 1;
      entitiesAccepted[n] = (flags >> 3) & 1;
      adjudicated[n] = (flags >> 4) & 1;
      submits[n] = packed >> 15;
      const intent = r[2];
      intents[n] = typeof intent === 'number' ? intent : intent === null || intent === undefined ? -1 : text(intent);
      const level = r[3];
      sentiment[n] = typeof level === 'number' ? level : level === null || level === undefined ? -1 : text(level);
      // The same list from another annotator of this item is kept once: fewer strings live on.
      let json = (r[4] as string | null) ?? '[]';
      for (let k = starts[starts.length - 1]!; k < n; k++) {
        if (entities[k] === json) {
          json = entities[k]!;
          break;
        }
      }
      entities.push(json);
      const timing = r[5] as number;
      activeMs[n] = timing % ACTIVE_SPAN;
      day[n] = Math.floor(timing / ACTIVE_SPAN) - 1;
      const firsts = r[6] as string | null;
      if (firsts === null) {
        firstIntents[n] = intents[n]!;
        firstSentiment[n] = sentiment[n]!;
      } else {
        const cut = firsts.indexOf('\x1f');
        const firstIntent = firsts.slice(0, cut);
        const firstLevel = firsts.slice(cut + 1);
        firstIntents[n] = firstIntent === '[]' ? -1 : (intentCodes.get(firstIntent) ?? text(firstIntent));
        firstSentiment[n] = firstLevel === '' ? -1 : (levelCodes.get(firstLevel) ?? text(firstLevel));
      }
      n++;
    }
  }
  starts.push(n);
  return {
    itemIds,
    starts: Int32Array.from(starts),
    rows: n,
    annotator: annotator.slice(0, n),
    intent: intents.slice(0, n),
    level: sentiment.slice(0, n),
    day: day.slice(0, n),
    firstIntent: firstIntents.slice(0, n),
    firstLevel: firstSentiment.slice(0, n),
    submitted: submitted.slice(0, n),
    intentAccepted: intentAccepted.slice(0, n),
    sentimentAccepted: sentimentAccepted.slice(0, n),
    entitiesAccepted: entitiesAccepted.slice(0, n),
    adjudicated: adjudicated.slice(0, n),
    submits: submits.slice(0, n),
    activeMs: activeMs.slice(0, n),
    entities,
    dict,
  };
}

/** Labels coded by the query itself (a CASE over more would cost more than decoding text). */
export const MAX_CODED_LABELS = 64;

const literal = (s: string): string => `'${s.replace(/'/g, "''")}'`;

/**
 * The annotations of one page of items, in key order, seven values a row: item, an integer packing
 * annotator index (1023 = not wanted) | flags << 10 | submits << 15, the intent (a code or the stored
 * JSON), the sentiment (a code, the text, or NULL), the span list (NULL when empty), an integer
 * packing active ms (capped at 10 minutes) | (first-submit day + 1) << 20, and the first decision
 * (intents JSON U+001F sentiment) where there was a second submit.
 */
export function reportQuery(annotatorIds: readonly string[], intents: readonly string[], levels: readonly string[], where: string): string {
  if (annotatorIds.length >= 1023) {
    throw new AppError('VALIDATION', `a report covers at most 1,022 annotators at a time (${annotatorIds.length} given): filter by annotator`);
  }
  // A CASE needs one WHEN at least: a project nobody has annotated yet has no annotators to code.
  const annotator = annotatorIds.length
    ? `CASE annotator_id ${annotatorIds.map((id, i) => `WHEN ${literal(id)} THEN ${i}`).join(' ')} ELSE 1023 END`
    : '1023';
  const flags = `((status IS 'submitted') | ((intents_source IS 'accepted-suggestion') << 1) | ((sentiment_source IS 'accepted-suggestion') << 2)
    | ((entities_source IS 'accepted-suggestion') << 3) | (adjudicated << 4))`;
  const intent = `CASE intents_json WHEN '[]' THEN -1 ${intents
    .slice(0, MAX_CODED_LABELS)
    .map((name, i) => `WHEN ${literal(JSON.stringify([name]))} THEN ${i}`)
    .join(' ')} ELSE intents_json END`;
  const level = levels.length
    ? `CASE sentiment ${levels
        .slice(0, MAX_CODED_LABELS)
        .map((name, i) => `WHEN ${literal(name)} THEN ${i}`)
        .join(' ')} ELSE sentiment END`
    : 'sentiment';
  return `SELECT item_id, (${annotator}) | (${flags} << 10) | (min(submits, 65535) << 15), ${intent}, ${level},
            NULLIF(entities_json, '[]'),
            min(active_ms, 600000) + ((ifnull(unixepoch(first_submitted_at) / 86400, -1) + 1) << 20),
            CASE WHEN submits >= 2 THEN first_intents_json || char(31) || ifnull(first_sentiment, '') END
          FROM annotations WHERE ${where} AND item_id >= ? AND item_id < ? ORDER BY item_id, annotator_id`;
}
