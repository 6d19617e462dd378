import { QualitySettings, type Accuracy, type AnnotatorOverrides, type AnnotatorReport, type LabelScores, type PairwiseMatrix } from '../../../../shared/contract/reports';
import { matchItemSpans, precisionRecall } from '../../../../shared/domain/agreement';
import { clusterKey, DECIDED_NONE, INTENT_BY_PERSON, LEVEL_BY_PERSON, NOT_DECIDED, type AdjudicatedValues, type Decision } from './adjudication';
import { spanParser, type ReportData } from './load';
import type { ReportScope } from './codes';

interface Counter {
  n: number;
  correct: number;
}

interface AnnotatorTally {
  items: number;
  submitted: number;
  goldIntents: Counter;
  goldSentiment: Counter;
  goldSpans: { exact: number; spansA: number; spansB: number };
  majorityIntents: Counter;
  majoritySentiment: Counter;
  /** The part of majorityIntents / majoritySentiment whose reference was adjudicated. */
  adjudicatedIntents: Counter;
  adjudicatedSentiment: Counter;
  /** Submitted annotations on adjudicated items; overridden by a person, by a policy; by a person per reason code ('' = none). */
  onAdjudicated: number;
  overridden: number;
  overriddenAuto: number;
  overriddenBy: Map<string, number>;
  /** Per intent code: true positives, false positives, false negatives against the reference. */
  tp: Float64Array;
  fp: Float64Array;
  fn: Float64Array;
  activeMs: number;
  /** Seconds per submitted item (first `timed` entries). */
  seconds: Float64Array;
  timed: number;
  revisited: Counter;
  accepted: number;
  acceptedWrong: number;
}

const counter = (): Counter => ({ n: 0, correct: 0 });
const accuracy = (c: Counter): Accuracy => ({ n: c.n, correct: c.correct, accuracy: c.n ? c.correct / c.n : null });

/** What `reference` gives when an item has none for a field. */
const NO_REFERENCE = -2;

/**
 * The reference of one row's item for one field: the gold annotator's value on gold items, else an
 * adjudicated value (the `adjudications` table is read by the caller; here the legacy adjudicated
 * annotation row), else the plurality of the other annotators (at least two of them, one clear
 * winner); NO_REFERENCE when there is none.
 */
function reference(
  data: ReportData,
  field: Int32Array,
  rows: readonly number[],
  self: number,
  gold: number,
  adjudicated: number,
  votes: Int32Array,
): number {
  if (gold >= 0) return field[gold]! >= 0 ? field[gold]! : NO_REFERENCE;
  if (adjudicated >= 0 && adjudicated !== self) return field[adjudicated]! >= 0 ? field[adjudicated]! : NO_REFERENCE;
  // Only the values this item's rows have are counted (and reset after): the label set may be large.
  let others = 0;
  let best = -1;
  let bestVotes = 0;
  for (const r of rows) {
    if (r === self || r === gold || field[r]! < 0 || !data.submitted[r]) continue;
    const v = field[r]!;
    const count = ++votes[v]!;
    others++;
    if (count > bestVotes) {
      best = v;
      bestVotes = count;
    }
  }
  let tie = false;
  for (const r of rows) {
    if (r === self || r === gold || field[r]! < 0 || !data.submitted[r]) continue;
    const v = field[r]!;
    if (v !== best && votes[v] === bestVotes) tie = true;
    votes[v] = 0;
  }
  if (others < 2 || tie) return NO_REFERENCE;
  return best;
}

/** Whether an annotation (row r) differs from an adjudicated label or span cluster. */
function differs(data: ReportData, r: number, d: Decision, parse: ReturnType<typeof spanParser>): boolean {
  if (d.kind === 'label') return data.intentsOf(r).includes(d.code) !== d.present;
  return clusterKey(parse(data.entitiesJson[r]!), d.start, d.end) !== d.key;
}

/**
 * Tallies where the adjudications of row r's item differ from its annotation: by a person (per
 * reason code) and by a policy.
 */
function tallyOverrides(
  data: ReportData,
  r: number,
  item: number,
  adj: AdjudicatedValues,
  others: readonly Decision[] | undefined,
  t: AnnotatorTally,
  parse: ReturnType<typeof spanParser>,
): void {
  t.onAdjudicated++;
  const reasons = overrideReasons;
  reasons.length = 0;
  let byPolicy = false;
  const intent = adj.intent[item]!;
  if (intent !== NOT_DECIDED && data.intent[r] !== intent) {
    if (adj.human[item]! & INTENT_BY_PERSON) addReason(adj.intentReason[item]);
    else byPolicy = true;
  }
  const level = adj.level[item]!;
  if (level !== NOT_DECIDED && data.level[r] !== level) {
    if (adj.human[item]! & LEVEL_BY_PERSON) addReason(adj.levelReason[item]);
    else byPolicy = true;
  }
  if (others) {
    for (const d of others) {
      if (!differs(data, r, d, parse)) continue;
      if (d.human) addReason(d.reason);
      else byPolicy = true;
    }
  }
  if (byPolicy) t.overriddenAuto++;
  if (!reasons.length) return;
  t.overridden++;
  for (const code of reasons) t.overriddenBy.set(code, (t.overriddenBy.get(code) ?? 0) + 1);
}

function addReason(reason: string | null | undefined): void {
  const code = reason ?? '';
  if (!overrideReasons.includes(code)) overrideReasons.push(code);
}

/** The reason codes of one annotation's overrides ('' for none), reused from row to row. */
const overrideReasons: string[] = [];

function overridesOf(t: AnnotatorTally): AnnotatorOverrides {
  return {
    adjudicated: t.onAdjudicated,
    overridden: t.overridden,
    auto: t.overriddenAuto,
    byReason: [...t.overriddenBy.entries()]
      .map(([code, count]) => ({ code: code === '' ? null : code, count }))
      .sort((a, b) => b.count - a.count || (a.code ?? '\uffff').localeCompare(b.code ?? '\uffff')),
  };
}

/**
 * Each annotator's accuracy, speed, drift, self-consistency and reliance on suggestions, and how
 * often adjudications overrode them. The reference of an item is, in this order: the gold
 * annotator's labels on a gold item; the item's adjudicated value (`adjudicated`; in a multi-label
 * project each adjudicated label is a yes/no decision, and an annotation is right when it matches
 * every one of them); an annotation row marked adjudicated (imported adjudications); the plurality
 * of the other annotators. An adjudicated "no intent" / "no sentiment" makes a value wrong;
 * annotations without a value are not compared.
 */
export function annotatorReports(
  data: ReportData,
  scope: ReportScope,
  pairwise: PairwiseMatrix[],
  adjudicated: AdjudicatedValues | null = null,
  quality: QualitySettings = QualitySettings.parse({}),
): AnnotatorReport[] {
  const K = data.intents.length;
  const tallies = data.annotators.map((): AnnotatorTally => ({
    items: 0,
    submitted: 0,
    goldIntents: counter(),
    goldSentiment: counter(),
    goldSpans: { exact: 0, spansA: 0, spansB: 0 },
    majorityIntents: counter(),
    majoritySentiment: counter(),
    adjudicatedIntents: counter(),
    adjudicatedSentiment: counter(),
    onAdjudicated: 0,
    overridden: 0,
    overriddenAuto: 0,
    overriddenBy: new Map(),
    tp: new Float64Array(K),
    fp: new Float64Array(K),
    fn: new Float64Array(K),
    activeMs: 0,
    seconds: new Float64Array(0),
    timed: 0,
    revisited: counter(),
    accepted: 0,
    acceptedWrong: 0,
  }));
  const parse = spanParser();
  const intentVotes = new Int32Array(K);
  const levelVotes = new Int32Array(Math.max(1, data.levels.length));
  const goldAnnotator = Uint8Array.from(data.annotators, (a) => (a.gold ? 1 : 0));
  // Per annotator and day: [compared, correct] in a flat array over the days the data span.
  let firstDay = Infinity;
  let lastDay = -Infinity;
  for (let r = 0; r < data.rows; r++) {
    const d = data.day[r]!;
    if (d < 0) continue;
    if (d < firstDay) firstDay = d;
    if (d > lastDay) lastDay = d;
  }
  const dayCount = lastDay >= firstDay ? lastDay - firstDay + 1 : 0;
  const perDay = data.annotators.map(() => new Float64Array(dayCount * 2));
  const rows: number[] = [];
  const labelRefs: Decision[] = [];
  for (const item of scope.items) {
    rows.length = 0;
    let gold = -1;
    let legacy = -1;
    for (let r = data.itemStart[item]!; r < data.itemStart[item + 1]!; r++) {
      rows.push(r);
      if (goldAnnotator[data.annotator[r]!]) gold = r;
      else if (data.adjudicated[r]) legacy = r;
    }
    const isGold = data.itemGold[item] === 1 && gold >= 0;
    // The item's adjudicated values (after gold): one reference for all of its rows.
    const decided = adjudicated !== null && adjudicated.fields[item]! > 0;
    const others = decided ? adjudicated.others.get(item) : undefined;
    const adjIntent = decided && !isGold ? adjudicated.intent[item]! : NOT_DECIDED;
    const adjLevel = decided && !isGold ? adjudicated.level[item]! : NOT_DECIDED;
    labelRefs.length = 0;
    if (!isGold && others && data.multiLabel) for (const d of others) if (d.kind === 'label') labelRefs.push(d);
    for (const r of rows) {
      const a = data.annotator[r]!;
      if (goldAnnotator[a]) continue;
      const t = tallies[a]!;
      t.items++;
      if (!data.submitted[r]) continue;
      t.submitted++;
      if (data.activeMs[r]! > 0) {
        t.activeMs += data.activeMs[r]!;
        if (t.timed === t.seconds.length) {
          const grown = new Float64Array(Math.max(1024, t.seconds.length * 2));
          grown.set(t.seconds);
          t.seconds = grown;
        }
        t.seconds[t.timed++] = data.activeMs[r]! / 1000;
      }
      if (decided) tallyOverrides(data, r, item, adjudicated, others, t, parse);
      const intentFromAdjudication = adjIntent !== NOT_DECIDED || (legacy >= 0 && legacy !== r && !isGold);
      const levelFromAdjudication = adjLevel !== NOT_DECIDED || (legacy >= 0 && legacy !== r && !isGold);
      const refIntent = adjIntent !== NOT_DECIDED ? adjIntent : reference(data, data.intent, rows, r, isGold ? gold : -1, legacy, intentVotes);
      const refLevel = adjLevel !== NOT_DECIDED ? adjLevel : reference(data, data.level, rows, r, isGold ? gold : -1, legacy, levelVotes);
      const intent = data.intent[r]!;
      const level = data.level[r]!;
      // -1: the intent was not compared; else 1 right, 0 wrong.
      let intentRight = -1;
      if (labelRefs.length) {
        // Multi-label, adjudicated per label: right when every adjudicated label matches.
        const mine = data.intentsOf(r);
        intentRight = 1;
        for (const d of labelRefs) {
          const has = mine.includes(d.code);
          if (has && d.present) t.tp[d.code]!++;
          else if (has) t.fp[d.code]!++;
          else if (d.present) t.fn[d.code]!++;
          if (has !== d.present) intentRight = 0;
        }
      } else if (refIntent !== NO_REFERENCE && intent >= 0) {
        intentRight = intent === refIntent ? 1 : 0;
        if (intentRight) t.tp[intent]!++;
        else {
          t.fp[intent]!++;
          if (refIntent !== DECIDED_NONE) t.fn[refIntent]!++;
        }
      }
      if (intentRight >= 0) {
        const c = isGold ? t.goldIntents : t.majorityIntents;
        c.n++;
        c.correct += intentRight;
        if (!isGold && (labelRefs.length > 0 || intentFromAdjudication)) {
          t.adjudicatedIntents.n++;
          t.adjudicatedIntents.correct += intentRight;
        }
        const day = data.day[r]!;
        if (day >= 0) {
          const days = perDay[a]!;
          days[(day - firstDay) * 2]!++;
          days[(day - firstDay) * 2 + 1]! += intentRight;
        }
      }
      if (refLevel !== NO_REFERENCE && level >= 0) {
        const levelRight = level === refLevel ? 1 : 0;
        const c = isGold ? t.goldSentiment : t.majoritySentiment;
        c.n++;
        c.correct += levelRight;
        if (!isGold && levelFromAdjudication) {
          t.adjudicatedSentiment.n++;
          t.adjudicatedSentiment.correct += levelRight;
        }
      }
      if (isGold) {
        const mine = data.entitiesJson[r]!;
        const theirs = data.entitiesJson[gold]!;
        const a1 = parse(mine);
        const b1 = parse(theirs);
        const exact = mine === theirs ? a1.length : matchItemSpans(b1, a1).matched.filter((p) => p.exact).length;
        t.goldSpans.exact += exact;
        t.goldSpans.spansA += b1.length;
        t.goldSpans.spansB += a1.length;
      }
      if (data.submits[r]! >= 2) {
        t.revisited.n++;
        t.revisited.correct += data.firstIntent[r] === intent && data.firstLevel[r] === level ? 1 : 0;
      }
      const acceptedIntent = data.intentAccepted[r] === 1;
      const acceptedLevel = data.sentimentAccepted[r] === 1;
      if (acceptedIntent || acceptedLevel || data.entitiesAccepted[r]) t.accepted++;
      // A suggestion accepted where the reference says otherwise (an accepted empty intent against a label included).
      const intentWrong = labelRefs.length ? intentRight === 0 : refIntent !== NO_REFERENCE && intent !== refIntent;
      const levelWrong = refLevel !== NO_REFERENCE && level !== refLevel;
      if ((acceptedIntent && intentWrong) || (acceptedLevel && levelWrong)) t.acceptedWrong++;
    }
  }
  const spanMatrix = pairwise.find((p) => p.task === 'entities');
  const reports = data.annotators
    .map((a, i) => ({ a, i }))
    .filter(({ a, i }) => !a.gold && tallies[i]!.items > 0)
    .map(({ a, i }): AnnotatorReport => {
      const t = tallies[i]!;
      const seconds = t.seconds.subarray(0, t.timed);
      const perLabel: LabelScores[] = [];
      for (let c = 0; c < K; c++) {
        const support = t.tp[c]! + t.fn[c]!;
        if (support + t.fp[c]! === 0) continue;
        const pr = precisionRecall(t.tp[c]!, support, t.tp[c]! + t.fp[c]!);
        perLabel.push({ label: data.intents[c]!, precision: pr.precision, recall: pr.recall, f1: pr.f1, support });
      }
      return {
        annotatorId: a.id,
        name: a.name,
        items: t.items,
        submitted: t.submitted,
        vsGold: {
          intents: accuracy(t.goldIntents),
          sentiment: accuracy(t.goldSentiment),
          entitiesF1: precisionRecall(t.goldSpans.exact, t.goldSpans.spansA, t.goldSpans.spansB).f1,
        },
        vsMajority: {
          intents: accuracy(t.majorityIntents),
          sentiment: accuracy(t.majoritySentiment),
          entitiesF1: meanOfRow(spanMatrix, a.id),
        },
        vsAdjudicated: { intents: accuracy(t.adjudicatedIntents), sentiment: accuracy(t.adjudicatedSentiment) },
        overrides: overridesOf(t),
        perLabel,
        speed: {
          itemsPerHour: t.activeMs > 0 ? t.submitted / (t.activeMs / 3_600_000) : null,
          medianSeconds: seconds.length ? medianInPlace(seconds) : null,
        },
        drift: driftOf(perDay[i]!, firstDay),
        selfConsistency: { items: t.revisited.n, agreement: t.revisited.n ? t.revisited.correct / t.revisited.n : null },
        suggestions: {
          accepted: t.accepted,
          acceptRate: t.submitted ? t.accepted / t.submitted : null,
          acceptedWrong: t.acceptedWrong,
          acceptedWrongRate: t.accepted ? t.acceptedWrong / t.accepted : null,
        },
        outlier: [],
      };
    });
  flagOutliers(
    reports,
    pairwise.find((p) => p.task === 'intents'),
    quality,
  );
  return reports;
}

/** Accuracy per day from [compared, correct] pairs per day since `firstDay`; days without items left out. */
function driftOf(days: Float64Array, firstDay: number): AnnotatorReport['drift'] {
  const out: AnnotatorReport['drift'] = [];
  for (let d = 0; d < days.length / 2; d++) {
    const n = days[d * 2]!;
    if (n > 0) out.push({ day: new Date((firstDay + d) * 86_400_000).toISOString().slice(0, 10), n, accuracy: days[d * 2 + 1]! / n });
  }
  return out;
}

/** The median of the values, reordering them (selection, not a sort: a project has a million of them). */
export function medianInPlace(values: Float64Array): number {
  const n = values.length;
  const upper = select(values, n >> 1);
  if (n % 2) return upper;
  let lower = -Infinity;
  for (let i = 0; i < n >> 1; i++) if (values[i]! > lower) lower = values[i]!;
  return (lower + upper) / 2;
}

/** Hoare's selection: puts the k-th smallest at k, smaller ones before it, larger after; returns it. */
function select(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return a[k]!;
}

function median(sorted: Float64Array): number {
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function meanOfRow(matrix: PairwiseMatrix | undefined, id: string): number | null {
  const i = matrix?.annotatorIds.indexOf(id) ?? -1;
  if (!matrix || i < 0) return null;
  const values = matrix.matrix[i]!.filter((v, j): v is number => j !== i && v !== null && matrix.shared[i]![j]! > 0);
  return values.length ? values.reduce((s, v) => s + v, 0) / values.length : null;
}

const medianOf = (values: number[]): number | null => (values.length ? median(Float64Array.from(values).sort()) : null);

/** Items compared before an annotator's figures are trusted enough to flag them. */
export const OUTLIER_MIN_ITEMS = 20;

/**
 * Flags what a reviewer should look at: much faster than the median annotator (1.5×) while clearly
 * less accurate (10 points below the median); agreement with the others far below theirs (mean
 * kappa 0.2 under the median); gold accuracy under 70 %; a fifth or more of accepted suggestions wrong.
 */
function flagOutliers(reports: AnnotatorReport[], intents: PairwiseMatrix | undefined, quality: QualitySettings): void {
  const acc = (r: AnnotatorReport) => {
    const n = r.vsGold.intents.n + r.vsMajority.intents.n;
    return n >= OUTLIER_MIN_ITEMS ? (r.vsGold.intents.correct + r.vsMajority.intents.correct) / n : null;
  };
  const speeds = reports.map((r) => r.speed.itemsPerHour).filter((v): v is number => v !== null);
  const accs = reports.map(acc).filter((v): v is number => v !== null);
  const kappas = reports.map((r) => meanOfRow(intents, r.annotatorId));
  const medianSpeed = medianOf(speeds);
  const medianAcc = medianOf(accs);
  const medianKappa = medianOf(kappas.filter((v): v is number => v !== null));
  reports.forEach((r, i) => {
    const a = acc(r);
    if (medianSpeed !== null && medianAcc !== null && a !== null && r.speed.itemsPerHour !== null) {
      if (r.speed.itemsPerHour > 1.5 * medianSpeed && a < medianAcc - 0.1) r.outlier.push('fast-and-inaccurate');
    }
    const k = kappas[i];
    if (medianKappa !== null && k !== null && k !== undefined && reports.length >= 3 && k < medianKappa - 0.2) r.outlier.push('low-agreement');
    if (r.vsGold.intents.n >= quality.goldMinimum && (r.vsGold.intents.accuracy ?? 1) < quality.goldThreshold) r.outlier.push('low-gold-accuracy');
    if (r.suggestions.accepted >= OUTLIER_MIN_ITEMS && (r.suggestions.acceptedWrongRate ?? 0) >= 0.2) r.outlier.push('accepts-wrong-suggestions');
  });
}
