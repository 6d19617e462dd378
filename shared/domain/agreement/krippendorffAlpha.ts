import { numericValue } from './categoryOrder';
import { type CodedRatings, type EncodeOptions, type RatingsInput, toCodedRatings } from './codedRatings';
import { type Category } from './ratings';
import { defined, type Estimate, undefinedBecause } from './result';
import { groupUnits, patternCount, type UnitPatterns } from './unitPatterns';

/**
 * Level of measurement, which fixes the difference function δ² (Krippendorff 2011):
 * nominal: 0 if equal, else 1; ordinal: ranks in the category order, using the marginal-sum formula;
 * interval: (c - k)²; ratio: ((c - k) / (c + k))². Interval and ratio need numeric categories
 * (numbers or numeric strings); ratio also needs them non-negative. For ordinal data with text
 * categories, pass the scale as `categories`.
 */
export type MeasurementLevel = 'nominal' | 'ordinal' | 'interval' | 'ratio';

export type AlphaResult = Estimate & {
  level: MeasurementLevel;
  /** Units (items) with at least two ratings; the rest are not pairable and are dropped. */
  units: number;
  /** n: the number of pairable values (ratings in those units). */
  pairableValues: number;
  /** D_o and D_e; null when there are no pairable units. */
  observedDisagreement: number | null;
  expectedDisagreement: number | null;
};

/**
 * Krippendorff's alpha, coincidence-matrix formulation of Krippendorff (2011), "Computing Krippendorff's
 * Alpha-Reliability": α = 1 - (n - 1) Σ o_ck δ²_ck / Σ n_c n_k δ²_ck, with o_ck = Σ_u n_uc n_uk / (m_u - 1)
 * over units with m_u ≥ 2 values. Handles missing values by construction.
 */
export function krippendorffAlpha<T extends Category>(
  data: RatingsInput<T>,
  level: MeasurementLevel = 'nominal',
  options: EncodeOptions<T> = {},
): AlphaResult {
  const coded = toCodedRatings(data, options);
  if (coded.annotators.length < 2) return alphaUndefined(level, 'too-few-annotators');
  const patterns = groupUnits(coded);
  return alphaOfPatterns(patterns, patterns.frequency, level, categoryValues(coded, level));
}

/** The numbers interval and ratio alpha compute with, per category code; null for nominal and ordinal. */
export function categoryValues(data: CodedRatings, level: MeasurementLevel): Float64Array | null {
  if (level === 'nominal' || level === 'ordinal') return null;
  return Float64Array.from(data.categories, (c) => {
    const v = numericValue(c);
    if (v === null) throw new TypeError(`${level} alpha needs numeric categories; got ${JSON.stringify(c)}`);
    if (level === 'ratio' && v < 0) throw new RangeError(`ratio alpha needs non-negative values; got ${v}`);
    return v;
  });
}

export function alphaOfPatterns(p: UnitPatterns, frequency: Float64Array, level: MeasurementLevel, values: Float64Array | null): AlphaResult {
  const k = p.nCategories;
  const marginal = new Float64Array(k);
  let units = 0;
  for (let q = 0; q < patternCount(p); q++) {
    const f = frequency[q]!;
    if (f === 0) continue;
    units += f;
    for (let e = p.offsets[q]!; e < p.offsets[q + 1]!; e++) marginal[p.entryCategory[e]!]! += f * p.entryCount[e]!;
  }
  if (units === 0) return alphaUndefined(level, 'no-items');
  let n = 0;
  let used = 0;
  for (let c = 0; c < k; c++) {
    n += marginal[c]!;
    if (marginal[c]! > 0) used++;
  }
  const x = positions(level, marginal, values);
  const expected = used < 2 ? 0 : expectedDisagreementSum(level, marginal, n, x);
  let observed = 0;
  for (let q = 0; q < patternCount(p); q++) {
    const f = frequency[q]!;
    const start = p.offsets[q]!;
    const end = p.offsets[q + 1]!;
    if (f === 0 || end - start < 2) continue;
    let sum = 0;
    for (let a = start; a < end; a++) {
      for (let b = a + 1; b < end; b++) {
        sum += p.entryCount[a]! * p.entryCount[b]! * squaredDistance(level, x[p.entryCategory[a]!]!, x[p.entryCategory[b]!]!);
      }
    }
    observed += (f * 2 * sum) / (p.raters[q]! - 1);
  }
  const parts = { level, units, pairableValues: n, observedDisagreement: observed / n, expectedDisagreement: expected / (n * (n - 1)) };
  if (!(expected > 0)) return { ...undefinedBecause('no-variation'), ...parts };
  return { ...defined(1 - ((n - 1) * observed) / expected), ...parts };
}

/**
 * Where each category sits on the scale. Ordinal: δ_ck = Σ_{g=c..k} n_g - (n_c + n_k) / 2 equals the
 * difference of mid-ranks M_c = Σ_{g<c} n_g + n_c / 2, so ordinal is interval on mid-ranks and both
 * need only O(k) for the expected disagreement.
 */
function positions(level: MeasurementLevel, marginal: Float64Array, values: Float64Array | null): Float64Array {
  if (level === 'interval' || level === 'ratio') return values!;
  if (level === 'nominal') return Float64Array.from(marginal, (_, c) => c);
  const midRank = new Float64Array(marginal.length);
  let below = 0;
  for (let c = 0; c < marginal.length; c++) {
    midRank[c] = below + marginal[c]! / 2;
    below += marginal[c]!;
  }
  return midRank;
}

/** Σ_c Σ_k n_c n_k δ²_ck over ordered pairs of categories. */
export function expectedDisagreementSum(level: MeasurementLevel, marginal: Float64Array, n: number, x: Float64Array): number {
  const k = marginal.length;
  if (level === 'nominal') {
    let squares = 0;
    for (let c = 0; c < k; c++) squares += marginal[c]! * marginal[c]!;
    return n * n - squares;
  }
  if (level === 'ordinal' || level === 'interval') {
    // Σ_c Σ_k n_c n_k (x_c - x_k)² = 2 n Σ_c n_c (x_c - x̄)²; centred for accuracy.
    let mean = 0;
    for (let c = 0; c < k; c++) mean += marginal[c]! * x[c]!;
    mean /= n;
    let spread = 0;
    for (let c = 0; c < k; c++) spread += marginal[c]! * (x[c]! - mean) * (x[c]! - mean);
    return 2 * n * spread;
  }
  let sum = 0;
  for (let c = 0; c < k; c++) {
    if (marginal[c] === 0) continue;
    for (let d = c + 1; d < k; d++) sum += 2 * marginal[c]! * marginal[d]! * squaredDistance('ratio', x[c]!, x[d]!);
  }
  return sum;
}

/** δ² between two different categories at scale positions a and b. */
export function squaredDistance(level: MeasurementLevel, a: number, b: number): number {
  if (level === 'nominal') return 1;
  if (level === 'ratio') {
    const s = a + b;
    return s === 0 ? 0 : ((a - b) / s) ** 2;
  }
  return (a - b) ** 2;
}

function alphaUndefined(level: MeasurementLevel, reason: 'no-items' | 'too-few-annotators'): AlphaResult {
  return { ...undefinedBecause(reason), level, units: 0, pairableValues: 0, observedDisagreement: null, expectedDisagreement: null };
}
