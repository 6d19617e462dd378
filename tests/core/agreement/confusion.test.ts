import { describe, expect, it } from 'vitest';
import {
  coincidenceMatrix,
  confusionMatrix,
  confusionMatrixBetween,
  kappaFromContingency,
  cohenKappa,
  mostConfusedPairs,
} from '../../../shared/domain/agreement';
import { diagnosesRater, diagnosesRatings, KRIPPENDORFF_2011, ratingsFromCoderRows } from './fixtures';

describe('confusion matrix between two annotators', () => {
  const a = ['投诉', '投诉', '咨询活动', '查询订单', '投诉', '退换货', null, '查询订单'];
  const b = ['投诉', '退换货', '咨询活动', '投诉', '退换货', '退换货', '投诉', null];

  it('rows are the first annotator, columns the second; items either skipped are left out', () => {
    const m = confusionMatrix(a, b, { categories: ['查询订单', '投诉', '咨询活动', '退换货'] });
    expect(m.items).toBe(6);
    expect(m.counts).toEqual([
      [0, 1, 0, 0],
      [0, 1, 0, 2],
      [0, 0, 1, 0],
      [0, 0, 0, 1],
    ]);
  });

  it('most confused pairs: both directions summed, most first, never-confused pairs left out', () => {
    const m = confusionMatrix(a, b, { categories: ['查询订单', '投诉', '咨询活动', '退换货'] });
    expect(mostConfusedPairs(m)).toEqual([
      { categories: ['投诉', '退换货'], count: 2, firstChoseFirst: 2, firstChoseSecond: 0 },
      { categories: ['查询订单', '投诉'], count: 1, firstChoseFirst: 1, firstChoseSecond: 0 },
    ]);
    expect(mostConfusedPairs(m, 1)).toHaveLength(1);
  });

  it('kappa of the matrix is the kappa of the ratings', () => {
    const m = confusionMatrixBetween(diagnosesRatings(), 'r2', 'r3');
    expect(m.categories).toEqual([1, 2, 3, 4, 5]);
    expect(kappaFromContingency(m.counts).value).toBeCloseTo(cohenKappa(diagnosesRater(2), diagnosesRater(3)).value!, 12);
  });
});

describe('coincidence matrix (any number of annotators)', () => {
  it('Krippendorff (2011) example: marginals 9, 13, 10, 5, 3 and n = 40', () => {
    const o = coincidenceMatrix(ratingsFromCoderRows(KRIPPENDORFF_2011));
    expect(o.items).toBe(11);
    const marginals = o.counts.map((row) => row.reduce((s, v) => s + v, 0));
    [9, 13, 10, 5, 3].forEach((n, c) => expect(marginals[c]).toBeCloseTo(n, 12));
    expect(o.counts.map((row, c) => row[c])).toEqual([7, 10, 8, 4, 3]);
    expect(o.counts[0]![1]).toBeCloseTo(4 / 3, 12);
    o.counts.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(o.counts[j]![i]!, 12)));
    expect(mostConfusedPairs(o, 1)[0]!.categories).toEqual([1, 2]);
  });
});
