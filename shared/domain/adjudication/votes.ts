/** One annotator's answer for one field of one item; `value` is a category code (an integer >= 0). */
export interface Vote {
  rater: number;
  value: number;
}

/** A resolved field: the winning value, its share of the votes and how many votes there were. */
export interface Resolution {
  value: number;
  /** Winner votes / votes. */
  share: number;
  votes: number;
}

/**
 * All of at least `minAnnotators` votes agree; else null. Votes are counted, not distinct raters: a rater who
 * voted twice counts twice (callers with one vote per annotator see no difference).
 */
export function unanimous(votes: readonly Vote[], minAnnotators: number): Resolution | null {
  checkMinAnnotators(minAnnotators);
  votes.forEach(checkVote);
  const first = votes[0];
  if (first === undefined || votes.length < minAnnotators) return null;
  for (const vote of votes) if (vote.value !== first.value) return null;
  return { value: first.value, share: 1, votes: votes.length };
}

/**
 * The top value has share >= `minShare` of at least `minAnnotators` votes, and is unique: a tie for the top is
 * disputed and gives null.
 */
export function majority(votes: readonly Vote[], minAnnotators: number, minShare: number): Resolution | null {
  checkMinAnnotators(minAnnotators);
  checkShare(minShare);
  const counts = tally(votes);
  const top = counts[0];
  if (top === undefined || votes.length < minAnnotators) return null;
  if (counts.length > 1 && counts[1]!.count === top.count) return null;
  // count / votes rather than count >= minShare * votes: 0.7 * 10 is 7.000000000000001.
  const share = top.count / votes.length;
  return share >= minShare ? { value: top.value, share, votes: votes.length } : null;
}

/** Counts per value, most votes first, ties in order of first occurrence (used to pre-fill and order versions). */
export function tally(votes: readonly Vote[]): { value: number; count: number }[] {
  const counts = new Map<number, number>();
  for (const vote of votes) {
    checkVote(vote);
    counts.set(vote.value, (counts.get(vote.value) ?? 0) + 1);
  }
  // Map iteration is insertion order and Array.prototype.sort is stable, so equal counts keep first occurrence.
  return [...counts].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count);
}

function checkVote(vote: Vote): void {
  if (!Number.isInteger(vote.value) || vote.value < 0) throw new RangeError(`vote value must be a category code >= 0, got ${vote.value}`);
}

function checkMinAnnotators(minAnnotators: number): void {
  if (!Number.isInteger(minAnnotators) || minAnnotators < 0) throw new RangeError(`minAnnotators must be an integer >= 0, got ${minAnnotators}`);
}

export function checkShare(minShare: number): void {
  if (!(minShare >= 0 && minShare <= 1)) throw new RangeError(`minShare must be in [0, 1], got ${minShare}`);
}
