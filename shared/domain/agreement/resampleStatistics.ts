import { expectedDisagreementSum, squaredDistance, type MeasurementLevel } from './krippendorffAlpha';
import { patternAgreement } from './percentAgreement';
import { patternCount, type UnitPatterns } from './unitPatterns';

/**
 * Fleiss' kappa and Krippendorff's alpha of pattern frequencies, for a bootstrap that evaluates them a
 * thousand times on the same patterns. Same definitions (and the same null cases) as `fleissKappaOfPatterns`
 * and `alphaOfPatterns`, which compute the point estimates; here everything that does not depend on the
 * frequencies (per-pattern agreement, rating shares, within-pattern disagreement) is computed once, so a
 * resample costs one pass over the patterns' entries and nothing is allocated. Tests check both agree.
 */

/** Fleiss' kappa (Gwet's generalisation for varying raters) of pattern frequencies; null where undefined. */
export function fleissOfFrequencies(p: UnitPatterns): (frequency: Float64Array) => number | null {
  const patterns = patternCount(p);
  const k = p.nCategories;
  const agreement = Float64Array.from({ length: patterns }, (_, q) => patternAgreement(p, q));
  const share = new Float64Array(p.entryCount.length);
  for (let q = 0; q < patterns; q++) for (let e = p.offsets[q]!; e < p.offsets[q + 1]!; e++) share[e] = p.entryCount[e]! / p.raters[q]!;
  const { offsets, entryCategory } = p;
  const shares = new Float64Array(k);
  return (frequency) => {
    shares.fill(0);
    let units = 0;
    let observed = 0;
    for (let q = 0; q < patterns; q++) {
      const f = frequency[q]!;
      if (f === 0) continue;
      units += f;
      observed += f * agreement[q]!;
      for (let e = offsets[q]!, end = offsets[q + 1]!; e < end; e++) shares[entryCategory[e]!]! += f * share[e]!;
    }
    if (units === 0) return null;
    let used = 0;
    let expected = 0;
    for (let c = 0; c < k; c++) {
      const pi = shares[c]! / units;
      if (pi > 0) used++;
      expected += pi * pi;
    }
    if (used < 2) return null;
    return (observed / units - expected) / (1 - expected);
  };
}

/**
 * Krippendorff's alpha of pattern frequencies; null where undefined. `values` as from `categoryValues`
 * (interval and ratio). A pattern's observed disagreement is 2 Σ_{a<b} n_a n_b δ²_ab / (m_u - 1). For nominal,
 * interval and ratio data δ² does not depend on the resample, so that is one number per pattern. Ordinal δ² is
 * the squared difference of the resample's mid-ranks x, and Σ_{a<b} n_a n_b (x_a - x_b)² = m_u Σ n_a x_a² -
 * (Σ n_a x_a)², which costs one pass over the pattern's entries (mid-ranks are centred first, for accuracy).
 */
export function alphaOfFrequencies(
  p: UnitPatterns,
  level: MeasurementLevel,
  values: Float64Array | null,
): (frequency: Float64Array) => number | null {
  const patterns = patternCount(p);
  const k = p.nCategories;
  const { offsets, entryCategory, entryCount, raters } = p;
  const ordinal = level === 'ordinal';
  const fixed = level === 'nominal' ? Float64Array.from({ length: k }, (_, c) => c) : values;
  const within = new Float64Array(patterns);
  const pairScale = Float64Array.from({ length: patterns }, (_, q) => 2 / (raters[q]! - 1));
  if (!ordinal) {
    for (let q = 0; q < patterns; q++) {
      let sum = 0;
      for (let a = offsets[q]!; a < offsets[q + 1]!; a++) {
        for (let b = a + 1; b < offsets[q + 1]!; b++) {
          sum += entryCount[a]! * entryCount[b]! * squaredDistance(level, fixed![entryCategory[a]!]!, fixed![entryCategory[b]!]!);
        }
      }
      within[q] = (2 * sum) / (raters[q]! - 1);
    }
  }
  const marginal = new Float64Array(k);
  const midRank = new Float64Array(k);
  return (frequency) => {
    marginal.fill(0);
    let units = 0;
    let observed = 0;
    for (let q = 0; q < patterns; q++) {
      const f = frequency[q]!;
      if (f === 0) continue;
      units += f;
      observed += f * within[q]!;
      for (let e = offsets[q]!, end = offsets[q + 1]!; e < end; e++) marginal[entryCategory[e]!]! += f * entryCount[e]!;
    }
    if (units === 0) return null;
    let n = 0;
    let used = 0;
    for (let c = 0; c < k; c++) {
      n += marginal[c]!;
      if (marginal[c]! > 0) used++;
    }
    if (used < 2) return null;
    let x = fixed!;
    if (ordinal) {
      let below = 0;
      for (let c = 0; c < k; c++) {
        midRank[c] = below + marginal[c]! / 2 - n / 2;
        below += marginal[c]!;
      }
      x = midRank;
    }
    const expected = expectedDisagreementSum(level, marginal, n, x);
    if (!(expected > 0)) return null;
    if (ordinal) {
      for (let q = 0; q < patterns; q++) {
        const f = frequency[q]!;
        const start = offsets[q]!;
        const end = offsets[q + 1]!;
        if (f === 0 || end - start < 2) continue;
        let first = 0;
        let second = 0;
        for (let e = start; e < end; e++) {
          const xe = x[entryCategory[e]!]!;
          first += entryCount[e]! * xe;
          second += entryCount[e]! * xe * xe;
        }
        observed += f * pairScale[q]! * (raters[q]! * second - first * first);
      }
    }
    return 1 - ((n - 1) * observed) / expected;
  };
}
