/**
 * Evaluation helpers for the pre-labeler: a classification report (accuracy, per-label P/R/F1,
 * macro-F1, confusion matrix), McNemar's test for comparing two classifiers on the same items,
 * exact-match span scores, and seeded splitting (stratified k-fold, n per class).
 *
 * Everything random goes through `mulberry32(seed)`, so the same seed gives the same split on
 * every machine and every run.
 */

/** A small, fast, seeded PRNG (Tommy Ettinger's mulberry32). Returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates shuffle in place with the given generator; returns the same array. */
export function shuffleInPlace<T>(items: T[], rng: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const tmp = items[i] as T;
    items[i] = items[j] as T;
    items[j] = tmp;
  }
  return items;
}

/** 0..n-1 shuffled with `mulberry32(seed)`. */
export function seededPermutation(n: number, seed: number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  return shuffleInPlace(order, mulberry32(seed));
}

// ---------------------------------------------------------------------------------------------
// Classification report
// ---------------------------------------------------------------------------------------------

export interface LabelScores {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  /** Number of items whose true label is this one. */
  support: number;
}

export interface ClassificationReport {
  n: number;
  accuracy: number;
  macroF1: number;
  perLabel: LabelScores[];
  confusion: { labels: string[]; matrix: number[][] /* [true][pred] */ };
}

const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Like scikit-learn's `classification_report` + `confusion_matrix` with default arguments:
 * labels default to the sorted union of yTrue and yPred, macro-F1 averages over those labels
 * (so a label that is predicted but never true, or true but never predicted, counts with F1 0),
 * and any 0/0 is 0. If `labels` is given, only those labels are reported and averaged (and the
 * confusion matrix ignores pairs involving other labels), as scikit-learn does.
 * Accuracy is always over all n items.
 */
export function classificationReport(yTrue: string[], yPred: string[], labels?: string[]): ClassificationReport {
  if (yTrue.length !== yPred.length) throw new Error(`classificationReport: ${yTrue.length} true labels but ${yPred.length} predictions`);
  const n = yTrue.length;
  const names = labels ? [...labels] : [...new Set([...yTrue, ...yPred])].sort(byCodeUnit);
  const index = new Map<string, number>();
  names.forEach((label, i) => {
    if (index.has(label)) throw new Error(`classificationReport: duplicate label ${JSON.stringify(label)}`);
    index.set(label, i);
  });
  const k = names.length;
  const matrix = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  let correct = 0;
  for (let i = 0; i < n; i++) {
    const t = yTrue[i] as string;
    const p = yPred[i] as string;
    if (t === p) correct++;
    const ti = index.get(t);
    const pi = index.get(p);
    if (ti !== undefined && pi !== undefined) (matrix[ti] as number[])[pi]! += 1;
  }
  // Supports and predicted counts come from the raw lists, so a restricted `labels` still gives
  // scikit-learn's numbers (pairs with an unlisted label count as errors for the listed one).
  const support = new Array<number>(k).fill(0);
  const predicted = new Array<number>(k).fill(0);
  for (let i = 0; i < n; i++) {
    const ti = index.get(yTrue[i] as string);
    const pi = index.get(yPred[i] as string);
    if (ti !== undefined) support[ti]! += 1;
    if (pi !== undefined) predicted[pi]! += 1;
  }
  const perLabel: LabelScores[] = names.map((label, i) => {
    const tp = (matrix[i] as number[])[i] as number;
    const sup = support[i] as number;
    const pred = predicted[i] as number;
    const precision = pred > 0 ? tp / pred : 0;
    const recall = sup > 0 ? tp / sup : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    return { label, precision, recall, f1, support: sup };
  });
  const macroF1 = k > 0 ? perLabel.reduce((sum, s) => sum + s.f1, 0) / k : 0;
  return { n, accuracy: n > 0 ? correct / n : 0, macroF1, perLabel, confusion: { labels: names, matrix } };
}

// ---------------------------------------------------------------------------------------------
// McNemar
// ---------------------------------------------------------------------------------------------

/**
 * Complementary error function, Numerical Recipes' Chebyshev fit (`erfcc`): relative error below
 * 1.2e-7 everywhere, which is plenty for p-values.
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** P(X > x) for X ~ chi-square with 1 degree of freedom: erfc(sqrt(x / 2)). */
export function chiSquare1Survival(x: number): number {
  if (!(x > 0)) return 1;
  return erfc(Math.sqrt(x / 2));
}

export interface McNemarResult {
  /** Items A got right and B got wrong. */
  b: number;
  /** Items A got wrong and B got right. */
  c: number;
  /** Exact test: min(b, c) (as statsmodels reports it). Chi-square: (|b - c| - 1)^2 / (b + c). */
  statistic: number;
  pValue: number;
  exact: boolean;
}

/**
 * McNemar's test on paired correctness of two classifiers over the same items. With b + c < 25
 * discordant pairs it is the exact two-sided binomial test (p = min(1, 2 * P(X <= min(b, c))),
 * X ~ Bin(b + c, 1/2)); otherwise the chi-square test with continuity correction.
 */
export function mcnemar(aCorrect: boolean[], bCorrect: boolean[]): McNemarResult {
  if (aCorrect.length !== bCorrect.length) throw new Error(`mcnemar: ${aCorrect.length} vs ${bCorrect.length} items`);
  let b = 0;
  let c = 0;
  for (let i = 0; i < aCorrect.length; i++) {
    const a = aCorrect[i] === true;
    const o = bCorrect[i] === true;
    if (a && !o) b++;
    else if (!a && o) c++;
  }
  const m = b + c;
  if (m < 25) {
    const lo = Math.min(b, c);
    // P(X <= lo) for X ~ Bin(m, 1/2), built term by term: C(m, i+1) = C(m, i) * (m - i) / (i + 1).
    let term = Math.pow(0.5, m);
    let tail = 0;
    for (let i = 0; i <= lo; i++) {
      tail += term;
      term = (term * (m - i)) / (i + 1);
    }
    return { b, c, statistic: lo, pValue: Math.min(1, 2 * tail), exact: true };
  }
  const d = Math.abs(b - c) - 1;
  const statistic = d > 0 ? (d * d) / m : 0;
  return { b, c, statistic, pValue: chiSquare1Survival(statistic), exact: false };
}

// ---------------------------------------------------------------------------------------------
// Spans
// ---------------------------------------------------------------------------------------------

export interface ScoredSpan {
  start: number;
  end: number;
  label: string;
}

export interface SpanScores {
  precision: number;
  recall: number;
  f1: number;
  tp: number;
  fp: number;
  fn: number;
}

/**
 * Exact-match span scoring (same start, end and label), micro-averaged over documents.
 * `gold[i]` and `pred[i]` are the spans of document i; duplicates are matched at most once each.
 */
export function spanScores(gold: ScoredSpan[][], pred: ScoredSpan[][]): SpanScores {
  if (gold.length !== pred.length) throw new Error(`spanScores: ${gold.length} gold documents but ${pred.length} predicted`);
  let tp = 0;
  let nGold = 0;
  let nPred = 0;
  const key = (s: ScoredSpan): string => `${s.start}\u0000${s.end}\u0000${s.label}`;
  for (let d = 0; d < gold.length; d++) {
    const g = gold[d] as ScoredSpan[];
    const p = pred[d] as ScoredSpan[];
    nGold += g.length;
    nPred += p.length;
    const counts = new Map<string, number>();
    for (const s of g) counts.set(key(s), (counts.get(key(s)) ?? 0) + 1);
    for (const s of p) {
      const k = key(s);
      const left = counts.get(k) ?? 0;
      if (left > 0) {
        tp++;
        counts.set(k, left - 1);
      }
    }
  }
  const fp = nPred - tp;
  const fn = nGold - tp;
  const precision = nPred > 0 ? tp / nPred : 0;
  const recall = nGold > 0 ? tp / nGold : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1, tp, fp, fn };
}

// ---------------------------------------------------------------------------------------------
// Splits
// ---------------------------------------------------------------------------------------------

/** Indices grouped by label, labels in code-unit order, each group shuffled by `rng`. */
function shuffledGroups(y: string[], rng: () => number): number[][] {
  const groups = new Map<string, number[]>();
  y.forEach((label, i) => {
    const g = groups.get(label);
    if (g) g.push(i);
    else groups.set(label, [i]);
  });
  return [...groups.keys()].sort(byCodeUnit).map((label) => shuffleInPlace(groups.get(label) as number[], rng));
}

/**
 * Stratified k-fold: returns the test indices of each fold (ascending). Each label's items are
 * shuffled and dealt round-robin, continuing across labels, so every label's count differs by at
 * most one between folds and so does every fold's size. A label with fewer than k items is
 * missing from some folds (scikit-learn warns about that; we just do it).
 */
export function stratifiedKFold(y: string[], k: number, seed: number): number[][] {
  if (!Number.isInteger(k) || k < 2) throw new Error(`stratifiedKFold: k must be an integer >= 2, got ${k}`);
  if (k > y.length) throw new Error(`stratifiedKFold: k = ${k} folds but only ${y.length} items`);
  const folds: number[][] = Array.from({ length: k }, () => []);
  let next = 0;
  for (const group of shuffledGroups(y, mulberry32(seed))) {
    for (const i of group) {
      (folds[next] as number[]).push(i);
      next = (next + 1) % k;
    }
  }
  for (const f of folds) f.sort((a, b) => a - b);
  return folds;
}

/** The first n items of each label after a seeded shuffle (all of them if a label has fewer); ascending. */
export function perClassSample(y: string[], n: number, seed: number): number[] {
  const taken = new Map<string, number>();
  const out: number[] = [];
  for (const i of seededPermutation(y.length, seed)) {
    const label = y[i] as string;
    const t = taken.get(label) ?? 0;
    if (t < n) {
      taken.set(label, t + 1);
      out.push(i);
    }
  }
  return out.sort((a, b) => a - b);
}

/**
 * A seeded stratified holdout: about `fraction` of each label goes to `test`, but a label always
 * keeps at least one item in `train`. Used by calibration and available for evaluation scripts.
 */
export function stratifiedHoldout(y: string[], fraction: number, seed: number): { train: number[]; test: number[] } {
  if (!(fraction >= 0 && fraction < 1)) throw new Error(`stratifiedHoldout: fraction must be in [0, 1), got ${fraction}`);
  const train: number[] = [];
  const test: number[] = [];
  for (const group of shuffledGroups(y, mulberry32(seed))) {
    const nTest = Math.min(group.length - 1, Math.round(group.length * fraction));
    group.forEach((i, j) => (j < nTest ? test : train).push(i));
  }
  train.sort((a, b) => a - b);
  test.sort((a, b) => a - b);
  return { train, test };
}
