import { describe, expect, it } from 'vitest';
import {
  binaryLabelRatings,
  cohenKappa,
  fleissKappa,
  krippendorffAlpha,
  multiLabelAgreement,
  type MultiLabelRatings,
} from '../../../shared/domain/agreement';

// Two annotators, five utterances; B skipped u4.
const data: MultiLabelRatings = {
  annotators: ['A', 'B'],
  items: [
    { id: 'u1', labels: [['退换货', '投诉'], ['退换货']] },
    { id: 'u2', labels: [['查询订单'], ['查询订单']] },
    { id: 'u3', labels: [[], ['投诉']] },
    { id: 'u4', labels: [['退换货'], null] },
    {
      id: 'u5',
      labels: [
        ['查询订单', '投诉'],
        ['投诉', '查询订单'],
      ],
    },
  ],
};

describe('multi-label agreement, per label as yes/no', () => {
  const result = multiLabelAgreement(data);
  const byLabel = new Map(result.map((r) => [r.label, r]));

  it('reports every label used, in code-unit order', () => {
    expect(result.map((r) => r.label)).toEqual(['投诉', '查询订单', '退换货'].sort());
  });

  it('投诉 (complaint): A says yes on u1, u5; B on u3, u5 -> agreement 0.5, kappa 0', () => {
    const r = byLabel.get('投诉')!;
    expect(r.present).toBe(4);
    expect(r.ratings).toBe(9);
    expect(r.percentAgreement).toEqual({ value: 0.5, reason: null, items: 4 });
    expect(r.cohenKappa.mean.value).toBeCloseTo(0, 12);
    expect(r.cohenKappa.pairs[0]).toMatchObject({ first: 'A', second: 'B', items: 4 });
    expect(r.cohenKappa.mean.value).toBeCloseTo(cohenKappa([1, 0, 0, 1], [0, 0, 1, 1]).value!, 12);
    expect(r.fleissKappa.value).toBeCloseTo(
      fleissKappa({
        annotators: ['A', 'B'],
        items: [
          [1, 0],
          [0, 0],
          [0, 1],
          [1, 1],
        ].map((values, i) => ({ id: String(i), values })),
      }).value!,
      12,
    );
  });

  it('查询订单 and 退换货: perfect agreement on the items both rated (u4 is not paired)', () => {
    expect(byLabel.get('查询订单')!.cohenKappa.mean.value).toBe(1);
    const refund = byLabel.get('退换货')!;
    expect(refund.cohenKappa.mean.value).toBe(1);
    expect(refund.krippendorffAlpha).toMatchObject({ value: 1, units: 4 });
    expect(refund.present).toBe(3);
  });

  it('a requested label nobody used: no variation, agreement 1; unrequested labels are ignored', () => {
    const [other] = multiLabelAgreement(data, { labels: ['转人工'] });
    expect(other!.label).toBe('转人工');
    expect(other!.present).toBe(0);
    expect(other!.percentAgreement.value).toBe(1);
    expect(other!.cohenKappa.mean).toMatchObject({ value: null, reason: 'no-variation' });
    expect(other!.fleissKappa).toMatchObject({ value: null, reason: 'no-variation' });
  });

  it('binary tables: 1 = chose the label, 0 = rated the item without it, missing = did not rate it', () => {
    const [complaint] = binaryLabelRatings(data, ['投诉']);
    expect(complaint!.ratings.categories).toEqual([0, 1]);
    expect(Array.from(complaint!.ratings.codes)).toEqual([1, 0, 0, 0, 0, 1, 0, -1, 1, 1]);
    expect(krippendorffAlpha(complaint!.ratings).value).toBe(byLabel.get('投诉')!.krippendorffAlpha.value);
  });

  it('more than two annotators: Fleiss, alpha and the mean of pairwise Cohen per label', () => {
    const three: MultiLabelRatings = {
      annotators: ['A', 'B', 'C'],
      items: [
        { id: '1', labels: [['x'], ['x'], ['x', 'y']] },
        { id: '2', labels: [['y'], ['x', 'y'], ['y']] },
        { id: '3', labels: [[], ['x'], []] },
        { id: '4', labels: [['x', 'y'], ['x', 'y'], undefined] },
      ],
    };
    const [x, y] = multiLabelAgreement(three);
    expect(x!.cohenKappa.pairs.map((p) => `${p.first}-${p.second}`)).toEqual(['A-B', 'A-C', 'B-C']);
    expect(x!.fleissKappa.items).toBe(4);
    expect(y!.krippendorffAlpha.pairableValues).toBe(11);
  });

  it('rejects rows longer than the annotator list', () => {
    expect(() => multiLabelAgreement({ annotators: ['A'], items: [{ id: '1', labels: [['x'], ['y']] }] })).toThrow(RangeError);
  });
});
