/**
 * Exact binomial and multinomial variates from a uniform generator (the library's seeded mulberry32), so a
 * bootstrap resample of N units over G groups can be drawn as G binomials instead of N uniform indices.
 *
 * Binomial(n, p), with p ≤ 1/2 by symmetry (X = n - Binomial(n, 1 - p)):
 * - n·p < 10: inversion by sequential search from 0 (Kachitvichyanukul & Schmeiser 1988, "Binomial random
 *   variate generation", CACM 31(2), 216–222, algorithm BINV): about n·p + 1 steps, one uniform.
 * - n·p ≥ 10: BTRS, transformed rejection with squeeze (W. Hörmann 1993, "The generation of binomial random
 *   variates", J. Statist. Comput. Simul. 46, 101–110; TensorFlow and PyTorch use the same algorithm). O(1)
 *   expected time: two uniforms per try, about 1.2 tries per variate, and most tries are accepted by the
 *   squeeze without evaluating the pmf.
 * Both are exact up to floating-point rounding. The one deliberate deviation: inversion restarts a search that
 * runs past n·p + 10·sqrt(n·p·q + 1), so that rounding in the running sum can never make it walk to n; the
 * tail it cuts off has probability below 3e-13 for every n·p < 10.
 */

/** Uniform on [0, 1). */
export type Uniform = () => number;

/** Hörmann's BTRS is valid for n·p ≥ 10 (p ≤ 1/2); below that, inversion is both valid and cheap. */
export const INVERSION_LIMIT = 10;

/** One Binomial(n, p) variate: n a non-negative integer (< 2^53), p in [0, 1]. */
export function binomial(random: Uniform, n: number, p: number): number {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`binomial n must be a non-negative integer, got ${n}`);
  if (!(p >= 0 && p <= 1)) throw new RangeError(`binomial p must be in [0, 1], got ${p}`);
  if (n === 0 || p === 0) return 0;
  if (p === 1) return n;
  // 1 - p is exact for p in [1/2, 1] (Sterbenz).
  return p <= 0.5 ? lowerBinomial(random, n, p) : n - lowerBinomial(random, n, 1 - p);
}

function lowerBinomial(random: Uniform, n: number, p: number): number {
  return n * p < INVERSION_LIMIT ? inversion(random, n, p, Math.log1p(-p), p / (1 - p)) : btrs(random, n, p);
}

/** Sequential search for p ≤ 1/2, n·p < 10; `logQ` = log(1 - p), `ratio` = p / (1 - p). */
function inversion(random: Uniform, n: number, p: number, logQ: number, ratio: number): number {
  const first = Math.exp(n * logQ);
  const bound = Math.min(n, n * p + 10 * Math.sqrt(n * p * (1 - p) + 1));
  for (;;) {
    let u = random();
    let x = 0;
    let px = first;
    // P(x) = P(x - 1) · (n - x + 1) / x · p / q
    while (u >= px && x <= bound) {
      u -= px;
      x++;
      px *= ((n - x + 1) * ratio) / x;
    }
    if (x <= bound) return x;
  }
}

/**
 * BTRS for p ≤ 1/2, n·p ≥ 10 (Hörmann 1993, algorithm BTRS). Implementation choices that do not change the
 * distribution: 1/us is taken before the set-up that depends on n so the two overlap, the squeeze test
 * v ≤ v_r = 0.92 - 4.2/b is written as (0.92 - v)·b ≥ 4.2, the constants of the exact test are computed only
 * when a try falls outside the squeeze, and f(k)/f(m) is evaluated by the pmf recursion when |k - m| ≤ 15
 * (as in the paper's BTRD, step 3.1) and by Stirling's formula further out.
 */
function btrs(random: Uniform, n: number, p: number): number {
  const spq = Math.sqrt(n * p * (1 - p));
  const b = 1.15 + 2.53 * spq;
  const a = -0.0873 + 0.0248 * b + 0.01 * p;
  const c = n * p + 0.5;
  let m = -1;
  let alpha = 0;
  let r = 0;
  let h = Number.NaN;
  for (;;) {
    const u = random() - 0.5;
    const v = random();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor((2 * a * (1 / us) + b) * u + c);
    if (k < 0 || k > n) continue;
    // The squeeze: the region where the hat is known to lie under the pmf.
    if (us >= 0.07 && (0.92 - v) * b >= 4.2) return k;
    if (m < 0) {
      m = Math.floor((n + 1) * p);
      alpha = (2.83 + 5.1 / b) * spq;
      r = p / (1 - p);
    }
    let w = (v * alpha) / (a / (us * us) + b);
    // Accept iff w ≤ f(k) / f(m). Near the mode by the recursion f(i) / f(i - 1) = ((n + 1) / i - 1)·r.
    if (Math.abs(k - m) <= 15) {
      const nr = (n + 1) * r;
      let ratio = 1;
      if (k > m) for (let i = m + 1; i <= k; i++) ratio *= nr / i - r;
      else for (let i = k + 1; i <= m; i++) w *= nr / i - r;
      if (w <= ratio) return k;
      continue;
    }
    // Further out, log f(k) / f(m) by Stirling's formula with its correction term (the paper's step 3.4).
    if (Number.isNaN(h)) h = (m + 0.5) * Math.log((m + 1) / (r * (n - m + 1))) + stirlingTail(m) + stirlingTail(n - m);
    const nk = n - k + 1;
    if (Math.log(w) <= h + (n + 1) * Math.log((n - m + 1) / nk) + (k + 0.5) * Math.log((r * nk) / (k + 1)) - stirlingTail(k) - stirlingTail(n - k)) {
      return k;
    }
  }
}

const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

/** log k! - [log sqrt(2π) + (k + 1/2) log(k + 1) - (k + 1)] for k = 0..9, from exact log-factorials. */
const TAIL = Array.from({ length: 10 }, (_, k) => {
  let logFactorial = 0;
  for (let i = 2; i <= k; i++) logFactorial += Math.log(i);
  return logFactorial - HALF_LOG_TWO_PI - (k + 0.5) * Math.log(k + 1) + k + 1;
});

/** The correction term of Stirling's formula for log k!, expanded at k + 1 (error < 1/(1680 (k+1)^7) for k ≥ 10). */
function stirlingTail(k: number): number {
  if (k < 10) return TAIL[k]!;
  const inverse = 1 / (k + 1);
  const inverseSquare = inverse * inverse;
  return (1 / 12 - (1 / 360 - inverseSquare / 1260) * inverseSquare) * inverse;
}

/**
 * A sampler of Multinomial(n, weights / Σ weights), prepared once per weight vector. It draws the
 * non-empty categories in order of decreasing weight by conditional binomials,
 * x_i ~ Binomial(n - x_1 - … - x_{i-1}, w_i / (w_i + w_{i+1} + …)), and gives the last one the rest:
 * O(categories) per draw, whatever n is. The conditional probabilities and inversion constants do not depend
 * on the draw and are computed here once.
 */
export function multinomialSampler(weights: ArrayLike<number>): (random: Uniform, n: number, out: Float64Array) => void {
  const size = weights.length;
  const order: number[] = [];
  for (let g = 0; g < size; g++) {
    const w = weights[g]!;
    if (!(w >= 0 && Number.isFinite(w))) throw new RangeError(`multinomial weights must be finite and non-negative, got ${w}`);
    if (w > 0) order.push(g);
  }
  order.sort((x, y) => weights[y]! - weights[x]! || x - y);
  const groups = order.length;
  const index = Int32Array.from(order);
  // Per category: the smaller of the conditional probability and its complement, whether it was flipped,
  // and log(1 - p), p / (1 - p) for inversion.
  const prob = new Float64Array(groups);
  const flipped = new Uint8Array(groups);
  const logQ = new Float64Array(groups);
  const ratio = new Float64Array(groups);
  let rest = 0;
  for (let i = groups - 1; i >= 0; i--) {
    const w = weights[index[i]!]!;
    rest += w;
    let p = Math.min(1, w / rest);
    if (p > 0.5) {
      p = 1 - p;
      flipped[i] = 1;
    }
    prob[i] = p;
    logQ[i] = Math.log1p(-p);
    ratio[i] = p / (1 - p);
  }
  return (random, n, out) => {
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`multinomial n must be a non-negative integer, got ${n}`);
    if (out.length < size) throw new RangeError(`multinomial output has ${out.length} slots for ${size} categories`);
    out.fill(0, 0, size);
    if (groups === 0) {
      if (n > 0) throw new RangeError('multinomial weights are all zero');
      return;
    }
    let left = n;
    const last = groups - 1;
    for (let i = 0; i < last && left > 0; i++) {
      const p = prob[i]!;
      let x = 0;
      if (p > 0) x = left * p < INVERSION_LIMIT ? inversion(random, left, p, logQ[i]!, ratio[i]!) : btrs(random, left, p);
      if (flipped[i]) x = left - x;
      out[index[i]!] = x;
      left -= x;
    }
    out[index[last]!] = left;
  };
}
