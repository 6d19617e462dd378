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
 * Nonparametric bootstrap, percentile interval. The population is given as one group id per unit
 * (a table cell, or a count pattern): a resample draws units with replacement and only counts how often
 * each group was drawn, so each resample costs O(units + groups) and allocates nothing per unit.
 */
export function bootstrapGroups(
  population: Int32Array,
  groups: number,
  estimate: Estimate,
  statistic: (frequency: Float64Array) => number | null,
  options: BootstrapOptions = {},
): BootstrapInterval {
  const resamples = options.resamples ?? DEFAULT_RESAMPLES;
  const confidence = options.confidence ?? DEFAULT_CONFIDENCE;
  const seed = options.seed ?? DEFAULT_SEED;
  if (!Number.isInteger(resamples) || resamples < 1) throw new RangeError(`resamples must be a positive integer, got ${resamples}`);
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be between 0 and 1, got ${confidence}`);
  const base = { confidence, resamples, seed };
  if (estimate.value === null) return { ...undefinedBecause(estimate.reason), lower: null, upper: null, undefinedResamples: 0, ...base };
  const random = mulberry32(seed);
  const n = population.length;
  const frequency = new Float64Array(groups);
  const values = new Float64Array(resamples);
  let kept = 0;
  for (let r = 0; r < resamples; r++) {
    frequency.fill(0);
    for (let i = 0; i < n; i++) frequency[population[Math.floor(random() * n)]!]!++;
    const v = statistic(frequency);
    if (v !== null) values[kept++] = v;
  }
  const sorted = values.subarray(0, kept).sort();
  const tail = (1 - confidence) / 2;
  return {
    ...defined(estimate.value),
    lower: kept === 0 ? null : quantile(sorted, tail),
    upper: kept === 0 ? null : quantile(sorted, 1 - tail),
    undefinedResamples: resamples - kept,
    ...base,
  };
}

/** Quantile of sorted values by linear interpolation between order statistics (R's default, type 7). */
export function quantile(sorted: ArrayLike<number>, p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}
