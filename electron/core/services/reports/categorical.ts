import type { ConfusedPair, Estimate, LabelAgreement, PairwiseMatrix, ReportTask, TaskAgreement } from '../../../../shared/contract/reports';
import {
  bootstrapFleissKappa,
  bootstrapKrippendorffAlpha,
  coincidenceMatrix,
  fleissKappa,
  krippendorffAlpha,
  MISSING,
  pairwiseCohenKappa,
  percentAgreement,
  type BootstrapInterval,
  type CodedRatings,
  type KappaWeights,
  type MeasurementLevel,
} from '../../../../shared/domain/agreement';
/** MISSING, read once: transpiled to CommonJS, every use of an imported binding is a property read. */
const NOT_RATED = MISSING;

/** Fewer resamples on big projects: the interval's width settles long before 1000 there. */
export function bootstrapResamples(items: number): number {
  return items > 50_000 ? 200 : items > 10_000 ? 500 : 1000;
}

const estimate = (b: BootstrapInterval): Estimate => ({ value: b.value, low: b.lower, high: b.upper });

/** Agreement on a categorical task: percent, Fleiss, Krippendorff's alpha (with intervals), mean pairwise Cohen. */
export function categoricalAgreement(
  task: ReportTask,
  table: CodedRatings<string>,
  level: MeasurementLevel,
  weights: KappaWeights,
  withIntervals = true,
): { agreement: TaskAgreement; pairwise: PairwiseMatrix } {
  const m = table.annotators.length;
  let items = 0;
  const active = new Uint8Array(m);
  for (let i = 0; i < table.itemIds.length; i++) {
    let rated = 0;
    for (let j = 0; j < m; j++) if (table.codes[i * m + j] !== NOT_RATED) rated++;
    if (rated >= 2) {
      items++;
      for (let j = 0; j < m; j++) if (table.codes[i * m + j] !== NOT_RATED) active[j] = 1;
    }
  }
  const resamples = bootstrapResamples(items);
  const fleiss = withIntervals ? estimate(bootstrapFleissKappa(table, { resamples })) : point(fleissKappa(table).value);
  const alpha = withIntervals ? estimate(bootstrapKrippendorffAlpha(table, level, { resamples })) : point(krippendorffAlpha(table, level).value);
  const pairs = m >= 2 ? pairwiseCohenKappa(table, { weights }) : null;
  const index = new Map(table.annotators.map((a, i) => [a, i]));
  const matrix: (number | null)[][] = Array.from({ length: m }, (_, i) => Array.from({ length: m }, (_, j) => (i === j ? 1 : null)));
  const shared: number[][] = Array.from({ length: m }, () => new Array<number>(m).fill(0));
  for (const p of pairs?.pairs ?? []) {
    const a = index.get(p.first)!;
    const b = index.get(p.second)!;
    matrix[a]![b] = matrix[b]![a] = p.value;
    shared[a]![b] = shared[b]![a] = p.items;
  }
  for (let j = 0; j < m; j++) {
    let own = 0;
    for (let i = 0; i < table.itemIds.length; i++) if (table.codes[i * m + j] !== NOT_RATED) own++;
    shared[j]![j] = own;
    if (own === 0) matrix[j]![j] = null;
  }
  return {
    agreement: {
      task,
      items,
      annotators: active.reduce((s, x) => s + x, 0),
      percent: percentAgreement(table).value,
      fleiss,
      alpha,
      cohenMean: pairs?.mean.value ?? null,
      spans: null,
    },
    pairwise: { task, annotatorIds: [...table.annotators], matrix, shared },
  };
}

const point = (value: number | null): Estimate => ({ value, low: null, high: null });

/**
 * Each category as a yes/no question: its nominal alpha from the coincidence matrix collapsed to
 * two values (alpha = 1 − (n − 1)·o₁₀ / (n₁·n₀)), and the share of pairable value pairs that agree.
 */
export function perCategoryAgreement(task: ReportTask, table: CodedRatings<string>): LabelAgreement[] {
  const { categories, counts } = coincidenceMatrix(table);
  const k = categories.length;
  let n = 0;
  const marginal = new Float64Array(k);
  for (let c = 0; c < k; c++) for (let d = 0; d < k; d++) marginal[c]! += counts[c]![d]!;
  for (let c = 0; c < k; c++) n += marginal[c]!;
  const uses = new Int32Array(k);
  for (const code of table.codes) if (code !== NOT_RATED) uses[code]!++;
  const out: LabelAgreement[] = [];
  for (let c = 0; c < k; c++) {
    if (uses[c] === 0) continue;
    const n1 = marginal[c]!;
    const n0 = n - n1;
    const o10 = n1 - counts[c]![c]!;
    out.push({
      task,
      label: String(categories[c]),
      uses: uses[c]!,
      percent: n > 0 ? (n - 2 * o10) / n : null,
      alpha: n1 > 0 && n0 > 0 ? 1 - ((n - 1) * o10) / (n1 * n0) : null,
      f1: null,
    });
  }
  return out;
}

/** How often two annotators of one item chose `a` and `b` (a ≠ b), over all pairs of annotators. */
export function confusedPairs(task: ReportTask, table: CodedRatings<string>, limit = 20): ConfusedPair[] {
  const k = table.categories.length;
  const m = table.annotators.length;
  const counts = new Float64Array(k * k);
  for (let i = 0; i < table.itemIds.length; i++) {
    const o = i * m;
    for (let a = 0; a < m; a++) {
      const x = table.codes[o + a]!;
      if (x === NOT_RATED) continue;
      for (let b = a + 1; b < m; b++) {
        const y = table.codes[o + b]!;
        if (y === NOT_RATED || y === x) continue;
        counts[x < y ? x * k + y : y * k + x]!++;
      }
    }
  }
  const out: ConfusedPair[] = [];
  for (let x = 0; x < k; x++) {
    for (let y = x + 1; y < k; y++) {
      const count = counts[x * k + y]!;
      if (count > 0) out.push({ task, a: String(table.categories[x]), b: String(table.categories[y]), count });
    }
  }
  return out.sort((p, q) => q.count - p.count || p.a.localeCompare(q.a)).slice(0, limit);
}
