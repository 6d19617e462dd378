import { multinomialSampler } from './binomial';
import { mulberry32 } from './prng';
import { defined, type Estimate, undefinedBecause } from './result';

export interface BootstrapOptions {
  /** Default 1000. */
  resamples?: number;
  /** Coverage of the percentile interval, default 0.95. */
  confidence?: number;
  /** PRNG seed; the same seed gives the same interval. Default 1. */
  seed?: number;
}

export type BootstrapInterval = Estimate & {
  /** Percentile interval bounds; null when the estimate is undefined or no resample gave a value. */
  lower: number | null;
  upper: number | null;
  confidence: number;
  resamples: number;
  /** Resamples where the coefficient was undefined (e.g. all drawn items in one category); left out of the percentiles. */
  undefinedResamples: number;
  seed: number;
};

export const DEFAULT_RESAMPLES = 1000;
export const DEFAULT_CONFIDENCE = 0.95;
export const DEFAULT_SEED = 1;

/**
 * What a bootstrap resamples: the units that enter a coefficient, given only as how many units fall in each
 * group (a table cell, or a count pattern), and the coefficient as a function of such group counts.
 */
export interface Resampling {
  /** The point estimate (from `frequency` itself). */
  estimate: Estimate;
  /** Units per group; integers. A resample draws their sum, with replacement. */
  frequency: ArrayLike<number>;
  /** The coefficient of a resample's group counts; null when it is undefined there. */
  statistic: (frequency: Float64Array) => number | null;
}

/**
 * Nonparametric bootstrap, percentile interval. A resample of N units drawn with replacement only matters
 * through how often each group was drawn, and those counts are exactly Multinomial(N, frequency / N); they are
 * drawn directly (conditional binomials, `multinomialSampler`), so a resample costs O(groups), not O(N).
 */
export function bootstrapGroups(resampling: Resampling, options: BootstrapOptions = {}): BootstrapInterval {
  const { resamples, confidence, seed } = bootstrapSettings(options);
  const base = { confidence, resamples, seed };
  const estimate = resampling.estimate;
  if (estimate.value === null) return { ...undefinedBecause(estimate.reason), lower: null, upper: null, undefinedResamples: 0, ...base };
  const sorted = bootstrapDistribution(resampling, resamples, seed).sort();
  const kept = sorted.length;
  const tail = (1 - confidence) / 2;
  return {
    ...defined(estimate.value),
    lower: kept === 0 ? null : quantile(sorted, tail),
    upper: kept === 0 ? null : quantile(sorted, 1 - tail),
    undefinedResamples: resamples - kept,
    ...base,
  };
}

/** The defined resample values, in resample order (their count tells how many were undefined). */
export function bootstrapDistribution(resampling: Resampling, resamples: number, seed: number): Float64Array {
  const frequency = resampling.frequency;
  let n = 0;
  for (let g = 0; g < frequency.length; g++) n += frequency[g]!;
  if (!Number.isSafeInteger(n)) throw new RangeError(`bootstrap group frequencies must be integers, got a total of ${n}`);
  const random = mulberry32(seed);
  const draw = multinomialSampler(frequency);
  const counts = new Float64Array(frequency.length);
  const values = new Float64Array(resamples);
  let kept = 0;
  for (let r = 0; r < resamples; r++) {
    draw(random, n, counts);
    const v = resampling.statistic(counts);
    if (v !== null) values[kept++] = v;
  }
  return values.slice(0, kept);
}

function bootstrapSettings(options: BootstrapOptions): Required<BootstrapOptions> {
  const resamples = options.resamples ?? DEFAULT_RESAMPLES;
  const confidence = options.confidence ?? DEFAULT_CONFIDENCE;
  const seed = options.seed ?? DEFAULT_SEED;
  if (!Number.isInteger(resamples) || resamples < 1) throw new RangeError(`resamples must be a positive integer, got ${resamples}`);
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be between 0 and 1, got ${confidence}`);
  return { resamples, confidence, seed };
}

/** Quantile of sorted values by linear interpolation between order statistics (R's default, type 7). */
export function quantile(sorted: ArrayLike<number>, p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}
