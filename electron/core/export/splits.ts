/**
 * Train / validation / test splits for the training-data export (issue 11, part 3).
 *
 * Items are first merged into units that must not be divided: all items with the same group key (a metadata
 * field such as `dialogue_id`) and all members of one duplicate cluster (see dedup.ts) — union-find over
 * items, so a dialogue that shares a near-duplicate with another dialogue joins it. Units are then assigned
 * to splits by iterative stratification for multi-label data (Sechidis, Tsoumakas & Vlahavas 2011, "On the
 * stratification of multi-label data"), adapted to weighted units:
 *
 * 1. Each split j wants `ratio_j × total_l` items of label l and `ratio_j × items` items in all.
 * 2. Take the label with the fewest items still unassigned (ties: the smaller label index). Its unassigned
 *    units, shuffled with the seed and then stably sorted largest first, go one by one to the split that
 *    still wants the most of that label; ties go to the split that wants the most items, then by the seed.
 *    Every label of the unit then counts against that split's wants. Repeat until no labelled unit is left.
 * 3. Units without labels go, largest first, to the split that wants the most items.
 * 4. A bounded local search (see `refine`) then moves or swaps units while some label's share in some split
 *    is more than half a point off its overall share — needed when units are large compared with a split
 *    (a few hundred dialogues); on large data the greedy pass is already within a fraction of a point.
 *
 * Splits with ratio 0 never receive items. The same units, ratios and seed give the same assignment.
 *
 * Memory: per item two Int32 (union-find, unit) while building, one Int32 (unit) and one byte (split)
 * after; per (item, label) pair two Int32 while building; per distinct group key and cluster id 24–48 bytes
 * of hash table while building (64-bit hashes, never the strings); per unit a few Int32.
 */
import { AppError } from '../../../shared/contract/errors';
import { mulberry32 } from '../../../shared/domain/agreement/prng';
import { fmix32, findRoot, growInt32, Hash64Map, hash64Into, unionRoots } from './dedup';

export const SPLIT_NAMES = ['train', 'validation', 'test'] as const;
export type SplitName = (typeof SPLIT_NAMES)[number];
/** `splitOf` value of an item that is not in any split (never added). */
export const NO_SPLIT = 255;

/** Items merged into indivisible units, with per-unit label counts (compressed sparse rows). */
export interface Units {
  /** Number of units. Unit ids are 0…count−1, numbered by their smallest item index. */
  readonly count: number;
  /** Length of `unitOf`: the largest item index added + 1. */
  readonly itemCount: number;
  /** Items added. */
  readonly items: number;
  /** Per item index: its unit, or -1 if the item was not added. */
  readonly unitOf: Int32Array;
  /** Per unit: number of items. */
  readonly size: Int32Array;
  /** Number of labels: the largest label index + 1. */
  readonly labelCount: number;
  /** Unit u's labels are labelIds[labelStart[u] … labelStart[u+1]), ascending, with their item counts in labelItems. */
  readonly labelStart: Int32Array;
  readonly labelIds: Int32Array;
  readonly labelItems: Int32Array;
  /** Items of the largest unit (a very large unit means groups and clusters chained many dialogues together). */
  readonly largest: number;
}

export interface UnitItem {
  /** Label indices of the item (multi-label: any number; repeats count once). */
  labels?: ArrayLike<number>;
  /** Group key, e.g. `meta.dialogue_id` (a number and its decimal string are the same key); null/undefined/'' = the item is its own group. */
  group?: string | number | null;
  /** Duplicate cluster id, e.g. `DedupIndex.clusterOf(item)`; null/undefined/negative = none. */
  cluster?: number | null;
}

/**
 * Builds units from a stream of items. Add only the items that will be written (for a deduplicated export,
 * the survivors), each once; item indices are non-negative integers, ideally dense (arrays are sized by the
 * largest). With an exact-only deduplication, pass the near-duplicate cluster ids so near duplicates still
 * land in one split.
 */
export class UnitBuilder {
  private parent = new Int32Array(0); // -1 = not added
  private itemCapacity = 0;
  private items = 0;
  private groups = new Hash64Map();
  private clusters = new Hash64Map();
  private readonly hashOut = new Uint32Array(2);
  private pairItem = new Int32Array(0);
  private pairLabel = new Int32Array(0);
  private pairs = 0;
  private maxLabel = -1;
  private finished = false;

  add(item: number, { labels, group, cluster }: UnitItem = {}): void {
    if (this.finished) throw new Error('UnitBuilder: add after finish');
    if (!Number.isInteger(item) || item < 0 || item > 0x7ffffffe) throw new Error(`UnitBuilder: bad item index ${item}`);
    if (item >= this.parent.length) this.parent = growInt32(this.parent, item + 1, -1);
    if (this.parent[item] !== -1) throw new Error(`UnitBuilder: item ${item} added twice`);
    if (cluster !== null && cluster !== undefined && !Number.isInteger(cluster)) throw new Error(`UnitBuilder: bad cluster id ${cluster}`);
    if (labels) {
      for (let k = 0; k < labels.length; k++) {
        const l = labels[k]!;
        if (!Number.isInteger(l) || l < 0 || l > 0xffffff) throw new Error(`UnitBuilder: bad label index ${l}`);
      }
    }
    this.parent[item] = item;
    this.items++;
    if (item + 1 > this.itemCapacity) this.itemCapacity = item + 1;

    if (group !== null && group !== undefined && group !== '') {
      hash64Into(String(group), this.hashOut); // 5 and '5' are the same group
      const first = this.groups.getOrSet(this.hashOut[0]!, this.hashOut[1]!, item);
      if (first >= 0) unionRoots(this.parent, first, item);
    }
    if (cluster !== null && cluster !== undefined && cluster >= 0) {
      const first = this.clusters.getOrSet(cluster >>> 0, fmix32(cluster), item);
      if (first >= 0) unionRoots(this.parent, first, item);
    }
    if (labels) {
      const start = this.pairs;
      for (let k = 0; k < labels.length; k++) {
        const l = labels[k]!;
        let seen = false;
        for (let p = start; p < this.pairs; p++) if (this.pairLabel[p] === l) seen = true;
        if (seen) continue;
        if (this.pairs >= this.pairItem.length) {
          this.pairItem = growInt32(this.pairItem, this.pairs + 1);
          this.pairLabel = growInt32(this.pairLabel, this.pairs + 1);
        }
        this.pairItem[this.pairs] = item;
        this.pairLabel[this.pairs++] = l;
        if (l > this.maxLabel) this.maxLabel = l;
      }
    }
  }

  /** The units; the builder cannot be used afterwards. `labelCount` may be given to cover labels no item carries. */
  finish(options: { labelCount?: number } = {}): Units {
    if (this.finished) throw new Error('UnitBuilder: finish called twice');
    this.finished = true;
    const n = this.itemCapacity;
    const parent = this.parent;
    // Unit ids by smallest item index: roots are the smallest index of their set (unionRoots keeps the smaller).
    const unitOf = new Int32Array(n).fill(-1);
    let count = 0;
    for (let i = 0; i < n; i++) {
      if (parent[i]! < 0) continue;
      const r = findRoot(parent, i);
      unitOf[i] = r === i ? count++ : unitOf[r]!;
    }
    this.parent = new Int32Array(0);
    this.groups = new Hash64Map(0);
    this.clusters = new Hash64Map(0);
    const size = new Int32Array(count);
    let largest = 0;
    for (let i = 0; i < n; i++) {
      const u = unitOf[i]!;
      if (u >= 0 && ++size[u]! > largest) largest = size[u]!;
    }

    // Label pairs bucketed by unit, then counted per (unit, label).
    const labelCount = Math.max(this.maxLabel + 1, options.labelCount ?? 0);
    const P = this.pairs;
    const bucketStart = new Int32Array(count + 1);
    for (let p = 0; p < P; p++) bucketStart[unitOf[this.pairItem[p]!]! + 1]!++;
    for (let u = 0; u < count; u++) bucketStart[u + 1]! += bucketStart[u]!;
    const fill = bucketStart.slice(0, count);
    const bucket = new Int32Array(P);
    for (let p = 0; p < P; p++) bucket[fill[unitOf[this.pairItem[p]!]!]!++] = this.pairLabel[p]!;
    this.pairItem = new Int32Array(0);
    this.pairLabel = new Int32Array(0);

    const tally = new Int32Array(labelCount);
    const labelStart = new Int32Array(count + 1);
    const ids: number[] = [];
    let labelIds = new Int32Array(Math.max(16, P));
    let labelItems = new Int32Array(Math.max(16, P));
    let m = 0;
    for (let u = 0; u < count; u++) {
      const a = bucketStart[u]!;
      const b = bucketStart[u + 1]!;
      ids.length = 0;
      for (let p = a; p < b; p++) {
        const l = bucket[p]!;
        if (tally[l]!++ === 0) ids.push(l);
      }
      ids.sort((x, y) => x - y);
      for (const l of ids) {
        labelIds[m] = l;
        labelItems[m++] = tally[l]!;
        tally[l] = 0;
      }
      labelStart[u + 1] = m;
    }
    labelIds = labelIds.slice(0, m);
    labelItems = labelItems.slice(0, m);
    return { count, itemCount: n, items: this.items, unitOf, size, labelCount, labelStart, labelIds, labelItems, largest };
  }
}

export interface SplitOptions {
  /** [train, validation, test], non-negative, any positive sum (normalised). */
  ratios: readonly [number, number, number] | readonly number[];
  /** Seed of the shuffles and tie-breaks: a uint32 or any string. */
  seed: number | string;
  /** The local search works on labels whose share in a split is further than this from overall. Default 0.005 (half a point). */
  targetDeviation?: number;
  /** Most local-search moves. Default 20 000; 0 = the greedy pass only. */
  maxMoves?: number;
  /** The local search keeps each split's size within max(this, the greedy's distance) of its ratio. Default 0.01. */
  sizeTolerance?: number;
}

export interface SplitAssignment {
  /** Per item index: 0 train, 1 validation, 2 test; NO_SPLIT for items not added. */
  readonly splitOf: Uint8Array;
  /** Per unit: its split. */
  readonly unitSplit: Uint8Array;
  /** Items per split. */
  readonly sizes: [number, number, number];
  /** Units per split. */
  readonly unitCounts: [number, number, number];
  /** Items with label l in split j at labelCounts[j × labelCount + l]. */
  readonly labelCounts: Int32Array;
  /** Items with label l in all splits. */
  readonly labelTotals: Int32Array;
  /** The ratios used (normalised to sum 1). */
  readonly ratios: [number, number, number];
  /** Moves (single units or swaps) the local search made after the greedy pass. */
  readonly moves: number;
}

/** A uint32 seed from a number or string. */
export function seedOf(seed: number | string): number {
  if (typeof seed === 'number') {
    if (!Number.isFinite(seed)) throw new AppError('VALIDATION', `split seed must be a finite number, got ${seed}`);
    return Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff ? seed >>> 0 : fmix32(Math.floor(Math.abs(seed)) ^ 0x5eed);
  }
  const out = new Uint32Array(2);
  hash64Into(seed, out);
  return out[1]!;
}

function normaliseRatios(ratios: readonly number[]): [number, number, number] {
  if (ratios.length !== 3 || ratios.some((r) => !Number.isFinite(r) || r < 0)) {
    throw new AppError('VALIDATION', `split ratios must be three non-negative numbers [train, validation, test], got ${JSON.stringify(ratios)}`);
  }
  const sum = ratios[0]! + ratios[1]! + ratios[2]!;
  if (!(sum > 0)) throw new AppError('VALIDATION', 'split ratios must not all be zero');
  return [ratios[0]! / sum, ratios[1]! / sum, ratios[2]! / sum];
}

/** Fisher–Yates shuffle of a[0…n) with the generator. */
function shuffle(a: Int32Array, n: number, rand: () => number): void {
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  }
}

/** Stable sort of a[0…n) by size descending (the shuffle order stays among equal sizes). */
function sortLargestFirst(a: Int32Array, n: number, size: Int32Array): void {
  const view = Array.from(a.subarray(0, n));
  view.sort((x, y) => size[y]! - size[x]!); // Array.prototype.sort is stable
  a.set(view);
}

/** Assigns every unit to train / validation / test (see the module comment for the algorithm). */
export function assignSplits(units: Units, options: SplitOptions): SplitAssignment {
  const ratios = normaliseRatios(options.ratios);
  const rand = mulberry32(seedOf(options.seed));
  const U = units.count;
  const L = units.labelCount;
  const { size, labelStart, labelIds, labelItems } = units;
  const active = [0, 1, 2].filter((j) => ratios[j]! > 0);

  // label → units (CSR) and label totals
  const labelTotals = new Int32Array(L);
  const unitsOfLabelStart = new Int32Array(L + 1);
  for (let p = 0; p < labelIds.length; p++) {
    labelTotals[labelIds[p]!]! += labelItems[p]!;
    unitsOfLabelStart[labelIds[p]! + 1]!++;
  }
  for (let l = 0; l < L; l++) unitsOfLabelStart[l + 1]! += unitsOfLabelStart[l]!;
  const unitsOfLabel = new Int32Array(labelIds.length);
  {
    const fill = unitsOfLabelStart.slice(0, L);
    for (let u = 0; u < U; u++) for (let p = labelStart[u]!; p < labelStart[u + 1]!; p++) unitsOfLabel[fill[labelIds[p]!]!++] = u;
  }

  const wantLabel = new Float64Array(3 * L);
  for (let j = 0; j < 3; j++) for (let l = 0; l < L; l++) wantLabel[j * L + l] = ratios[j]! * labelTotals[l]!;
  const wantItems = [ratios[0] * units.items, ratios[1] * units.items, ratios[2] * units.items];
  const remaining = Float64Array.from(labelTotals);
  const unitSplit = new Uint8Array(U).fill(NO_SPLIT);
  const labelCounts = new Int32Array(3 * L);
  const sizes: [number, number, number] = [0, 0, 0];
  const unitCounts: [number, number, number] = [0, 0, 0];

  const place = (u: number, j: number): void => {
    unitSplit[u] = j;
    sizes[j]! += size[u]!;
    unitCounts[j]!++;
    wantItems[j]! -= size[u]!;
    for (let p = labelStart[u]!; p < labelStart[u + 1]!; p++) {
      const l = labelIds[p]!;
      const c = labelItems[p]!;
      wantLabel[j * L + l]! -= c;
      remaining[l]! -= c;
      labelCounts[j * L + l]! += c;
    }
  };
  /** The active split wanting the most of label l (l < 0: only items), ties by items wanted, then random. */
  const choose = (l: number): number => {
    let best = -1;
    let ties = 0;
    for (const j of active) {
      if (best < 0) {
        best = j;
        ties = 1;
        continue;
      }
      const dl = l >= 0 ? wantLabel[j * L + l]! - wantLabel[best * L + l]! : 0;
      const di = wantItems[j]! - wantItems[best]!;
      if (dl > 0 || (dl === 0 && di > 0)) {
        best = j;
        ties = 1;
      } else if (dl === 0 && di === 0 && rand() * ++ties < 1) {
        best = j;
      }
    }
    return best;
  };

  const batch = new Int32Array(Math.max(1, U));
  for (;;) {
    let l = -1;
    for (let k = 0; k < L; k++) if (remaining[k]! > 0 && (l < 0 || remaining[k]! < remaining[l]!)) l = k;
    if (l < 0) break;
    let n = 0;
    for (let p = unitsOfLabelStart[l]!; p < unitsOfLabelStart[l + 1]!; p++) {
      const u = unitsOfLabel[p]!;
      if (unitSplit[u] === NO_SPLIT) batch[n++] = u;
    }
    shuffle(batch, n, rand);
    sortLargestFirst(batch, n, size);
    for (let k = 0; k < n; k++) place(batch[k]!, choose(l));
  }
  let n = 0;
  for (let u = 0; u < U; u++) if (unitSplit[u] === NO_SPLIT) batch[n++] = u;
  shuffle(batch, n, rand);
  sortLargestFirst(batch, n, size);
  for (let k = 0; k < n; k++) place(batch[k]!, choose(-1));

  const moves = refine(
    { units, ratios, active, rand, unitSplit, sizes, unitCounts, labelCounts, labelTotals, unitsOfLabelStart, unitsOfLabel },
    options,
  );

  const splitOf = new Uint8Array(units.itemCount).fill(NO_SPLIT);
  for (let i = 0; i < units.itemCount; i++) {
    const u = units.unitOf[i]!;
    if (u >= 0) splitOf[i] = unitSplit[u]!;
  }
  return { splitOf, unitSplit, sizes, unitCounts, labelCounts, labelTotals, ratios, moves };
}

interface RefineInput {
  units: Units;
  ratios: [number, number, number];
  active: number[];
  rand: () => number;
  unitSplit: Uint8Array;
  sizes: [number, number, number];
  unitCounts: [number, number, number];
  labelCounts: Int32Array;
  labelTotals: Int32Array;
  unitsOfLabelStart: Int32Array;
  unitsOfLabel: Int32Array;
}

const SAMPLE = 16; // candidate units tried per (split, label) and partner units per other split
const WIDE_SAMPLE = 96; // the same, on a second try before a (split, label) is given up
const TARGETS = 8; // worst (split, label) pairs tried per round
const RARE = 50; // label weight T/(T + RARE) in the local search
const QUARTIC_SCALE = 0.01; // deviations beyond about one point weigh more than quadratically

/**
 * Local search after the greedy pass, for when units are large compared with the splits (dialogues): while
 * some label's share in some split is more than `targetDeviation` from its overall share, try moving a unit
 * carrying it out of (or into) that split, or swapping it with a unit of another split, and apply the best
 * move that lowers Φ = Σ_split Σ_label w·(e² + e⁴/0.01²) + Σ_split (items/total − ratio)², where e is the
 * label's share in the split minus its overall share and w = T/(T + 50) for a label of T items (rare labels
 * cannot match their share in a small split and must not dominate; the quartic term makes one deviation of
 * 2 points cost more than many small ones). Worst pairs first, by w·|e|. A move may
 * not take a split's size further than max(sizeTolerance, its current distance) from its ratio, nor empty a
 * split. Each step lowers Φ, so the search ends; it also stops after `maxMoves`. Returns the moves made.
 */
function refine(st: RefineInput, options: SplitOptions): number {
  const target = options.targetDeviation ?? 0.005;
  const maxMoves = options.maxMoves ?? 20_000;
  const sizeTolerance = options.sizeTolerance ?? 0.01;
  const { units, ratios, active, rand, unitSplit, sizes, unitCounts, labelCounts: c, labelTotals, unitsOfLabelStart, unitsOfLabel } = st;
  const L = units.labelCount;
  const N = units.items;
  const U = units.count;
  if (N === 0 || L === 0 || active.length < 2 || maxMoves <= 0) return 0;
  const { size, labelStart, labelIds, labelItems } = units;
  // Label weights w = T/(T + 50): a label too rare for its share to be matched in a small split (a few
  // items) must not outweigh the frequent labels whose shares can be matched.
  const p = new Float64Array(L);
  const w = new Float64Array(L);
  let P2 = 0;
  let P4 = 0;
  for (let l = 0; l < L; l++) {
    p[l] = labelTotals[l]! / N;
    w[l] = labelTotals[l]! / (labelTotals[l]! + RARE);
    P2 += w[l]! * p[l]! ** 2;
    P4 += w[l]! * p[l]! ** 4;
  }
  // Per split, power sums over labels of w·c^k·p^m, so that with share deviation e = c/n − p
  //   Σ w·e² = S2/n² − 2·S1/n + P2   and   Σ w·e⁴ = A4/n⁴ − 4·A3/n³ + 6·A2/n² − 4·A1/n + P4
  // and a move updates them from the labels of the moved units alone. Layout: [S2, S1, A4, A3, A2, A1].
  const sums = new Float64Array(18);
  const addLabel = (out: Float64Array, o: number, l: number, from: number, to: number): void => {
    const wl = w[l]!;
    const pl = p[l]!;
    const f2 = from * from;
    const t2 = to * to;
    out[o] = out[o]! + wl * (t2 - f2);
    out[o + 1] = out[o + 1]! + wl * pl * (to - from);
    out[o + 2] = out[o + 2]! + wl * (t2 * t2 - f2 * f2);
    out[o + 3] = out[o + 3]! + wl * pl * (t2 * to - f2 * from);
    out[o + 4] = out[o + 4]! + wl * pl * pl * (t2 - f2);
    out[o + 5] = out[o + 5]! + wl * pl * pl * pl * (to - from);
  };
  for (const j of active) for (let l = 0; l < L; l++) addLabel(sums, 6 * j, l, 0, c[j * L + l]!);
  const Q = 1 / (QUARTIC_SCALE * QUARTIC_SCALE);
  const phi = (j: number, n: number, t: Float64Array, o: number): number => {
    const d = n / N - ratios[j]!;
    if (n <= 0) return d * d;
    const square = t[o]! / (n * n) - (2 * t[o + 1]!) / n + P2;
    const quartic = t[o + 2]! / n ** 4 - (4 * t[o + 3]!) / n ** 3 + (6 * t[o + 4]!) / (n * n) - (4 * t[o + 5]!) / n + P4;
    return square + Q * quartic + d * d;
  };
  const sizeLimit = (j: number): number => Math.max(sizeTolerance, Math.abs(sizes[j]! / N - ratios[j]!));

  // Scratch for the label change δ of split a (split b gets −δ), and the two splits' sums after the move.
  const delta = new Float64Array(L);
  const touched: number[] = [];
  const after = new Float64Array(12);
  const collect = (u: number, sign: number): void => {
    for (let q = labelStart[u]!; q < labelStart[u + 1]!; q++) {
      const l = labelIds[q]!;
      if (delta[l] === 0) touched.push(l);
      delta[l]! += sign * labelItems[q]!;
    }
  };
  /** ΔΦ of moving u from a to b and, when v ≥ 0, v from b to a; Infinity when not allowed. */
  const evaluate = (u: number, v: number, a: number, b: number): number => {
    const ds = -size[u]! + (v >= 0 ? size[v]! : 0);
    const na = sizes[a]! + ds;
    const nb = sizes[b]! - ds;
    if (na <= 0 || nb <= 0) return Infinity;
    if (Math.abs(na / N - ratios[a]!) > sizeLimit(a) + 1e-12 || Math.abs(nb / N - ratios[b]!) > sizeLimit(b) + 1e-12) return Infinity;
    touched.length = 0;
    collect(u, -1);
    if (v >= 0) collect(v, 1);
    after.set(sums.subarray(6 * a, 6 * a + 6), 0);
    after.set(sums.subarray(6 * b, 6 * b + 6), 6);
    for (const l of touched) {
      const d = delta[l]!;
      delta[l] = 0;
      if (d === 0) continue;
      const ca = c[a * L + l]!;
      const cb = c[b * L + l]!;
      addLabel(after, 0, l, ca, ca + d);
      addLabel(after, 6, l, cb, cb - d);
    }
    return phi(a, na, after, 0) + phi(b, nb, after, 6) - phi(a, sizes[a]!, sums, 6 * a) - phi(b, sizes[b]!, sums, 6 * b);
  };
  const moveUnit = (u: number, a: number, b: number): void => {
    for (let q = labelStart[u]!; q < labelStart[u + 1]!; q++) {
      const l = labelIds[q]!;
      const x = labelItems[q]!;
      const ca = c[a * L + l]!;
      const cb = c[b * L + l]!;
      addLabel(sums, 6 * a, l, ca, ca - x);
      addLabel(sums, 6 * b, l, cb, cb + x);
      c[a * L + l] = ca - x;
      c[b * L + l] = cb + x;
    }
    sizes[a]! -= size[u]!;
    sizes[b]! += size[u]!;
    unitCounts[a]!--;
    unitCounts[b]!++;
    unitSplit[u] = b;
  };
  /** Up to `sample` units carrying label l whose split satisfies `want`, from a random start. */
  const unitsWith = (l: number, want: (j: number) => boolean, out: number[], sample: number): void => {
    out.length = 0;
    const a = unitsOfLabelStart[l]!;
    const len = unitsOfLabelStart[l + 1]! - a;
    if (len === 0) return;
    const start = Math.floor(rand() * len);
    for (let k = 0; k < len && out.length < sample; k++) {
      const u = unitsOfLabel[a + ((start + k) % len)]!;
      if (want(unitSplit[u]!)) out.push(u);
    }
  };
  /** Up to `sample` random units in split j (rejection sampling, bounded). */
  const unitsIn = (j: number, out: number[], sample: number): void => {
    out.length = 0;
    for (let tries = 0; tries < sample * 20 && out.length < sample; tries++) {
      const u = Math.floor(rand() * U);
      if (unitSplit[u] === j) out.push(u);
    }
  };

  const stuck = new Uint8Array(3 * L); // failed tries per (split, label) since the last move
  const candidates: number[] = [];
  const partners: number[] = [];
  const order: number[] = [];
  const dev = new Float64Array(3 * L);
  let moves = 0;
  while (moves < maxMoves) {
    order.length = 0;
    for (const j of active) {
      if (sizes[j] === 0) continue;
      for (let l = 0; l < L; l++) {
        if (labelTotals[l] === 0) continue;
        const d = c[j * L + l]! / sizes[j]! - p[l]!;
        dev[j * L + l] = d;
        if (Math.abs(d) > target && stuck[j * L + l]! < 2) order.push(j * L + l);
      }
    }
    if (order.length === 0) break;
    order.sort((x, y) => w[y % L]! * Math.abs(dev[y]!) - w[x % L]! * Math.abs(dev[x]!) || x - y);
    let applied = false;
    for (let t = 0; t < Math.min(TARGETS, order.length) && !applied; t++) {
      const jl = order[t]!;
      const j = Math.floor(jl / L);
      const l = jl % L;
      const over = dev[jl]! > 0;
      // over: move units with l out of j; under: move units with l into j from the other splits.
      const sample = stuck[jl] ? WIDE_SAMPLE : SAMPLE;
      unitsWith(l, over ? (k) => k === j : (k) => k !== j && ratios[k]! > 0, candidates, sample);
      let best = -1e-12;
      let bu = -1;
      let bv = -1;
      let ba = -1;
      let bb = -1;
      for (const u of candidates) {
        const from = unitSplit[u]!;
        for (const to of over ? active : [j]) {
          if (to === from) continue;
          const d = evaluate(u, -1, from, to);
          if (d < best) [best, bu, bv, ba, bb] = [d, u, -1, from, to];
          unitsIn(to, partners, sample);
          for (const v of partners) {
            const dv = evaluate(u, v, from, to);
            if (dv < best) [best, bu, bv, ba, bb] = [dv, u, v, from, to];
          }
        }
      }
      if (bu >= 0) {
        moveUnit(bu, ba, bb);
        if (bv >= 0) moveUnit(bv, bb, ba);
        moves++;
        applied = true;
        stuck.fill(0);
      } else {
        stuck[jl]!++; // 1: try again with a wider sample; 2: given up until some move succeeds
      }
    }
    if (!applied && order.length <= TARGETS) break;
  }
  return moves;
}

export interface LabelShareDeviation {
  label: number;
  split: number;
  /** Share of the label among the split's items and among all items. */
  share: number;
  overall: number;
}

/**
 * The largest |share of label l in split j − share of l overall| over labels with at least `minLabelItems`
 * items and non-empty splits, with where it occurs; shares are fractions (0.02 = 2 percentage points).
 */
export function maxLabelShareDeviation(a: SplitAssignment, minLabelItems = 50): { deviation: number; worst: LabelShareDeviation | null } {
  const L = a.labelTotals.length;
  const total = a.sizes[0] + a.sizes[1] + a.sizes[2];
  let deviation = 0;
  let worst: LabelShareDeviation | null = null;
  for (let l = 0; l < L; l++) {
    if (a.labelTotals[l]! < minLabelItems) continue;
    const overall = a.labelTotals[l]! / total;
    for (let j = 0; j < 3; j++) {
      if (a.sizes[j] === 0) continue;
      const share = a.labelCounts[j * L + l]! / a.sizes[j]!;
      const d = Math.abs(share - overall);
      if (worst === null || d > deviation) {
        deviation = d;
        worst = { label: l, split: j, share, overall };
      }
    }
  }
  return { deviation, worst };
}
