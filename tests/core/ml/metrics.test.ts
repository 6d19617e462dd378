import { describe, expect, it } from 'vitest';
import {
  chiSquare1Survival,
  classificationReport,
  erfc,
  mcnemar,
  mulberry32,
  perClassSample,
  seededPermutation,
  spanScores,
  stratifiedHoldout,
  stratifiedKFold,
} from '../../../electron/core/ml/metrics';

/** Paired correctness lists with b (A right, B wrong) and c (A wrong, B right) discordant pairs. */
function pairs(b: number, c: number, bothRight = 5, bothWrong = 3): [boolean[], boolean[]] {
  const a: boolean[] = [];
  const o: boolean[] = [];
  const push = (x: boolean, y: boolean, times: number): void => {
    for (let i = 0; i < times; i++) {
      a.push(x);
      o.push(y);
    }
  };
  push(true, false, b);
  push(false, true, c);
  push(true, true, bothRight);
  push(false, false, bothWrong);
  return [a, o];
}

describe('mulberry32', () => {
  it('is deterministic per seed, in [0, 1), and roughly uniform', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const c = mulberry32(43);
    const xs = Array.from({ length: 10_000 }, () => a());
    expect(Array.from({ length: 10_000 }, () => b())).toEqual(xs);
    expect(c()).not.toBe(xs[0]);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(mean).toBeGreaterThan(0.49);
    expect(mean).toBeLessThan(0.51);
  });

  it('matches the reference implementation (first outputs for seed 1)', () => {
    // Reference: the canonical JS mulberry32 (a += 0x6D2B79F5; ...) seeded with 1.
    const r = mulberry32(1);
    expect(Math.round(r() * 4294967296)).toBe(2693262067);
    expect(Math.round(r() * 4294967296)).toBe(11749833);
  });

  it('seededPermutation is a permutation and repeatable', () => {
    const p = seededPermutation(50, 7);
    expect([...p].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(seededPermutation(50, 7)).toEqual(p);
    expect(seededPermutation(50, 8)).not.toEqual(p);
  });
});

describe('classificationReport', () => {
  it('hand-computed report with a label that is never predicted', () => {
    const yTrue = ['cat', 'cat', 'cat', 'dog', 'dog', 'bird', 'bird'];
    const yPred = ['cat', 'cat', 'dog', 'dog', 'cat', 'dog', 'cat'];
    const r = classificationReport(yTrue, yPred);
    expect(r.n).toBe(7);
    expect(r.accuracy).toBeCloseTo(3 / 7, 12);
    expect(r.confusion.labels).toEqual(['bird', 'cat', 'dog']);
    expect(r.confusion.matrix).toEqual([
      [0, 1, 1], // bird -> cat, dog
      [0, 2, 1], // cat
      [0, 1, 1], // dog
    ]);
    const [bird, cat, dog] = r.perLabel;
    expect(bird).toEqual({ label: 'bird', precision: 0, recall: 0, f1: 0, support: 2 }); // 0/0 precision -> 0
    expect(cat!.precision).toBeCloseTo(0.5, 12); // 2 of 4 predicted cats
    expect(cat!.recall).toBeCloseTo(2 / 3, 12);
    expect(cat!.f1).toBeCloseTo(4 / 7, 12);
    expect(cat!.support).toBe(3);
    expect(dog!.precision).toBeCloseTo(1 / 3, 12);
    expect(dog!.recall).toBeCloseTo(0.5, 12);
    expect(dog!.f1).toBeCloseTo(0.4, 12);
    // scikit-learn f1_score(average='macro'): (0 + 4/7 + 0.4) / 3
    expect(r.macroF1).toBeCloseTo((4 / 7 + 0.4) / 3, 12);
    expect(r.macroF1).toBeCloseTo(0.3238095, 6);
  });

  it('a label predicted but never true counts in the macro average; `labels` restricts it', () => {
    const yTrue = ['x', 'x', 'y'];
    const yPred = ['x', 'z', 'y'];
    const r = classificationReport(yTrue, yPred);
    expect(r.confusion.labels).toEqual(['x', 'y', 'z']);
    expect(r.perLabel.map((s) => s.f1)).toEqual([2 / 3, 1, 0]);
    expect(r.macroF1).toBeCloseTo(5 / 9, 12);
    const only = classificationReport(yTrue, yPred, ['x', 'y']);
    expect(only.macroF1).toBeCloseTo(5 / 6, 12);
    expect(only.accuracy).toBeCloseTo(2 / 3, 12);
    expect(only.confusion.matrix).toEqual([
      [1, 0],
      [0, 1],
    ]);
    expect(only.perLabel[0]).toMatchObject({ label: 'x', precision: 1, recall: 0.5, support: 2 });
  });

  it('perfect and empty inputs', () => {
    const r = classificationReport(['a', 'b', 'a'], ['a', 'b', 'a']);
    expect(r.accuracy).toBe(1);
    expect(r.macroF1).toBe(1);
    const e = classificationReport([], []);
    expect(e).toMatchObject({ n: 0, accuracy: 0, macroF1: 0, perLabel: [] });
    expect(() => classificationReport(['a'], [])).toThrow();
  });
});

describe('McNemar', () => {
  it('erfc and the chi-square(1) survival function', () => {
    expect(erfc(0)).toBeCloseTo(1, 7);
    expect(erfc(0.5)).toBeCloseTo(0.4795001221869535, 7);
    expect(erfc(1)).toBeCloseTo(0.15729920705028513, 7);
    expect(erfc(-1)).toBeCloseTo(1.842700792949715, 7);
    expect(erfc(2) / 0.004677734981047265).toBeCloseTo(1, 6);
    expect(chiSquare1Survival(3.841458820694124)).toBeCloseTo(0.05, 6); // the 95 % critical value
    expect(chiSquare1Survival(0)).toBe(1);
  });

  it('exact two-sided binomial when b + c < 25: b = 10, c = 2', () => {
    const [a, o] = pairs(10, 2);
    const r = mcnemar(a, o);
    expect(r).toMatchObject({ b: 10, c: 2, exact: true, statistic: 2 });
    // 2 * (C(12,0) + C(12,1) + C(12,2)) / 2^12 = 2 * 79 / 4096
    expect(r.pValue).toBeCloseTo(158 / 4096, 12);
    expect(r.pValue).toBeCloseTo(0.0386, 4);
    // symmetric in A and B
    expect(mcnemar(o, a)).toMatchObject({ b: 2, c: 10, pValue: r.pValue });
  });

  it('exact test edge cases', () => {
    expect(mcnemar(...pairs(0, 0))).toMatchObject({ b: 0, c: 0, pValue: 1, exact: true });
    expect(mcnemar(...pairs(12, 12)).pValue).toBe(1); // capped at 1
    expect(mcnemar(...pairs(15, 5)).pValue).toBeCloseTo(0.04138946533203125, 12); // 2 * P(Bin(20, .5) <= 5)
  });

  it('chi-square with continuity correction when b + c >= 25: b = 30, c = 15', () => {
    const r = mcnemar(...pairs(30, 15));
    expect(r.exact).toBe(false);
    expect(r.statistic).toBeCloseTo(196 / 45, 12); // (|30 - 15| - 1)^2 / 45 = 4.3556
    expect(r.statistic).toBeCloseTo(4.3556, 4);
    expect(r.pValue).toBeCloseTo(0.03688842570704985, 6);
    const tie = mcnemar(...pairs(13, 12)); // b + c = 25: chi-square, |b - c| - 1 = 0
    expect(tie).toMatchObject({ exact: false, statistic: 0, pValue: 1 });
    expect(() => mcnemar([true], [])).toThrow();
  });
});

describe('spanScores', () => {
  it('exact match on start, end and label, micro-averaged', () => {
    const gold = [
      [
        { start: 0, end: 3, label: 'A' },
        { start: 5, end: 8, label: 'B' },
      ],
      [{ start: 1, end: 2, label: 'A' }],
    ];
    const pred = [
      [
        { start: 0, end: 3, label: 'A' }, // tp
        { start: 5, end: 9, label: 'B' }, // wrong end
      ],
      [
        { start: 1, end: 2, label: 'B' }, // wrong label
        { start: 4, end: 6, label: 'A' }, // spurious
      ],
    ];
    const s = spanScores(gold, pred);
    expect(s).toMatchObject({ tp: 1, fp: 3, fn: 2 });
    expect(s.precision).toBeCloseTo(0.25, 12);
    expect(s.recall).toBeCloseTo(1 / 3, 12);
    expect(s.f1).toBeCloseTo(2 / 7, 12);
  });

  it('duplicates match once each; empty inputs give zeros', () => {
    const g = [[{ start: 0, end: 1, label: 'X' }]];
    const p = [
      [
        { start: 0, end: 1, label: 'X' },
        { start: 0, end: 1, label: 'X' },
      ],
    ];
    expect(spanScores(g, p)).toMatchObject({ tp: 1, fp: 1, fn: 0, precision: 0.5, recall: 1 });
    expect(spanScores([[]], [[]])).toEqual({ precision: 0, recall: 0, f1: 0, tp: 0, fp: 0, fn: 0 });
    expect(() => spanScores([[]], [])).toThrow();
  });
});

describe('splits', () => {
  const y = [...Array<string>(10).fill('a'), ...Array<string>(7).fill('b'), ...Array<string>(3).fill('c'), ...Array<string>(1).fill('d')];
  // interleave so that labels are not contiguous
  const yMixed = y.map((_, i) => y[(i * 8) % y.length]!);

  it('stratifiedKFold partitions the items and balances every label across folds', () => {
    const folds = stratifiedKFold(yMixed, 5, 123);
    expect(folds).toHaveLength(5);
    const all = folds.flat().sort((p, q) => p - q);
    expect(all).toEqual(yMixed.map((_, i) => i));
    const sizes = folds.map((f) => f.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    for (const label of ['a', 'b', 'c', 'd']) {
      const perFold = folds.map((f) => f.filter((i) => yMixed[i] === label).length);
      expect(Math.max(...perFold) - Math.min(...perFold)).toBeLessThanOrEqual(1);
    }
    for (const f of folds) expect(f).toEqual([...f].sort((p, q) => p - q));
  });

  it('stratifiedKFold is deterministic per seed and rejects bad k', () => {
    expect(stratifiedKFold(yMixed, 5, 123)).toEqual(stratifiedKFold(yMixed, 5, 123));
    expect(stratifiedKFold(yMixed, 5, 124)).not.toEqual(stratifiedKFold(yMixed, 5, 123));
    expect(() => stratifiedKFold(yMixed, 1, 0)).toThrow();
    expect(() => stratifiedKFold(['a', 'b'], 3, 0)).toThrow();
  });

  it('perClassSample takes n per label (all of a smaller label), deterministically', () => {
    const s = perClassSample(yMixed, 4, 9);
    const count = (label: string): number => s.filter((i) => yMixed[i] === label).length;
    expect([count('a'), count('b'), count('c'), count('d')]).toEqual([4, 4, 3, 1]);
    expect(new Set(s).size).toBe(s.length);
    expect(s).toEqual([...s].sort((p, q) => p - q));
    expect(perClassSample(yMixed, 4, 9)).toEqual(s);
    expect(perClassSample(yMixed, 4, 10)).not.toEqual(s);
    expect(perClassSample(yMixed, 0, 9)).toEqual([]);
  });

  it('stratifiedHoldout holds out ~fraction per label and keeps one of each label for training', () => {
    const { train, test } = stratifiedHoldout(yMixed, 0.2, 5);
    expect([...train, ...test].sort((p, q) => p - q)).toEqual(yMixed.map((_, i) => i));
    const held = (label: string): number => test.filter((i) => yMixed[i] === label).length;
    expect([held('a'), held('b'), held('c'), held('d')]).toEqual([2, 1, 1, 0]);
    expect(stratifiedHoldout(yMixed, 0.2, 5)).toEqual({ train, test });
  });
});
