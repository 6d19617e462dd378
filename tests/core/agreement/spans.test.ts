import { describe, expect, it } from 'vitest';
import { matchItemSpans, pairwiseSpanAgreement, spanAgreement, type SpanItem } from '../../../shared/domain/agreement';
import { codePointLength } from '../../../shared/domain/spans';

const span = (start: number, end: number, label: string) => ({ start, end, label });
const one = (reference: SpanItem['reference'], candidate: SpanItem['candidate']) => spanAgreement([{ id: 'i', reference, candidate }]);

describe('span agreement: matching', () => {
  it('exact match', () => {
    const r = one([span(0, 3, 'ORDER')], [span(0, 3, 'ORDER')]);
    expect(r.exact).toEqual({ truePositives: 1, reference: 1, candidate: 1, precision: 1, recall: 1, f1: 1 });
    expect(r.overlap.f1).toBe(1);
    expect(r.disagreements).toEqual([]);
  });

  it('boundary: same label, overlapping, different offsets -> overlap match, not exact', () => {
    const r = one([span(0, 5, 'PRODUCT')], [span(1, 5, 'PRODUCT')]);
    expect(r.exact.f1).toBe(0);
    expect(r.overlap.f1).toBe(1);
    expect(r.counts).toEqual({ boundary: 1, type: 0, missingInCandidate: 0, missingInReference: 0 });
    expect(r.disagreements).toEqual([{ kind: 'boundary', itemId: 'i', reference: span(0, 5, 'PRODUCT'), candidate: span(1, 5, 'PRODUCT') }]);
  });

  it('type: same range (or overlapping), different label; counted under both labels, once overall', () => {
    const r = one([span(0, 4, 'DATE')], [span(0, 4, 'PHONE')]);
    expect(r.exact.truePositives + r.overlap.truePositives).toBe(0);
    expect(r.counts.type).toBe(1);
    expect(r.disagreements).toEqual([{ kind: 'type', itemId: 'i', reference: span(0, 4, 'DATE'), candidate: span(0, 4, 'PHONE') }]);
    expect(r.perLabel.map((l) => [l.label, l.type, l.exact.reference, l.exact.candidate])).toEqual([
      ['DATE', 1, 1, 0],
      ['PHONE', 1, 0, 1],
    ]);
    expect(one([span(0, 4, 'DATE')], [span(2, 6, 'PHONE')]).counts.type).toBe(1);
  });

  it('missing, on either side; touching end-exclusive spans do not overlap', () => {
    const r = one([span(0, 3, 'NAME'), span(10, 12, 'NAME')], [span(3, 5, 'NAME')]);
    expect(r.counts).toEqual({ boundary: 0, type: 0, missingInCandidate: 2, missingInReference: 1 });
    expect(r.disagreements).toContainEqual({ kind: 'missing', itemId: 'i', onlyIn: 'reference', span: span(10, 12, 'NAME') });
    expect(r.disagreements).toContainEqual({ kind: 'missing', itemId: 'i', onlyIn: 'candidate', span: span(3, 5, 'NAME') });
    expect(r.overlap).toMatchObject({ truePositives: 0, precision: 0, recall: 0, f1: 0 });
  });

  it('one-to-one: two candidate spans inside one reference span -> one TP (largest overlap), one FP', () => {
    const r = one([span(0, 10, 'PRODUCT')], [span(0, 4, 'PRODUCT'), span(5, 10, 'PRODUCT')]);
    expect(r.overlap).toEqual({ truePositives: 1, reference: 1, candidate: 2, precision: 0.5, recall: 1, f1: 2 / 3 });
    expect(r.disagreements).toEqual([
      { kind: 'boundary', itemId: 'i', reference: span(0, 10, 'PRODUCT'), candidate: span(5, 10, 'PRODUCT') },
      { kind: 'missing', itemId: 'i', onlyIn: 'candidate', span: span(0, 4, 'PRODUCT') },
    ]);
  });

  it('an identical span wins a tie in overlap, so exact matches are never lost to a looser pairing', () => {
    const r = one([span(0, 5, 'X')], [span(0, 8, 'X'), span(0, 5, 'X')]);
    expect(r.exact.truePositives).toBe(1);
    expect(r.disagreements).toEqual([{ kind: 'missing', itemId: 'i', onlyIn: 'candidate', span: span(0, 8, 'X') }]);
    const m = matchItemSpans([span(0, 5, 'X'), span(0, 8, 'X')], [span(0, 5, 'X')]);
    expect(m.matched).toEqual([{ reference: 0, candidate: 0, exact: true }]);
  });

  it('same-label pairing comes before type pairing', () => {
    const r = one([span(0, 5, 'PER')], [span(0, 5, 'ORG'), span(0, 3, 'PER')]);
    expect(r.counts).toEqual({ boundary: 1, type: 0, missingInCandidate: 0, missingInReference: 1 });
  });

  it('duplicates pair one-to-one', () => {
    const r = one([span(0, 3, 'X'), span(0, 3, 'X')], [span(0, 3, 'X')]);
    expect(r.exact).toMatchObject({ truePositives: 1, precision: 1, recall: 0.5 });
    expect(r.counts.missingInCandidate).toBe(1);
  });

  it('offsets are code points, end exclusive: a span after an emoji is compared by its code-point offsets', () => {
    const text = '😡订单DD123';
    expect(codePointLength(text)).toBe(8);
    expect(one([span(3, 8, 'ORDER')], [span(3, 8, 'ORDER')]).exact.f1).toBe(1);
  });

  it('rejects malformed spans', () => {
    expect(() => one([span(3, 3, 'X')], [])).toThrow(RangeError);
    expect(() => one([], [span(-1, 2, 'X')])).toThrow(RangeError);
    expect(() => one([span(0.5, 2, 'X')], [])).toThrow(RangeError);
  });
});

describe('span agreement: empty inputs (F1 is null only when there is nothing on either side)', () => {
  it('no items', () => {
    const r = spanAgreement([]);
    expect(r).toMatchObject({ items: 0, itemsWithoutSpans: 0, perLabel: [], disagreements: [] });
    expect(r.exact).toEqual({ truePositives: 0, reference: 0, candidate: 0, precision: null, recall: null, f1: null });
  });

  it('both sides empty: agreement on "no entities" is counted, scores stay null', () => {
    const r = one([], []);
    expect(r.itemsWithoutSpans).toBe(1);
    expect(r.overlap).toMatchObject({ precision: null, recall: null, f1: null });
  });

  it('one side empty: precision or recall is null (0/0), F1 is 0', () => {
    expect(one([], [span(0, 2, 'X')]).exact).toMatchObject({ precision: 0, recall: null, f1: 0 });
    expect(one([span(0, 2, 'X')], []).exact).toMatchObject({ precision: null, recall: 0, f1: 0 });
  });
});

describe('span agreement: aggregation', () => {
  const items: SpanItem[] = [
    { id: 'a', reference: [span(0, 4, 'ORDER'), span(6, 8, 'DATE')], candidate: [span(0, 4, 'ORDER'), span(6, 9, 'DATE')] },
    { id: 'b', reference: [span(2, 5, 'PHONE')], candidate: [span(2, 5, 'ORDER')] },
    { id: 'c', reference: [span(0, 3, 'DATE')], candidate: [] },
    { id: 'd', reference: [], candidate: [span(1, 2, 'ORDER')] },
  ];
  const r = spanAgreement(items);

  it('micro scores over all labels', () => {
    expect(r.exact).toEqual({ truePositives: 1, reference: 4, candidate: 4, precision: 0.25, recall: 0.25, f1: 0.25 });
    expect(r.overlap).toEqual({ truePositives: 2, reference: 4, candidate: 4, precision: 0.5, recall: 0.5, f1: 0.5 });
    expect(r.counts).toEqual({ boundary: 1, type: 1, missingInCandidate: 1, missingInReference: 1 });
  });

  it('per label', () => {
    const byLabel = Object.fromEntries(r.perLabel.map((l) => [l.label, l]));
    expect(Object.keys(byLabel)).toEqual(['DATE', 'ORDER', 'PHONE']);
    expect(byLabel.ORDER!.exact).toMatchObject({ truePositives: 1, reference: 1, candidate: 3, precision: 1 / 3, recall: 1 });
    expect(byLabel.ORDER).toMatchObject({ type: 1, missingInReference: 1, boundary: 0 });
    expect(byLabel.DATE!.overlap).toMatchObject({ truePositives: 1, reference: 2, candidate: 1, recall: 0.5, precision: 1 });
    expect(byLabel.DATE).toMatchObject({ boundary: 1, missingInCandidate: 1 });
    expect(byLabel.PHONE!.overlap).toMatchObject({ truePositives: 0, reference: 1, candidate: 0, precision: null, recall: 0, f1: 0 });
  });

  it('every span that is not an exact match appears in exactly one disagreement', () => {
    const spansInDisagreements = r.disagreements.reduce((n, d) => n + (d.kind === 'missing' ? 1 : 2), 0);
    expect(spansInDisagreements).toBe(r.exact.reference + r.exact.candidate - 2 * r.exact.truePositives);
  });
});

describe('pairwise span agreement', () => {
  it('every pair of annotators, over the items both annotated', () => {
    const pairs = pairwiseSpanAgreement({
      annotators: ['A', 'B', 'C'],
      items: [
        { id: '1', spans: [[span(0, 2, 'X')], [span(0, 2, 'X')], [span(0, 3, 'X')]] },
        { id: '2', spans: [[span(4, 6, 'Y')], null, []] },
      ],
    });
    expect(pairs.map((p) => [p.first, p.second, p.agreement.items, p.agreement.exact.f1])).toEqual([
      ['A', 'B', 1, 1],
      ['A', 'C', 2, 0],
      ['B', 'C', 1, 0],
    ]);
    expect(pairs[1]!.agreement.overlap.f1).toBeCloseTo(2 / 3, 12);
  });
});
