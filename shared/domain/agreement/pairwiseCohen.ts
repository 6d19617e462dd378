import { type RatingsInput, toCodedRatings } from './codedRatings';
import { type TwoRaterOptions } from './cohenKappa';
import { kappaOfTable, pairTable } from './contingency';
import { kappaDisagreementWeights } from './kappaWeights';
import { type Category } from './ratings';
import { defined, type Estimate, type KappaResult, undefinedBecause } from './result';

export type PairKappa = KappaResult & { first: string; second: string };

export interface PairwiseKappa {
  /** Every unordered pair of annotators, in column order (first < second), over the items both rated. */
  pairs: PairKappa[];
  /** Light's kappa: the mean of the pairs whose kappa is defined; null when none is. */
  mean: Estimate & { pairs: number };
}

/** Cohen's kappa for every pair of annotators. */
export function pairwiseCohenKappa<T extends Category>(data: RatingsInput<T>, options: TwoRaterOptions<T> = {}): PairwiseKappa {
  const coded = toCodedRatings(data, options);
  const m = coded.annotators.length;
  const k = coded.categories.length;
  const distance = kappaDisagreementWeights(options.weights ?? 'unweighted', k);
  const pairs: PairKappa[] = [];
  for (let a = 0; a < m; a++) {
    for (let b = a + 1; b < m; b++) {
      const kappa = kappaOfTable(pairTable(coded, a, b), k, 'cohen', distance);
      pairs.push({ ...kappa, first: coded.annotators[a]!, second: coded.annotators[b]! });
    }
  }
  return { pairs, mean: meanOfPairs(pairs, m) };
}

function meanOfPairs(pairs: PairKappa[], annotators: number): PairwiseKappa['mean'] {
  if (annotators < 2) return { ...undefinedBecause('too-few-annotators'), pairs: 0 };
  const values = pairs.flatMap((p) => (p.value === null ? [] : [p.value]));
  if (values.length > 0) return { ...defined(values.reduce((s, v) => s + v, 0) / values.length), pairs: values.length };
  // No pair has a kappa: say why, preferring "no variation" (there were items) over "no items".
  return { ...undefinedBecause(pairs.some((p) => p.reason === 'no-variation') ? 'no-variation' : 'no-items'), pairs: 0 };
}
