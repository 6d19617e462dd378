import { type RatingsInput, toCodedRatings } from './codedRatings';
import { type ConfusionMatrix } from './confusion';
import { type Category } from './ratings';
import { groupUnits, patternCount } from './unitPatterns';

/**
 * Krippendorff's coincidence matrix: the confusion matrix of any number of annotators, pooled over
 * every pair of ratings within an item, each item weighted 1 / (m_u - 1) so it contributes m_u values.
 * Symmetric; feed it to `mostConfusedPairs` to see where a whole team disagrees. `items` counts the
 * items with at least two ratings.
 */
export function coincidenceMatrix<T extends Category>(data: RatingsInput<T>): ConfusionMatrix<T> {
  const coded = toCodedRatings(data);
  const k = coded.categories.length;
  const p = groupUnits(coded);
  const o = new Float64Array(k * k);
  let items = 0;
  for (let q = 0; q < patternCount(p); q++) {
    const f = p.frequency[q]!;
    const weight = f / (p.raters[q]! - 1);
    items += f;
    for (let a = p.offsets[q]!; a < p.offsets[q + 1]!; a++) {
      const ca = p.entryCategory[a]!;
      const na = p.entryCount[a]!;
      for (let b = p.offsets[q]!; b < p.offsets[q + 1]!; b++) {
        const cb = p.entryCategory[b]!;
        o[ca * k + cb]! += weight * na * (a === b ? na - 1 : p.entryCount[b]!);
      }
    }
  }
  const counts = Array.from({ length: k }, (_, i) => Array.from(o.subarray(i * k, (i + 1) * k)));
  return { categories: [...coded.categories], counts, items };
}
