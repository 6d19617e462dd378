import { type CodedRatings, MISSING } from './codedRatings';
/** MISSING, read once: transpiled to CommonJS, every use of an imported binding is a property read. */
const NOT_RATED = MISSING;

/**
 * The items that can be paired (≥ 2 ratings), grouped by their category counts.
 *
 * Fleiss' kappa, Krippendorff's alpha and multi-rater percent agreement depend on an item only through
 * how many ratings it got in each category, and real tables repeat the same few count vectors
 * (5 annotators × 10 categories have at most 2,002 of them). So each coefficient is computed from
 * pattern frequencies, and a bootstrap resample only has to count how often each pattern was drawn.
 */
export interface UnitPatterns {
  readonly nCategories: number;
  /** Pattern p's (category, count) entries are at `offsets[p]` up to, not including, `offsets[p + 1]`. */
  readonly offsets: Int32Array;
  readonly entryCategory: Int32Array;
  readonly entryCount: Int32Array;
  /** Ratings per pattern (m_u in Krippendorff's notation). */
  readonly raters: Int32Array;
  /** How many items have each pattern. */
  readonly frequency: Float64Array;
  /** Pattern of each pairable item, in item order (the population a bootstrap resamples). */
  readonly unitPattern: Int32Array;
}

export function patternCount(p: UnitPatterns): number {
  return p.raters.length;
}

// Several coefficients of one report group the same table; coded tables are never mutated, so cache per table.
const grouped = new WeakMap<CodedRatings, UnitPatterns>();

export function groupUnits(data: CodedRatings): UnitPatterns {
  let patterns = grouped.get(data);
  if (!patterns) {
    patterns = group(data);
    grouped.set(data, patterns);
  }
  return patterns;
}

function group(data: CodedRatings): UnitPatterns {
  const m = data.annotators.length;
  const n = data.itemIds.length;
  const k = data.categories.length;
  const codes = data.codes;
  // Key: the item's sorted codes as digits 1..k in base k + 1, exact while it fits in a double.
  const base = k + 1;
  const numericKeys = Math.pow(base, m) <= Number.MAX_SAFE_INTEGER;
  const ids = new Map<number | string, number>();
  const offsets: number[] = [0];
  const entryCategory: number[] = [];
  const entryCount: number[] = [];
  const raters: number[] = [];
  const frequency: number[] = [];
  const unitPattern = new Int32Array(n);
  const sorted = new Int32Array(m);
  let units = 0;
  for (let i = 0; i < n; i++) {
    let r = 0;
    for (let j = i * m, end = j + m; j < end; j++) {
      const c = codes[j]!;
      if (c === NOT_RATED) continue;
      let at = r++;
      while (at > 0 && sorted[at - 1]! > c) {
        sorted[at] = sorted[at - 1]!;
        at--;
      }
      sorted[at] = c;
    }
    if (r < 2) continue;
    let key: number | string;
    if (numericKeys) {
      key = 0;
      for (let x = 0; x < r; x++) key = key * base + sorted[x]! + 1;
    } else {
      key = sorted.subarray(0, r).join(',');
    }
    let p = ids.get(key);
    if (p === undefined) {
      p = raters.length;
      ids.set(key, p);
      for (let x = 0; x < r;) {
        let y = x + 1;
        while (y < r && sorted[y] === sorted[x]) y++;
        entryCategory.push(sorted[x]!);
        entryCount.push(y - x);
        x = y;
      }
      offsets.push(entryCategory.length);
      raters.push(r);
      frequency.push(0);
    }
    frequency[p]!++;
    unitPattern[units] = p;
    units++;
  }
  return {
    nCategories: k,
    offsets: Int32Array.from(offsets),
    entryCategory: Int32Array.from(entryCategory),
    entryCount: Int32Array.from(entryCount),
    raters: Int32Array.from(raters),
    frequency: Float64Array.from(frequency),
    unitPattern: unitPattern.slice(0, units),
  };
}
