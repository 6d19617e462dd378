import { describe, expect, it } from 'vitest';
import { binomial, INVERSION_LIMIT, multinomialSampler } from '../../../shared/domain/agreement/binomial';
import { mulberry32 } from '../../../shared/domain/agreement';

const SAMPLES = 100_000;

function logFactorials(n: number): Float64Array {
  const out = new Float64Array(n + 1);
  for (let i = 2; i <= n; i++) out[i] = out[i - 1]! + Math.log(i);
  return out;
}

function binomialPmf(n: number, p: number): Float64Array {
  const lf = logFactorials(n);
  return Float64Array.from({ length: n + 1 }, (_, k) => Math.exp(lf[n]! - lf[k]! - lf[n - k]! + k * Math.log(p) + (n - k) * Math.log1p(-p)));
}

/**
 * Pearson's chi-square of observed counts against expected probabilities, pooling adjacent cells (in the
 * given order) until each expected count is at least 5. Returns the statistic, the degrees of freedom and
 * the Wilson–Hilferty normal deviate of the statistic (z > 4 is p < 3e-5).
 */
function chiSquare(observed: ArrayLike<number>, probability: ArrayLike<number>, samples: number): { statistic: number; df: number; z: number } {
  const cells: { o: number; e: number }[] = [];
  let o = 0;
  let e = 0;
  for (let i = 0; i < probability.length; i++) {
    o += observed[i]!;
    e += probability[i]! * samples;
    if (e >= 5) {
      cells.push({ o, e });
      o = 0;
      e = 0;
    }
  }
  if (cells.length > 0) {
    cells[cells.length - 1]!.o += o;
    cells[cells.length - 1]!.e += e;
  }
  const statistic = cells.reduce((s, c) => s + (c.o - c.e) ** 2 / c.e, 0);
  const df = cells.length - 1;
  const z = (Math.cbrt(statistic / df) - (1 - 2 / (9 * df))) / Math.sqrt(2 / (9 * df));
  return { statistic, df, z };
}

/**
 * Standard error of the sample variance of `samples` Binomial(n, p) draws: Var(s²) = (μ4 - σ⁴)/S + 2σ⁴/(S(S-1)),
 * with the binomial's central fourth moment μ4 = n p q (1 + 3 (n - 2) p q).
 */
function varianceError(n: number, p: number, samples: number): number {
  const sigma2 = n * p * (1 - p);
  const mu4 = sigma2 * (1 + 3 * (n - 2) * p * (1 - p));
  return Math.sqrt(Math.max(0, mu4 - sigma2 * sigma2) / samples + (2 * sigma2 * sigma2) / (samples * (samples - 1)));
}

function moments(values: ArrayLike<number>): { mean: number; variance: number } {
  let mean = 0;
  for (let i = 0; i < values.length; i++) mean += values[i]!;
  mean /= values.length;
  let variance = 0;
  for (let i = 0; i < values.length; i++) variance += (values[i]! - mean) ** 2;
  return { mean, variance: variance / (values.length - 1) };
}

describe('binomial sampler', () => {
  const cases: [number, number][] = [
    [0, 0.3],
    [1, 0.5],
    [1, 0.001],
    [10, 0.5],
    [10, 0.02],
    [10, 0.97],
    [30, 0.33], // n·p = 9.9: inversion
    [25, 0.4], // n·p = 10: BTRS at its lower limit
    [1000, 0.001],
    [1000, 0.3],
    [1000, 0.995],
    [1_000_000, 1e-6],
    [1_000_000, 3e-5],
    [1_000_000, 0.5],
    [1_000_000, 0.9999],
    [1_000_000, 1 - 1e-7],
  ];
  for (const [n, p] of cases) {
    it(`n = ${n}, p = ${p}: integers in [0, n], mean n·p and variance n·p·(1-p) within 5 standard errors`, () => {
      const random = mulberry32(n + Math.round(p * 1e6));
      const draws = new Float64Array(SAMPLES);
      for (let i = 0; i < SAMPLES; i++) draws[i] = binomial(random, n, p);
      expect(draws.every((x) => Number.isInteger(x) && x >= 0 && x <= n)).toBe(true);
      const { mean, variance } = moments(draws);
      const sigma2 = n * p * (1 - p);
      expect(Math.abs(mean - n * p)).toBeLessThanOrEqual(5 * Math.sqrt(sigma2 / SAMPLES) + 1e-12);
      expect(Math.abs(variance - sigma2)).toBeLessThanOrEqual(5 * varianceError(n, p, SAMPLES) + 1e-12);
    });
  }

  it('p = 0, p = 1 and n = 0 are constants; arguments are checked', () => {
    const random = mulberry32(1);
    expect([binomial(random, 1000, 0), binomial(random, 1000, 1), binomial(random, 0, 0.5), binomial(random, 0, 1)]).toEqual([0, 1000, 0, 0]);
    expect(() => binomial(random, -1, 0.5)).toThrow(RangeError);
    expect(() => binomial(random, 2.5, 0.5)).toThrow(RangeError);
    expect(() => binomial(random, 10, 1.5)).toThrow(RangeError);
    expect(() => binomial(random, 10, Number.NaN)).toThrow(RangeError);
  });

  // Inversion (20, 0.3), (50, 0.9); BTRS at n·p = 10 (200, 0.05), near the mode (100, 0.3) and, with a wide
  // spread, also by Stirling's formula further out (10000, 0.01), (1000, 0.5).
  const pmfCases: [number, number][] = [
    [20, 0.3],
    [50, 0.9],
    [200, 0.05],
    [100, 0.3],
    [10_000, 0.01],
    [1000, 0.5],
  ];
  for (const [n, p] of pmfCases) {
    it(`n = ${n}, p = ${p} (${Math.min(p, 1 - p) * n < INVERSION_LIMIT ? 'inversion' : 'BTRS'}): chi-square fit to the exact pmf`, () => {
      const random = mulberry32(7 * n + 1);
      const counts = new Float64Array(n + 1);
      for (let i = 0; i < SAMPLES; i++) counts[binomial(random, n, p)]!++;
      const fit = chiSquare(counts, binomialPmf(n, p), SAMPLES);
      expect(fit.df).toBeGreaterThan(5);
      expect(fit.z).toBeLessThan(4);
    });
  }

  it('is deterministic for a seed', () => {
    const draw = (seed: number): number[] => {
      const random = mulberry32(seed);
      return Array.from({ length: 200 }, (_, i) => binomial(random, 1 + i * 37, ((i % 19) + 0.5) / 20));
    };
    expect(draw(5)).toEqual(draw(5));
    expect(draw(5)).not.toEqual(draw(6));
  });
});

describe('multinomial sampler (conditional binomials)', () => {
  it('small case: the joint distribution fits the exact multinomial pmf; empty categories stay 0', () => {
    const weights = [3, 0, 1, 2];
    const n = 4;
    const draw = multinomialSampler(weights);
    const random = mulberry32(11);
    const out = new Float64Array(4);
    // Outcome (a, b, c) of the three non-empty categories counted at a·25 + b·5 + c.
    const outcomes = new Float64Array(125);
    let emptyDrawn = 0;
    for (let s = 0; s < SAMPLES; s++) {
      draw(random, n, out);
      emptyDrawn += out[1]!;
      outcomes[out[0]! * 25 + out[2]! * 5 + out[3]!]!++;
    }
    expect(emptyDrawn).toBe(0);
    const lf = logFactorials(n);
    const observed: number[] = [];
    const probability: number[] = [];
    for (let a = 0; a <= n; a++) {
      for (let b = 0; a + b <= n; b++) {
        const c = n - a - b;
        observed.push(outcomes[a * 25 + b * 5 + c]!);
        probability.push(Math.exp(lf[n]! - lf[a]! - lf[b]! - lf[c]! + a * Math.log(3 / 6) + b * Math.log(1 / 6) + c * Math.log(2 / 6)));
      }
    }
    expect(observed.reduce((s, x) => s + x, 0)).toBe(SAMPLES);
    const fit = chiSquare(observed, probability, SAMPLES);
    expect(fit.df).toBe(14);
    expect(fit.z).toBeLessThan(4);
  });

  it('bootstrap-sized case: counts sum to n; each mean, variance and a covariance match the multinomial', () => {
    const weights = Float64Array.from([5000, 1200, 300, 40, 7, 1, 1, 0, 2500, 12, 150]);
    const n = weights.reduce((s, w) => s + w, 0);
    const draw = multinomialSampler(weights);
    const random = mulberry32(3);
    const samples = 20_000;
    const out = new Float64Array(weights.length);
    const sum = new Float64Array(weights.length);
    const squares = new Float64Array(weights.length);
    let cross = 0;
    for (let s = 0; s < samples; s++) {
      draw(random, n, out);
      expect(out.reduce((t, x) => t + x, 0)).toBe(n);
      for (let g = 0; g < weights.length; g++) {
        sum[g]! += out[g]!;
        squares[g]! += out[g]! * out[g]!;
      }
      cross += out[0]! * out[8]!;
    }
    for (let g = 0; g < weights.length; g++) {
      const pi = weights[g]! / n;
      const sigma2 = n * pi * (1 - pi);
      const mean = sum[g]! / samples;
      const variance = (squares[g]! - samples * mean * mean) / (samples - 1);
      expect(Math.abs(mean - n * pi)).toBeLessThanOrEqual(5 * Math.sqrt(sigma2 / samples) + 1e-12);
      expect(Math.abs(variance - sigma2)).toBeLessThanOrEqual(5 * varianceError(n, pi, samples) + 1e-12);
    }
    // Cov(X_0, X_8) = -n π_0 π_8.
    const p0 = weights[0]! / n;
    const p8 = weights[8]! / n;
    const covariance = cross / samples - (sum[0]! / samples) * (sum[8]! / samples);
    const scale = Math.sqrt(n * p0 * (1 - p0) * n * p8 * (1 - p8));
    expect(Math.abs(covariance + n * p0 * p8)).toBeLessThan((5 * scale * Math.sqrt(1 + (p0 * p8) / ((1 - p0) * (1 - p8)))) / Math.sqrt(samples));
  });

  it('n = 0, one category, and misuse', () => {
    const out = new Float64Array(3).fill(9);
    multinomialSampler([1, 2, 3])(mulberry32(1), 0, out);
    expect(Array.from(out)).toEqual([0, 0, 0]);
    multinomialSampler([0, 5, 0])(mulberry32(1), 17, out);
    expect(Array.from(out)).toEqual([0, 17, 0]);
    expect(() => multinomialSampler([1, -1])).toThrow(RangeError);
    expect(() => multinomialSampler([1, Number.NaN])).toThrow(RangeError);
    expect(() => multinomialSampler([0, 0])(mulberry32(1), 1, out)).toThrow(RangeError);
    expect(() => multinomialSampler([1, 2, 3, 4])(mulberry32(1), 1, out)).toThrow(RangeError);
    expect(() => multinomialSampler([1, 2])(mulberry32(1), 1.5, out)).toThrow(RangeError);
  });
});
