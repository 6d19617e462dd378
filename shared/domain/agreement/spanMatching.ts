import { type Span } from '../spans';

/** How one item's spans from two sides (reference, candidate) line up; indices point into the inputs. */
export interface ItemSpanMatch {
  /** One-to-one pairs with the same label and overlapping ranges; identical spans among them are exact matches. */
  matched: { reference: number; candidate: number; exact: boolean }[];
  /** One-to-one pairs left over after `matched` whose ranges overlap (so their labels differ). */
  typeMismatches: { reference: number; candidate: number }[];
  /** Spans paired with nothing. */
  unpairedReference: number[];
  unpairedCandidate: number[];
}

/**
 * Pairs two sides' spans one-to-one, greedily by largest overlap (ties: higher overlap/union ratio, then
 * position), first among same-label pairs, then among the rest. Identical spans always pair with each
 * other, because no other pair can overlap either of them more; so the exact matches found are a
 * maximum exact matching, and every exact match is also an overlap match.
 */
export function matchItemSpans(reference: readonly Span[], candidate: readonly Span[]): ItemSpanMatch {
  reference.forEach(checkSpan);
  candidate.forEach(checkSpan);
  const refTaken = new Uint8Array(reference.length);
  const candTaken = new Uint8Array(candidate.length);
  const matched: ItemSpanMatch['matched'] = [];
  for (const [r, c] of greedyPairs(reference, candidate, refTaken, candTaken, true)) {
    const a = reference[r]!;
    const b = candidate[c]!;
    matched.push({ reference: r, candidate: c, exact: a.start === b.start && a.end === b.end });
  }
  const typeMismatches = greedyPairs(reference, candidate, refTaken, candTaken, false).map(([r, c]) => ({ reference: r, candidate: c }));
  return {
    matched,
    typeMismatches,
    unpairedReference: untaken(refTaken),
    unpairedCandidate: untaken(candTaken),
  };
}

/** Greedy one-to-one pairing of overlapping spans not yet taken; marks what it pairs as taken. */
function greedyPairs(
  reference: readonly Span[],
  candidate: readonly Span[],
  refTaken: Uint8Array,
  candTaken: Uint8Array,
  sameLabel: boolean,
): [number, number][] {
  const options: { r: number; c: number; overlap: number; union: number }[] = [];
  for (let r = 0; r < reference.length; r++) {
    if (refTaken[r]) continue;
    const a = reference[r]!;
    for (let c = 0; c < candidate.length; c++) {
      if (candTaken[c]) continue;
      const b = candidate[c]!;
      if (sameLabel && a.label !== b.label) continue;
      const overlap = Math.min(a.end, b.end) - Math.max(a.start, b.start);
      if (overlap > 0) options.push({ r, c, overlap, union: Math.max(a.end, b.end) - Math.min(a.start, b.start) });
    }
  }
  // overlap / union compared without division: x.overlap / x.union > y.overlap / y.union.
  options.sort((x, y) => y.overlap - x.overlap || y.overlap * x.union - x.overlap * y.union || x.r - y.r || x.c - y.c);
  const pairs: [number, number][] = [];
  for (const o of options) {
    if (refTaken[o.r] || candTaken[o.c]) continue;
    refTaken[o.r] = 1;
    candTaken[o.c] = 1;
    pairs.push([o.r, o.c]);
  }
  return pairs;
}

function untaken(taken: Uint8Array): number[] {
  const out: number[] = [];
  taken.forEach((t, i) => {
    if (!t) out.push(i);
  });
  return out;
}

function checkSpan(span: Span): void {
  if (!Number.isInteger(span.start) || !Number.isInteger(span.end) || span.start < 0 || span.end <= span.start) {
    throw new RangeError(`invalid span [${span.start}, ${span.end}) ${span.label}: offsets must be integers with 0 <= start < end`);
  }
}
