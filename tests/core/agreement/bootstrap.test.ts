import { describe, expect, it } from 'vitest';
import {
  bootstrapCohenKappa,
  bootstrapFleissKappa,
  bootstrapKrippendorffAlpha,
  cohenKappaBetween,
  DEFAULT_CONFIDENCE,
  DEFAULT_RESAMPLES,
  DEFAULT_SEED,
  encodeRatings,
  fleissKappa,
  krippendorffAlpha,
  type MeasurementLevel,
  mulberry32,
  quantile,
  type Ratings,
} from '../../../shared/domain/agreement';
import { diagnosesRatings, randomRatings } from './fixtures';
import { slowAlpha, slowCohen, slowFleiss } from './slowReference';

/**
 * The textbook bootstrap: draw items with replacement (same PRNG, same draw order as the library), rebuild
 * the ratings, recompute from scratch with the slow definitions, take percentiles. The library only
 * counts patterns per resample, so equality here shows the shortcut changes nothing.
 */
function naiveBootstrap(
  units: Ratings<number>['items'],
  annotators: readonly string[],
  statistic: (resample: Ratings<number>) => number,
  resamples: number,
  seed: number,
  confidence = 0.95,
): [number, number] {
  const random = mulberry32(seed);
  const values: number[] = [];
  for (let r = 0; r < resamples; r++) {
    const items = units.map(() => units[Math.floor(random() * units.length)]!);
    const v = statistic({ annotators, items });
    if (Number.isFinite(v)) values.push(v);
  }
  values.sort((x, y) => x - y);
  return [quantile(values, (1 - confidence) / 2), quantile(values, 1 - (1 - confidence) / 2)];
}

const rated = (it: Ratings<number>['items'][number]): number => it.values.filter((v) => v !== null && v !== undefined).length;

describe('bootstrap confidence intervals', () => {
  const data = randomRatings(7, 60, 4, 4, 0.3, 0.6);
  const pairable = data.items.filter((it) => rated(it) >= 2);

  it('Fleiss: equals a naive resample-and-recompute bootstrap', () => {
    const ci = bootstrapFleissKappa(data, { resamples: 300, seed: 99 });
    const [lower, upper] = naiveBootstrap(pairable, data.annotators, slowFleiss, 300, 99);
    expect(Math.abs(ci.lower! - lower)).toBeLessThan(1e-9);
    expect(Math.abs(ci.upper! - upper)).toBeLessThan(1e-9);
    expect(ci.value).toBe(fleissKappa(data).value);
  });

  for (const level of ['nominal', 'ordinal', 'interval', 'ratio'] as MeasurementLevel[]) {
    it(`alpha (${level}): equals a naive bootstrap (ordinal mid-ranks recomputed per resample)`, () => {
      const ci = bootstrapKrippendorffAlpha(data, level, { resamples: 150, seed: 5, confidence: 0.9 });
      const [lower, upper] = naiveBootstrap(pairable, data.annotators, (r) => slowAlpha(r, level), 150, 5, 0.9);
      expect(Math.abs(ci.lower! - lower)).toBeLessThan(1e-9);
      expect(Math.abs(ci.upper! - upper)).toBeLessThan(1e-9);
      expect(ci.confidence).toBe(0.9);
      expect(ci.value).toBe(krippendorffAlpha(data, level).value);
    });
  }

  it('Cohen (quadratic): equals a naive bootstrap over the items both rated', () => {
    const both = data.items.filter((it) => it.values[0] !== null && it.values[2] !== null);
    const scale = encodeRatings(data).categories as number[];
    const kappaOf = (r: Ratings<number>): number =>
      slowCohen(
        r.items.map((it) => it.values[0]!),
        r.items.map((it) => it.values[2]!),
        'quadratic',
        scale,
      );
    const ci = bootstrapCohenKappa(data, 'a0', 'a2', { weights: 'quadratic', resamples: 300, seed: 3 });
    const [lower, upper] = naiveBootstrap(both, data.annotators, kappaOf, 300, 3);
    expect(Math.abs(ci.lower! - lower)).toBeLessThan(1e-9);
    expect(Math.abs(ci.upper! - upper)).toBeLessThan(1e-9);
    expect(ci.value).toBe(cohenKappaBetween(data, 'a0', 'a2', { weights: 'quadratic' }).value);
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
