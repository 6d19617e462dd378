import { describe, expect, it } from 'vitest';
import {
  bootstrapCohenKappa,
  cohenKappa,
  cohenKappaBetween,
  fleissKappa,
  kappaFromContingency,
  krippendorffAlpha,
  pairwiseCohenKappa,
  percentAgreement,
  type Ratings,
  scottsPi,
} from '../../../shared/domain/agreement';

const LEVELS = ['nominal', 'ordinal', 'interval', 'ratio'] as const;
const table = (rows: (string | number | null)[][], annotators = rows[0]?.map((_, j) => `a${j}`) ?? []): Ratings => ({
  annotators,
  items: rows.map((values, i) => ({ id: String(i), values })),
});

describe('degenerate cases: value null with a reason, never NaN', () => {
  it('zero items', () => {
    const empty = table([], ['a', 'b']);
    expect(fleissKappa(empty)).toEqual({ value: null, reason: 'no-items', items: 0, observedAgreement: null, expectedAgreement: null });
    expect(percentAgreement(empty)).toEqual({ value: null, reason: 'no-items', items: 0 });
    for (const level of LEVELS)
      expect(krippendorffAlpha(empty, level)).toMatchObject({ value: null, reason: 'no-items', units: 0, pairableValues: 0 });
    expect(cohenKappa([], [])).toMatchObject({ value: null, reason: 'no-items', items: 0 });
    expect(scottsPi([], [])).toMatchObject({ value: null, reason: 'no-items' });
    expect(pairwiseCohenKappa(empty).mean).toEqual({ value: null, reason: 'no-items', pairs: 0 });
    expect(kappaFromContingency([])).toMatchObject({ value: null, reason: 'no-items' });
    expect(
      kappaFromContingency([
        [0, 0],
        [0, 0],
      ]),
    ).toMatchObject({ value: null, reason: 'no-items' });
  });

  it('one annotator (or none)', () => {
    const solo = table([['x'], ['y']], ['a']);
    expect(fleissKappa(solo)).toMatchObject({ value: null, reason: 'too-few-annotators' });
    expect(percentAgreement(solo)).toMatchObject({ value: null, reason: 'too-few-annotators' });
    expect(krippendorffAlpha(solo)).toMatchObject({ value: null, reason: 'too-few-annotators' });
    expect(pairwiseCohenKappa(solo)).toEqual({ pairs: [], mean: { value: null, reason: 'too-few-annotators', pairs: 0 } });
    expect(fleissKappa(table([], []))).toMatchObject({ value: null, reason: 'too-few-annotators' });
  });

  it('no item rated twice', () => {
    const sparse = table([
      ['x', null],
      [null, 'y'],
    ]);
    expect(fleissKappa(sparse)).toMatchObject({ value: null, reason: 'no-items' });
    expect(krippendorffAlpha(sparse)).toMatchObject({ value: null, reason: 'no-items' });
    expect(percentAgreement(sparse)).toMatchObject({ value: null, reason: 'no-items' });
    expect(cohenKappaBetween(sparse, 0, 1)).toMatchObject({ value: null, reason: 'no-items' });
  });

  it('only one category used: agreement is perfect but chance agreement is too, so kappa and alpha are 0/0', () => {
    const same = table([
      ['x', 'x', 'x'],
      ['x', 'x', null],
    ]);
    expect(cohenKappaBetween(same, 0, 1)).toEqual({ value: null, reason: 'no-variation', items: 2, observedAgreement: 1, expectedAgreement: 1 });
    expect(cohenKappaBetween(same, 0, 1, { weights: 'quadratic' })).toMatchObject({ value: null, reason: 'no-variation' });
    expect(fleissKappa(same)).toEqual({ value: null, reason: 'no-variation', items: 2, observedAgreement: 1, expectedAgreement: 1 });
    expect(percentAgreement(same)).toEqual({ value: 1, reason: null, items: 2 });
    expect(pairwiseCohenKappa(same).mean).toEqual({ value: null, reason: 'no-variation', pairs: 0 });
    const numeric = table([
      [3, 3],
      [3, 3],
    ]);
    for (const level of LEVELS) {
      expect(krippendorffAlpha(numeric, level)).toEqual({
        value: null,
        reason: 'no-variation',
        level,
        units: 2,
        pairableValues: 4,
        observedDisagreement: 0,
        expectedDisagreement: 0,
      });
    }
    expect(bootstrapCohenKappa(same, 0, 1)).toMatchObject({ value: null, reason: 'no-variation', lower: null, upper: null });
  });

  it('each annotator sticks to a different single category: kappa is 0, not undefined', () => {
    expect(cohenKappa(['x', 'x', 'x'], ['y', 'y', 'y'])).toMatchObject({ value: 0, observedAgreement: 0, expectedAgreement: 0 });
  });

  it('kappa can be negative (systematic disagreement)', () => {
    expect(cohenKappa(['x', 'y', 'x', 'y'], ['y', 'x', 'y', 'x']).value).toBe(-1);
  });

  it('misuse throws instead of producing a number', () => {
    expect(() => cohenKappaBetween(table([['x', 'y']]), 0, 0)).toThrow(RangeError);
    expect(() => cohenKappaBetween(table([['x', 'y']]), 'a0', 'nobody')).toThrow(RangeError);
    expect(() => kappaFromContingency([[1, 2]])).toThrow(RangeError);
    expect(() =>
      kappaFromContingency([
        [1, -2],
        [0, 1],
      ]),
    ).toThrow(RangeError);
    expect(() => krippendorffAlpha(table([['x', 'y']]), 'interval')).toThrow(TypeError);
    expect(() => krippendorffAlpha(table([[-1, 2]]), 'ratio')).toThrow(RangeError);
  });

  it('the result type narrows on value', () => {
    const result = cohenKappa([1, 2], [1, 2]);
    const text = result.value === null ? `undefined: ${result.reason}` : result.value.toFixed(2);
    expect(text).toBe('1.00');
  });
});
