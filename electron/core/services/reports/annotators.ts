import type { Accuracy, AnnotatorReport, LabelScores, PairwiseMatrix } from '../../../../shared/contract/reports';
import { matchItemSpans, precisionRecall } from '../../../../shared/domain/agreement';
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

/**
 * The reference of one row's item for one field: the gold annotator's value on gold items, else an
 * adjudicated value, else the plurality of the other annotators (at least two of them, one clear
 * winner); -1 when there is none.
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
  if (gold >= 0) return field[gold]!;
  if (adjudicated >= 0 && adjudicated !== self) return field[adjudicated]!;
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
  if (others < 2) return -1;
  return tie ? -1 : best;
}

/** Each annotator's accuracy, speed, drift, self-consistency and reliance on suggestions. */
export function annotatorReports(data: ReportData, scope: ReportScope, pairwise: PairwiseMatrix[]): AnnotatorReport[] {
  const K = data.intents.length;
  const tallies = data.annotators.map((): AnnotatorTally => ({
    items: 0,
    submitted: 0,
    goldIntents: counter(),
    goldSentiment: counter(),
    goldSpans: { exact: 0, spansA: 0, spansB: 0 },
    majorityIntents: counter(),
    majoritySentiment: counter(),
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
  for (const item of scope.items) {
    rows.length = 0;
    let gold = -1;
    let adjudicated = -1;
    for (let r = data.itemStart[item]!; r < data.itemStart[item + 1]!; r++) {
      rows.push(r);
      if (goldAnnotator[data.annotator[r]!]) gold = r;
      else if (data.adjudicated[r]) adjudicated = r;
    }
    const isGold = data.itemGold[item] === 1 && gold >= 0;
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
      const refIntent = reference(data, data.intent, rows, r, isGold ? gold : -1, adjudicated, intentVotes);
      const refLevel = reference(data, data.level, rows, r, isGold ? gold : -1, adjudicated, levelVotes);
      const intent = data.intent[r]!;
      const level = data.level[r]!;
      if (refIntent >= 0 && intent >= 0) {
        const right = intent === refIntent ? 1 : 0;
        const c = isGold ? t.goldIntents : t.majorityIntents;
        c.n++;
        c.correct += right;
        if (right) t.tp[intent]!++;
        else {
          t.fp[intent]!++;
          t.fn[refIntent]!++;
        }
        const day = data.day[r]!;
        if (day >= 0) {
          const days = perDay[a]!;
          days[(day - firstDay) * 2]!++;
          days[(day - firstDay) * 2 + 1]! += right;
        }
      }
      if (refLevel >= 0 && level >= 0) {
        const c = isGold ? t.goldSentiment : t.majoritySentiment;
        c.n++;
        c.correct += level === refLevel ? 1 : 0;
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
      if ((acceptedIntent && refIntent >= 0 && intent !== refIntent) || (acceptedLevel && refLevel >= 0 && level !== refLevel)) t.acceptedWrong++;
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
function flagOutliers(reports: AnnotatorReport[], intents: PairwiseMatrix | undefined): void {
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
    if (r.vsGold.intents.n >= 10 && (r.vsGold.intents.accuracy ?? 1) < 0.7) r.outlier.push('low-gold-accuracy');
    if (r.suggestions.accepted >= OUTLIER_MIN_ITEMS && (r.suggestions.acceptedWrongRate ?? 0) >= 0.2) r.outlier.push('accepts-wrong-suggestions');
  });
}
