import { describe, expect, it } from 'vitest';
import {
  cohenKappa,
  cohenKappaBetween,
  encodeRatings,
  fleissKappa,
  krippendorffAlpha,
  pairwiseCohenKappa,
  percentAgreement,
  type Ratings,
  scottsPiBetween,
} from '../../../shared/domain/agreement';
import { randomRatings } from './fixtures';
import { slowAlpha, slowCohen, slowFleiss, slowPercent, slowScott } from './slowReference';

const LEVELS = ['nominal', 'ordinal', 'interval', 'ratio'] as const;

function permuteAnnotators<T extends string | number>(data: Ratings<T>, order: number[]): Ratings<T> {
  return {
    annotators: order.map((j) => data.annotators[j]!),
    items: data.items.map((it) => ({ id: it.id, values: order.map((j) => it.values[j] ?? null) })),
  };
}

function column(data: Ratings<number>, j: number): (number | null)[] {
  return data.items.map((it) => it.values[j] ?? null);
}

describe('agreement: random tables against the slow definitions', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    const data = randomRatings(seed, 60, 2 + (seed % 4), 3 + seed, 0.25, 0.5);

    it(`seed ${seed}: alpha at every level, Fleiss and percent agreement`, () => {
      for (const level of LEVELS) expect(Math.abs(krippendorffAlpha(data, level).value! - slowAlpha(data, level))).toBeLessThan(1e-9);
      expect(Math.abs(fleissKappa(data).value! - slowFleiss(data))).toBeLessThan(1e-9);
      expect(Math.abs(percentAgreement(data).value! - slowPercent(data))).toBeLessThan(1e-9);
    });

    it(`seed ${seed}: Cohen (all weights) and Scott between the first two annotators`, () => {
      const a = column(data, 0);
      const b = column(data, 1);
      // The weight scale is every category either annotator used, including on items the other skipped.
      const scale = [...new Set([...a, ...b].filter((v) => v !== null))].sort((x, y) => x - y);
      for (const weights of ['unweighted', 'linear', 'quadratic'] as const) {
        expect(Math.abs(cohenKappa(a, b, { weights }).value! - slowCohen(a, b, weights, scale))).toBeLessThan(1e-9);
      }
      const both = a.flatMap((x, i) => (x !== null && b[i] !== null ? [[x, b[i]!]] : []));
      expect(
        Math.abs(
          scottsPiBetween(data, 0, 1).value! -
            slowScott(
              both.map((p) => p[0]!),
              both.map((p) => p[1]!),
            ),
        ),
      ).toBeLessThan(1e-9);
    });
  }
});

describe('agreement: properties', () => {
  const data = randomRatings(11, 200, 5, 6);

  it('kappa, pi, alpha are 1 on identical ratings', () => {
    const ratings = randomRatings(12, 50, 1, 4, 0).items.map((it) => it.values[0]!);
    expect(cohenKappa(ratings, ratings).value).toBe(1);
    for (const weights of ['linear', 'quadratic'] as const) expect(cohenKappa(ratings, ratings, { weights }).value).toBe(1);
    const table = { annotators: ['a', 'b', 'c'], items: ratings.map((v, i) => ({ id: String(i), values: [v, v, v] })) };
    expect(fleissKappa(table).value).toBe(1);
    expect(percentAgreement(table).value).toBe(1);
    for (const level of LEVELS) expect(krippendorffAlpha(table, level).value).toBe(1);
    expect(pairwiseCohenKappa(table).mean.value).toBe(1);
  });

  it('alpha, Fleiss and percent agreement do not depend on annotator order', () => {
    const shuffled = permuteAnnotators(data, [3, 0, 4, 2, 1]);
    for (const level of LEVELS) expect(krippendorffAlpha(shuffled, level).value).toBeCloseTo(krippendorffAlpha(data, level).value!, 12);
    expect(fleissKappa(shuffled).value).toBeCloseTo(fleissKappa(data).value!, 12);
    expect(percentAgreement(shuffled).value).toBeCloseTo(percentAgreement(data).value!, 12);
    expect(pairwiseCohenKappa(shuffled).mean.value).toBeCloseTo(pairwiseCohenKappa(data).mean.value!, 12);
  });

  it('nor on item order', () => {
    const reversed = { annotators: data.annotators, items: [...data.items].reverse() };
    for (const level of LEVELS) expect(krippendorffAlpha(reversed, level).value).toBeCloseTo(krippendorffAlpha(data, level).value!, 12);
    expect(fleissKappa(reversed).value).toBeCloseTo(fleissKappa(data).value!, 12);
  });

  it('Cohen and Scott are symmetric in the two annotators', () => {
    for (const weights of ['unweighted', 'linear', 'quadratic'] as const) {
      expect(cohenKappaBetween(data, 0, 1, { weights }).value).toBeCloseTo(cohenKappaBetween(data, 1, 0, { weights }).value!, 12);
    }
    expect(scottsPiBetween(data, 2, 3).value).toBeCloseTo(scottsPiBetween(data, 3, 2).value!, 12);
  });

  it('percent agreement of random data is in [0, 1]', () => {
    for (let seed = 20; seed < 40; seed++) {
      const value = percentAgreement(randomRatings(seed, 30, 2 + (seed % 5), 2 + (seed % 7), 0.3, 0.2)).value!;
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThanOrEqual(1);
    }
  });

  it('an annotator who rated nothing changes nothing', () => {
    const withGhost: Ratings<number> = {
      annotators: [...data.annotators, 'ghost'],
      items: data.items.map((it) => ({ id: it.id, values: [...it.values, null] })),
    };
    for (const level of LEVELS) expect(krippendorffAlpha(withGhost, level)).toEqual(krippendorffAlpha(data, level));
    expect(fleissKappa(withGhost)).toEqual(fleissKappa(data));
    expect(percentAgreement(withGhost)).toEqual(percentAgreement(data));
    const pairs = pairwiseCohenKappa(withGhost);
    expect(pairs.mean).toEqual(pairwiseCohenKappa(data).mean);
    expect(pairs.pairs.filter((p) => p.second === 'ghost').every((p) => p.reason === 'no-items')).toBe(true);
  });

  it('missing values are ignored: Cohen over a pair equals Cohen over the items both rated', () => {
    const a = column(data, 0);
    const b = column(data, 1);
    const keep = a.map((x, i) => x !== null && b[i] !== null);
    const kappa = cohenKappa(a, b);
    expect(kappa.items).toBe(keep.filter(Boolean).length);
    expect(kappa.value).toBeCloseTo(
      cohenKappa(
        a.filter((_, i) => keep[i]),
        b.filter((_, i) => keep[i]),
      ).value!,
      12,
    );
  });

  it('items with a single rating are dropped by Fleiss and alpha', () => {
    const extra: Ratings<number> = { annotators: data.annotators, items: [...data.items, { id: 'lonely', values: [1, null, null, null, null] }] };
    expect(fleissKappa(extra).value).toBe(fleissKappa(data).value);
    expect(krippendorffAlpha(extra).value).toBe(krippendorffAlpha(data).value);
  });

  it('Fleiss with a constant number of raters does not depend on the generalisation: equals the 1971 formula', () => {
    const complete = randomRatings(13, 80, 4, 5, 0);
    const n = complete.items.length;
    const m = 4;
    const p = new Map<number, number>();
    let pBar = 0;
    for (const it of complete.items) {
      const counts = new Map<number, number>();
      for (const v of it.values) counts.set(v!, (counts.get(v!) ?? 0) + 1);
      let s = 0;
      for (const [c, x] of counts) {
        s += x * x;
        p.set(c, (p.get(c) ?? 0) + x / (n * m));
      }
      pBar += (s - m) / (m * (m - 1)) / n;
    }
    const pe = [...p.values()].reduce((s, x) => s + x * x, 0);
    expect(fleissKappa(complete).value).toBeCloseTo((pBar - pe) / (1 - pe), 12);
  });

  it('coded and raw inputs give the same results', () => {
    const coded = encodeRatings(data);
    expect(fleissKappa(coded)).toEqual(fleissKappa(data));
    expect(krippendorffAlpha(coded, 'interval')).toEqual(krippendorffAlpha(data, 'interval'));
    expect(pairwiseCohenKappa(coded, { weights: 'linear' })).toEqual(pairwiseCohenKappa(data, { weights: 'linear' }));
  });
});
