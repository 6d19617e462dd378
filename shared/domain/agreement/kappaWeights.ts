/**
 * How kappa credits partial agreement between ordered categories. Weights are on category ranks
 * (positions in the category order), as in Cohen (1968), R irr::kappa2 and scikit-learn:
 * agreement weight 1 - |i - j| / (k - 1) for 'linear', 1 - (i - j)² / (k - 1)² for 'quadratic'.
 */
export type KappaWeights = 'unweighted' | 'linear' | 'quadratic';

/** Disagreement weights (1 - agreement weight) as a row-major k × k matrix; 0 on the diagonal. */
export function kappaDisagreementWeights(weights: KappaWeights, k: number): Float64Array {
  const d = new Float64Array(k * k);
  const span = Math.max(1, k - 1);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      if (i === j) continue;
      const gap = Math.abs(i - j) / span;
      d[i * k + j] = weights === 'unweighted' ? 1 : weights === 'linear' ? gap : gap * gap;
    }
  }
  return d;
}
