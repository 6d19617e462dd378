/**
 * Multinomial logistic regression with L2, trained full-batch by L-BFGS with a strong-Wolfe line
 * search. Sized for the pre-labeler: a few thousand normalized 512-dim sentence embeddings and
 * tens of labels train in about a second on 2 cores (SMP2017: 2,299 × 512 × 31 in ~1.3 s, 32
 * iterations; waimai: 9,590 × 512 × 2 in ~0.4 s). Synchronous: run it off the UI/IPC thread.
 *
 * Objective (θ = per-label weights w_c and biases b_c):
 *   f(θ) = Σ_i s_i · (logsumexp_c(w_c·x_i + b_c) − (w_{y_i}·x_i + b_{y_i})) / Σ_i s_i  +  (l2 / 2) · Σ_c ‖w_c‖²
 * i.e. the (sample-weighted) MEAN cross-entropy plus an L2 penalty on the weights only (biases are
 * free, as in scikit-learn). Because the loss is a mean, the same `l2` means the same thing for 300
 * or 10,000 examples; scikit-learn's `C` corresponds to l2 = 1 / (C · n).
 *
 * Internally the features are centered on their training mean before optimizing. With free biases
 * that is an exact reparametrization (w·(x − μ) + b' = w·x + b with b = b' − w·μ), so the optimum is
 * unchanged, but it removes the large shared component of sentence embeddings (bge vectors all have
 * pairwise cosine ≈ 0.3–0.8), which makes the problem much better conditioned for L-BFGS. The stored
 * model works on raw (uncentered) vectors.
 */
import { stratifiedKFold } from './metrics';

export interface LogRegModel {
  kind: 'logreg';
  labels: string[];
  dim: number;
  /** labels.length × (dim + 1), row-major, bias last in each row. */
  weights: Float32Array;
  /** Probabilities are softmax(logits / temperature); 1 unless calibrated. */
  temperature: number;
}

export interface PredictResult {
  label: string;
  /** Probability of the top label. */
  score: number;
  /** Top-1 minus top-2 probability (equals `score` with a single label). */
  margin: number;
  probs: Float32Array;
}

export interface LogRegOptions {
  /** L2 coefficient on the mean loss (see the file comment). Default DEFAULT_L2. */
  l2?: number;
  /** L-BFGS iterations. Default DEFAULT_MAX_ITER. */
  maxIter?: number;
  /** 'balanced' weights each example by n / (k · n_label), k = labels with examples (scikit-learn's rule). */
  classWeight?: 'balanced' | null;
  /**
   * Accepted for a uniform options shape (calibratedTrain and chooseL2 use it for their splits).
   * Training itself is deterministic: full batch, started from the prior (or zero).
   */
  seed?: number;
  /**
   * α in the prototype prior (see DEFAULT_PROTOTYPE_PRIOR): the L2 penalty pulls w_c toward
   * α · (mean of label c's vectors − mean of all vectors) instead of toward zero. 0 gives plain
   * ridge. Default DEFAULT_PROTOTYPE_PRIOR.
   */
  prototypePrior?: number;
  /** Stop when max |∂f/∂θ| falls below this. Default DEFAULT_GRAD_TOL. */
  gradTol?: number;
}

/**
 * Default L2 for L2-normalized sentence embeddings (bge-small-zh-v1.5), chosen on SMP2017 intents
 * (31 labels; all 2,299 train examples, and 10 per label) and waimai_10k sentiment. Such vectors
 * are short (norm 1, ~0.04 per coordinate, and the label-relevant directions are a small part of
 * that), so separating labels takes weights of norm ~10–30 and the penalty has to be small.
 * Measured on SMP2017 develop (770), plain ridge: l2 1e-3 → 0.835, 3e-4 → 0.905, 1e-4 → 0.916,
 * 1e-5 → 0.921; with the prototype prior below: 3e-4 → 0.923, 1e-4 → 0.921. 10 per label (mean of
 * 10 draws): ~0.843 plain and ~0.849 with the prior, flat over 1e-4 … 3e-4. waimai 5-fold:
 * 0.892 … 0.896 over 3e-5 … 3e-4. 1e-4 sits on every plateau. (scikit-learn's default C = 1 is
 * l2 = 1/n: 4.3e-4 on SMP2017 and 3e-3 with 10 per label, too strong for these vectors.)
 */
export const DEFAULT_L2 = 1e-4;
/**
 * Default α of the prototype prior: the penalty is (l2/2)·Σ_c ‖w_c − α·(μ_c − μ)‖², μ_c the mean
 * vector of label c and μ the mean of all training vectors. α·(μ_c − μ) is a nearest-centroid
 * classifier (the cold-start prototypes, centered), so with few labels the model stays close to
 * nearest-centroid and with many the data take over, instead of everything being shrunk toward
 * "no opinion". Measured: +0.5 to +0.7 points on SMP2017 with 10 per label and with all labels,
 * neutral on waimai; 20 … 40 is the plateau (80 is worse). Training also starts from it.
 */
export const DEFAULT_PROTOTYPE_PRIOR = 40;
export const DEFAULT_MAX_ITER = 300;
/**
 * Stop when max |∂f/∂θ| <= this (f is a mean, so the scale does not grow with n). On SMP2017 at
 * 1e-4 the objective is within 1e-4 (relative) of its optimum and dev accuracy is the same as at
 * 1e-6, for half the iterations.
 */
export const DEFAULT_GRAD_TOL = 1e-4;
/** Candidates chooseL2 tries when none are given (strongest first). */
export const DEFAULT_L2_CANDIDATES: readonly number[] = [1e-3, 3e-4, 1e-4, 3e-5, 1e-5];

// ---------------------------------------------------------------------------------------------
// L-BFGS
// ---------------------------------------------------------------------------------------------

/** Writes the gradient at x into grad and returns f(x). Must not keep references to x or grad. */
export type ObjectiveFn = (x: Float64Array, grad: Float64Array) => number;

export interface LbfgsOptions {
  maxIter?: number;
  /** History pairs kept. Default 10. */
  memory?: number;
  /** Converged when max |g_i| <= gradTol. Default 1e-5 (trainLogReg passes DEFAULT_GRAD_TOL). */
  gradTol?: number;
  /** Converged when (f_k − f_{k+1}) / max(|f_k|, |f_{k+1}|, 1) <= relTol. Default 1e-10. */
  relTol?: number;
  onIteration?: (info: { iteration: number; f: number; gradNorm: number; step: number; evaluations: number }) => void;
}

export interface LbfgsResult {
  x: Float64Array;
  f: number;
  iterations: number;
  evaluations: number;
  converged: boolean;
  reason: 'gradient' | 'relative-reduction' | 'max-iterations' | 'line-search';
  /** f at the start and after every iteration; strictly decreasing (every step passes Armijo). */
  history: number[];
}

function dot(a: Float64Array, b: Float64Array): number {
  const n = a.length;
  let s0 = 0;
  let s1 = 0;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    s0 += a[i]! * b[i]!;
    s1 += a[i + 1]! * b[i + 1]!;
  }
  if (i < n) s0 += a[i]! * b[i]!;
  return s0 + s1;
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const v = Math.abs(a[i]!);
    if (v > m) m = v;
  }
  return m;
}

/**
 * Minimizes a smooth function by limited-memory BFGS (Nocedal & Wright, Alg. 7.4/7.5) with a
 * line search satisfying the strong Wolfe conditions (c1 = 1e-4, c2 = 0.9; Alg. 3.5/3.6 with
 * safeguarded cubic interpolation). All buffers are allocated once up front.
 */
export function minimizeLbfgs(fg: ObjectiveFn, x0: Float64Array, opts: LbfgsOptions = {}): LbfgsResult {
  const n = x0.length;
  const m = Math.max(1, opts.memory ?? 10);
  const maxIter = opts.maxIter ?? 200;
  const gradTol = opts.gradTol ?? 1e-5;
  const relTol = opts.relTol ?? 1e-10;
  const c1 = 1e-4;
  const c2 = 0.9;

  let x = Float64Array.from(x0);
  let g = new Float64Array(n);
  let xt = new Float64Array(n);
  let gt = new Float64Array(n);
  const d = new Float64Array(n);
  const S = Array.from({ length: m }, () => new Float64Array(n));
  const Y = Array.from({ length: m }, () => new Float64Array(n));
  const rho = new Float64Array(m);
  const alpha = new Float64Array(m);
  let head = 0;
  let count = 0;
  let gamma = 1;

  let evaluations = 0;
  const evaluate = (px: Float64Array, pg: Float64Array): number => {
    evaluations++;
    return fg(px, pg);
  };

  let f = evaluate(x, g);
  if (!Number.isFinite(f)) throw new Error('minimizeLbfgs: objective is not finite at the starting point');
  const history = [f];

  /** d = −H·g by the two-loop recursion. */
  const direction = (): void => {
    d.set(g);
    for (let j = count - 1; j >= 0; j--) {
      const k = (head + j) % m;
      const s = S[k]!;
      const yv = Y[k]!;
      const a = rho[k]! * dot(s, d);
      alpha[k] = a;
      for (let i = 0; i < n; i++) d[i]! -= a * yv[i]!;
    }
    for (let i = 0; i < n; i++) d[i]! *= gamma;
    for (let j = 0; j < count; j++) {
      const k = (head + j) % m;
      const s = S[k]!;
      const yv = Y[k]!;
      const coef = alpha[k]! - rho[k]! * dot(yv, d);
      for (let i = 0; i < n; i++) d[i]! += coef * s[i]!;
    }
    for (let i = 0; i < n; i++) d[i] = -d[i]!;
  };

  const steepest = (): number => {
    for (let i = 0; i < n; i++) d[i] = -g[i]!;
    return -dot(g, g);
  };

  // Line search state: trial point in xt/gt.
  let trialSlope = 0;
  const trial = (a: number): number => {
    for (let i = 0; i < n; i++) xt[i] = x[i]! + a * d[i]!;
    const ft = evaluate(xt, gt);
    trialSlope = dot(gt, d);
    return ft;
  };

  /** Minimizer of the cubic through (a, fa, da), (b, fb, db), safeguarded into the inner 80 % of [a, b]. */
  const interpolate = (a: number, fa: number, da: number, b: number, fb: number, db: number): number => {
    const lo = Math.min(a, b);
    const hi = Math.max(a, b);
    const pad = 0.1 * (hi - lo);
    let t = NaN;
    if (Number.isFinite(fb) && Number.isFinite(db)) {
      const d1 = da + db - (3 * (fa - fb)) / (a - b);
      const disc = d1 * d1 - da * db;
      if (disc >= 0) {
        const d2 = Math.sign(b - a) * Math.sqrt(disc);
        t = b - ((b - a) * (db + d2 - d1)) / (db - da + 2 * d2);
      }
    }
    if (!Number.isFinite(t) || t < lo + pad || t > hi - pad) t = (a + b) / 2;
    return t;
  };

  /** Returns the accepted step (xt/gt/return value hold that point) or 0 on failure. */
  let trialF = 0;
  const lineSearch = (f0: number, dg0: number, a0: number): number => {
    const armijo = (a: number, ft: number): boolean => Number.isFinite(ft) && ft <= f0 + c1 * a * dg0;
    const curvature = (slope: number): boolean => Math.abs(slope) <= -c2 * dg0;

    const zoom = (lo: number, flo: number, dlo: number, hi: number, fhi: number, dhi: number): number => {
      for (let j = 0; j < 30; j++) {
        const a = interpolate(lo, flo, dlo, hi, fhi, dhi);
        const ft = trial(a);
        const dt = trialSlope;
        if (!armijo(a, ft) || ft >= flo) {
          hi = a;
          fhi = ft;
          dhi = dt;
        } else {
          if (curvature(dt)) {
            trialF = ft;
            return a;
          }
          if (dt * (hi - lo) >= 0) {
            hi = lo;
            fhi = flo;
            dhi = dlo;
          }
          lo = a;
          flo = ft;
          dlo = dt;
        }
        if (Math.abs(hi - lo) <= 1e-14 * Math.max(1, Math.abs(lo))) break;
      }
      // Interval collapsed (round-off): take the best Armijo point if it made progress. The
      // curvature condition may fail there; the caller then skips the memory update.
      if (lo > 0) {
        const ft = trial(lo);
        if (Number.isFinite(ft) && ft < f0) {
          trialF = ft;
          return lo;
        }
      }
      return 0;
    };

    let aPrev = 0;
    let fPrev = f0;
    let dPrev = dg0;
    let a = a0;
    for (let i = 0; i < 40; i++) {
      const ft = trial(a);
      const dt = trialSlope;
      if (!armijo(a, ft) || (i > 0 && ft >= fPrev)) return zoom(aPrev, fPrev, dPrev, a, ft, dt);
      if (curvature(dt)) {
        trialF = ft;
        return a;
      }
      if (dt >= 0) return zoom(a, ft, dt, aPrev, fPrev, dPrev);
      aPrev = a;
      fPrev = ft;
      dPrev = dt;
      a *= 2;
    }
    return 0;
  };

  let iterations = 0;
  let converged = false;
  let reason: LbfgsResult['reason'] = 'max-iterations';
  for (;;) {
    const gradNorm = maxAbs(g);
    if (gradNorm <= gradTol) {
      converged = true;
      reason = 'gradient';
      break;
    }
    if (iterations >= maxIter) break;

    let dg: number;
    if (count > 0) {
      direction();
      dg = dot(d, g);
      if (!(dg < 0)) {
        count = 0;
        dg = steepest();
      }
    } else {
      dg = steepest();
    }
    let step = lineSearch(f, dg, count > 0 ? 1 : Math.min(1, 1 / Math.sqrt(-dg)));
    if (step === 0 && count > 0) {
      // A stale curvature model can give a poor direction: restart from steepest descent once.
      count = 0;
      dg = steepest();
      step = lineSearch(f, dg, Math.min(1, 1 / Math.sqrt(-dg)));
    }
    if (step === 0) {
      reason = 'line-search';
      break;
    }

    // Curvature pair from the accepted step.
    const slot = count < m ? (head + count) % m : head;
    const s = S[slot]!;
    const yv = Y[slot]!;
    for (let i = 0; i < n; i++) {
      s[i] = xt[i]! - x[i]!;
      yv[i] = gt[i]! - g[i]!;
    }
    const sy = dot(s, yv);
    const yy = dot(yv, yv);
    if (sy > 1e-12 * yy && yy > 0) {
      rho[slot] = 1 / sy;
      gamma = sy / yy;
      if (count < m) count++;
      else head = (head + 1) % m;
    }

    const fNew = trialF;
    const rel = (f - fNew) / Math.max(Math.abs(f), Math.abs(fNew), 1);
    [x, xt] = [xt, x];
    [g, gt] = [gt, g];
    f = fNew;
    iterations++;
    history.push(f);
    opts.onIteration?.({ iteration: iterations, f, gradNorm: maxAbs(g), step, evaluations });
    if (rel <= relTol) {
      converged = true;
      reason = 'relative-reduction';
      break;
    }
  }
  return { x, f, iterations, evaluations, converged, reason, history };
}

// ---------------------------------------------------------------------------------------------
// The logistic-regression objective
// ---------------------------------------------------------------------------------------------

interface Dataset {
  n: number;
  dim: number;
  /** n × dim, row-major, already centered if `mean` is set. */
  X: Float64Array;
  y: Int32Array;
  /** Per-example weights, or null for all ones. */
  sw: Float64Array | null;
  sumW: number;
  mean: Float64Array | null;
}

function validate(x: Float32Array[], y: number[], labels: string[]): number {
  if (labels.length < 1) throw new Error('logreg: at least one label is required');
  if (new Set(labels).size !== labels.length) throw new Error('logreg: labels must be distinct');
  if (x.length === 0) throw new Error('logreg: no training examples');
  if (x.length !== y.length) throw new Error(`logreg: ${x.length} vectors but ${y.length} labels`);
  const dim = x[0]!.length;
  if (dim < 1) throw new Error('logreg: vectors are empty');
  for (let i = 0; i < x.length; i++) {
    if (x[i]!.length !== dim) throw new Error(`logreg: vector ${i} has dimension ${x[i]!.length}, expected ${dim}`);
    const yi = y[i]!;
    if (!Number.isInteger(yi) || yi < 0 || yi >= labels.length) throw new Error(`logreg: y[${i}] = ${yi} is not a label index`);
  }
  return dim;
}

function sampleWeights(y: Int32Array, numClasses: number, classWeight: 'balanced' | null | undefined): Float64Array | null {
  if (classWeight !== 'balanced') return null;
  const counts = new Float64Array(numClasses);
  for (let i = 0; i < y.length; i++) counts[y[i]!]! += 1;
  let present = 0;
  for (let c = 0; c < numClasses; c++) if (counts[c]! > 0) present++;
  const sw = new Float64Array(y.length);
  for (let i = 0; i < y.length; i++) sw[i] = y.length / (present * counts[y[i]!]!);
  return sw;
}

/** Copies the selected rows into one contiguous Float64Array, optionally centered on their mean. */
function buildDataset(
  x: Float32Array[],
  y: number[],
  rows: readonly number[] | null,
  dim: number,
  numClasses: number,
  classWeight: 'balanced' | null | undefined,
  center: boolean,
): Dataset {
  const n = rows ? rows.length : x.length;
  const X = new Float64Array(n * dim);
  const yy = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    const i = rows ? rows[r]! : r;
    const v = x[i]!;
    const o = r * dim;
    for (let j = 0; j < dim; j++) {
      const val = v[j]!;
      if (!Number.isFinite(val)) throw new Error(`logreg: vector ${i} has a non-finite value at ${j}`);
      X[o + j] = val;
    }
    yy[r] = y[i]!;
  }
  let mean: Float64Array | null = null;
  if (center) {
    mean = new Float64Array(dim);
    for (let r = 0; r < n; r++) {
      const o = r * dim;
      for (let j = 0; j < dim; j++) mean[j]! += X[o + j]!;
    }
    for (let j = 0; j < dim; j++) mean[j]! /= n;
    for (let r = 0; r < n; r++) {
      const o = r * dim;
      for (let j = 0; j < dim; j++) X[o + j]! -= mean[j]!;
    }
  }
  const sw = sampleWeights(yy, numClasses, classWeight);
  let sumW = n;
  if (sw) {
    sumW = 0;
    for (let i = 0; i < n; i++) sumW += sw[i]!;
  }
  return { n, dim, X, y: yy, sw, sumW, mean };
}

/**
 * The prototype prior's weights α·(μ_c − μ) in the parameter layout (biases 0), or null for α = 0.
 * A label without examples gets a zero row. Works on centered or raw data alike (a difference of means).
 */
function prototypePrior(ds: Dataset, numClasses: number, alpha: number): Float64Array | null {
  if (!(alpha >= 0) || !Number.isFinite(alpha)) throw new Error(`logreg: prototypePrior must be a finite number >= 0, got ${alpha}`);
  if (alpha === 0) return null;
  const { n, dim, X, y } = ds;
  const stride = dim + 1;
  const sums = new Float64Array(numClasses * stride);
  const counts = new Float64Array(numClasses);
  const all = new Float64Array(dim);
  for (let i = 0; i < n; i++) {
    const c = y[i]!;
    counts[c]! += 1;
    const o = c * stride;
    const xo = i * dim;
    for (let j = 0; j < dim; j++) {
      sums[o + j]! += X[xo + j]!;
      all[j]! += X[xo + j]!;
    }
  }
  for (let c = 0; c < numClasses; c++) {
    const k = counts[c]!;
    const o = c * stride;
    for (let j = 0; j < dim; j++) sums[o + j] = k > 0 ? alpha * (sums[o + j]! / k - all[j]! / n) : 0;
  }
  return sums;
}

/**
 * f and ∇f for parameters laid out like LogRegModel.weights (numClasses × (dim + 1), bias last).
 * One pass over the data per call; the only allocation is a length-numClasses scratch vector,
 * made once.
 */
function makeObjective(ds: Dataset, numClasses: number, l2: number, prior: Float64Array | null): ObjectiveFn {
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

/** Converts centered parameters to model weights on raw vectors: b = b' − w·μ. */
function toModelWeights(theta: Float64Array, mean: Float64Array | null, numClasses: number, dim: number): Float32Array {
  const stride = dim + 1;
  const out = new Float32Array(numClasses * stride);
  for (let c = 0; c < numClasses; c++) {
    const o = c * stride;
    let shift = 0;
    for (let j = 0; j < dim; j++) {
      const w = theta[o + j]!;
      out[o + j] = w;
      if (mean) shift += w * mean[j]!;
    }
    out[o + dim] = theta[o + dim]! - shift;
  }
  return out;
}

function checkL2(l2: number): number {
  if (!(l2 >= 0) || !Number.isFinite(l2)) throw new Error(`logreg: l2 must be a finite number >= 0, got ${l2}`);
  return l2;
}

export interface LogRegFit {
  model: LogRegModel;
  /** Final objective value (mean loss + penalty). */
  loss: number;
  iterations: number;
  evaluations: number;
  converged: boolean;
  reason: LbfgsResult['reason'];
  /** Objective after each iteration. */
  history: number[];
  millis: number;
}

/** trainLogReg with the optimizer's report (iterations, objective trace, time). */
export function fitLogReg(x: Float32Array[], y: number[], labels: string[], opts: LogRegOptions = {}): LogRegFit {
  const started = performance.now();
  const dim = validate(x, y, labels);
  const l2 = checkL2(opts.l2 ?? DEFAULT_L2);
  const C = labels.length;
  const ds = buildDataset(x, y, null, dim, C, opts.classWeight, true);
  const prior = prototypePrior(ds, C, opts.prototypePrior ?? DEFAULT_PROTOTYPE_PRIOR);
  const start = prior ? Float64Array.from(prior) : new Float64Array(C * (dim + 1));
  const res = minimizeLbfgs(makeObjective(ds, C, l2, prior), start, {
    maxIter: opts.maxIter ?? DEFAULT_MAX_ITER,
    gradTol: opts.gradTol ?? DEFAULT_GRAD_TOL,
  });
  const model: LogRegModel = { kind: 'logreg', labels: [...labels], dim, weights: toModelWeights(res.x, ds.mean, C, dim), temperature: 1 };
  return {
    model,
    loss: res.f,
    iterations: res.iterations,
    evaluations: res.evaluations,
    converged: res.converged,
    reason: res.reason,
    history: res.history,
    millis: performance.now() - started,
  };
}

/** Trains a multinomial logistic regression; `y[i]` indexes `labels`. Temperature starts at 1. */
export function trainLogReg(x: Float32Array[], y: number[], labels: string[], opts: LogRegOptions = {}): LogRegModel {
  return fitLogReg(x, y, labels, opts).model;
}

// ---------------------------------------------------------------------------------------------
// Prediction
// ---------------------------------------------------------------------------------------------

/** softmax(z · scale) into a new Float32Array, stably (max subtracted, sums in float64). */
export function softmax(z: ArrayLike<number>, scale = 1): Float32Array {
  const k = z.length;
  const out = new Float32Array(k);
  let max = -Infinity;
  for (let c = 0; c < k; c++) {
    const v = z[c]! * scale;
    if (v > max) max = v;
  }
  if (max === Infinity || Number.isNaN(max)) throw new Error('softmax: non-finite input');
  let sum = 0;
  const e = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    const v = Math.exp(z[c]! * scale - max);
    e[c] = v;
    sum += v;
  }
  for (let c = 0; c < k; c++) out[c] = e[c]! / sum;
  return out;
}

/** Top label, its probability and the top-1 − top-2 margin. */
export function resultFromProbs(labels: readonly string[], probs: Float32Array): PredictResult {
  let best = 0;
  let second = -1;
  for (let c = 1; c < probs.length; c++) {
    if (probs[c]! > probs[best]!) {
      second = best;
      best = c;
    } else if (second < 0 || probs[c]! > probs[second]!) {
      second = c;
    }
  }
  const score = probs[best] ?? 0;
  const margin = second >= 0 ? score - probs[second]! : score;
  return { label: labels[best] ?? '', score, margin, probs };
}

function checkDim(model: { dim: number }, x: Float32Array): void {
  if (x.length !== model.dim) throw new Error(`model expects ${model.dim}-dim vectors, got ${x.length}`);
}

/** Raw scores w_c·x + b_c (before temperature). */
export function logits(model: LogRegModel, x: Float32Array): Float32Array {
  checkDim(model, x);
  const dim = model.dim;
  const stride = dim + 1;
  const W = model.weights;
  const C = model.labels.length;
  const out = new Float32Array(C);
  for (let c = 0; c < C; c++) {
    const o = c * stride;
    let s0 = 0;
    let s1 = 0;
    let j = 0;
    for (; j + 1 < dim; j += 2) {
      s0 += W[o + j]! * x[j]!;
      s1 += W[o + j + 1]! * x[j + 1]!;
    }
    if (j < dim) s0 += W[o + j]! * x[j]!;
    out[c] = s0 + s1 + W[o + dim]!;
  }
  return out;
}

/** softmax(logits / temperature). */
export function predictProba(model: LogRegModel, x: Float32Array): Float32Array {
  return softmax(logits(model, x), 1 / model.temperature);
}

export function predict(model: LogRegModel, x: Float32Array): PredictResult {
  return resultFromProbs(model.labels, predictProba(model, x));
}

/** A copy of the model with another temperature (weights shared: models are treated as immutable). */
export function withTemperature(model: LogRegModel, temperature: number): LogRegModel {
  if (!(temperature > 0) || !Number.isFinite(temperature)) throw new Error(`temperature must be > 0, got ${temperature}`);
  return { ...model, temperature };
}

// ---------------------------------------------------------------------------------------------
// Choosing L2
// ---------------------------------------------------------------------------------------------

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
