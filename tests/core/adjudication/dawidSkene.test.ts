import { describe, expect, it } from 'vitest';
import { binaryTables, dawidSkene, type DawidSkeneInput, majority, mostLikely, type Vote } from '../../../shared/domain/adjudication';
import { mulberry32 } from '../../../shared/domain/agreement';
import paper from '../../fixtures/adjudication/dawid-skene-1979.json';

/** The paper's Table 1 as votes: observer o (1-based) is rater o - 1, class c (1-based) is value c - 1. */
function paperInput(): DawidSkeneInput {
  const items = paper.ratings.map((observers) => observers.flatMap((ratings, rater) => ratings.map((rating) => ({ rater, value: rating - 1 }))));
  return { raters: paper.observers, categories: paper.classes, items };
}

function expectClose(actual: ArrayLike<number>, expected: readonly number[], tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((e, j) => {
    if (Math.abs(actual[j]! - e) > tolerance)
      throw new Error(`entry ${j}: ${actual[j]} is not within ${tolerance} of ${e} (got [${Array.from(actual).join(', ')}])`);
  });
}

/**
 * Reference values for the paper's data: the output of Dallas Card's implementation
 * (github.com/dallascard/dawid_skene, dawid_skene.py: initialised from vote proportions, no smoothing),
 * committed as `out/original_paper` in github.com/alexandry-augustin/dawid_skene. The class marginals and
 * error rates agree with those asserted (to ±0.01) by the LinX Java port's DawidSkeneAlgorithmTest.
 * That run printed log-likelihoods for EM rounds 1–15 and stopped after round 15, printing the estimates
 * below (marginals and error rates to 2 decimals, patient posteriors to 4).
 */
const REFERENCE = {
  logLikelihoods: [
    -205.091138294, -194.550952357, -193.159445492, -192.942423964, -192.90931016, -192.897593567, -192.893351421, -192.89180304, -192.891229496,
    -192.891014022, -192.890932178, -192.890900851, -192.8908888, -192.89088415, -192.890882351,
  ],
  classMarginals: [0.4, 0.42, 0.11, 0.07],
  /** errorRates[observer][true class][observed class]. */
  errorRates: [
    [
      [0.89, 0.11, 0, 0],
      [0.07, 0.88, 0.05, 0],
      [0, 0.34, 0.66, 0],
      [0, 0, 0.56, 0.44],
    ],
    [
      [0.83, 0.17, 0, 0],
      [0.05, 0.63, 0.31, 0],
      [0, 0, 1, 0],
      [0, 0, 0, 1],
    ],
    [
      [1, 0, 0, 0],
      [0.11, 0.79, 0.11, 0],
      [0, 0.4, 0.2, 0.4],
      [0, 0, 0.67, 0.33],
    ],
    [
      [0.94, 0.06, 0, 0],
      [0.05, 0.84, 0.1, 0],
      [0, 0, 0.8, 0.2],
      [0, 0, 0.33, 0.67],
    ],
    [
      [1, 0, 0, 0],
      [0.16, 0.73, 0.11, 0],
      [0, 0.21, 0.79, 0],
      [0, 0, 0.33, 0.67],
    ],
  ],
  /** The most likely class of patients 1–45, 1-based. */
  patientClasses: [
    1, 4, 2, 2, 2, 2, 1, 3, 2, 2, 4, 3, 1, 2, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 1, 1, 2, 1, 1, 1, 1, 3, 1, 2, 2, 4, 2, 3, 3, 1, 1, 1, 2, 1, 2,
  ],
  /** The posteriors that were not 0/1 to 4 decimals, by 1-based patient. */
  uncertainPatients: {
    7: [0.981, 0.019, 0, 0],
    30: [0.9991, 0.0009, 0, 0],
    35: [0, 0.948, 0.052, 0],
    38: [0, 0.0212, 0.9788, 0],
    42: [0.9998, 0.0002, 0, 0],
  } as Record<number, number[]>,
};

/** A plain transcription of the paper's EM over counts[item][rater][value], with the library's init, smoothing and stopping rule. */
function textbookDawidSkene(input: DawidSkeneInput, smoothing: number, tolerance: number, maxIterations: number) {
  const { raters: R, categories: K, items } = input;
  const counts = items.map((votes) => {
    const c = Array.from({ length: R }, () => new Array<number>(K).fill(0));
    for (const v of votes) c[v.rater]![v.value]!++;
    return c;
  });
  const rated = items.map((votes) => votes.length > 0);
  const nRated = rated.filter(Boolean).length;
  let T = items.map((votes) => {
    const row = new Array<number>(K).fill(0);
    for (const v of votes) row[v.value]! += 1 / votes.length;
    return row;
  });
  let priors: number[] = [];
  let pi: number[][][] = [];
  let logLikelihood = 0;
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    const newPriors = Array.from(
      { length: K },
      (_, j) => (T.reduce((s, row, i) => s + (rated[i] ? row[j]! : 0), 0) + smoothing) / (nRated + K * smoothing),
    );
    const newPi = Array.from({ length: R }, (_, r) =>
      Array.from({ length: K }, (_, j) => {
        const weights = Array.from({ length: K }, (_, l) => T.reduce((s, row, i) => s + row[j]! * counts[i]![r]![l]!, 0));
        const total = weights.reduce((a, b) => a + b, 0) + K * smoothing;
        return weights.map((w) => (total > 0 ? (w + smoothing) / total : 1 / K));
      }),
    );
    iterations++;
    if (iterations > 1) {
      let change = 0;
      for (let j = 0; j < K; j++) change = Math.max(change, Math.abs(newPriors[j]! - priors[j]!));
      for (let r = 0; r < R; r++)
        for (let j = 0; j < K; j++) for (let l = 0; l < K; l++) change = Math.max(change, Math.abs(newPi[r]![j]![l]! - pi[r]![j]![l]!));
      converged = change <= tolerance;
    }
    priors = newPriors;
    pi = newPi;
    logLikelihood = 0;
    T = counts.map((c, i) => {
      if (!rated[i]) return [...priors];
      const joint = priors.map((p, j) => c.reduce((prod, byValue, r) => byValue.reduce((q, n, l) => q * pi[r]![j]![l]! ** n, prod), p));
      const total = joint.reduce((a, b) => a + b, 0);
      logLikelihood += Math.log(total);
      return joint.map((x) => x / total);
    });
    if (converged) break;
  }
  return { posteriors: T, priors, confusion: pi, iterations, converged, logLikelihood };
}

/** Random votes: some items unrated, some raters voting twice on an item. */
function randomInput(seed: number, items: number, raters: number, categories: number): DawidSkeneInput {
  const random = mulberry32(seed);
  const accuracy = Array.from({ length: raters }, () => 0.3 + 0.65 * random());
  return {
    raters,
    categories,
    items: Array.from({ length: items }, () => {
      const truth = Math.floor(random() * categories);
      const votes: Vote[] = [];
      if (random() < 0.05) return votes;
      for (let rater = 0; rater < raters; rater++) {
        const times = random() < 0.6 ? 1 : random() < 0.5 ? 0 : 2;
        for (let t = 0; t < times; t++) votes.push({ rater, value: random() < accuracy[rater]! ? truth : Math.floor(random() * categories) });
      }
      return votes;
    }),
  };
}

describe('Dawid–Skene on the 1979 data (45 patients, 5 observers, 4 classes, observer 1 three times)', () => {
  it('follows the reference log-likelihood round by round (init from vote proportions, no smoothing)', () => {
    const input = paperInput();
    expect(input.items.flat()).toHaveLength(315);
    REFERENCE.logLikelihoods.forEach((expected, round) => {
      const result = dawidSkene(input, { smoothing: 0, tolerance: 0, maxIterations: round + 1 });
      expect(result.iterations).toBe(round + 1);
      expect(result.logLikelihood).toBeCloseTo(expected, 8);
    });
  });

  it("reproduces the reference estimates after the reference's 15 rounds", () => {
    const result = dawidSkene(paperInput(), { smoothing: 0, tolerance: 0, maxIterations: 15 });
    expectClose(result.priors, REFERENCE.classMarginals, 0.005);
    REFERENCE.errorRates.forEach((rows, observer) => rows.forEach((row, t) => expectClose(result.confusion[observer]![t]!, row, 0.005 + 1e-9)));
    expect(result.posteriors.map((p) => mostLikely(p) + 1)).toEqual(REFERENCE.patientClasses);
    result.posteriors.forEach((posterior, i) => {
      const expected = REFERENCE.uncertainPatients[i + 1];
      if (expected) expectClose(posterior, expected, 5e-5 + 1e-9);
      else expect(posterior[REFERENCE.patientClasses[i]! - 1]).toBeGreaterThan(0.99995);
    });
  });

  it('converges to the same answer with the default stopping rule, with or without the default smoothing', () => {
    for (const smoothing of [0, undefined]) {
      const result = dawidSkene(paperInput(), { smoothing });
      expect(result.converged).toBe(true);
      expect(result.iterations).toBeLessThan(30);
      expect(result.posteriors.map((p) => mostLikely(p) + 1)).toEqual(REFERENCE.patientClasses);
      expectClose(result.priors, REFERENCE.classMarginals, 0.005);
    }
    // The maximum-likelihood fit is (slightly) more likely than the smoothed one, and both beat the first round.
    const ml = dawidSkene(paperInput(), { smoothing: 0 }).logLikelihood;
    expect(ml).toBeCloseTo(-192.89088, 4);
    expect(dawidSkene(paperInput()).logLikelihood).toBeLessThan(ml);
    expect(dawidSkene(paperInput()).logLikelihood).toBeGreaterThan(REFERENCE.logLikelihoods[0]!);
  });

  it('leaves exact zeros without smoothing and none with it', () => {
    const plain = dawidSkene(paperInput(), { smoothing: 0 });
    const smoothed = dawidSkene(paperInput());
    // Observer 1 never rated a class-1 patient 3 or 4, so the plain estimate makes that impossible for good.
    expect(plain.confusion[0]![0]![2]).toBe(0);
    expect(plain.confusion[0]![0]![3]).toBe(0);
    expect(plain.posteriors[0]![3]).toBe(0);
    for (const rows of smoothed.confusion) for (const row of rows) for (const p of row) expect(p).toBeGreaterThan(0);
    for (const posterior of smoothed.posteriors) for (const p of posterior) expect(p).toBeGreaterThan(0);
  });

  it('treats a rater’s repeated votes as counts: three copies of observer 1 equal one observer voting three times', () => {
    const input = paperInput();
    const copies: DawidSkeneInput = {
      raters: input.raters,
      categories: input.categories,
      items: input.items.map((votes) => [...votes].reverse()),
    };
    const a = dawidSkene(input, { smoothing: 0 });
    const b = dawidSkene(copies, { smoothing: 0 });
    expect(b.iterations).toBe(a.iterations);
    a.posteriors.forEach((p, i) => expectClose(b.posteriors[i]!, Array.from(p), 1e-12));
  });
});

describe('Dawid–Skene', () => {
  it('matches a textbook transcription of the EM (items grouped by vote pattern give the same numbers)', () => {
    const cases: [DawidSkeneInput, number][] = [
      [paperInput(), 0],
      [randomInput(1, 250, 4, 3), 0.01],
      [randomInput(2, 120, 30, 5), 0.01],
      [randomInput(3, 200, 3, 2), 0],
    ];
    for (const [input, smoothing] of cases) {
      const fast = dawidSkene(input, { smoothing, tolerance: 1e-9, maxIterations: 60 });
      const slow = textbookDawidSkene(input, smoothing, 1e-9, 60);
      expect(fast.iterations).toBe(slow.iterations);
      expect(fast.converged).toBe(slow.converged);
      expect(fast.logLikelihood).toBeCloseTo(slow.logLikelihood, 8);
      expectClose(fast.priors, slow.priors, 1e-10);
      slow.confusion.forEach((rows, r) => rows.forEach((row, t) => expectClose(fast.confusion[r]![t]!, row, 1e-10)));
      slow.posteriors.forEach((row, i) => expectClose(fast.posteriors[i]!, row, 1e-10));
    }
  });

  it('lets a reliable minority outvote an unreliable majority, where majority vote cannot', () => {
    // 5 raters, 3 classes. Raters 0 and 1 are always right. Raters 2–4 are right on a third of the items
    // each (exactly one of them per item), and otherwise pick one of the two wrong classes.
    const items: Vote[][] = [];
    const truth: number[] = [];
    for (let i = 0; i < 60; i++) {
      const t = i % 3;
      const votes: Vote[] = [
        { rater: 0, value: t },
        { rater: 1, value: t },
      ];
      for (let u = 0; u < 3; u++) votes.push({ rater: 2 + u, value: (Math.floor(i / 3) + u) % 3 === 0 ? t : (t + 1 + ((i + u) % 2)) % 3 });
      items.push(votes);
      truth.push(t);
    }
    // Six items where the three unreliable raters happen to agree on the same wrong class: 3 votes against 2.
    const traps: number[] = [];
    for (let t = 0; t < 6; t++) {
      const wrong = ((t % 3) + 1) % 3;
      traps.push(items.length);
      items.push([
        { rater: 0, value: t % 3 },
        { rater: 1, value: t % 3 },
        { rater: 2, value: wrong },
        { rater: 3, value: wrong },
        { rater: 4, value: wrong },
      ]);
      truth.push(t % 3);
    }

    for (const i of traps) expect(majority(items[i]!, 3, 0.5)?.value).toBe((truth[i]! + 1) % 3);
    const result = dawidSkene({ raters: 5, categories: 3, items });
    expect(result.converged).toBe(true);
    expect(result.posteriors.map(mostLikely)).toEqual(truth);
    for (const i of traps) expect(result.posteriors[i]![truth[i]!]).toBeGreaterThan(0.999);
    // What it learned: raters 0, 1 near-perfect, raters 2–4 about as good as chance.
    for (const r of [0, 1]) for (let t = 0; t < 3; t++) expect(result.confusion[r]![t]![t]).toBeGreaterThan(0.99);
    for (const r of [2, 3, 4]) for (let t = 0; t < 3; t++) expect(result.confusion[r]![t]![t]).toBeLessThan(0.4);
  });

  it('gives items with no votes the priors, and every posterior and confusion row sums to 1', () => {
    const input = randomInput(5, 300, 6, 4);
    const items = [...input.items, [], []];
    const result = dawidSkene({ ...input, items });
    expect(result.posteriors).toHaveLength(items.length);
    expect(Array.from(result.posteriors[items.length - 1]!)).toEqual(Array.from(result.priors));
    expect(result.priors.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    for (const p of result.posteriors) expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    for (const rows of result.confusion) for (const row of rows) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    // Items without votes do not pull the priors: adding them changes nothing else.
    const without = dawidSkene(input);
    expect(Array.from(result.priors)).toEqual(Array.from(without.priors));
    expect(result.iterations).toBe(without.iterations);
  });

  it('gives a rater who never voted, or never saw a class, a uniform row instead of NaN', () => {
    // Rater 2 exists but never votes; class 2 is never given by anyone.
    const items: Vote[][] = [];
    for (let i = 0; i < 20; i++) {
      const v = i % 2;
      items.push([
        { rater: 0, value: v },
        { rater: 1, value: i === 3 ? 1 - v : v },
      ]);
    }
    for (const smoothing of [0, 0.01]) {
      const result = dawidSkene({ raters: 3, categories: 3, items }, { smoothing });
      const uniform = [1 / 3, 1 / 3, 1 / 3];
      for (let t = 0; t < 3; t++) expectClose(result.confusion[2]![t]!, uniform, 1e-15);
      // Rater 0 on class 2: no weight at all without smoothing; with it, the class's tiny posteriors against 0.01 pseudo-votes.
      expectClose(result.confusion[0]![2]!, uniform, smoothing === 0 ? 1e-15 : 0.1);
      // Item 3 is one vote against one; the rest both raters agree on.
      expect(result.posteriors.map(mostLikely).filter((_, i) => i !== 3)).toEqual(items.map((_, i) => i % 2).filter((_, i) => i !== 3));
      for (const p of result.posteriors) for (const x of p) expect(Number.isFinite(x)).toBe(true);
      if (smoothing === 0) {
        expect(result.priors[2]).toBe(0);
      } else {
        // The pseudo-vote alone would give 0.01 / 20.03; class 2's tiny posteriors add a little.
        expect(result.priors[2]).toBeGreaterThan(0.01 / 20.03);
        expect(result.priors[2]).toBeLessThan(0.002);
      }
    }
  });

  it('returns uniform parameters and no iterations when there are no votes at all', () => {
    const result = dawidSkene({ raters: 2, categories: 4, items: [[], []] });
    expect(result.iterations).toBe(0);
    expect(result.converged).toBe(true);
    expect(Array.from(result.priors)).toEqual([0.25, 0.25, 0.25, 0.25]);
    expect(Array.from(result.posteriors[1]!)).toEqual([0.25, 0.25, 0.25, 0.25]);
    expect(Array.from(result.confusion[1]![3]!)).toEqual([0.25, 0.25, 0.25, 0.25]);
  });

  it('weights: each distinct vote pattern once with its count gives the estimate of the items themselves', () => {
    const input = paperInput();
    const patterns = new Map<string, { votes: Vote[]; count: number }>();
    for (const votes of input.items) {
      const key = JSON.stringify(votes);
      const seen = patterns.get(key);
      if (seen) seen.count++;
      else patterns.set(key, { votes: [...votes], count: 1 });
    }
    expect(patterns.size).toBeLessThan(input.items.length);
    const grouped = [...patterns.values()];
    const weighted = dawidSkene({ ...input, items: grouped.map((p) => p.votes), weights: grouped.map((p) => p.count) });
    const full = dawidSkene(input);
    expect(weighted.iterations).toBe(full.iterations);
    expectClose(weighted.priors, Array.from(full.priors), 1e-12);
    expect(weighted.logLikelihood).toBeCloseTo(full.logLikelihood, 9);
    grouped.forEach((p, i) => {
      const item = input.items.findIndex((votes) => JSON.stringify(votes) === JSON.stringify(p.votes));
      expectClose(weighted.posteriors[i]!, Array.from(full.posteriors[item]!), 1e-12);
    });
    expect(() => dawidSkene({ ...input, weights: [1] })).toThrow(/one entry per item/);
    expect(() => dawidSkene({ ...input, weights: input.items.map(() => 0) })).toThrow(/weight/);
  });

  it('reports converged false when it runs out of iterations', () => {
    const result = dawidSkene(paperInput(), { maxIterations: 3 });
    expect(result.iterations).toBe(3);
    expect(result.converged).toBe(false);
  });

  it('rejects votes and options outside their ranges', () => {
    const ok = { raters: 2, categories: 2, items: [[{ rater: 0, value: 1 }]] };
    expect(() => dawidSkene({ ...ok, items: [[{ rater: 2, value: 0 }]] })).toThrow(/rater/);
    expect(() => dawidSkene({ ...ok, items: [[{ rater: 0, value: 2 }]] })).toThrow(/value/);
    expect(() => dawidSkene({ ...ok, items: [[{ rater: 0, value: 0.5 }]] })).toThrow(RangeError);
    expect(() => dawidSkene({ ...ok, categories: 0 })).toThrow(RangeError);
    expect(() => dawidSkene(ok, { maxIterations: 0 })).toThrow(RangeError);
    expect(() => dawidSkene(ok, { smoothing: -1 })).toThrow(RangeError);
    expect(() => dawidSkene(ok, { tolerance: Number.NaN })).toThrow(RangeError);
  });
});

describe('mostLikely', () => {
  it('is the argmax, the lowest index on a tie', () => {
    expect(mostLikely([0.1, 0.7, 0.2])).toBe(1);
    expect(mostLikely([0.4, 0.2, 0.4])).toBe(0);
  });
});

describe('binaryTables', () => {
  it('builds one present/absent table per label, one vote per rater answer', () => {
    const tables = binaryTables(
      [
        [
          { rater: 0, labels: [0, 2] },
          { rater: 2, labels: [2] },
        ],
        [],
        [{ rater: 1, labels: [] }],
      ],
      3,
    );
    expect(tables).toHaveLength(3);
    for (const table of tables) {
      expect(table.raters).toBe(3);
      expect(table.categories).toBe(2);
      expect(table.items).toHaveLength(3);
      expect(table.items[1]).toEqual([]);
    }
    expect(tables[0]!.items[0]).toEqual([
      { rater: 0, value: 1 },
      { rater: 2, value: 0 },
    ]);
    expect(tables[1]!.items[0]).toEqual([
      { rater: 0, value: 0 },
      { rater: 2, value: 0 },
    ]);
    expect(tables[2]!.items[0]).toEqual([
      { rater: 0, value: 1 },
      { rater: 2, value: 1 },
    ]);
    expect(tables.map((t) => t.items[2])).toEqual([[{ rater: 1, value: 0 }], [{ rater: 1, value: 0 }], [{ rater: 1, value: 0 }]]);
  });

  it('feeds binary Dawid–Skene runs that recover each label', () => {
    // Label 0 is present on even items, label 1 on items divisible by 3; rater 2 forgets label 1 on half of them.
    const items = Array.from({ length: 60 }, (_, i) => {
      const truth = [...(i % 2 === 0 ? [0] : []), ...(i % 3 === 0 ? [1] : [])];
      return [0, 1, 2].map((rater) => ({ rater, labels: rater === 2 && i % 6 === 0 ? truth.filter((l) => l !== 1) : truth }));
    });
    const results = binaryTables(items, 2).map((table) => dawidSkene(table));
    expect(results[0]!.posteriors.map(mostLikely)).toEqual(items.map((_, i) => (i % 2 === 0 ? 1 : 0)));
    expect(results[1]!.posteriors.map(mostLikely)).toEqual(items.map((_, i) => (i % 3 === 0 ? 1 : 0)));
    // Rater 2 misses label 1 on 10 of its 20 occurrences.
    expect(results[1]!.confusion[2]![1]![0]).toBeCloseTo(0.5, 2);
  });

  it('rejects label indices outside [0, labels)', () => {
    expect(() => binaryTables([[{ rater: 0, labels: [3] }]], 3)).toThrow(RangeError);
    expect(() => binaryTables([[{ rater: -1, labels: [] }]], 3)).toThrow(RangeError);
  });
});
