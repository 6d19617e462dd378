import { type Vote } from './votes';

/** Categorical votes for Dawid–Skene: raters and categories are numbered from 0. */
export interface DawidSkeneInput {
  raters: number;
  categories: number;
  /** Per item, its votes: rater in [0, raters), value in [0, categories). */
  items: readonly (readonly Vote[])[];
  /**
   * Per item, how many items it stands for (default 1 each): a caller that grouped identical vote
   * patterns itself passes each pattern once with its count, and gets the same estimate.
   */
  weights?: readonly number[];
}

export interface DawidSkeneResult {
  /** Per item, P(true class = j | votes), length `categories`, sums to 1. */
  posteriors: Float64Array[];
  /** Class marginals p_j. */
  priors: Float64Array;
  /** confusion[rater][trueClass][observedClass]: P(rater answers observed | true class); rows sum to 1. */
  confusion: Float64Array[][];
  /** EM rounds run (one M-step and one E-step each). */
  iterations: number;
  /** No prior or confusion entry moved by more than `tolerance` in the last round. */
  converged: boolean;
  /** log P(votes | priors, confusion) under the returned parameters, without multinomial coefficients (the paper's 2.7). */
  logLikelihood: number;
}

export interface DawidSkeneOptions {
  /** Default 100. */
  maxIterations?: number;
  /** Stop when no prior or confusion entry moves by more than this between rounds. Default 1e-6. */
  tolerance?: number;
  /** Pseudo-votes added to every prior and confusion cell (see `dawidSkene`). Default 0.01; 0 is plain maximum likelihood. */
  smoothing?: number;
}

export const DEFAULT_MAX_ITERATIONS = 100;
export const DEFAULT_TOLERANCE = 1e-6;
export const DEFAULT_SMOOTHING = 0.01;

/**
 * The rated items grouped by their votes. An item's posterior depends only on which (rater, value) votes it
 * got, how often each, and annotation tables repeat the same few such patterns (3 raters × 10 classes have at
 * most 1,000), so EM runs once per pattern, weighted by how many items share it.
 */
interface VotePatterns {
  /** Pattern p's entries are at offsets[p] up to, not including, offsets[p + 1]. */
  offsets: Int32Array;
  /** rater × categories + value, ascending within a pattern. */
  code: Int32Array;
  /** Votes with that code in the pattern. */
  count: Int32Array;
  /** Items with the pattern. */
  frequency: Float64Array;
  /** Per item, its pattern; -1 when it has no votes. */
  itemPattern: Int32Array;
}

/**
 * Dawid & Skene (1979), "Maximum Likelihood Estimation of Observer Error-Rates Using the EM Algorithm",
 * Applied Statistics 28(1), 20–28: each rater r has a confusion matrix π_r[true][observed], items have a
 * latent true class with prior p, and EM alternates
 * - M-step: p_j = Σ_i T_ij / N and π_r[j][l] = Σ_i T_ij n_irl / Σ_i T_ij n_ir (the paper's 2.3, 2.4), where
 *   n_irl counts rater r's votes for l on item i (a rater may vote on an item several times);
 * - E-step: T_ij ∝ p_j Π_r Π_l π_r[j][l]^n_irl (2.5), computed in log space.
 * T starts from each item's vote proportions (the paper's 3.1). Items with no votes take no part and get the
 * priors as their posterior.
 *
 * Smoothing adds `s` pseudo-votes to every cell before normalising,
 * p_j = (Σ_i T_ij + s) / (N + K s) and π_r[j][l] = (Σ_i T_ij n_irl + s) / (Σ_i T_ij n_ir + K s), so a rater
 * who never saw (much of) a class gets a near-uniform row instead of 0/0, and an observed answer never has
 * probability 0 under any class, which would rule that class out for good. `smoothing: 0` is the paper's
 * maximum-likelihood estimate; a row with no weight at all is then taken as uniform.
 *
 * Stops when no prior or confusion entry moved by more than `tolerance` since the previous round, or after
 * `maxIterations` rounds (`converged` false). With no votes at all nothing is estimated: priors and confusion
 * are uniform, `iterations` is 0.
 */
export function dawidSkene(input: DawidSkeneInput, options: DawidSkeneOptions = {}): DawidSkeneResult {
  const { raters, categories: k } = input;
  if (!Number.isInteger(raters) || raters < 0) throw new RangeError(`raters must be an integer >= 0, got ${raters}`);
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`categories must be an integer >= 1, got ${k}`);
  const maxIterations = options.maxIterations ?? DEFAULT_MAX_ITERATIONS;
  const tolerance = options.tolerance ?? DEFAULT_TOLERANCE;
  const smoothing = options.smoothing ?? DEFAULT_SMOOTHING;
  if (!Number.isInteger(maxIterations) || maxIterations < 1) throw new RangeError(`maxIterations must be an integer >= 1, got ${maxIterations}`);
  if (!(tolerance >= 0)) throw new RangeError(`tolerance must be >= 0, got ${tolerance}`);
  if (!(smoothing >= 0 && Number.isFinite(smoothing))) throw new RangeError(`smoothing must be finite and >= 0, got ${smoothing}`);

  const patterns = groupPatterns(input);
  const count = patterns.frequency.length;
  let rated = 0;
  for (let p = 0; p < count; p++) rated += patterns.frequency[p]!;
  // Confusion is stored observed-major, conf[(r k + observed) k + true] = conf[code k + true], so the k
  // entries one vote needs are contiguous. Each E-step also sums the next M-step's statistics into
  // priorWeight / confWeight, so the posteriors are written out only on the last pass.
  const size = raters * k * k;
  const priorWeight = new Float64Array(k);
  const confWeight = new Float64Array(size);
  let conf = new Float64Array(size);
  let previousConf = new Float64Array(size);
  let priors = new Float64Array(k);
  let previousPriors = new Float64Array(k);
  const logConf = new Float64Array(size);
  const logPriors = new Float64Array(k);
  const posterior = new Float64Array(count * k);

  let iterations = 0;
  let converged = false;
  let logLikelihood = 0;
  if (rated === 0) {
    priors.fill(1 / k);
    conf.fill(1 / k);
    converged = true;
  } else {
    initialWeights(patterns, k, priorWeight, confWeight);
  }
  while (rated > 0 && iterations < maxIterations) {
    [priors, previousPriors] = [previousPriors, priors];
    [conf, previousConf] = [previousConf, conf];
    mStep(priorWeight, confWeight, k, raters, rated, smoothing, priors, conf);
    iterations++;
    converged = iterations > 1 && Math.max(largestChange(priors, previousPriors), largestChange(conf, previousConf)) <= tolerance;
    const last = converged || iterations === maxIterations;
    for (let j = 0; j < k; j++) logPriors[j] = Math.log(priors[j]!);
    for (let c = 0; c < size; c++) logConf[c] = Math.log(conf[c]!);
    logLikelihood = eStep(patterns, k, logPriors, logConf, last ? null : priorWeight, last ? null : confWeight, last ? posterior : null);
    if (last) break;
  }

  const items = input.items.length;
  const itemPosterior = new Float64Array(items * k);
  const posteriors: Float64Array[] = [];
  for (let i = 0; i < items; i++) {
    const p = patterns.itemPattern[i]!;
    const row = itemPosterior.subarray(i * k, (i + 1) * k);
    row.set(p < 0 ? priors : posterior.subarray(p * k, (p + 1) * k));
    posteriors.push(row);
  }
  const confusion: Float64Array[][] = [];
  for (let r = 0; r < raters; r++) {
    const rows: Float64Array[] = [];
    for (let t = 0; t < k; t++) {
      const row = new Float64Array(k);
      for (let o = 0; o < k; o++) row[o] = conf[(r * k + o) * k + t]!;
      rows.push(row);
    }
    confusion.push(rows);
  }
  return { posteriors, priors, confusion, iterations, converged, logLikelihood };
}

/** The most likely class of a posterior (the lowest index on a tie). */
export function mostLikely(posterior: ArrayLike<number>): number {
  let best = 0;
  for (let j = 1; j < posterior.length; j++) if (posterior[j]! > posterior[best]!) best = j;
  return best;
}

/**
 * One binary table per label of a multi-label schema, for one binary Dawid–Skene run each: on every item,
 * each of a rater's answers becomes a vote 1 (the label is among its `labels`) or 0 (it is not).
 * `raters` is one more than the largest rater index seen.
 */
export function binaryTables(items: readonly (readonly { rater: number; labels: readonly number[] }[])[], labels: number): DawidSkeneInput[] {
  if (!Number.isInteger(labels) || labels < 0) throw new RangeError(`labels must be an integer >= 0, got ${labels}`);
  let raters = 0;
  for (const answers of items) {
    for (const answer of answers) {
      if (!Number.isInteger(answer.rater) || answer.rater < 0) throw new RangeError(`rater must be an integer >= 0, got ${answer.rater}`);
      raters = Math.max(raters, answer.rater + 1);
      for (const label of answer.labels) {
        if (!Number.isInteger(label) || label < 0 || label >= labels)
          throw new RangeError(`label must be an integer in [0, ${labels}), got ${label}`);
      }
    }
  }
  const tables = Array.from({ length: labels }, () => ({ raters, categories: 2, items: [] as Vote[][] }));
  const present = new Uint8Array(labels);
  for (const answers of items) {
    const votes = tables.map((t) => {
      const itemVotes: Vote[] = [];
      t.items.push(itemVotes);
      return itemVotes;
    });
    for (const answer of answers) {
      for (const label of answer.labels) present[label] = 1;
      for (let l = 0; l < labels; l++) votes[l]!.push({ rater: answer.rater, value: present[l]! });
      present.fill(0);
    }
  }
  return tables;
}

function groupPatterns(input: DawidSkeneInput): VotePatterns {
  const { raters, categories, items, weights } = input;
  if (weights && weights.length !== items.length) throw new RangeError(`weights must have one entry per item (${items.length}), got ${weights.length}`);
  let total = 0;
  let longest = 0;
  for (const votes of items) {
    total += votes.length;
    longest = Math.max(longest, votes.length);
  }
  const offsets = new Int32Array(items.length + 1);
  const code = new Int32Array(total);
  const count = new Int32Array(total);
  const frequency: number[] = [];
  const itemPattern = new Int32Array(items.length).fill(-1);
  const index = new Map<string, number>();
  const codes = new Int32Array(longest);
  let entries = 0;
  for (let i = 0; i < items.length; i++) {
    const votes = items[i]!;
    if (votes.length === 0) continue;
    for (let v = 0; v < votes.length; v++) {
      const vote = votes[v]!;
      if (!Number.isInteger(vote.rater) || vote.rater < 0 || vote.rater >= raters) {
        throw new RangeError(`item ${i}: rater must be an integer in [0, ${raters}), got ${vote.rater}`);
      }
      if (!Number.isInteger(vote.value) || vote.value < 0 || vote.value >= categories) {
        throw new RangeError(`item ${i}: vote value must be an integer in [0, ${categories}), got ${vote.value}`);
      }
      // Insertion sort: items have a handful of votes.
      const c = vote.rater * categories + vote.value;
      let at = v;
      for (; at > 0 && codes[at - 1]! > c; at--) codes[at] = codes[at - 1]!;
      codes[at] = c;
    }
    let key = '';
    for (let v = 0; v < votes.length; v++) key += String.fromCharCode(codes[v]! & 0xffff, codes[v]! >>> 16);
    let p = index.get(key);
    if (p === undefined) {
      p = frequency.length;
      index.set(key, p);
      frequency.push(0);
      for (let v = 0; v < votes.length; v++) {
        if (v > 0 && codes[v] === codes[v - 1]) {
          count[entries - 1]!++;
        } else {
          code[entries] = codes[v]!;
          count[entries] = 1;
          entries++;
        }
      }
      offsets[p + 1] = entries;
    }
    const weight = weights ? weights[i]! : 1;
    if (!(weight > 0 && Number.isFinite(weight))) throw new RangeError(`item ${i}: weight must be finite and > 0, got ${weight}`);
    frequency[p]! += weight;
    itemPattern[i] = p;
  }
  return { offsets: offsets.slice(0, frequency.length + 1), code, count, frequency: Float64Array.from(frequency), itemPattern };
}

/** The M-step statistics of the initial posteriors, each item's vote proportions (the paper's 3.1). */
function initialWeights(patterns: VotePatterns, k: number, priorWeight: Float64Array, confWeight: Float64Array): void {
  const { offsets, code, count, frequency } = patterns;
  const share = new Float64Array(k);
  for (let p = 0; p + 1 < offsets.length; p++) {
    let votes = 0;
    for (let e = offsets[p]!; e < offsets[p + 1]!; e++) votes += count[e]!;
    share.fill(0);
    for (let e = offsets[p]!; e < offsets[p + 1]!; e++) share[code[e]! % k]! += count[e]! / votes;
    accumulate(patterns, p, k, share, frequency[p]!, priorWeight, confWeight);
  }
}

/** Adds `frequency` items of pattern p with posterior `share` to the M-step statistics. */
function accumulate(
  patterns: VotePatterns,
  p: number,
  k: number,
  share: Float64Array,
  frequency: number,
  priorWeight: Float64Array,
  confWeight: Float64Array,
): void {
  const { offsets, code, count } = patterns;
  for (let j = 0; j < k; j++) priorWeight[j]! += frequency * share[j]!;
  for (let e = offsets[p]!; e < offsets[p + 1]!; e++) {
    const base = code[e]! * k;
    const weight = frequency * count[e]!;
    for (let j = 0; j < k; j++) confWeight[base + j]! += weight * share[j]!;
  }
}

/** Priors and confusion from the statistics (Σ T_ij and Σ T_ij n_irl), smoothed; resets the statistics. */
function mStep(
  priorWeight: Float64Array,
  confWeight: Float64Array,
  k: number,
  raters: number,
  rated: number,
  smoothing: number,
  priors: Float64Array,
  conf: Float64Array,
): void {
  const priorTotal = rated + k * smoothing;
  for (let j = 0; j < k; j++) priors[j] = (priorWeight[j]! + smoothing) / priorTotal;
  for (let r = 0; r < raters; r++) {
    for (let t = 0; t < k; t++) {
      let weight = 0;
      for (let o = 0; o < k; o++) weight += confWeight[(r * k + o) * k + t]!;
      const total = weight + k * smoothing;
      for (let o = 0; o < k; o++) {
        const c = (r * k + o) * k + t;
        conf[c] = total > 0 ? (confWeight[c]! + smoothing) / total : 1 / k;
      }
    }
  }
  priorWeight.fill(0);
  confWeight.fill(0);
}

/**
 * Each pattern's posterior from the parameters' logs; returns the log-likelihood of all rated items. Adds the
 * posteriors to the next M-step's statistics when given them, and writes them to `out` when given it.
 */
function eStep(
  patterns: VotePatterns,
  k: number,
  logPriors: Float64Array,
  logConf: Float64Array,
  priorWeight: Float64Array | null,
  confWeight: Float64Array | null,
  out: Float64Array | null,
): number {
  const { offsets, code, count, frequency } = patterns;
  const row = new Float64Array(k);
  let logLikelihood = 0;
  for (let p = 0; p + 1 < offsets.length; p++) {
    for (let j = 0; j < k; j++) row[j] = logPriors[j]!;
    for (let e = offsets[p]!; e < offsets[p + 1]!; e++) {
      const base = code[e]! * k;
      const n = count[e]!;
      for (let j = 0; j < k; j++) row[j]! += n * logConf[base + j]!;
    }
    // max is finite even with smoothing 0: the class the previous posterior favoured most (>= 1/k) gave every
    // one of these votes, and its prior, positive weight in the M-step.
    let max = -Infinity;
    for (let j = 0; j < k; j++) max = Math.max(max, row[j]!);
    let sum = 0;
    for (let j = 0; j < k; j++) {
      const e = Math.exp(row[j]! - max);
      row[j] = e;
      sum += e;
    }
    const scale = 1 / sum;
    for (let j = 0; j < k; j++) row[j]! *= scale;
    logLikelihood += frequency[p]! * (max + Math.log(sum));
    if (priorWeight && confWeight) accumulate(patterns, p, k, row, frequency[p]!, priorWeight, confWeight);
    if (out) for (let j = 0; j < k; j++) out[p * k + j] = row[j]!;
  }
  return logLikelihood;
}

function largestChange(a: Float64Array, b: Float64Array): number {
  let largest = 0;
  for (let c = 0; c < a.length; c++) largest = Math.max(largest, Math.abs(a[c]! - b[c]!));
  return largest;
}
