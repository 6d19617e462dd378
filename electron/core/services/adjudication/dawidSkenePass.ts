import { dawidSkene, mostLikely, type Vote } from '../../../../shared/domain/adjudication';
import type { LabelSchema } from '../../../../shared/domain/labelSchema';
import type { DB } from '../../db/open';
import { pauseForInteractiveCalls } from '../../threads/interactiveCalls';
import type { Posterior, PosteriorOf } from './autoPlan';
import type { ItemVersion } from './versions';

/** Items grouped into patterns per statement; between two, interactive calls go first. */
const PASS_ITEMS = 20_000;
/** A field whose votes the estimate never saw (they changed since it was made): it stays disputed. */
const UNSEEN: Posterior = { value: null, p: 0 };

/**
 * One Dawid–Skene table (a task, or one label of a multi-label task) as distinct vote patterns and
 * how many items share each: an item's posterior depends on its (rater, value) votes only.
 */
class VoteTable {
  private readonly patterns = new Map<string, { votes: Vote[]; items: number }>();
  private readonly posteriors = new Map<string, { best: number; p: number }>();

  add(votes: Vote[], items = 1): void {
    const key = patternKey(votes);
    const seen = this.patterns.get(key);
    if (seen) seen.items += items;
    else this.patterns.set(key, { votes, items });
  }

  estimate(raters: number, categories: number): void {
    const patterns = [...this.patterns];
    const result = dawidSkene({ raters, categories, items: patterns.map(([, p]) => p.votes), weights: patterns.map(([, p]) => p.items) });
    patterns.forEach(([key], i) => {
      const post = result.posteriors[i]!;
      const best = mostLikely(post);
      this.posteriors.set(key, { best, p: post[best]! });
    });
  }

  posterior(votes: Vote[] | null): { best: number; p: number } | undefined {
    return votes ? this.posteriors.get(patternKey(votes)) : undefined;
  }
}

// Versions come in annotator-id order, so equal vote sets give equal keys without sorting.
const patternKey = (votes: readonly Vote[]): string => votes.map((v) => `${v.rater}:${v.value}`).join(',');

/** A categorical task's classes: the schema's, then others in the order they were met. */
class Classes {
  readonly values: (string | null)[];
  private readonly index: Map<string | null, number>;

  constructor(schemaValues: readonly string[]) {
    this.values = [...new Set<string | null>(schemaValues)];
    this.index = new Map(this.values.map((c, i) => [c, i]));
  }

  add(value: string | null): number {
    let i = this.index.get(value);
    if (i === undefined) {
      i = this.values.length;
      this.values.push(value);
      this.index.set(value, i);
    }
    return i;
  }

  of(value: string | null): number | undefined {
    return this.index.get(value);
  }
}

/** Raters numbered in the order they were met. */
class Raters {
  private readonly index = new Map<string, number>();

  add(id: string): number {
    let r = this.index.get(id);
    if (r === undefined) this.index.set(id, (r = this.index.size));
    return r;
  }

  of(id: string): number | undefined {
    return this.index.get(id);
  }

  get size(): number {
    return this.index.size;
  }
}

/** One version's answers, its annotator numbered. */
interface Answer {
  rater: number;
  intents: string[];
  sentiment: string | null;
}

/** Multi-label intents: one binary table per label, with the votes of the items that never gave it counted per rater set. */
class LabelTables {
  readonly tables = new Map<string, VoteTable>();
  /** Items per rater set ("0,1,2"), and per label the items of each rater set that mention it. */
  private readonly raterSets = new Map<string, { raters: number[]; items: number }>();
  private readonly mentioned = new Map<string, Map<string, number>>();

  add(answers: readonly Answer[], items: number): void {
    const raters = answers.map((a) => a.rater);
    const set = raters.join(',');
    const seen = this.raterSets.get(set);
    if (seen) seen.items += items;
    else this.raterSets.set(set, { raters, items });
    for (const label of new Set(answers.flatMap((a) => a.intents))) {
      let table = this.tables.get(label);
      if (!table) this.tables.set(label, (table = new VoteTable()));
      table.add(
        answers.map((a) => ({ rater: a.rater, value: a.intents.includes(label) ? 1 : 0 })),
        items,
      );
      const counts = this.mentioned.get(label) ?? new Map<string, number>();
      this.mentioned.set(label, counts.set(set, (counts.get(set) ?? 0) + items));
    }
  }

  estimate(raters: number): void {
    for (const [label, table] of this.tables) {
      const mentioned = this.mentioned.get(label)!;
      for (const [set, { raters: members, items }] of this.raterSets) {
        const absent = items - (mentioned.get(set) ?? 0);
        if (absent > 0) table.add(members.map((rater) => ({ rater, value: 0 })), absent);
      }
      table.estimate(raters, 2);
    }
  }
}

/**
 * The vote patterns of a range of items, counted by SQLite: per item with two or more submitted
 * versions that no person resolved or flagged, its annotators, first intents (multi-label: intent
 * lists) and sentiments, each as a JSON array in annotator-id order (the order pages read versions
 * in), grouped with the items that gave the same.
 */
const patternsSql = (multiLabel: boolean) => `SELECT raters, intents, sentiments, count(*) FROM (
    SELECT json_group_array(a.annotator_id ORDER BY a.annotator_id) AS raters,
      json_group_array(${multiLabel ? 'json(a.intents_json)' : 'a.intents_json ->> 0'} ORDER BY a.annotator_id) AS intents,
      json_group_array(a.sentiment ORDER BY a.annotator_id) AS sentiments, count(*) AS versions
    FROM items i LEFT JOIN adjudication_items q ON q.item_id = i.id CROSS JOIN annotations a
    WHERE i.project_id = ? AND i.ord > ? AND i.ord <= ? AND (q.state IS NULL OR q.state NOT IN ('human', 'flagged'))
      AND a.item_id = i.id AND a.status = 'submitted'
    GROUP BY i.ord)
  WHERE versions >= 2 GROUP BY raters, intents, sentiments`;

/**
 * The whole-project pass of Dawid–Skene: the intents and sentiment of every item with two or more
 * versions that no person resolved or flagged, as vote-pattern tables (one per task, one per label
 * for multi-label intents) with how many items share each pattern (SQLite groups them, a range of
 * items at a time); estimates each table and returns the lookup of a field's posterior for the
 * page-by-page pass. Items are never held: only their patterns.
 */
export function dawidSkenePass(db: DB, projectId: string, schema: LabelSchema, tasks: ReadonlySet<string>): PosteriorOf {
  const multiLabel = schema.intents.multiLabel;
  const raters = new Raters();
  const intents = tasks.has('intents') && !multiLabel ? { classes: new Classes(schema.intents.labels.map((l) => l.name)), table: new VoteTable() } : null;
  const labels = tasks.has('intents') && multiLabel ? new LabelTables() : null;
  const sentiment = tasks.has('sentiment') ? { classes: new Classes(schema.sentiment.levels.map((l) => l.name)), table: new VoteTable() } : null;

  const patterns = db.prepare<[string, number, number], [string, string, string, number]>(patternsSql(multiLabel)).raw(true);
  const bound = db.prepare<[string, number, number], number>('SELECT ord FROM items WHERE project_id = ? AND ord > ? ORDER BY ord LIMIT 1 OFFSET ?').pluck(true);
  for (let from = Number.MIN_SAFE_INTEGER; ; ) {
    const to = bound.get(projectId, from, PASS_ITEMS - 1) ?? Number.MAX_SAFE_INTEGER;
    for (const [ratersJson, intentsJson, sentimentsJson, items] of patterns.all(projectId, from, to)) {
      const given = JSON.parse(intentsJson) as (string | null)[] | string[][];
      const levels = JSON.parse(sentimentsJson) as (string | null)[];
      const answers: Answer[] = (JSON.parse(ratersJson) as string[]).map((id, v) => ({
        rater: raters.add(id),
        intents: multiLabel ? (given[v] as string[]) : given[v] === null ? [] : [given[v] as string],
        sentiment: levels[v]!,
      }));
      if (intents) intents.table.add(answers.map((a) => ({ rater: a.rater, value: intents.classes.add(a.intents[0] ?? null) })), items);
      if (sentiment) sentiment.table.add(answers.map((a) => ({ rater: a.rater, value: sentiment.classes.add(a.sentiment) })), items);
      labels?.add(answers, items);
    }
    if (to === Number.MAX_SAFE_INTEGER) break;
    from = to;
    pauseForInteractiveCalls();
  }
  if (intents) intents.table.estimate(raters.size, intents.classes.values.length);
  if (sentiment) sentiment.table.estimate(raters.size, sentiment.classes.values.length);
  labels?.estimate(raters.size);

  /** An item's votes on a field, null when a rater or a value is not in the estimate. */
  const votesOf = (versions: readonly ItemVersion[], valueOf: (v: ItemVersion) => number | undefined): Vote[] | null => {
    const votes: Vote[] = [];
    for (const v of versions) {
      const rater = raters.of(v.annotatorId);
      const value = valueOf(v);
      if (rater === undefined || value === undefined) return null;
      votes.push({ rater, value });
    }
    return votes;
  };
  const categorical = (t: { classes: Classes; table: VoteTable }, versions: readonly ItemVersion[], valueOf: (v: ItemVersion) => string | null): Posterior => {
    const r = t.table.posterior(votesOf(versions, (v) => t.classes.of(valueOf(v))));
    return r ? { value: t.classes.values[r.best]!, p: r.p } : UNSEEN;
  };
  return (field, versions) => {
    if (field.task === 'sentiment') return sentiment ? categorical(sentiment, versions, (v) => v.sentiment) : undefined;
    if (field.task !== 'intents') return undefined;
    if (intents) return categorical(intents, versions, (v) => v.intents[0] ?? null);
    if (!labels || field.label === null) return undefined;
    const label = field.label;
    const r = labels.tables.get(label)?.posterior(votesOf(versions, (v) => (v.intents.includes(label) ? 1 : 0)));
    return r ? { value: r.best === 1, p: r.p } : UNSEEN;
  };
}
