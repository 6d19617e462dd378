import { describe, expect, it } from 'vitest';
import {
  cohenKappa,
  cohenKappaBetween,
  fleissKappa,
  kappaFromContingency,
  krippendorffAlpha,
  type MeasurementLevel,
  percentAgreement,
  scottsPi,
} from '../../../shared/domain/agreement';
import {
  ARTSTEIN_POESIO,
  diagnosesRater,
  diagnosesRatings,
  expandTable,
  KRIPPENDORFF_2011,
  ratingsFromCoderRows,
  sklearnWeightedExample,
  WIKIPEDIA_ALPHA,
} from './fixtures';
import { slowAlpha, slowCohen, slowScott } from './slowReference';

describe('Fleiss (1971) diagnoses, 30 subjects × 6 raters', () => {
  const data = diagnosesRatings();

  it("Fleiss' kappa = 0.4302445", () => {
    const k = fleissKappa(data);
    expect(k.value).toBeCloseTo(0.4302445, 6);
    expect(k.items).toBe(30);
  });

  it("Krippendorff's alpha (nominal) = 0.4334098", () => {
    const a = krippendorffAlpha(data, 'nominal');
    expect(a.value).toBeCloseTo(0.4334098, 6);
    expect(a.units).toBe(30);
    expect(a.pairableValues).toBe(180);
  });

  it("Cohen's kappa, rater 2 vs rater 3 = 0.6311475", () => {
    expect(cohenKappa(diagnosesRater(2), diagnosesRater(3)).value).toBeCloseTo(0.6311475, 6);
    expect(cohenKappaBetween(data, 'r2', 'r3').value).toBeCloseTo(0.6311475, 6);
    expect(cohenKappaBetween(data, 1, 2).value).toBeCloseTo(0.6311475, 6);
  });
});

describe('Artstein & Poesio (2008), 2 coders × 100 items', () => {
  const [a, b] = expandTable(ARTSTEIN_POESIO);

  it('observed agreement 0.88, Cohen 0.80132, Scott 0.79953 (from the table)', () => {
    const kappa = kappaFromContingency(ARTSTEIN_POESIO);
    expect(kappa.observedAgreement).toBeCloseTo(0.88, 10);
    expect(kappa.items).toBe(100);
    expect(Math.abs(kappa.value! - 0.80132)).toBeLessThan(1e-5);
    const pi = kappaFromContingency(ARTSTEIN_POESIO, { statistic: 'scott' });
    expect(Math.abs(pi.value! - 0.79953)).toBeLessThan(1e-5);
  });

  it('the same from the ratings, and against the slow definitions', () => {
    expect(percentAgreement({ annotators: ['A', 'B'], items: a.map((x, i) => ({ id: String(i), values: [x, b[i]!] })) }).value).toBeCloseTo(0.88, 10);
    const kappa = cohenKappa(a, b);
    expect(kappa.observedAgreement).toBeCloseTo(0.88, 10);
    expect(kappa.expectedAgreement).toBeCloseTo(0.396, 10);
    expect(kappa.value).toBeCloseTo(slowCohen(a, b), 9);
    expect(Math.abs(kappa.value! - 0.80132)).toBeLessThan(1e-5);
    const pi = scottsPi(a, b);
    expect(pi.expectedAgreement).toBeCloseTo(0.4014, 10);
    expect(pi.value).toBeCloseTo(slowScott(a, b), 9);
    expect(Math.abs(pi.value! - 0.79953)).toBeLessThan(1e-5);
  });
});

describe('weighted Cohen: scikit-learn test_cohen_kappa example', () => {
  const [y1, y2] = sklearnWeightedExample();
  const published = { unweighted: 0.9315, linear: 0.9412, quadratic: 0.9541 } as const;

  for (const weights of ['unweighted', 'linear', 'quadratic'] as const) {
    it(`${weights}: ${published[weights]} (4 decimals) and the slow definition to 1e-9`, () => {
      const value = cohenKappa(y1, y2, { weights }).value!;
      expect(Math.abs(value - published[weights])).toBeLessThan(5e-5);
      expect(Math.abs(value - slowCohen(y1, y2, weights))).toBeLessThan(1e-9);
    });
  }

  it('weights follow the given category order: an unobserved middle category widens the scale', () => {
    const a = [1, 1, 3, 3, 1];
    const b = [1, 3, 3, 1, 1];
    const withGap = cohenKappa(a, b, { weights: 'linear', categories: [1, 2, 3] }).value!;
    expect(withGap).toBeCloseTo(slowCohen(a, b, 'linear', [1, 2, 3]), 12);
    // Only two categories in use: linear weights then coincide with unweighted.
    expect(cohenKappa(a, b, { weights: 'linear' }).value).toBeCloseTo(cohenKappa(a, b).value!, 12);
    expect(cohenKappa(a, b, { weights: 'quadratic', categories: [1, 2, 3] }).value).toBeCloseTo(slowCohen(a, b, 'quadratic', [1, 2, 3]), 12);
  });
});

describe('Krippendorff (2011) reliability data, 4 coders × 12 units with missing values', () => {
  const data = ratingsFromCoderRows(KRIPPENDORFF_2011);
  const published: Record<MeasurementLevel, number> = { nominal: 0.743, ordinal: 0.815, interval: 0.849, ratio: 0.797 };

  for (const level of ['nominal', 'ordinal', 'interval', 'ratio'] as const) {
    it(`${level}: published ${published[level]} to 1e-3, slow pairwise definition to 1e-9`, () => {
      const alpha = krippendorffAlpha(data, level);
      expect(Math.abs(alpha.value! - published[level])).toBeLessThan(1e-3);
      expect(Math.abs(alpha.value! - slowAlpha(data, level))).toBeLessThan(1e-9);
      // Unit 12 has one value and is not pairable: 11 units, 40 pairable values (paper, p. 5).
      expect(alpha.units).toBe(11);
      expect(alpha.pairableValues).toBe(40);
    });
  }

  it('the exact values, for the record', () => {
    expect(krippendorffAlpha(data, 'nominal').value).toBeCloseTo(0.743421052631579, 12);
    expect(krippendorffAlpha(data, 'interval').value).toBeCloseTo(0.8491071428571428, 12);
  });

  it('ordinal alpha reads text categories on the scale the caller gives', () => {
    const names = ['very low', 'low', 'mid', 'high', 'very high'];
    const text = {
      annotators: data.annotators,
      items: data.items.map((it) => ({ id: it.id, values: it.values.map((v) => (v ? names[v - 1]! : null)) })),
    };
    expect(krippendorffAlpha(text, 'ordinal', { categories: names }).value).toBeCloseTo(krippendorffAlpha(data, 'ordinal').value!, 12);
  });
});

describe('Wikipedia computational example (values from the Python krippendorff package tests)', () => {
  const data = ratingsFromCoderRows(WIKIPEDIA_ALPHA);

  it('nominal 0.691358, interval 0.810845', () => {
    expect(krippendorffAlpha(data, 'nominal').value).toBeCloseTo(0.691358, 6);
    expect(krippendorffAlpha(data, 'interval').value).toBeCloseTo(0.810845, 6);
  });

  it('all levels match the slow definition', () => {
    for (const level of ['nominal', 'ordinal', 'interval', 'ratio'] as const) {
      expect(Math.abs(krippendorffAlpha(data, level).value! - slowAlpha(data, level))).toBeLessThan(1e-9);
    }
  });

  it("string labels, nominal: 0.722222 (krippendorff package 'test_string_labels_nominal')", () => {
    const rows = [
      ['pos', 'neg', 'neu', null],
      ['pos', 'neg', 'neu', 'pos'],
      ['pos', 'neg', 'pos', 'pos'],
    ];
    const ratings = { annotators: ['a', 'b', 'c'], items: [0, 1, 2, 3].map((u) => ({ id: String(u), values: rows.map((r) => r[u]!) })) };
    expect(krippendorffAlpha(ratings, 'nominal').value).toBeCloseTo(0.722222, 6);
  });
});
