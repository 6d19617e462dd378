import { describe, expect, it } from 'vitest';
import { clusterSpans, clusterTopShare, disagreementScore, tally, type Vote } from '../../../shared/domain/adjudication';

function field(values: number[]): { topShare: number; versions: number } {
  const votes: Vote[] = values.map((value, rater) => ({ rater, value }));
  return { topShare: tally(votes)[0]!.count / votes.length, versions: votes.length };
}

describe('disagreementScore', () => {
  it('is 0 when every field is unanimous, and for no fields', () => {
    expect(disagreementScore([field([1, 1, 1]), field([0, 0, 0]), { topShare: 1, versions: 2 }])).toBe(0);
    expect(disagreementScore([])).toBe(0);
  });

  it('is 1 for two versions that disagree, and for any split of one vote per answer', () => {
    expect(disagreementScore([field([0, 1])])).toBe(1);
    expect(disagreementScore([field([0, 1, 2])])).toBeCloseTo(1, 15);
    expect(disagreementScore([field([0, 1, 2, 3, 4])])).toBeCloseTo(1, 15);
    expect(disagreementScore([field([0, 1]), field([2, 3])])).toBe(1);
  });

  it('follows the formula: mean of (1 - top share) / (1 - 1 / versions)', () => {
    // 2–1 of three: (1/3) / (2/3) = 1/2. 2–2 of four: (1/2) / (3/4) = 2/3. 3–1 of four: (1/4) / (3/4) = 1/3.
    expect(disagreementScore([field([0, 0, 1])])).toBeCloseTo(0.5, 15);
    expect(disagreementScore([field([0, 0, 1, 1])])).toBeCloseTo(2 / 3, 15);
    expect(disagreementScore([field([0, 0, 0, 1])])).toBeCloseTo(1 / 3, 15);
    expect(disagreementScore([field([0, 0, 1]), field([0, 0, 0]), field([0, 1])])).toBeCloseTo((0.5 + 0 + 1) / 3, 15);
  });

  it('stays within [0, 1] and grows as the top answer loses votes', () => {
    for (const versions of [2, 3, 5, 10]) {
      let previous = -1;
      for (let top = versions; top >= 1; top--) {
        const score = disagreementScore([{ topShare: top / versions, versions }]);
        expect(score).toBeGreaterThan(previous);
        expect(score).toBeGreaterThanOrEqual(0);
        expect(score).toBeLessThanOrEqual(1);
        previous = score;
      }
      expect(previous).toBeCloseTo(1, 15);
      // A top share below 1 / versions (possible only with inconsistent input) is clamped to 1.
      expect(disagreementScore([{ topShare: 0, versions }])).toBe(1);
    }
  });

  it('grows when one more field disagrees, and falls when a disagreeing field gets more agreement', () => {
    const agreed = field([1, 1, 1]);
    const split = field([1, 1, 2]);
    expect(disagreementScore([agreed, agreed])).toBeLessThan(disagreementScore([agreed, split]));
    expect(disagreementScore([agreed, split])).toBeLessThan(disagreementScore([split, split]));
    expect(disagreementScore([field([1, 1, 1, 2])])).toBeLessThan(disagreementScore([field([1, 1, 2, 2])]));
  });

  it('leaves out fields with fewer than two versions instead of counting them as agreement', () => {
    expect(disagreementScore([field([0, 1]), { topShare: 1, versions: 1 }])).toBe(1);
    expect(
      disagreementScore([
        { topShare: 1, versions: 1 },
        { topShare: 1, versions: 0 },
      ]),
    ).toBe(0);
  });

  it('takes span clusters through their top share, "no span" votes included', () => {
    // Three versions: all mark [0, 2); only version 0 marks [5, 7), which two versions leave empty.
    const clusters = clusterSpans([
      { version: 0, start: 0, end: 2, label: 'PER' },
      { version: 1, start: 0, end: 2, label: 'PER' },
      { version: 2, start: 0, end: 2, label: 'PER' },
      { version: 0, start: 5, end: 7, label: 'LOC' },
    ]);
    const fields = clusters.map((c) => ({ topShare: clusterTopShare(c, 3), versions: 3 }));
    expect(fields.map((f) => f.topShare)).toEqual([1, 2 / 3]);
    expect(disagreementScore(fields)).toBeCloseTo((0 + 0.5) / 2, 15);
  });

  it('rejects shares outside [0, 1] and non-integer version counts', () => {
    expect(() => disagreementScore([{ topShare: 1.2, versions: 2 }])).toThrow(RangeError);
    expect(() => disagreementScore([{ topShare: Number.NaN, versions: 2 }])).toThrow(RangeError);
    expect(() => disagreementScore([{ topShare: 0.5, versions: 2.5 }])).toThrow(RangeError);
  });
});
