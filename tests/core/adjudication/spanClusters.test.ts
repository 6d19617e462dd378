import { describe, expect, it } from 'vitest';
import { clusterExtents, clusterSpans, clusterTopShare, resolveCluster, type SpanCluster, type VersionSpan } from '../../../shared/domain/adjudication';
import { codePointLength } from '../../../shared/domain/spans';

function span(version: number, start: number, end: number, label = 'PER'): VersionSpan {
  return { version, start, end, label };
}

describe('clusterSpans', () => {
  it('merges a chain of overlaps into one cluster even when its ends do not overlap', () => {
    // A [0, 4) overlaps B [3, 8), which overlaps C [7, 10); A and C share nothing.
    const clusters = clusterSpans([span(2, 7, 10, 'LOC'), span(0, 0, 4), span(1, 3, 8, 'ORG')]);
    expect(clusters).toHaveLength(1);
    const [cluster] = clusters;
    expect(cluster!.key).toBe('0-10');
    expect([cluster!.start, cluster!.end]).toEqual([0, 10]);
    expect(cluster!.versions).toEqual([0, 1, 2]);
    expect(cluster!.candidates).toEqual([
      { start: 0, end: 4, label: 'PER', versions: [0] },
      { start: 3, end: 8, label: 'ORG', versions: [1] },
      { start: 7, end: 10, label: 'LOC', versions: [2] },
    ]);
  });

  it('keeps touching spans (end == start) apart: they share no code point', () => {
    const clusters = clusterSpans([span(0, 0, 3), span(1, 3, 6), span(2, 6, 7)]);
    expect(clusters.map((c) => c.key)).toEqual(['0-3', '3-6', '6-7']);
    expect(clusters.map((c) => c.versions)).toEqual([[0], [1], [2]]);
  });

  it('merges spans sharing a single code point, and a span nested inside a longer one', () => {
    expect(clusterSpans([span(0, 0, 3), span(1, 2, 5)]).map((c) => c.key)).toEqual(['0-5']);
    // The long span keeps the cluster open past the short one: [1, 2) ends before [4, 6) starts, [0, 10) does not.
    expect(clusterSpans([span(0, 0, 10), span(1, 1, 2), span(1, 4, 6)]).map((c) => c.key)).toEqual(['0-10']);
  });

  it('groups identical proposals into one candidate, most versions first, and sorts clusters by start', () => {
    const clusters = clusterSpans([
      span(3, 20, 24, 'LOC'),
      span(1, 2, 5, 'ORG'),
      span(0, 0, 5),
      span(2, 0, 5),
      span(1, 0, 5),
      span(2, 0, 5),
      span(0, 21, 24, 'LOC'),
    ]);
    expect(clusters.map((c) => c.key)).toEqual(['0-5', '20-24']);
    expect(clusters[0]!.candidates).toEqual([
      { start: 0, end: 5, label: 'PER', versions: [0, 1, 2] },
      { start: 2, end: 5, label: 'ORG', versions: [1] },
    ]);
    expect(clusters[0]!.versions).toEqual([0, 1, 2]);
    // Equal counts: by start, then end, then label.
    expect(clusters[1]!.candidates.map((c) => [c.start, c.label, c.versions])).toEqual([
      [20, 'LOC', [3]],
      [21, 'LOC', [0]],
    ]);
    expect(clusters[1]!.versions).toEqual([0, 3]);
  });

  it('takes the same extent with different labels as different candidates', () => {
    const [cluster] = clusterSpans([span(0, 4, 8, 'PER'), span(1, 4, 8, 'ORG'), span(2, 4, 8, 'PER')]);
    expect(cluster!.candidates.map((c) => [c.label, c.versions])).toEqual([
      ['PER', [0, 2]],
      ['ORG', [1]],
    ]);
  });

  it('works on code-point offsets as plain numbers: Chinese and emoji need no string handling', () => {
    // "张三在😀北京" in code points: 张0 三1 在2 😀3 北4 京5 (the emoji is 2 UTF-16 units but one code point).
    const text = '张三在😀北京';
    expect(codePointLength(text)).toBe(6);
    expect(text.length).toBe(7);
    const clusters = clusterSpans([span(0, 0, 2), span(1, 0, 3), span(0, 4, 6, 'LOC'), span(1, 3, 6, 'LOC'), span(2, 4, 6, 'LOC')]);
    expect(clusters.map((c) => c.key)).toEqual(['0-3', '3-6']);
    expect(clusters[1]!.candidates.map((c) => [c.start, c.end, c.versions])).toEqual([
      [4, 6, [0, 2]],
      [3, 6, [1]],
    ]);
  });

  it('is empty for no spans and rejects invalid offsets', () => {
    expect(clusterSpans([])).toEqual([]);
    expect(() => clusterSpans([span(0, 3, 3)])).toThrow(RangeError);
    expect(() => clusterSpans([span(0, -1, 2)])).toThrow(RangeError);
    expect(() => clusterSpans([span(0, 0.5, 2)])).toThrow(RangeError);
    expect(() => clusterSpans([span(0.5, 0, 2)])).toThrow(RangeError);
  });
});

describe('resolveCluster', () => {
  function only(spans: VersionSpan[]): SpanCluster {
    const clusters = clusterSpans(spans);
    expect(clusters).toHaveLength(1);
    return clusters[0]!;
  }

  it('picks the candidate a majority of all versions proposed', () => {
    const cluster = only([span(0, 0, 4), span(1, 0, 4), span(2, 0, 3)]);
    expect(resolveCluster(cluster, 3, 0.5)).toEqual({ kind: 'span', candidate: { start: 0, end: 4, label: 'PER', versions: [0, 1] } });
    // 2 of 3 is below a 0.7 threshold. With a fourth version that marked nothing here: 2 of 4 against 1 and 1.
    expect(resolveCluster(cluster, 3, 0.7)).toBeNull();
    expect(resolveCluster(cluster, 4, 0.5)).toEqual({ kind: 'span', candidate: cluster.candidates[0] });
    expect(resolveCluster(cluster, 4, 0.51)).toBeNull();
  });

  it('counts versions with no span in the cluster as votes for "no span", which can win', () => {
    // Only version 0 of 3 marked anything here.
    const cluster = only([span(0, 5, 9, 'LOC')]);
    expect(resolveCluster(cluster, 3, 0.5)).toEqual({ kind: 'none' });
    expect(clusterTopShare(cluster, 3)).toBeCloseTo(2 / 3, 15);
    // Under a unanimity threshold "no span" (2 of 3) is not enough either.
    expect(resolveCluster(cluster, 3, 1)).toBeNull();
    // Alone, the single version's span is unanimous.
    expect(resolveCluster(cluster, 1, 1)).toEqual({ kind: 'span', candidate: cluster.candidates[0] });
  });

  it('disputes ties: between candidates, and between a candidate and "no span"', () => {
    const twoWays = only([span(0, 0, 4), span(1, 0, 4), span(2, 1, 4), span(3, 1, 4)]);
    expect(resolveCluster(twoWays, 4, 0)).toBeNull();
    expect(clusterTopShare(twoWays, 4)).toBe(0.5);
    const spanOrNot = only([span(0, 0, 4), span(1, 0, 4)]);
    expect(resolveCluster(spanOrNot, 4, 0)).toBeNull();
    // The two-way tie with a third, smaller option does not matter: 2 + 2 + 1 of 5.
    expect(resolveCluster(only([span(0, 0, 4), span(1, 0, 4), span(2, 2, 3)]), 5, 0)).toBeNull();
    expect(resolveCluster(only([span(0, 0, 4), span(1, 0, 4), span(2, 2, 3)]), 4, 0)).toEqual({
      kind: 'span',
      candidate: { start: 0, end: 4, label: 'PER', versions: [0, 1] },
    });
  });

  it('lets a version with two spans in the cluster vote for both, so nested spans everyone agrees on tie', () => {
    const cluster = only([span(0, 0, 6, 'ORG'), span(0, 0, 2, 'LOC'), span(1, 0, 6, 'ORG'), span(1, 0, 2, 'LOC')]);
    expect(cluster.versions).toEqual([0, 1]);
    expect(clusterTopShare(cluster, 2)).toBe(1);
    expect(resolveCluster(cluster, 2, 0.5)).toBeNull();
  });

  it('rejects a version count smaller than the versions present, and bad thresholds', () => {
    const cluster = only([span(0, 0, 4), span(1, 0, 4)]);
    expect(() => resolveCluster(cluster, 1, 0.5)).toThrow(RangeError);
    expect(() => clusterTopShare(cluster, 1.5)).toThrow(RangeError);
    expect(() => resolveCluster(cluster, 2, 2)).toThrow(RangeError);
  });
});

describe('clusterExtents', () => {
  it('gives the extents of clusterSpans, in the same order, on random overlapping spans', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let round = 0; round < 300; round++) {
      const spans = Array.from({ length: Math.floor(random() * 8) }, (_, i) => {
        const start = Math.floor(random() * 30);
        return span(i % 3, start, start + 1 + Math.floor(random() * 6));
      });
      expect(clusterExtents(spans)).toEqual(clusterSpans(spans).map((c) => ({ start: c.start, end: c.end })));
    }
    expect(clusterExtents([span(0, 0, 2), span(1, 2, 4)])).toEqual([{ start: 0, end: 2 }, { start: 2, end: 4 }]);
    expect(() => clusterExtents([span(0, 3, 3)])).toThrow(RangeError);
  });
});
