import { describe, expect, it } from 'vitest';
import { majority, tally, unanimous, type Vote } from '../../../shared/domain/adjudication';

/** One vote per rater, rater i giving values[i]. */
function votes(...values: number[]): Vote[] {
  return values.map((value, rater) => ({ rater, value }));
}

describe('tally', () => {
  it('counts per value, most votes first', () => {
    expect(tally(votes(2, 0, 2, 1, 2, 0))).toEqual([
      { value: 2, count: 3 },
      { value: 0, count: 2 },
      { value: 1, count: 1 },
    ]);
  });

  it('orders tied counts by first occurrence, not by value', () => {
    expect(tally(votes(3, 1, 1, 3, 0))).toEqual([
      { value: 3, count: 2 },
      { value: 1, count: 2 },
      { value: 0, count: 1 },
    ]);
    expect(tally(votes(1, 3, 3, 1, 0)).map((t) => t.value)).toEqual([1, 3, 0]);
  });

  it('is empty for no votes and rejects values that are not category codes', () => {
    expect(tally([])).toEqual([]);
    expect(() => tally(votes(-1))).toThrow(RangeError);
    expect(() => tally(votes(1.5))).toThrow(RangeError);
  });
});

describe('unanimous', () => {
  it('resolves when at least minAnnotators votes all agree', () => {
    expect(unanimous(votes(4, 4, 4), 3)).toEqual({ value: 4, share: 1, votes: 3 });
    expect(unanimous(votes(4, 4, 4), 2)).toEqual({ value: 4, share: 1, votes: 3 });
  });

  it('is null with one dissenting vote, too few votes, or none', () => {
    expect(unanimous(votes(4, 4, 1), 2)).toBeNull();
    expect(unanimous(votes(4, 4), 3)).toBeNull();
    expect(unanimous([], 0)).toBeNull();
  });

  it('counts votes, so a single vote is unanimous when one is enough', () => {
    expect(unanimous(votes(0), 1)).toEqual({ value: 0, share: 1, votes: 1 });
  });
});

describe('majority', () => {
  it('disputes a tie for the top: 2 vs 2 is null at any threshold', () => {
    expect(majority(votes(0, 0, 1, 1), 2, 0)).toBeNull();
    expect(majority(votes(0, 1), 2, 0.5)).toBeNull();
    // A tie below the top does not matter.
    expect(majority(votes(0, 0, 1, 2), 2, 0.5)).toEqual({ value: 0, share: 0.5, votes: 4 });
  });

  it('needs the top share to reach minShare (inclusive)', () => {
    const fiveVotes = votes(1, 1, 1, 0, 2);
    expect(majority(fiveVotes, 3, 0.6)).toEqual({ value: 1, share: 0.6, votes: 5 });
    expect(majority(fiveVotes, 3, 0.61)).toBeNull();
    expect(majority(votes(1, 1, 0), 3, 2 / 3)).toEqual({ value: 1, share: 2 / 3, votes: 3 });
    expect(majority(votes(1, 1, 0), 3, 0.67)).toBeNull();
  });

  it('compares the share as a ratio, so 14 of 25 meets 0.56 although 0.56 * 25 > 14 in floating point', () => {
    expect(0.56 * 25).toBeGreaterThan(14);
    const votesOf25 = votes(...Array<number>(14).fill(5), 0, 1, 2, 3, 4, 6, 7, 8, 9, 10, 11);
    expect(majority(votesOf25, 25, 0.56)).toEqual({ value: 5, share: 0.56, votes: 25 });
    expect(majority(votesOf25, 25, 0.5601)).toBeNull();
  });

  it('needs at least minAnnotators votes', () => {
    expect(majority(votes(2, 2), 3, 0.5)).toBeNull();
    expect(majority(votes(2, 2, 0), 3, 0.5)).toEqual({ value: 2, share: 2 / 3, votes: 3 });
    expect(majority([], 0, 0)).toBeNull();
  });

  it('agrees with unanimous when minShare is 1', () => {
    expect(majority(votes(3, 3, 3), 3, 1)).toEqual(unanimous(votes(3, 3, 3), 3));
    expect(majority(votes(3, 3, 0), 3, 1)).toBeNull();
  });

  it('rejects thresholds outside their ranges', () => {
    expect(() => majority(votes(0), 1, 1.5)).toThrow(RangeError);
    expect(() => majority(votes(0), 1, Number.NaN)).toThrow(RangeError);
    expect(() => majority(votes(0), -1, 0.5)).toThrow(RangeError);
    expect(() => unanimous(votes(0), 0.5)).toThrow(RangeError);
  });
});
