import { type RatingsInput, toCodedRatings } from './codedRatings';
import { patternAgreement } from './percentAgreement';
import { type Category } from './ratings';
import { defined, type KappaResult, kappaUndefined, undefinedBecause } from './result';
import { groupUnits, patternCount, type UnitPatterns } from './unitPatterns';

/**
 * Fleiss' kappa for any number of annotators.
 *
 * Items with fewer than two ratings are dropped. When items have different numbers of ratings, this is
 * Fleiss' generalised kappa of Gwet (2014, Handbook of Inter-Rater Reliability; R irrCAC fleiss.kappa.raw):
 * observed agreement is the mean over items of the share of agreeing rater pairs,
 * P_o = mean_i Σ_c n_ic (n_ic - 1) / (n_i (n_i - 1)), and chance agreement is P_e = Σ_c π_c² with
 * π_c = mean_i n_ic / n_i. One difference: irrCAC also counts single-rated items in π_c; here they are
 * dropped from both. With the same number of ratings on every item this is exactly Fleiss (1971).
 */
export function fleissKappa<T extends Category>(data: RatingsInput<T>): KappaResult {
  const coded = toCodedRatings(data);
  if (coded.annotators.length < 2) return kappaUndefined('too-few-annotators');
  const patterns = groupUnits(coded);
  return fleissKappaOfPatterns(patterns, patterns.frequency, new Float64Array(patterns.nCategories));
}

/** `scratch` is k doubles of working space, so a bootstrap can call this a thousand times without allocating. */
export function fleissKappaOfPatterns(p: UnitPatterns, frequency: Float64Array, scratch: Float64Array): KappaResult {
  const share = scratch.fill(0);
  let units = 0;
  let agreement = 0;
  for (let q = 0; q < patternCount(p); q++) {
    const f = frequency[q]!;
    if (f === 0) continue;
    units += f;
    agreement += f * patternAgreement(p, q);
    const m = p.raters[q]!;
    for (let e = p.offsets[q]!; e < p.offsets[q + 1]!; e++) share[p.entryCategory[e]!]! += (f * p.entryCount[e]!) / m;
  }
  if (units === 0) return kappaUndefined('no-items');
  let used = 0;
  let expected = 0;
  for (let c = 0; c < share.length; c++) {
    const pi = share[c]! / units;
    if (pi > 0) used++;
    expected += pi * pi;
  }
  const parts = { items: units, observedAgreement: agreement / units, expectedAgreement: expected };
  // One category in use means P_e = 1; tested on the count, not on a rounded 1 - P_e.
  if (used < 2) return { ...undefinedBecause('no-variation'), ...parts };
  return { ...defined((parts.observedAgreement - expected) / (1 - expected)), ...parts };
}
