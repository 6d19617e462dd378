import { annotatorIndex, type CodedRatings, encodeColumns, type EncodeOptions, type RatingsInput, toCodedRatings } from './codedRatings';
import { kappaOfTable, pairTable, type TwoRaterStatistic } from './contingency';
import { kappaDisagreementWeights, type KappaWeights } from './kappaWeights';
import { type Category, type Rating } from './ratings';
import { type KappaResult, kappaUndefined } from './result';

export interface TwoRaterOptions<T extends Category> extends EncodeOptions<T> {
  /**
   * Default 'unweighted'. Weighted kappa reads the category order as the scale: `categories` if given,
   * else every category in the data (the whole table, not only what this pair used), ordered as in `orderCategories`.
   */
  weights?: KappaWeights;
}

/** Cohen's kappa between two annotators' ratings of the same items (`a[i]` and `b[i]`); items either skipped are left out. */
export function cohenKappa<T extends Category>(a: readonly Rating<T>[], b: readonly Rating<T>[], options: TwoRaterOptions<T> = {}): KappaResult {
  return twoRaterKappa(encodeColumns([a, b], options), 0, 1, 'cohen', options.weights);
}

/** Scott's pi: like Cohen's kappa, but chance agreement comes from both annotators' pooled distribution. */
export function scottsPi<T extends Category>(a: readonly Rating<T>[], b: readonly Rating<T>[], options: TwoRaterOptions<T> = {}): KappaResult {
  return twoRaterKappa(encodeColumns([a, b], options), 0, 1, 'scott', options.weights);
}

/** Cohen's kappa between two annotators (by name or column index) of a ratings table, over the items both rated. */
export function cohenKappaBetween<T extends Category>(
  data: RatingsInput<T>,
  first: string | number,
  second: string | number,
  options: TwoRaterOptions<T> = {},
): KappaResult {
  const coded = toCodedRatings(data, options);
  return twoRaterKappa(coded, annotatorIndex(coded, first), annotatorIndex(coded, second), 'cohen', options.weights);
}

export function scottsPiBetween<T extends Category>(
  data: RatingsInput<T>,
  first: string | number,
  second: string | number,
  options: TwoRaterOptions<T> = {},
): KappaResult {
  const coded = toCodedRatings(data, options);
  return twoRaterKappa(coded, annotatorIndex(coded, first), annotatorIndex(coded, second), 'scott', options.weights);
}

/**
 * Kappa of a contingency table given as counts: `table[i][j]` = items the first annotator put in
 * category i and the second in category j (the category order is the row order).
 */
export function kappaFromContingency(
  table: readonly (readonly number[])[],
  options: { weights?: KappaWeights; statistic?: TwoRaterStatistic } = {},
): KappaResult {
  const k = table.length;
  const flat = new Float64Array(k * k);
  table.forEach((row, i) => {
    if (row.length !== k) throw new RangeError(`contingency table must be square: row ${i} has ${row.length} cells for ${k} rows`);
    row.forEach((count, j) => {
      if (!(count >= 0)) throw new RangeError(`contingency table cell [${i}][${j}] is ${count}; counts must be non-negative`);
      flat[i * k + j] = count;
    });
  });
  return kappaOfTable(flat, k, options.statistic ?? 'cohen', kappaDisagreementWeights(options.weights ?? 'unweighted', k));
}

function twoRaterKappa(
  data: CodedRatings,
  first: number,
  second: number,
  statistic: TwoRaterStatistic,
  weights: KappaWeights = 'unweighted',
): KappaResult {
  if (first === second) throw new RangeError('kappa needs two different annotators');
  const k = data.categories.length;
  if (k === 0) return kappaUndefined('no-items');
  return kappaOfTable(pairTable(data, first, second), k, statistic, kappaDisagreementWeights(weights, k));
}
