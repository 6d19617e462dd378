/**
 * Reads the annotations of a range of pages into plain columns, with each text field replaced by
 * an index into a small dictionary of the distinct values met. Self-contained on purpose (no
 * imports, no closures over module state): it also runs as the source of a worker thread, which
 * reads half of a big project while the calling thread reads the other half.
 */
export interface RangeColumns {
  itemIds: string[];
  /** First row of each item, then the row count. */
  starts: Int32Array;
  rows: number;
  annotator: Int32Array;
  /** Indices into `dict` (the stored JSON / text), -1 for NULL. */
  intents: Int32Array;
  sentiment: Int32Array;
  day: Int32Array;
  firstIntents: Int32Array;
  firstSentiment: Int32Array;
  flags: Int32Array;
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
  annotatorIds: string[];
}

export function readRange(db: { prepare(sql: string): { raw(on: boolean): { all(...params: unknown[]): unknown[] } } }, q: RangeQuery): RangeColumns {
  const annotatorIndex = new Map<string, number>();
  q.annotatorIds.forEach((id, i) => annotatorIndex.set(id, i));
  const dict: string[] = [];
  const dictIndex = new Map<string, number>();
  const code = (s: string | null): number => {
    if (s === null) return -1;
    let c = dictIndex.get(s);
    if (c === undefined) {
      c = dict.length;
      dict.push(s);
      dictIndex.set(s, c);
    }
    return c;
  };
  let size = 1 << 15;
  let annotator = new Int32Array(size);
  let intents = new Int32Array(size);
  let sentiment = new Int32Array(size);
  let day = new Int32Array(size);
  let firstIntents = new Int32Array(size);
  let firstSentiment = new Int32Array(size);
  let flags = new Int32Array(size);
  let submits = new Int32Array(size);
  let activeMs = new Float64Array(size);
  const grow = <T extends Int32Array | Float64Array>(a: T): T => {
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
    const page = stmt.all(...q.params, lo, hi) as (string | number | null)[][];
    for (const r of page) {
      const a = annotatorIndex.get(r[1] as string);
      if (a === undefined) continue;
      if (n === size) {
        size *= 2;
        annotator = grow(annotator);
        intents = grow(intents);
        sentiment = grow(sentiment);
        day = grow(day);
        firstIntents = grow(firstIntents);
        firstSentiment = grow(firstSentiment);
        flags = grow(flags);
        submits = grow(submits);
        activeMs = grow(activeMs);
      }
      if (r[0] !== lastItem) {
        lastItem = r[0] as string;
        itemIds.push(lastItem);
        starts.push(n);
      }
      annotator[n] = a;
      intents[n] = code(r[2] as string | null);
      sentiment[n] = code(r[3] as string | null);
      // The same list from another annotator of this item is kept once: fewer strings live on.
      let json = (r[4] as string | null) ?? '[]';
      for (let k = starts[starts.length - 1]!; k < n; k++) {
        if (entities[k] === json) {
          json = entities[k]!;
          break;
        }
      }
      entities.push(json);
      flags[n] = r[5] as number;
      submits[n] = r[6] as number;
      activeMs[n] = r[7] as number;
      day[n] = code(r[8] as string | null);
      firstIntents[n] = code(r[9] as string | null);
      firstSentiment[n] = code(r[10] as string | null);
      n++;
    }
  }
  starts.push(n);
  return {
    itemIds,
    starts: Int32Array.from(starts),
    rows: n,
    annotator: annotator.slice(0, n),
    intents: intents.slice(0, n),
    sentiment: sentiment.slice(0, n),
    day: day.slice(0, n),
    firstIntents: firstIntents.slice(0, n),
    firstSentiment: firstSentiment.slice(0, n),
    flags: flags.slice(0, n),
    submits: submits.slice(0, n),
    activeMs: activeMs.slice(0, n),
    entities,
    dict,
  };
}
