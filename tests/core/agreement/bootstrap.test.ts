import { describe, expect, it } from 'vitest';
import {
  bootstrapCohenKappa,
  bootstrapFleissKappa,
  bootstrapKrippendorffAlpha,
  type CodedRatings,
  cohenKappaBetween,
  DEFAULT_CONFIDENCE,
  DEFAULT_RESAMPLES,
  DEFAULT_SEED,
  encodeRatings,
  fleissKappa,
  krippendorffAlpha,
  type MeasurementLevel,
  MISSING,
  mulberry32,
  quantile,
  type Ratings,
} from '../../../shared/domain/agreement';
import { bootstrapDistribution, type Resampling } from '../../../shared/domain/agreement/bootstrap';
import { alphaResampling, cohenResampling, fleissResampling } from '../../../shared/domain/agreement/confidenceIntervals';
import { fleissKappaOfPatterns } from '../../../shared/domain/agreement/fleissKappa';
import { alphaOfPatterns, categoryValues } from '../../../shared/domain/agreement/krippendorffAlpha';
import { alphaOfFrequencies, fleissOfFrequencies } from '../../../shared/domain/agreement/resampleStatistics';
import { groupUnits, patternCount } from '../../../shared/domain/agreement/unitPatterns';
import { diagnosesRatings, randomRatings } from './fixtures';
import { slowAlpha, slowFleiss } from './slowReference';

const LEVELS: MeasurementLevel[] = ['nominal', 'ordinal', 'interval', 'ratio'];

type Statistic = (resample: CodedRatings) => number | null;

/**
 * The textbook bootstrap, independent of the library's multinomial shortcut: draw `items` (row indices of
 * the coded table) with replacement, one uniform index per item, copy their rows into a new coded table and
 * recompute every statistic on it with the public functions. Returns each statistic's defined values.
 */
function naiveBootstrap(
  coded: CodedRatings,
  items: readonly number[],
  statistics: readonly Statistic[],
  resamples: number,
  seed: number,
): number[][] {
  const m = coded.annotators.length;
  const random = mulberry32(seed);
  const itemIds = items.map((_, i) => String(i));
  const values = statistics.map((): number[] => []);
  for (let r = 0; r < resamples; r++) {
    const codes = new Int32Array(items.length * m);
    for (let i = 0; i < items.length; i++) {
      const source = items[Math.floor(random() * items.length)]!;
      codes.set(coded.codes.subarray(source * m, source * m + m), i * m);
    }
    const resample: CodedRatings = { annotators: coded.annotators, itemIds, categories: coded.categories, codes };
    statistics.forEach((statistic, s) => {
      const v = statistic(resample);
      if (v !== null) values[s]!.push(v);
    });
  }
  return values;
}

interface Summary {
  sorted: Float64Array;
  lower: number;
  upper: number;
  mean: number;
  sd: number;
}

function summarise(values: ArrayLike<number>): Summary {
  const sorted = Float64Array.from(values).sort();
  const mean = sorted.reduce((s, v) => s + v, 0) / sorted.length;
  const sd = Math.sqrt(sorted.reduce((s, v) => s + (v - mean) ** 2, 0) / (sorted.length - 1));
  return { sorted, lower: quantile(sorted, 0.025), upper: quantile(sorted, 0.975), mean, sd };
}

/** Two-sample Kolmogorov–Smirnov distance between sorted samples (ties handled: steps taken per distinct value). */
function ksDistance(a: Float64Array, b: Float64Array): number {
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < a.length && j < b.length) {
    const x = Math.min(a[i]!, b[j]!);
    while (i < a.length && a[i] === x) i++;
    while (j < b.length && b[j] === x) j++;
    d = Math.max(d, Math.abs(i / a.length - j / b.length));
  }
  return d;
}

/** Row indices of the items with at least `least` ratings among `annotators` (all by default). */
function ratedItems(coded: CodedRatings, least: number, annotators?: readonly number[]): number[] {
  const m = coded.annotators.length;
  const columns = annotators ?? Array.from({ length: m }, (_, j) => j);
  const out: number[] = [];
  for (let i = 0; i < coded.itemIds.length; i++) {
    if (columns.filter((j) => coded.codes[i * m + j] !== MISSING).length >= least) out.push(i);
  }
  return out;
}

/**
 * Compares the library's bootstrap distribution (multinomial counts over patterns, seed 101) with the naive
 * per-item bootstrap (seed 202), 5,000 resamples each:
 * - the two-sample Kolmogorov–Smirnov distance is below 0.04 (the 0.1 % critical value for 5,000 vs 5,000 is 0.039);
 * - the 95 % percentile bounds agree within min(0.02, 0.3 sd). For B = 5,000 the Monte-Carlo standard error of a
 *   2.5 % percentile is about 0.038 sd of a smooth bootstrap distribution, 0.053 sd for the difference of two
 *   runs, so 0.3 sd is between 5 and 6 standard errors. A lumpy distribution (a coefficient of a few dozen items
 *   takes few distinct values) can jump between atoms instead: `lumpy` then only asks each bound to lie between
 *   the other run's 1.5 % and 3.5 % (96.5 % and 98.5 %) percentiles, about 3 standard errors of the difference of two ECDFs there;
 * - the means agree within 0.1 sd (5 standard errors) and the sds within 5 %.
 */
const RESAMPLES = 5000;

function expectSameDistribution(library: Resampling, naive: number[], label: string, lumpy = false): void {
  const ours = summarise(bootstrapDistribution(library, RESAMPLES, 101));
  const theirs = summarise(naive);
  expect(ksDistance(ours.sorted, theirs.sorted), `${label} KS`).toBeLessThan(0.04);
  if (lumpy) {
    expect(ours.lower, `${label} lower`).toBeGreaterThanOrEqual(quantile(theirs.sorted, 0.015));
    expect(ours.lower, `${label} lower`).toBeLessThanOrEqual(quantile(theirs.sorted, 0.035));
    expect(ours.upper, `${label} upper`).toBeGreaterThanOrEqual(quantile(theirs.sorted, 0.965));
    expect(ours.upper, `${label} upper`).toBeLessThanOrEqual(quantile(theirs.sorted, 0.985));
  } else {
    const tolerance = Math.min(0.02, 0.3 * theirs.sd);
    expect(Math.abs(ours.lower - theirs.lower), `${label} lower`).toBeLessThan(tolerance);
    expect(Math.abs(ours.upper - theirs.upper), `${label} upper`).toBeLessThan(tolerance);
  }
  expect(Math.abs(ours.mean - theirs.mean), `${label} mean`).toBeLessThan(0.1 * theirs.sd);
  expect(Math.abs(ours.sd / theirs.sd - 1), `${label} sd`).toBeLessThan(0.05);
}

describe('bootstrap confidence intervals', () => {
  const data = randomRatings(7, 60, 4, 4, 0.3, 0.6);

  for (const [name, ratings] of [
    ['Fleiss diagnoses (30 items x 6 raters)', diagnosesRatings()],
    ['a random 2,000-item table with missing values', randomRatings(31, 2000, 5, 5, 0.3, 0.6)],
  ] as const) {
    it(`${name}: Fleiss and alpha (all levels) match a naive per-item bootstrap in distribution`, () => {
      const coded = encodeRatings(ratings);
      const statistics: Statistic[] = [
        (r) => fleissKappa(r).value,
        ...LEVELS.map(
          (level): Statistic =>
            (r) =>
              krippendorffAlpha(r, level).value,
        ),
      ];
      const naive = naiveBootstrap(coded, ratedItems(coded, 2), statistics, RESAMPLES, 202);
      expectSameDistribution(fleissResampling(coded), naive[0]!, `${name}: fleiss`);
      LEVELS.forEach((level, i) => expectSameDistribution(alphaResampling(coded, level), naive[i + 1]!, `${name}: alpha ${level}`));
    });
  }

  it('Cohen (unweighted and quadratic) matches a naive bootstrap over the items both rated', () => {
    const random = encodeRatings(randomRatings(31, 2000, 5, 5, 0.3, 0.6));
    const unweighted: Statistic = (r) => cohenKappaBetween(r, 'a0', 'a1').value;
    const quadratic: Statistic = (r) => cohenKappaBetween(r, 'a0', 'a2', { weights: 'quadratic' }).value;
    const [naiveUnweighted] = naiveBootstrap(random, ratedItems(random, 2, [0, 1]), [unweighted], RESAMPLES, 202);
    const [naiveQuadratic] = naiveBootstrap(random, ratedItems(random, 2, [0, 2]), [quadratic], RESAMPLES, 202);
    expectSameDistribution(cohenResampling(random, 'a0', 'a1'), naiveUnweighted!, 'cohen 2000 unweighted');
    expectSameDistribution(cohenResampling(random, 'a0', 'a2', { weights: 'quadratic' }), naiveQuadratic!, 'cohen 2000 quadratic');
    // 30 items: kappa takes few distinct values near the tails, so the bounds are compared as percentile bands.
    const diagnoses = encodeRatings(diagnosesRatings());
    const [naiveDiagnoses] = naiveBootstrap(
      diagnoses,
      ratedItems(diagnoses, 2, [1, 2]),
      [(r) => cohenKappaBetween(r, 'r2', 'r3').value],
      RESAMPLES,
      202,
    );
    expectSameDistribution(cohenResampling(diagnoses, 'r2', 'r3'), naiveDiagnoses!, 'cohen diagnoses', true);
  });

  it('the public intervals are the percentiles of that distribution, with the library point estimates', () => {
    const seed = 9;
    const fleiss = bootstrapFleissKappa(data, { resamples: 400, seed });
    const sorted = bootstrapDistribution(fleissResampling(data), 400, seed).sort();
    expect([fleiss.lower, fleiss.upper]).toEqual([quantile(sorted, 0.025), quantile(sorted, 0.975)]);
    expect(fleiss.value).toBe(fleissKappa(data).value);
    for (const level of LEVELS) {
      const alpha = bootstrapKrippendorffAlpha(data, level, { resamples: 300, seed, confidence: 0.9 });
      const values = bootstrapDistribution(alphaResampling(data, level), 300, seed).sort();
      const tail = (1 - 0.9) / 2;
      expect([alpha.lower, alpha.upper]).toEqual([quantile(values, tail), quantile(values, 1 - tail)]);
      expect(alpha.value).toBe(krippendorffAlpha(data, level).value);
      expect(alpha.confidence).toBe(0.9);
    }
    const cohen = bootstrapCohenKappa(data, 'a0', 'a2', { weights: 'quadratic', resamples: 300, seed });
    expect(cohen.value).toBe(cohenKappaBetween(data, 'a0', 'a2', { weights: 'quadratic' }).value);
  });

  it('per-resample statistics equal the library coefficients (and the slow definitions) for any pattern frequencies', () => {
    const diagnoses = encodeRatings(diagnosesRatings());
    const random = encodeRatings(randomRatings(31, 2000, 5, 5, 0.3, 0.6));
    const small = encodeRatings(data);
    const draw = mulberry32(4);
    for (const coded of [diagnoses, random, small]) {
      const patterns = groupUnits(coded);
      const count = patternCount(patterns);
      const frequencies: Float64Array[] = [new Float64Array(count), patterns.frequency];
      for (const only of [0, 1, count - 1]) frequencies.push(Float64Array.from({ length: count }, (_, q) => (q === only ? 3 : 0)));
      for (let t = 0; t < 30; t++) frequencies.push(Float64Array.from({ length: count }, () => (draw() < 0.3 ? 0 : Math.floor(draw() * 6))));
      const fleiss = fleissOfFrequencies(patterns);
      const scratch = new Float64Array(patterns.nCategories);
      const alphas = LEVELS.map((level) => [level, alphaOfFrequencies(patterns, level, categoryValues(coded, level))] as const);
      for (const f of frequencies) {
        expectClose(fleiss(f), fleissKappaOfPatterns(patterns, f, scratch).value);
        for (const [level, alpha] of alphas) expectClose(alpha(f), alphaOfPatterns(patterns, f, level, categoryValues(coded, level)).value);
      }
    }
    // Against the textbook definitions: expand a frequency vector back into ratings (one representative item per pattern).
    const patterns = groupUnits(small);
    const pairable = ratedItems(small, 2).map((i) => data.items[i]!);
    const representative = new Map<number, Ratings<number>['items'][number]>();
    patterns.unitPattern.forEach((q, u) => representative.has(q) || representative.set(q, pairable[u]!));
    for (let t = 0; t < 10; t++) {
      const f = Float64Array.from({ length: patternCount(patterns) }, () => Math.floor(draw() * 3));
      const items = Array.from(f).flatMap((times, q) => Array.from({ length: times }, () => representative.get(q)!));
      const expanded: Ratings<number> = { annotators: data.annotators, items };
      expect(fleissOfFrequencies(patterns)(f)!).toBeCloseTo(slowFleiss(expanded), 10);
      for (const level of LEVELS) {
        expect(alphaOfFrequencies(patterns, level, categoryValues(small, level))(f)!).toBeCloseTo(slowAlpha(expanded, level), 10);
      }
    }
  });

  it('contains the point estimate, and is reproducible with the same seed', () => {
    const diagnoses = diagnosesRatings();
    const checks = [
      () => bootstrapFleissKappa(diagnoses, { seed: 42 }),
      () => bootstrapKrippendorffAlpha(diagnoses, 'nominal', { seed: 42 }),
      () => bootstrapCohenKappa(diagnoses, 'r2', 'r3', { seed: 42 }),
      () => bootstrapKrippendorffAlpha(data, 'ordinal', { seed: 42 }),
    ];
    for (const run of checks) {
      const first = run();
      expect(first.lower!).toBeLessThanOrEqual(first.value!);
      expect(first.upper!).toBeGreaterThanOrEqual(first.value!);
      expect(first.lower!).toBeLessThan(first.upper!);
      expect(run()).toEqual(first);
    }
    expect(bootstrapFleissKappa(diagnoses, { seed: 43 })).not.toEqual(bootstrapFleissKappa(diagnoses, { seed: 42 }));
  });

  it('defaults: 1000 resamples, 95 %, seed 1; a wider confidence gives a wider interval', () => {
    const ci = bootstrapFleissKappa(data);
    expect([ci.resamples, ci.confidence, ci.seed]).toEqual([DEFAULT_RESAMPLES, DEFAULT_CONFIDENCE, DEFAULT_SEED]);
    expect([DEFAULT_RESAMPLES, DEFAULT_CONFIDENCE, DEFAULT_SEED]).toEqual([1000, 0.95, 1]);
    const wide = bootstrapFleissKappa(data, { confidence: 0.99 });
    expect(wide.lower!).toBeLessThanOrEqual(ci.lower!);
    expect(wide.upper!).toBeGreaterThanOrEqual(ci.upper!);
  });

  it('an undefined estimate gives no interval; resamples that are undefined are counted and left out', () => {
    const oneCategory = { annotators: ['a', 'b'], items: [0, 1, 2].map((i) => ({ id: String(i), values: ['x', 'x'] })) };
    expect(bootstrapFleissKappa(oneCategory)).toMatchObject({ value: null, reason: 'no-variation', lower: null, upper: null });
    expect(bootstrapKrippendorffAlpha({ annotators: ['a'], items: [] })).toMatchObject({ value: null, reason: 'too-few-annotators' });
    // Two items that disagree and eight that agree on 'x': resamples without a disagreement and all 'x' are undefined.
    const rare = {
      annotators: ['a', 'b'],
      items: [...Array.from({ length: 8 }, () => ['x', 'x']), ['x', 'y'], ['y', 'y']].map((values, i) => ({ id: String(i), values })),
    };
    const ci = bootstrapKrippendorffAlpha(rare, 'nominal', { resamples: 500 });
    expect(ci.undefinedResamples).toBeGreaterThan(0);
    expect(ci.undefinedResamples).toBeLessThan(500);
    expect(ci.lower).not.toBeNull();
  });

  it('rejects nonsense options', () => {
    expect(() => bootstrapFleissKappa(data, { resamples: 0 })).toThrow(RangeError);
    expect(() => bootstrapFleissKappa(data, { confidence: 1 })).toThrow(RangeError);
  });

  it('mulberry32 is deterministic and uniform enough', () => {
    const a = mulberry32(123);
    const b = mulberry32(123);
    const draws = Array.from({ length: 20000 }, () => a());
    expect(Array.from({ length: 20000 }, () => b())).toEqual(draws);
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
    const mean = draws.reduce((s, x) => s + x, 0) / draws.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.01);
  });

  it('quantile interpolates like R type 7', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([10], 0.025)).toBe(10);
    expect(quantile([0, 10], 0.975)).toBeCloseTo(9.75, 12);
  });
});

function expectClose(actual: number | null, expected: number | null): void {
  if (expected === null) {
    expect(actual).toBeNull();
    return;
  }
  expect(actual).not.toBeNull();
  expect(Math.abs(actual! - expected)).toBeLessThan(1e-12);
}
