import { stratifiedKFold } from '../metrics';
import { minimizeLbfgs } from '../optim/lbfgs';
import { DEFAULT_GRAD_TOL, DEFAULT_MAX_ITER, DEFAULT_PROTOTYPE_PRIOR } from './model';
import { checkL2, makeObjective } from './objective';
import { buildDataset, prototypePrior, validate } from './trainingData';

/** Candidates chooseL2 tries when none are given (strongest first). */
export const DEFAULT_L2_CANDIDATES: readonly number[] = [1e-3, 3e-4, 1e-4, 3e-5, 1e-5];

export interface ChooseL2Options {
  /** Default 5 (fewer if there are fewer examples). */
  folds?: number;
  /** Seeds the stratified folds. Default 0. */
  seed?: number;
  classWeight?: 'balanced' | null;
  maxIter?: number;
  prototypePrior?: number;
}

export interface ChooseL2Result {
  l2: number;
  /** Pooled over all held-out predictions, in the order of `candidates`. */
  results: { l2: number; accuracy: number; logLoss: number }[];
}

/**
 * Picks l2 by stratified k-fold cross-validation: the candidate with the best held-out accuracy,
 * ties broken by lower held-out log-loss. Within a fold the candidates are fitted from the
 * strongest penalty to the weakest, each warm-started from the previous solution (a
 * regularization path), which costs little more than one fit per fold. Deterministic for a seed.
 * Cost: 5 folds × 5 candidates on SMP2017 (2,299 × 512 × 31) take ~15–20 s on 2 cores, so run it
 * in the background (e.g. when the label set changes), not on every retrain.
 */
export function chooseL2(
  x: Float32Array[],
  y: number[],
  labels: string[],
  candidates: readonly number[] = DEFAULT_L2_CANDIDATES,
  opts: ChooseL2Options = {},
): ChooseL2Result {
  const dim = validate(x, y, labels);
  if (candidates.length === 0) throw new Error('chooseL2: no candidates');
  candidates.forEach(checkL2);
  const C = labels.length;
  const k = Math.min(opts.folds ?? 5, x.length);
  if (k < 2) throw new Error('chooseL2: need at least 2 examples');
  const folds = stratifiedKFold(
    y.map((v) => String(v)),
    k,
    opts.seed ?? 0,
  );
  const order = candidates.map((l2, i) => ({ l2, i })).sort((a, b) => b.l2 - a.l2);
  const correct = new Float64Array(candidates.length);
  const nll = new Float64Array(candidates.length);
  const stride = dim + 1;
  const z = new Float64Array(C);
  let total = 0;
  for (const test of folds) {
    if (test.length === 0) continue;
    const inTest = new Uint8Array(x.length);
    for (const i of test) inTest[i] = 1;
    const train: number[] = [];
    for (let i = 0; i < x.length; i++) if (!inTest[i]) train.push(i);
    const ds = buildDataset(x, y, train, dim, C, opts.classWeight, true);
    const mean = ds.mean as Float64Array;
    const prior = prototypePrior(ds, C, opts.prototypePrior ?? DEFAULT_PROTOTYPE_PRIOR);
    let theta: Float64Array = prior ? Float64Array.from(prior) : new Float64Array(C * stride);
    for (const { l2, i: ci } of order) {
      theta = minimizeLbfgs(makeObjective(ds, C, l2, prior), theta, { maxIter: opts.maxIter ?? DEFAULT_MAX_ITER, gradTol: DEFAULT_GRAD_TOL }).x;
      for (const i of test) {
        const v = x[i]!;
        let max = -Infinity;
        let best = 0;
        for (let c = 0; c < C; c++) {
          const o = c * stride;
          let s = theta[o + dim]!;
          for (let j = 0; j < dim; j++) s += theta[o + j]! * (v[j]! - mean[j]!);
          z[c] = s;
          if (s > max) {
            max = s;
            best = c;
          }
        }
        let sum = 0;
        for (let c = 0; c < C; c++) sum += Math.exp(z[c]! - max);
        const yi = y[i]!;
        nll[ci]! += max + Math.log(sum) - z[yi]!;
        if (best === yi) correct[ci]! += 1;
      }
    }
    total += test.length;
  }
  const results = candidates.map((l2, i) => ({ l2, accuracy: correct[i]! / total, logLoss: nll[i]! / total }));
  let best = results[0]!;
  for (const r of results) {
    if (r.accuracy > best.accuracy + 1e-12 || (Math.abs(r.accuracy - best.accuracy) <= 1e-12 && r.logLoss < best.logLoss)) best = r;
  }
  return { l2: best.l2, results };
}
