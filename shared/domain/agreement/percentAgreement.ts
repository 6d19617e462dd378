import { type RatingsInput, toCodedRatings } from './codedRatings';
import { type Category } from './ratings';
import { defined, type Estimate, undefinedBecause } from './result';
import { groupUnits, patternCount, type UnitPatterns } from './unitPatterns';

export type PercentAgreementResult = Estimate & {
  /** Items with at least two ratings (the only ones that say anything about agreement). */
  items: number;
};

/**
 * Observed agreement: for each item with ≥ 2 ratings, the share of pairs of its annotators who gave the
 * same category; then the mean over items (Fleiss' P̄). With two annotators this is simply the share of
 * items both rated on which they agree. In [0, 1]; null when no item has two ratings.
 */
export function percentAgreement<T extends Category>(data: RatingsInput<T>): PercentAgreementResult {
  const coded = toCodedRatings(data);
  if (coded.annotators.length < 2) return { ...undefinedBecause('too-few-annotators'), items: 0 };
  const patterns = groupUnits(coded);
  return percentAgreementOfPatterns(patterns, patterns.frequency);
}

export function percentAgreementOfPatterns(p: UnitPatterns, frequency: Float64Array): PercentAgreementResult {
  let units = 0;
  let sum = 0;
  for (let q = 0; q < patternCount(p); q++) {
    const f = frequency[q]!;
    if (f === 0) continue;
    units += f;
    sum += f * patternAgreement(p, q);
  }
  if (units === 0) return { ...undefinedBecause('no-items'), items: 0 };
  return { ...defined(sum / units), items: units };
}

/** Share of agreeing ordered pairs of ratings within one pattern. */
export function patternAgreement(p: UnitPatterns, q: number): number {
  const m = p.raters[q]!;
  let same = 0;
  for (let e = p.offsets[q]!; e < p.offsets[q + 1]!; e++) same += p.entryCount[e]! * (p.entryCount[e]! - 1);
  return same / (m * (m - 1));
}
