import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/contract/errors';
import { mulberry32 } from '../../../shared/domain/agreement/prng';
import { DedupIndex } from '../../../electron/core/export/dedup';
import {
  assignSplits,
  maxLabelShareDeviation,
  NO_SPLIT,
  SPLIT_NAMES,
  type SplitAssignment,
  UnitBuilder,
  type Units,
} from '../../../electron/core/export/splits';

interface Item {
  labels: number[];
  group: string;
}

/**
 * Dialogues of 1…maxTurns turns; intents Zipf-distributed over `labelCount`, each dialogue mostly about its
 * two topics (so labels are correlated within a unit); 10% of turns unlabelled, 20% with a second label.
 */
function dialogues(items: number, seed: number, labelCount = 30, maxTurns = 12): Item[] {
  const rand = mulberry32(seed);
  const weights = Array.from({ length: labelCount }, (_, i) => 1 / (i + 1));
  const sum = weights.reduce((a, b) => a + b);
  const pick = (): number => {
    let x = rand() * sum;
    for (let i = 0; i < labelCount; i++) if ((x -= weights[i]!) <= 0) return i;
    return labelCount - 1;
  };
  const out: Item[] = [];
  for (let d = 0; out.length < items; d++) {
    const topics = [pick(), pick()];
    const turns = 1 + Math.floor(rand() * maxTurns);
    for (let t = 0; t < turns && out.length < items; t++) {
      const labels: number[] = [];
      if (rand() >= 0.1) {
        labels.push(rand() < 0.6 ? topics[0]! : rand() < 0.5 ? topics[1]! : pick());
        if (rand() < 0.2) labels.push(pick());
      }
      out.push({ labels, group: `dlg-${d}` });
    }
  }
  return out;
}

function unitsOf(items: Item[]): Units {
  const b = new UnitBuilder();
  items.forEach((it, i) => b.add(i, it));
  return b.finish();
}

function labelShares(
  items: Item[],
  splitOf: Uint8Array,
  labelCount: number,
): { overall: number[]; perSplit: number[][]; sizes: number[]; totals: number[] } {
  const totals = new Array<number>(labelCount).fill(0);
  const counts = [0, 1, 2].map(() => new Array<number>(labelCount).fill(0));
  const sizes = [0, 0, 0];
  items.forEach((it, i) => {
    const j = splitOf[i]!;
    sizes[j]!++;
    for (const l of new Set(it.labels)) {
      totals[l]!++;
      counts[j]![l]!++;
    }
  });
  return {
    overall: totals.map((t) => t / items.length),
    perSplit: counts.map((row, j) => row.map((c) => (sizes[j]! ? c / sizes[j]! : Number.NaN))),
    sizes,
    totals,
  };
}

/** Every group key's items are in one split. */
function expectGroupsWhole(items: Item[], splitOf: Uint8Array): void {
  const seen = new Map<string, number>();
  items.forEach((it, i) => {
    const j = splitOf[i]!;
    expect(j).not.toBe(NO_SPLIT);
    const prev = seen.get(it.group);
    if (prev === undefined) seen.set(it.group, j);
    else expect(j, `group ${it.group}`).toBe(prev);
  });
}

describe('UnitBuilder', () => {
  it('merges items by group key and by duplicate cluster, transitively; units numbered by smallest item', () => {
    const b = new UnitBuilder();
    b.add(0, { group: 'a', labels: [1] });
    b.add(1, { group: 'b', labels: [2], cluster: 7 });
    b.add(2, { group: 'a', labels: [1, 1, 3] });
    b.add(3, { group: 'c', labels: [] });
    b.add(4, { group: 'd', cluster: 7, labels: [2] });
    b.add(5, { group: 'd' });
    b.add(6, { labels: [0] });
    b.add(8, { group: 5 });
    b.add(9, { group: '5' });
    const u = b.finish();
    expect(Array.from(u.unitOf)).toEqual([0, 1, 0, 2, 1, 1, 3, -1, 4, 4]);
    expect(u).toMatchObject({ count: 5, items: 9, itemCount: 10, labelCount: 4, largest: 3 });
    expect(Array.from(u.size)).toEqual([2, 3, 1, 1, 2]);
    const labelsOf = (unit: number): [number, number][] =>
      Array.from(u.labelIds.subarray(u.labelStart[unit]!, u.labelStart[unit + 1]!)).map((l, k) => [l, u.labelItems[u.labelStart[unit]! + k]!]);
    expect(labelsOf(0)).toEqual([
      [1, 2],
      [3, 1],
    ]);
    expect(labelsOf(1)).toEqual([[2, 2]]);
    expect(labelsOf(2)).toEqual([]);
    expect(labelsOf(3)).toEqual([[0, 1]]);
  });

  it('rejects an item added twice and bad labels', () => {
    const b = new UnitBuilder();
    b.add(0);
    expect(() => b.add(0)).toThrow(/twice/);
    expect(() => b.add(1, { labels: [-1] })).toThrow(/label/);
    expect(() => b.add(2, { labels: [1.5] })).toThrow(/label/);
    expect(() => b.add(3, { cluster: 0.5 })).toThrow(/cluster/);
    b.add(1, { labels: [1] }); // the rejected calls added nothing
    expect(b.finish()).toMatchObject({ items: 2, count: 2, labelCount: 2 });
  });
});

describe('assignSplits: stratification', () => {
  const cases: [string, number, number, number][] = [
    ['5 000 turns in dialogues of 1–12', 5000, 30, 12],
    ['2 000 turns in dialogues of 1–8', 2000, 12, 8],
    ['20 000 single items, 60 labels', 20000, 60, 1],
  ];
  for (const [name, n, labelCount, maxTurns] of cases) {
    it(`${name}: each label (≥ 50 items) within 2 points of its overall share in every split; sizes near the ratios`, () => {
      const items = dialogues(n, n + labelCount, labelCount, maxTurns);
      const units = unitsOf(items);
      for (const ratios of [
        [0.8, 0.1, 0.1],
        [0.7, 0.15, 0.15],
        [0.6, 0.2, 0.2],
      ]) {
        const a = assignSplits(units, { ratios, seed: 42 });
        expectGroupsWhole(items, a.splitOf);
        const s = labelShares(items, a.splitOf, labelCount);
        let checked = 0;
        for (let l = 0; l < labelCount; l++) {
          if (s.totals[l]! < 50) continue;
          checked++;
          for (let j = 0; j < 3; j++)
            expect(Math.abs(s.perSplit[j]![l]! - s.overall[l]!), `label ${l} in ${SPLIT_NAMES[j]} (ratios ${ratios})`).toBeLessThanOrEqual(0.02);
        }
        expect(checked).toBeGreaterThan(5);
        for (let j = 0; j < 3; j++) expect(Math.abs(s.sizes[j]! / n - ratios[j]!)).toBeLessThanOrEqual(0.015);
        // the library's own report agrees with the independent count
        expect(a.sizes).toEqual(s.sizes);
        expect(maxLabelShareDeviation(a, 50).deviation).toBeLessThanOrEqual(0.02);
      }
    });
  }

  it('multi-label items count for each of their labels', () => {
    const b = new UnitBuilder();
    for (let i = 0; i < 1000; i++) b.add(i, { labels: i % 2 ? [0, 1] : [1] });
    const a = assignSplits(b.finish(), { ratios: [0.8, 0.1, 0.1], seed: 1 });
    expect(Array.from(a.labelTotals)).toEqual([500, 1000]);
    expect([a.labelCounts[0], a.labelCounts[2], a.labelCounts[4]]).toEqual([400, 50, 50]); // label 0 per split (index split × labelCount + label)
    expect(a.sizes).toEqual([800, 100, 100]);
  });

  it('a rare label (fewer than one item per split) is spread before the common ones', () => {
    const b = new UnitBuilder();
    for (let i = 0; i < 300; i++) b.add(i, { labels: i < 3 ? [1] : [0] });
    const a = assignSplits(b.finish(), { ratios: [1, 1, 1], seed: 9 });
    expect([a.labelCounts[1], a.labelCounts[3], a.labelCounts[5]]).toEqual([1, 1, 1]);
    expect(a.sizes).toEqual([100, 100, 100]);
  });
});

describe('assignSplits: groups and duplicate clusters', () => {
  it('near-duplicate survivors of different dialogues land in one split with both whole dialogues', () => {
    const base = [
      '您好我在贵店买的这款空气净化器用了三天就不能开机了请问怎么处理',
      '请问我上周五下的订单到现在还没有发货能不能帮我查一下物流信息呢',
      '我想把收货地址从北京市朝阳区改到海淀区中关村大街请问还来得及吗',
    ];
    const rand = mulberry32(8);
    const items: (Item & { text: string })[] = [];
    for (let d = 0; d < 400; d++) {
      const turns = 1 + Math.floor(rand() * 5);
      for (let t = 0; t < turns; t++) {
        const r = rand();
        // Some turns are (near) copies of a shared sentence, in many dialogues.
        const text =
          r < 0.05
            ? base[Math.floor(rand() * 3)]!
            : r < 0.08
              ? `${base[Math.floor(rand() * 3)]!.slice(0, 20)}订单号${d}`
              : `对话${d}第${t}句${Math.floor(rand() * 1e9)}`;
        items.push({ text, group: `d${d}`, labels: [Math.floor(rand() * 6)] });
      }
    }
    // Exact-only deduplication removes the exact copies; the near copies survive and must stay together.
    const dedup = new DedupIndex();
    items.forEach((it, i) => dedup.add(i, it.text));
    dedup.finish();
    const b = new UnitBuilder();
    items.forEach((it, i) => {
      if (dedup.isSurvivor(i, 'exact')) b.add(i, { labels: it.labels, group: it.group, cluster: dedup.clusterOf(i, 'near') });
    });
    const units = b.finish();
    const a = assignSplits(units, { ratios: [0.8, 0.1, 0.1], seed: 3 });
    const splitOfGroup = new Map<string, number>();
    const splitOfCluster = new Map<number, number>();
    let survivors = 0;
    items.forEach((it, i) => {
      const j = a.splitOf[i]!;
      if (!dedup.isSurvivor(i, 'exact')) return expect(j).toBe(NO_SPLIT);
      survivors++;
      expect(splitOfGroup.get(it.group) ?? j).toBe(j);
      splitOfGroup.set(it.group, j);
      const c = dedup.clusterOf(i, 'near');
      expect(splitOfCluster.get(c) ?? j).toBe(j);
      splitOfCluster.set(c, j);
    });
    expect(survivors).toBe(units.items);
    expect(dedup.counts().near_removed).toBeGreaterThan(dedup.counts().exact_removed);
    expect(units.largest).toBeGreaterThan(10); // the near copies chained their dialogues into one unit
  });
});

describe('assignSplits: reproducibility', () => {
  const items = dialogues(3000, 77);
  const units = unitsOf(items);

  it('the same seed gives the same splits; another seed other splits', () => {
    const a = assignSplits(units, { ratios: [0.8, 0.1, 0.1], seed: 123 });
    const b = assignSplits(units, { ratios: [0.8, 0.1, 0.1], seed: 123 });
    const c = assignSplits(units, { ratios: [0.8, 0.1, 0.1], seed: 124 });
    expect(Array.from(b.splitOf)).toEqual(Array.from(a.splitOf));
    let differ = 0;
    for (let i = 0; i < items.length; i++) if (a.splitOf[i] !== c.splitOf[i]) differ++;
    expect(differ).toBeGreaterThan(items.length / 20);
  });

  it('string seeds work and are stable; units built twice from the same stream give the same splits', () => {
    const a = assignSplits(units, { ratios: [0.8, 0.1, 0.1], seed: 'export-2024' });
    const b = assignSplits(unitsOf(items), { ratios: [0.8, 0.1, 0.1], seed: 'export-2024' });
    expect(Array.from(b.splitOf)).toEqual(Array.from(a.splitOf));
    const c = assignSplits(units, { ratios: [0.8, 0.1, 0.1], seed: 'export-2025' });
    expect(Array.from(c.splitOf)).not.toEqual(Array.from(a.splitOf));
  });
});

describe('assignSplits: edge cases', () => {
  function check(a: SplitAssignment, units: Units): void {
    for (let i = 0; i < units.itemCount; i++) {
      const u = units.unitOf[i]!;
      expect(a.splitOf[i]).toBe(u < 0 ? NO_SPLIT : a.unitSplit[u]);
    }
    expect(a.sizes[0] + a.sizes[1] + a.sizes[2]).toBe(units.items);
  }

  it('a zero validation share leaves validation empty and splits the rest by the other ratios', () => {
    const items = dialogues(4000, 5);
    const units = unitsOf(items);
    const a = assignSplits(units, { ratios: [0.8, 0, 0.2], seed: 1 });
    check(a, units);
    expect(a.sizes[1]).toBe(0);
    expect(Math.abs(a.sizes[2] / 4000 - 0.2)).toBeLessThan(0.01);
    expect(maxLabelShareDeviation(a).deviation).toBeLessThanOrEqual(0.02);
    const onlyTrain = assignSplits(units, { ratios: [1, 0, 0], seed: 1 });
    expect(onlyTrain.sizes).toEqual([4000, 0, 0]);
  });

  it('fewer units than splits: each unit whole in one split, sizes as close to the ratios as units allow', () => {
    const b = new UnitBuilder();
    for (let i = 0; i < 10; i++) b.add(i, { group: i < 8 ? 'x' : `y${i}`, labels: [i % 2] });
    const units = b.finish();
    const a = assignSplits(units, { ratios: [0.8, 0.1, 0.1], seed: 1 });
    check(a, units);
    expect(units.count).toBe(3);
    expect(a.sizes).toEqual([8, 1, 1]);

    const two = new UnitBuilder();
    for (let i = 0; i < 10; i++) two.add(i, { group: i < 6 ? 'x' : 'y', labels: [i % 2] });
    const twoUnits = two.finish();
    const t = assignSplits(twoUnits, { ratios: [0.8, 0.1, 0.1], seed: 1 });
    check(t, twoUnits);
    // 10/0/0 is nearer 80/10/10 than 6/4/0 or 4/6/0: both units go to train.
    expect(t.sizes).toEqual([10, 0, 0]);
    const even = assignSplits(twoUnits, { ratios: [0.5, 0.25, 0.25], seed: 1 });
    expect(even.sizes[0]).toBe(6);
    expect(even.sizes[1] + even.sizes[2]).toBe(4);
  });

  it('a single huge group goes whole to train', () => {
    const b = new UnitBuilder();
    for (let i = 0; i < 5000; i++) b.add(i, { group: 'everything', labels: [i % 7] });
    const units = b.finish();
    const a = assignSplits(units, { ratios: [0.8, 0.1, 0.1], seed: 1 });
    check(a, units);
    expect(a.sizes).toEqual([5000, 0, 0]);
  });

  it('one huge group among many small ones stays whole; sizes stay as close as it allows', () => {
    const b = new UnitBuilder();
    for (let i = 0; i < 3000; i++) b.add(i, { group: i < 1500 ? 'big' : `g${i}`, labels: [i % 5] });
    const units = b.finish();
    const a = assignSplits(units, { ratios: [0.8, 0.1, 0.1], seed: 1 });
    check(a, units);
    const bigSplit = a.splitOf[0]!;
    for (let i = 0; i < 1500; i++) expect(a.splitOf[i]).toBe(bigSplit);
    expect(bigSplit).toBe(0);
    expect(Math.abs(a.sizes[0] / 3000 - 0.8)).toBeLessThan(0.01);
  });

  it('no labels at all: sizes follow the ratios', () => {
    const b = new UnitBuilder();
    for (let i = 0; i < 1000; i++) b.add(i, { group: `g${i >> 2}` });
    const units = b.finish();
    const a = assignSplits(units, { ratios: [0.8, 0.1, 0.1], seed: 1 });
    check(a, units);
    expect(a.sizes).toEqual([800, 100, 100]);
  });

  it('no items', () => {
    const a = assignSplits(new UnitBuilder().finish(), { ratios: [0.8, 0.1, 0.1], seed: 1 });
    expect(a.sizes).toEqual([0, 0, 0]);
    expect(a.splitOf.length).toBe(0);
  });

  it('ratios are normalised; bad ratios are VALIDATION errors', () => {
    const units = unitsOf(dialogues(500, 2));
    expect(assignSplits(units, { ratios: [8, 1, 1], seed: 4 }).ratios).toEqual([0.8, 0.1, 0.1]);
    for (const ratios of [
      [0, 0, 0],
      [0.8, 0.2],
      [0.8, -0.1, 0.3],
      [Number.NaN, 0.5, 0.5],
    ]) {
      expect(() => assignSplits(units, { ratios, seed: 1 })).toThrow(AppError);
    }
  });

  it('the greedy pass alone (maxMoves 0) keeps groups whole and is close already on large data', () => {
    const items = dialogues(20000, 6);
    const units = unitsOf(items);
    const a = assignSplits(units, { ratios: [0.8, 0.1, 0.1], seed: 1, maxMoves: 0 });
    expect(a.moves).toBe(0);
    expectGroupsWhole(items, a.splitOf);
    expect(maxLabelShareDeviation(a).deviation).toBeLessThanOrEqual(0.03);
  });
});
