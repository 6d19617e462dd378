import { describe, expect, it } from 'vitest';
import {
  encodeColumns,
  encodeRatings,
  fleissKappa,
  MISSING,
  numericValue,
  orderCategories,
  ratingsFromColumns,
  toCodedRatings,
} from '../../../shared/domain/agreement';

describe('category order', () => {
  it('numbers and numeric strings sort by value; other strings by code units; an explicit order wins', () => {
    expect(orderCategories([10, 2, 1])).toEqual([1, 2, 10]);
    expect(orderCategories(['10', '2', '1.5'])).toEqual(['1.5', '2', '10']);
    expect(orderCategories(['退换货', 'b', 'a', '10', '投诉'])).toEqual(['10', 'a', 'b', '投诉', '退换货']);
    expect(orderCategories(['中性', '消极'], ['消极', '中性', '积极'])).toEqual(['消极', '中性', '积极']);
    expect(() => orderCategories([], ['a', 'a'])).toThrow(RangeError);
  });

  it('numericValue', () => {
    expect([numericValue(3), numericValue('2.5'), numericValue(' 4 '), numericValue(''), numericValue('abc'), numericValue(Infinity)]).toEqual([
      3,
      2.5,
      4,
      null,
      null,
      null,
    ]);
  });
});

describe('encoding ratings', () => {
  it('codes are ranks in the category order; null, undefined, NaN and short rows are missing', () => {
    const coded = encodeRatings({
      annotators: ['a', 'b', 'c'],
      items: [
        { id: 'i1', values: [3, 1, null] },
        { id: 'i2', values: [undefined, Number.NaN, 2] },
        { id: 'i3', values: [1] },
      ],
    });
    expect(coded.categories).toEqual([1, 2, 3]);
    expect(coded.itemIds).toEqual(['i1', 'i2', 'i3']);
    expect(Array.from(coded.codes)).toEqual([2, 0, MISSING, MISSING, MISSING, 1, 0, MISSING, MISSING]);
  });

  it('an explicit order may include unused categories and must include every used one', () => {
    const ratings = { annotators: ['a', 'b'], items: [{ id: '1', values: ['low', 'high'] }] };
    expect(encodeRatings(ratings, { categories: ['low', 'mid', 'high'] }).codes).toEqual(Int32Array.from([0, 2]));
    expect(() => encodeRatings(ratings, { categories: ['low'] })).toThrow(/not in the given category order/);
  });

  it('rejects rows longer than the annotator list', () => {
    expect(() => encodeRatings({ annotators: ['a'], items: [{ id: 'x', values: [1, 2] }] })).toThrow(RangeError);
  });

  it('columns encode the same as rows', () => {
    const columns = { a: [1, 2, null, 3], b: [1, 3, 2, null], c: [2, 2, 2, 3] };
    const fromColumns = encodeColumns(Object.values(columns), { annotators: Object.keys(columns) });
    const fromRows = encodeRatings(ratingsFromColumns(columns));
    expect(fromColumns.codes).toEqual(fromRows.codes);
    expect(fromColumns.annotators).toEqual(['a', 'b', 'c']);
    expect(fleissKappa(fromColumns)).toEqual(fleissKappa(fromRows));
  });

  it('already-coded ratings pass through, but not with a different order', () => {
    const coded = encodeRatings({ annotators: ['a', 'b'], items: [{ id: '1', values: ['x', 'y'] }] });
    expect(toCodedRatings(coded)).toBe(coded);
    expect(toCodedRatings(coded, { categories: ['x', 'y'] })).toBe(coded);
    expect(() => toCodedRatings(coded, { categories: ['y', 'x'] })).toThrow(RangeError);
  });
});
