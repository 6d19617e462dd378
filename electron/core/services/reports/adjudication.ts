import type { AdjudicationReport, ReasonUse, ReportFilter, ReviewerThroughput } from '../../../../shared/contract/reports';
import { emptyAdjudicationReport } from '../../../../shared/contract/reports';
import type { Span } from '../../../../shared/domain/spans';
import type { DB } from '../../db/open';
import { STATE_FIELD } from '../adjudication/events';
import { loadAdjudicationSettings } from '../adjudication/settings';
import type { ReportScope } from './codes';
import type { ReportData } from './load';
import { MAX_CODED_LABELS } from './readRange';

/** In `AdjudicatedValues.intent` / `.level`: the item has no adjudicated value for the field. */
export const NOT_DECIDED = -2;
/** …an adjudication decided the field has no value (no intent, no sentiment). */
export const DECIDED_NONE = -1;

/** An adjudicated label ('intents:<label>') or span cluster ('entities:<start>-<end>') of an item. */
export interface Decision {
  kind: 'label' | 'spans';
  /** 'label': the intent's code and whether it applies. */
  code: number;
  present: boolean;
  /** 'spans': the cluster's extent and its spans' key (see `spanKey`). */
  start: number;
  end: number;
  key: string;
  /** Decided by a person (else by an automatic policy). */
  human: boolean;
  reason: string | null;
  /** A person's decision against the majority of the versions. */
  overridesMajority: boolean;
}

/** Bits of `AdjudicatedValues.human`: the intent / the level decided by a person, and against the majority. */
export const INTENT_BY_PERSON = 1;
export const LEVEL_BY_PERSON = 2;
export const INTENT_OVERRIDES = 4;
export const LEVEL_OVERRIDES = 8;

/**
 * The adjudicated values of the report's items, read once per report into arrays indexed like
 * `ReportData.itemIds`: the single-label intent and the sentiment level (codes, NOT_DECIDED or
 * DECIDED_NONE), who decided them and why, how many fields each item has decided, and the items'
 * label and span-cluster decisions.
 */
export interface AdjudicatedValues {
  intent: Int32Array;
  level: Int32Array;
  /** INTENT_BY_PERSON | LEVEL_BY_PERSON | INTENT_OVERRIDES | LEVEL_OVERRIDES. */
  human: Uint8Array;
  intentReason: (string | null)[];
  levelReason: (string | null)[];
  /** Decided fields of each item: all of them, and those decided by a person. */
  fields: Int32Array;
  humanFields: Int32Array;
  /** Item index -> its label and span-cluster decisions (multi-label intents, entities). */
  others: Map<number, Decision[]>;
  /** Item index of an id met in key order (the order SQLite gives when reading by item id); -1 when not in the report. */
  locator(): (itemId: string) => number;
}

/** Spans in position order as one string: equal lists, equal keys (however the JSON was written). */
export function spanKey(spans: readonly Span[]): string {
  return spans
    .map((s) => `${s.start}\u0001${s.end}\u0001${s.label}`)
    .sort()
    .join('\u0002');
}

/** The part of an annotation's spans in a cluster [start, end) (overlapping it), as the adjudication view cuts them. */
export function clusterKey(spans: readonly Span[], start: number, end: number): string {
  return spanKey(spans.filter((s) => s.start < end && start < s.end));
}

const literal = (s: string): string => `'${s.replace(/'/g, "''")}'`;

/** A CASE coding the JSON text of a label or level into its code (-1 for null); other texts come back as they are. */
function codeCase(names: readonly string[]): string {
  const whens = names
    .slice(0, MAX_CODED_LABELS)
    .map((n, i) => `WHEN ${literal(JSON.stringify(n))} THEN ${i}`)
    .join(' ');
  return `CASE value_json WHEN 'null' THEN -1 ${whens} ELSE value_json END`;
}

/**
 * A lookup of item ids met in the order of `ids` (a walk, no hashing); ids out of that order
 * (a collation that sorts otherwise) are found in a map built on first need.
 */
function sortedLocator(ids: readonly string[]): () => (itemId: string) => number {
  let map: Map<string, number> | null = null;
  return () => {
    let p = 0;
    return (id) => {
      while (p < ids.length && ids[p]! < id) p++;
      if (ids[p] === id) return p;
      map ??= new Map(ids.map((x, i) => [x, i]));
      return map.get(id) ?? -1;
    };
  };
}

/**
 * Reads the project's current adjudications (table `adjudications`) for the items in `data`; null
 * when the project has none (then nothing else is read). One row per item, in key order, with the
 * intent and the level coded by the query (as the annotations are); label and span decisions in a
 * second read. Labels the annotations never used (an adjudicated value the filter left out, say)
 * are added to `data.intents` / `data.levels`.
 */
export function loadAdjudicatedValues(db: DB, projectId: string, data: ReportData): AdjudicatedValues | null {
  if (!db.prepare('SELECT 1 FROM adjudications WHERE project_id = ? LIMIT 1').pluck(true).get(projectId)) return null;
  const intentCode = new Map(data.intents.map((n, i) => [n, i]));
  const levelCode = new Map(data.levels.map((n, i) => [n, i]));
  const codeIn = (names: string[], codes: Map<string, number>, name: string): number => {
    let c = codes.get(name);
    if (c === undefined) {
      c = names.length;
      names.push(name);
      codes.set(name, c);
    }
    return c;
  };
  // A value the query did not code: its JSON text.
  const decode = (v: number | string | null, names: string[], codes: Map<string, number>): number => {
    if (v === null) return NOT_DECIDED;
    if (typeof v === 'number') return v;
    const parsed = JSON.parse(v) as unknown;
    return typeof parsed === 'string' ? codeIn(names, codes, parsed) : DECIDED_NONE;
  };
  const n = data.itemIds.length;
  const out: AdjudicatedValues = {
    intent: new Int32Array(n).fill(NOT_DECIDED),
    level: new Int32Array(n).fill(NOT_DECIDED),
    human: new Uint8Array(n),
    intentReason: [],
    levelReason: [],
    fields: new Int32Array(n),
    humanFields: new Int32Array(n),
    others: new Map(),
    locator: sortedLocator(data.itemIds),
  };
  // '+project_id': the primary key (item, field) walked in order, each item's fields together, nothing
  // sorted. Whether a person's decision went against the majority is on its event (looked up for those only).
  const overrides = 'SELECT e.overrides_majority FROM adjudication_events e WHERE e.id = last_event_id';
  const perItem = db.prepare(
    `SELECT item_id,
            max(CASE WHEN field = 'intents' THEN ${codeCase(data.intents)} END),
            max(CASE WHEN field = 'sentiment' THEN ${codeCase(data.levels)} END),
            sum(CASE WHEN source != 'adjudication' THEN 0
                     WHEN field = 'intents' THEN ${INTENT_BY_PERSON} | (${INTENT_OVERRIDES} * (${overrides}))
                     WHEN field = 'sentiment' THEN ${LEVEL_BY_PERSON} | (${LEVEL_OVERRIDES} * (${overrides})) ELSE 0 END),
            max(CASE WHEN field = 'intents' THEN reason_code END), max(CASE WHEN field = 'sentiment' THEN reason_code END),
            count(*), sum(source = 'adjudication')
     FROM adjudications WHERE +project_id = ? GROUP BY item_id`,
  );
  let at = out.locator();
  type Row = [string, number | string | null, number | string | null, number, string | null, string | null, number, number];
  for (const [id, intent, level, human, intentReason, levelReason, fields, humanFields] of perItem.raw(true).iterate(projectId) as Iterable<Row>) {
    const i = at(id);
    if (i < 0) continue;
    out.intent[i] = decode(intent, data.intents, intentCode);
    out.level[i] = decode(level, data.levels, levelCode);
    out.human[i] = human;
    if (intentReason !== null) out.intentReason[i] = intentReason;
    if (levelReason !== null) out.levelReason[i] = levelReason;
    out.fields[i] = fields;
    out.humanFields[i] = humanFields;
  }
  at = out.locator();
  const others = db.prepare(
    `SELECT item_id, field, value_json, source = 'adjudication', reason_code, CASE WHEN source = 'adjudication' THEN (${overrides}) ELSE 0 END
     FROM adjudications WHERE +project_id = ? AND field NOT IN ('intents', 'sentiment') ORDER BY item_id, field`,
  );
  type OtherRow = [string, string, string, number, string | null, number];
  for (const [id, field, value, human, reason, against] of others.raw(true).iterate(projectId) as Iterable<OtherRow>) {
    const i = at(id);
    if (i < 0) continue;
    let d: Decision;
    if (field.startsWith('intents:')) {
      d = {
        kind: 'label',
        code: codeIn(data.intents, intentCode, field.slice(8)),
        present: value === 'true',
        start: 0,
        end: 0,
        key: '',
        human: human === 1,
        reason,
        overridesMajority: against === 1,
      };
    } else if (field.startsWith('entities:')) {
      const cut = field.indexOf('-', 9);
      const key = spanKey(JSON.parse(value) as Span[]);
      d = {
        kind: 'spans',
        code: -1,
        present: false,
        start: Number(field.slice(9, cut)),
        end: Number(field.slice(cut + 1)),
        key,
        human: human === 1,
        reason,
        overridesMajority: against === 1,
      };
    } else continue;
    const list = out.others.get(i);
    if (list) list.push(d);
    else out.others.set(i, [d]);
  }
  return out;
}

/** Gaps between a reviewer's commits up to this long are work; longer ones are breaks. */
export const WORK_GAP_MS = 10 * 60_000;

/** Below this much work (1 minute) a pace is not measured: a few commits seconds apart would claim thousands per hour. */
export const MIN_WORK_HOURS = 1 / 60;

/** Hours of work in commit times (ms, any order): the sum of the gaps between consecutive commits under WORK_GAP_MS. */
export function workHours(times: number[]): number {
  const sorted = Float64Array.from(times).sort();
  let ms = 0;
  for (let i = 1; i < sorted.length; i++) {
    const gap = sorted[i]! - sorted[i - 1]!;
    if (gap < WORK_GAP_MS) ms += gap;
  }
  return ms / 3_600_000;
}

const isUnfiltered = (f: ReportFilter) => !f.from && !f.to && !f.annotatorIds.length && !f.labels.length;

/**
 * The report's adjudication section: progress and automatic resolutions over the items of the
 * report (its scope), decisions and reasons on them, and each reviewer's throughput over their
 * commits in the date range.
 */
export function adjudicationSection(
  db: DB,
  projectId: string,
  data: ReportData,
  scope: ReportScope,
  filter: ReportFilter,
  values: AdjudicatedValues | null,
): AdjudicationReport {
  const out = emptyAdjudicationReport();
  const queued = db.prepare('SELECT 1 FROM adjudication_items WHERE project_id = ? LIMIT 1').pluck(true).get(projectId);
  if (!queued && !values) return out;
  const settings = loadAdjudicationSettings(db, projectId);

  // Which items the report covers: all of them without a filter (every queued item has annotations).
  const everything = isUnfiltered(filter);
  const inScope = new Uint8Array(data.itemIds.length);
  for (const item of scope.items) inScope[item] = 1;
  const locate = sortedLocator(data.itemIds);
  /** Counts of the second column over rows (in item id order) whose item the report covers. */
  const countCovered = (rows: Iterable<[string, string | null]>): [string, number][] => {
    const at = locate();
    const counts = new Map<string, number>();
    for (const [itemId, key] of rows) {
      const i = at(itemId);
      if (i >= 0 && inScope[i]) counts.set(key ?? '', (counts.get(key ?? '') ?? 0) + 1);
    }
    return [...counts.entries()];
  };

  // Progress: the queue's states; automatic resolutions by the policy of the run that resolved the
  // item (its latest automatic state change).
  if (queued) {
    const states = everything
      ? (db.prepare('SELECT state, count(*) FROM adjudication_items WHERE project_id = ? GROUP BY state').raw(true).all(projectId) as [
          string,
          number,
        ][])
      : countCovered(
          db.prepare('SELECT item_id, state FROM adjudication_items WHERE +project_id = ? ORDER BY item_id').raw(true).iterate(projectId) as Iterable<
            [string, string]
          >,
        );
    for (const [state, n] of states) {
      if (state === 'disputed' || state === 'auto' || state === 'human' || state === 'flagged') out.progress[state] = n;
      out.progress.queued += n;
    }
    if (out.progress.auto > 0) {
      // Automatic state events are never withdrawn (undo withdraws a person's), so the latest one is the run's.
      const policy = `(SELECT s.policy FROM adjudication_events s WHERE s.item_id = q.item_id AND s.field = '${STATE_FIELD}' AND s.source = 'auto'
                       ORDER BY s.seq DESC LIMIT 1)`;
      const policies = everything
        ? (db
            .prepare(`SELECT ${policy} AS policy, count(*) FROM adjudication_items q WHERE q.project_id = ? AND q.state = 'auto' GROUP BY policy`)
            .raw(true)
            .all(projectId) as [string | null, number][])
        : countCovered(
            db
              .prepare(`SELECT q.item_id, ${policy} FROM adjudication_items q WHERE +q.project_id = ? AND q.state = 'auto' ORDER BY q.item_id`)
              .raw(true)
              .iterate(projectId) as Iterable<[string, string | null]>,
          );
      out.autoByPolicy = policies
        .map(([policy, items]) => ({ policy: policy ?? '', items }))
        .sort((a, b) => b.items - a.items || a.policy.localeCompare(b.policy));
    }
  }

  // Decisions standing on the items of the report, and the reasons people gave.
  const reasons = new Map<string, { use: ReasonUse; items: Set<number> }>();
  for (const r of settings.reasonCodes) {
    reasons.set(r.code, {
      use: { code: r.code, label: r.label, guidelineRef: r.guidelineRef, fields: 0, items: 0, overridesMajority: 0, configured: true },
      items: new Set(),
    });
  }
  if (values) {
    const use = (item: number, code: string | null, against: boolean) => {
      if (against) out.decisions.overridesMajority++;
      if (code === null) return;
      out.decisions.withReason++;
      let entry = reasons.get(code);
      if (!entry) {
        entry = { use: { code, label: code, guidelineRef: '', fields: 0, items: 0, overridesMajority: 0, configured: false }, items: new Set() };
        reasons.set(code, entry);
      }
      entry.use.fields++;
      if (against) entry.use.overridesMajority++;
      entry.items.add(item);
    };
    for (const item of scope.items) {
      const human = values.humanFields[item]!;
      out.decisions.human += human;
      out.decisions.auto += values.fields[item]! - human;
      if (!human) continue;
      const bits = values.human[item]!;
      if (bits & INTENT_BY_PERSON) use(item, values.intentReason[item] ?? null, (bits & INTENT_OVERRIDES) !== 0);
      if (bits & LEVEL_BY_PERSON) use(item, values.levelReason[item] ?? null, (bits & LEVEL_OVERRIDES) !== 0);
      for (const d of values.others.get(item) ?? []) if (d.human) use(item, d.reason, d.overridesMajority);
    }
  }
  out.reasons = [...reasons.values()].map(({ use, items }) => ({ ...use, items: items.size }));
  out.reviewers = reviewerThroughput(db, projectId, filter);
  return out;
}

/**
 * Each reviewer's commits in the date range (a commit appends one '$state' event: the item
 * resolved, or set aside when flagged); items per hour of work, where work is the gaps between
 * consecutive commits shorter than 10 minutes. Undone commits count as work, not as items.
 */
function reviewerThroughput(db: DB, projectId: string, filter: ReportFilter): ReviewerThroughput[] {
  const range: string[] = [];
  const params: unknown[] = [projectId];
  if (filter.from) {
    range.push('AND e.created_at >= ?');
    params.push(filter.from);
  }
  if (filter.to) {
    range.push('AND e.created_at < ?');
    params.push(filter.to);
  }
  const commits = db
    .prepare(
      `SELECT e.reviewer_id, e.item_id, e.value_json, e.created_at,
              EXISTS (SELECT 1 FROM adjudication_events w WHERE w.withdraws = e.id) AS undone
       FROM adjudication_events e
       WHERE e.project_id = ? AND e.reviewer_id IS NOT NULL AND e.source = 'adjudication' AND e.field = '$state' AND e.withdraws IS NULL ${range.join(' ')}
       ORDER BY e.reviewer_id, e.seq`,
    )
    .raw(true)
    .all(...params) as [string, string, string, string, number][];
  if (!commits.length) return [];
  const fields = new Map(
    (
      db
        .prepare(
          `SELECT e.reviewer_id, count(*), sum(e.overrides_majority) FROM adjudication_events e
           WHERE e.project_id = ? AND e.reviewer_id IS NOT NULL AND e.source = 'adjudication' AND e.field != '$state' AND e.withdraws IS NULL ${range.join(' ')}
             AND NOT EXISTS (SELECT 1 FROM adjudication_events w WHERE w.withdraws = e.id)
           GROUP BY e.reviewer_id`,
        )
        .raw(true)
        .all(...params) as [string, number, number][]
    ).map(([id, n, overrides]) => [id, { n, overrides }]),
  );
  const names = new Map(
    db
      .prepare('SELECT id, name FROM annotators WHERE id IN (SELECT value FROM json_each(?))')
      .raw(true)
      .all(JSON.stringify([...new Set(commits.map((c) => c[0]))])) as [string, string][],
  );
  const out: ReviewerThroughput[] = [];
  for (let i = 0; i < commits.length;) {
    const id = commits[i]![0];
    const times: number[] = [];
    const resolved = new Set<string>();
    const flagged = new Set<string>();
    let first: string | null = null;
    let last: string | null = null;
    for (; i < commits.length && commits[i]![0] === id; i++) {
      const [, itemId, value, at, undone] = commits[i]!;
      times.push(Date.parse(at));
      if (first === null || at < first) first = at;
      if (last === null || at > last) last = at;
      if (undone) continue;
      if (value === '"human"') resolved.add(itemId);
      else if (value === '"flagged"') flagged.add(itemId);
    }
    const hours = workHours(times);
    const f = fields.get(id);
    out.push({
      reviewerId: id,
      name: names.get(id) ?? id,
      items: resolved.size,
      flagged: flagged.size,
      commits: times.length,
      fields: f?.n ?? 0,
      overridesMajority: f?.overrides ?? 0,
      hours,
      itemsPerHour: hours >= MIN_WORK_HOURS ? resolved.size / hours : null,
      firstAt: first,
      lastAt: last,
    });
  }
  return out.sort((a, b) => b.items - a.items || a.name.localeCompare(b.name));
}
