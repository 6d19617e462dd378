/**
 * The objective the logistic-regression head minimizes (θ = per-label weights w_c and biases b_c):
 *   f(θ) = Σ_i s_i · (logsumexp_c(w_c·x_i + b_c) − (w_{y_i}·x_i + b_{y_i})) / Σ_i s_i  +  (l2 / 2) · Σ_c ‖w_c − prior_c‖²
 * i.e. the (sample-weighted) MEAN cross-entropy plus an L2 penalty on the weights only (biases are
 * free, as in scikit-learn); prior_c is 0 in plain ridge (see DEFAULT_PROTOTYPE_PRIOR). Because the loss is a mean, the same `l2` means the same thing for 300
 * or 10,000 examples; scikit-learn's `C` corresponds to l2 = 1 / (C · n).
 */
import type { ObjectiveFn } from '../optim/lbfgs';
import { DEFAULT_L2, DEFAULT_PROTOTYPE_PRIOR } from './model';
import { buildDataset, prototypePrior, validate, type Dataset } from './trainingData';

/**
 * f and ∇f for parameters laid out like LogRegModel.weights (numClasses × (dim + 1), bias last).
 * One pass over the data per call; the only allocation is a length-numClasses scratch vector,
 * made once.
 */
export function makeObjective(ds: Dataset, numClasses: number, l2: number, prior: Float64Array | null): ObjectiveFn {
  const { n, dim, X, y, sw, sumW } = ds;
  const C = numClasses;
  const stride = dim + 1;
  // Scores for a block of 4 examples, overwritten in place by the loss derivatives r = s·(p − onehot).
  const z = new Float64Array(4 * C);

  /** Turns z[off..off+C) into derivatives in place and returns the example's weighted loss. */
  const softmaxRow = (off: number, yi: number, wi: number): number => {
    let max = -Infinity;
    for (let c = 0; c < C; c++) if (z[off + c]! > max) max = z[off + c]!;
    const zy = z[off + yi]!;
    let sum = 0;
    for (let c = 0; c < C; c++) {
      const e = Math.exp(z[off + c]! - max);
      z[off + c] = e;
      sum += e;
    }
    const scale = wi / sum;
    for (let c = 0; c < C; c++) z[off + c] = z[off + c]! * scale;
    z[off + yi] = z[off + yi]! - wi;
    // log-softmax, stably: −log p_y = max + log Σ exp(z − max) − z_y
    return wi * (max + Math.log(sum) - zy);
  };

  return (theta, grad) => {
    grad.fill(0);
    let loss = 0;
    let i = 0;
    // Blocks of 4 examples: each weight and each gradient entry is loaded once per 4 examples.
    for (; i + 3 < n; i += 4) {
      const xa = i * dim;
      const xb = xa + dim;
      const xc = xb + dim;
      const xd = xc + dim;
      let c = 0;
      // 2 labels × 4 examples per pass: 8 products for 6 loads.
      for (; c + 1 < C; c += 2) {
        const wo = c * stride;
        const wp = wo + stride;
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        let t0 = 0;
        let t1 = 0;
        let t2 = 0;
        let t3 = 0;
        for (let j = 0; j < dim; j++) {
          const w = theta[wo + j]!;
          const v = theta[wp + j]!;
          const a = X[xa + j]!;
          const b = X[xb + j]!;
          const e = X[xc + j]!;
          const f = X[xd + j]!;
          s0 += w * a;
          s1 += w * b;
          s2 += w * e;
          s3 += w * f;
          t0 += v * a;
          t1 += v * b;
          t2 += v * e;
          t3 += v * f;
        }
        const bw = theta[wo + dim]!;
        const bv = theta[wp + dim]!;
        z[c] = s0 + bw;
        z[C + c] = s1 + bw;
        z[2 * C + c] = s2 + bw;
        z[3 * C + c] = s3 + bw;
        z[c + 1] = t0 + bv;
        z[C + c + 1] = t1 + bv;
        z[2 * C + c + 1] = t2 + bv;
        z[3 * C + c + 1] = t3 + bv;
      }
      if (c < C) {
        const wo = c * stride;
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        for (let j = 0; j < dim; j++) {
          const w = theta[wo + j]!;
          s0 += w * X[xa + j]!;
          s1 += w * X[xb + j]!;
          s2 += w * X[xc + j]!;
          s3 += w * X[xd + j]!;
        }
        const b = theta[wo + dim]!;
        z[c] = s0 + b;
        z[C + c] = s1 + b;
        z[2 * C + c] = s2 + b;
        z[3 * C + c] = s3 + b;
      }
      loss += softmaxRow(0, y[i]!, sw ? sw[i]! : 1);
      loss += softmaxRow(C, y[i + 1]!, sw ? sw[i + 1]! : 1);
      loss += softmaxRow(2 * C, y[i + 2]!, sw ? sw[i + 2]! : 1);
      loss += softmaxRow(3 * C, y[i + 3]!, sw ? sw[i + 3]! : 1);
      c = 0;
      for (; c + 1 < C; c += 2) {
        const r0 = z[c]!;
        const r1 = z[C + c]!;
        const r2 = z[2 * C + c]!;
        const r3 = z[3 * C + c]!;
        const q0 = z[c + 1]!;
        const q1 = z[C + c + 1]!;
        const q2 = z[2 * C + c + 1]!;
        const q3 = z[3 * C + c + 1]!;
        const go = c * stride;
        const gp = go + stride;
        for (let j = 0; j < dim; j++) {
          const a = X[xa + j]!;
          const b = X[xb + j]!;
          const e = X[xc + j]!;
          const f = X[xd + j]!;
          grad[go + j]! += r0 * a + r1 * b + r2 * e + r3 * f;
          grad[gp + j]! += q0 * a + q1 * b + q2 * e + q3 * f;
        }
        grad[go + dim]! += r0 + r1 + r2 + r3;
        grad[gp + dim]! += q0 + q1 + q2 + q3;
      }
      if (c < C) {
        const r0 = z[c]!;
        const r1 = z[C + c]!;
        const r2 = z[2 * C + c]!;
        const r3 = z[3 * C + c]!;
        const go = c * stride;
        for (let j = 0; j < dim; j++) grad[go + j]! += r0 * X[xa + j]! + r1 * X[xb + j]! + r2 * X[xc + j]! + r3 * X[xd + j]!;
        grad[go + dim]! += r0 + r1 + r2 + r3;
      }
    }
    for (; i < n; i++) {
      const xo = i * dim;
      for (let c = 0; c < C; c++) {
        const wo = c * stride;
        let s = theta[wo + dim]!;
        for (let j = 0; j < dim; j++) s += theta[wo + j]! * X[xo + j]!;
        z[c] = s;
      }
      loss += softmaxRow(0, y[i]!, sw ? sw[i]! : 1);
      for (let c = 0; c < C; c++) {
        const r = z[c]!;
        const go = c * stride;
        for (let j = 0; j < dim; j++) grad[go + j]! += r * X[xo + j]!;
        grad[go + dim]! += r;
      }
    }
    const inv = 1 / sumW;
    loss *= inv;
    let penalty = 0;
    for (let c = 0; c < C; c++) {
      const wo = c * stride;
      for (let j = 0; j < dim; j++) {
        const w = prior ? theta[wo + j]! - prior[wo + j]! : theta[wo + j]!;
        penalty += w * w;
        grad[wo + j] = grad[wo + j]! * inv + l2 * w;
      }
      grad[wo + dim] = grad[wo + dim]! * inv;
    }
    return loss + 0.5 * l2 * penalty;
  };
}

/**
 * The exact objective trainLogReg minimizes, on raw (uncentered) vectors, for tests and
 * diagnostics: `evaluate(theta, grad)` with theta laid out like LogRegModel.weights.
 */
export function logRegObjective(
  x: Float32Array[],
  y: number[],
  labels: string[],
  opts: { l2?: number; classWeight?: 'balanced' | null; prototypePrior?: number } = {},
): { size: number; evaluate: ObjectiveFn } {
  const dim = validate(x, y, labels);
  const C = labels.length;
  const ds = buildDataset(x, y, null, dim, C, opts.classWeight, false);
  const prior = prototypePrior(ds, C, opts.prototypePrior ?? DEFAULT_PROTOTYPE_PRIOR);
  return { size: C * (dim + 1), evaluate: makeObjective(ds, C, checkL2(opts.l2 ?? DEFAULT_L2), prior) };
}

export function checkL2(l2: number): number {
  if (!(l2 >= 0) || !Number.isFinite(l2)) throw new Error(`logreg: l2 must be a finite number >= 0, got ${l2}`);
  return l2;
}
