/**
 * Deduplication for the training-data export (issue 11, part 4): exact and near-duplicate clusters over a
 * stream of item texts, with a deterministic survivor per cluster.
 *
 * Memory is kept per item small so a million items fit comfortably: the index never keeps a text. Per item
 * it holds one Int32 (its exact group); per distinct normalised text one Int32 (the group size) and, when
 * near-duplicates are wanted, a 4-bit MinHash signature of `permutations / 2` bytes (64 bytes with the
 * default 128). A table of 64-bit hashes of the normalised texts (16–24 bytes a distinct text) finds the
 * group while items are added; it and the signatures are released when the index is finished.
 *
 * Exact duplicates: two texts are exact duplicates when `normalizeForDedup` gives the same string; the index
 * compares 64-bit hashes of it (two independent 32-bit lanes), so two different texts merge only on a hash
 * collision, about 3·10⁻⁸ for a million distinct texts.
 *
 * Near duplicates: MinHash over the set of character n-grams of the normalised text (code points; a text
 * shorter than n is one shingle), `permutations` hash functions; each minimum is kept as 4 bits (b-bit MinHash,
 * Li & König 2010). Candidates come from LSH banding: a band is `rows` consecutive 4-bit minima (8, one
 * 32-bit word, at the default threshold; see lshBanding), and two texts are candidates when one whole band
 * is equal; within one bucket each item is verified against up to `maxLeaders` earlier items that did not
 * match anything in it. A candidate pair is a near duplicate when
 * the estimated Jaccard similarity of their n-gram sets, corrected for the 1/16 chance that two different
 * 4-bit minima agree, is at least `threshold`. Clusters are connected components (union-find) of exact groups
 * and verified pairs, so `near` includes `exact` and a cluster may chain A≈B≈C with A and C less similar.
 * The minima are computed in minhash.ts (WebAssembly SIMD where available, the same words either way).
 */
import { AppError } from '../../../shared/contract/errors';
import { MinHasher } from './minhash';

// ---------------------------------------------------------------------------------------------------------
// Normalisation

/**
 * Removed after NFKC and lower-casing: Unicode punctuation (\p{P}: covers 。，！？、；：“”‘’（）【】《》…—·
 * and their ASCII forms, which NFKC produces from the full-width ones), white space, control and format
 * characters (zero-width space, BOM), the ASCII symbols POSIX counts as punctuation ($+<=>^`|~) and the wave
 * dashes ～〜. Letters, digits, CJK characters, emoji and other symbols (¥, ℃) stay.
 */
const STRIP = /[\p{P}\p{White_Space}\p{Cc}\p{Cf}$+<=>^`|~\u301c\uff5e]/gu;

/**
 * The text as compared for deduplication: NFKC (full-width letters, digits and punctuation become
 * half-width, compatibility forms are unfolded), lower case, without white space and punctuation. Works on a
 * copy; the exported text is never changed.
 */
export function normalizeForDedup(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(STRIP, '');
}

// ---------------------------------------------------------------------------------------------------------
// Hashing

/** murmur3's finaliser: a bijection on 32-bit integers that mixes every input bit into every output bit. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * A 64-bit hash of a string's UTF-16 code units as two independent 32-bit lanes (FNV-1a and a murmur3-style
 * mix, each finalised), written to `out[0]` (high) and `out[1]` (low). Not cryptographic.
 */
export function hash64Into(s: string, out: Uint32Array): void {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    let k = Math.imul(c, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    b ^= Math.imul(k, 0x1b873593);
    b = (b << 13) | (b >>> 19);
    b = (Math.imul(b, 5) + 0xe6546b64) | 0;
  }
  out[0] = fmix32(a ^ s.length);
  out[1] = fmix32(b ^ Math.imul(s.length, 0x9e3779b1));
}

/**
 * Open-addressing hash map from a 64-bit key (two uint32 halves) to a non-negative int32, on typed arrays:
 * 12 bytes a slot, at most half full, so 24–48 bytes an entry.
 */
export class Hash64Map {
  private mask: number;
  private his: Uint32Array;
  private los: Uint32Array;
  private vals: Int32Array;
  private count = 0;

  constructor(initialCapacity = 1024) {
    let cap = 16;
    while (cap < initialCapacity * 2) cap *= 2;
    this.mask = cap - 1;
    this.his = new Uint32Array(cap);
    this.los = new Uint32Array(cap);
    this.vals = new Int32Array(cap).fill(-1);
  }

  get size(): number {
    return this.count;
  }

  /** The value stored for the key, or -1. */
  get(hi: number, lo: number): number {
    const { mask, his, los, vals } = this;
    for (let p = (lo ^ Math.imul(hi, 0x9e3779b1)) & mask; ; p = (p + 1) & mask) {
      const v = vals[p]!;
      if (v < 0) return -1;
      if (his[p] === hi && los[p] === lo) return v;
    }
  }

  /** The value already stored for the key; otherwise stores `value` and returns -1. */
  getOrSet(hi: number, lo: number, value: number): number {
    if ((this.count + 1) * 2 > this.mask + 1) this.rehash();
    const { mask, his, los, vals } = this;
    for (let p = (lo ^ Math.imul(hi, 0x9e3779b1)) & mask; ; p = (p + 1) & mask) {
      const v = vals[p]!;
      if (v < 0) {
        his[p] = hi;
        los[p] = lo;
        vals[p] = value;
        this.count++;
        return -1;
      }
      if (his[p] === hi && los[p] === lo) return v;
    }
  }

  private rehash(): void {
    const { his, los, vals } = this;
    const cap = (this.mask + 1) * 2;
    this.mask = cap - 1;
    this.his = new Uint32Array(cap);
    this.los = new Uint32Array(cap);
    this.vals = new Int32Array(cap).fill(-1);
    this.count = 0;
    for (let p = 0; p < vals.length; p++) if (vals[p]! >= 0) this.getOrSet(his[p]!, los[p]!, vals[p]!);
  }
}

/**
 * The exact-duplicate table of DedupIndex: 64-bit keys numbered 0, 1, 2 … in insertion order. The keys are
 * stored once, by number (8 bytes each), and the open-addressing table holds only numbers + 1 (4 bytes a
 * slot, at most half full), so 16–24 bytes a key instead of Hash64Map's 24–48.
 */
class KeyNumbering {
  private mask: number;
  private table: Int32Array;
  private his: Uint32Array;
  private los: Uint32Array;
  private count = 0;

  /** `expected` keys fit without growing. */
  constructor(expected = 512) {
    let cap = 1024;
    while (cap < expected * 2) cap *= 2;
    this.mask = cap - 1;
    this.table = new Int32Array(cap);
    this.his = new Uint32Array(Math.max(512, expected));
    this.los = new Uint32Array(Math.max(512, expected));
  }

  /** The number of the key, adding it (as the next number) when new; `added` tells which. */
  numberOf(hi: number, lo: number): { n: number; added: boolean } {
    if ((this.count + 1) * 2 > this.mask + 1) this.rehash();
    const { mask, table, his, los } = this;
    for (let p = (lo ^ Math.imul(hi, 0x9e3779b1)) & mask; ; p = (p + 1) & mask) {
      const v = table[p]! - 1;
      if (v < 0) {
        const n = this.count++;
        if (n >= this.his.length) {
          const h = new Uint32Array(this.his.length * 2);
          h.set(this.his);
          this.his = h;
          const l = new Uint32Array(this.los.length * 2);
          l.set(this.los);
          this.los = l;
        }
        this.his[n] = hi;
        this.los[n] = lo;
        table[p] = n + 1;
        return { n, added: true };
      }
      if (his[v] === hi && los[v] === lo) return { n: v, added: false };
    }
  }

  private rehash(): void {
    const cap = (this.mask + 1) * 2;
    this.mask = cap - 1;
    this.table = new Int32Array(cap);
    const { mask, table, his, los } = this;
    for (let n = 0; n < this.count; n++) {
      let p = (los[n]! ^ Math.imul(his[n]!, 0x9e3779b1)) & mask;
      while (table[p] !== 0) p = (p + 1) & mask;
      table[p] = n + 1;
    }
  }
}

/** A copy of `a` with room for at least `min` elements (doubling), new elements set to `fill`. */
export function growInt32(a: Int32Array<ArrayBuffer>, min: number, fill = 0): Int32Array<ArrayBuffer> {
  if (min <= a.length) return a;
  let len = Math.max(16, a.length);
  while (len < min) len *= 2;
  const b = new Int32Array(len);
  b.set(a);
  if (fill !== 0) b.fill(fill, a.length);
  return b;
}

/** Union-find root with path halving. */
export function findRoot(parent: Int32Array, x: number): number {
  while (parent[x] !== x) {
    const g = parent[parent[x]!]!;
    parent[x] = g;
    x = g;
  }
  return x;
}

/** Joins the sets of a and b; the smaller root becomes the root, so roots are deterministic. */
export function unionRoots(parent: Int32Array, a: number, b: number): boolean {
  const ra = findRoot(parent, a);
  const rb = findRoot(parent, b);
  if (ra === rb) return false;
  if (ra < rb) parent[rb] = ra;
  else parent[ra] = rb;
  return true;
}

/**
 * Stable LSD radix sort (two 16-bit passes) of the first `n` pairs (keys[i], order[i]) by key; the result is
 * back in `keys`/`order`. `tmpKeys`/`tmpOrder` are scratch of the same length, `counts` 65536 entries.
 */
function radixSortPairs(keys: Uint32Array, order: Int32Array, tmpKeys: Uint32Array, tmpOrder: Int32Array, n: number, counts: Int32Array): void {
  let srcK = keys;
  let srcO = order;
  let dstK = tmpKeys;
  let dstO = tmpOrder;
  for (let shift = 0; shift < 32; shift += 16) {
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[(srcK[i]! >>> shift) & 0xffff]!++;
    let sum = 0;
    for (let d = 0; d < 65536; d++) {
      const c = counts[d]!;
      counts[d] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const k = srcK[i]!;
      const p = counts[(k >>> shift) & 0xffff]!++;
      dstK[p] = k;
      dstO[p] = srcO[i]!;
    }
    [srcK, dstK] = [dstK, srcK];
    [srcO, dstO] = [dstO, srcO];
  }
}

/** Number of the 8 nibbles of `w` that are zero. */
function zeroNibbles(w: number): number {
  let z = ~(w | (w >>> 1) | (w >>> 2) | (w >>> 3)) & 0x11111111;
  z = (z + (z >>> 4)) & 0x0f0f0f0f;
  return Math.imul(z, 0x01010101) >>> 24;
}

// ---------------------------------------------------------------------------------------------------------
// The index

export type DedupMode = 'exact' | 'near';

export interface DedupOptions {
  /** Estimated Jaccard similarity of the n-gram sets at or above which two texts are near duplicates; (0, 1]. Default 0.8. */
  threshold?: number;
  /** Character n-gram length for MinHash, 1–8. Default 2 (see DEFAULT_NGRAM). */
  ngram?: number;
  /** Compute near-duplicate clusters (MinHash + LSH). Default true; false keeps only exact groups and no signatures. */
  near?: boolean;
  /**
   * MinHash functions (permutations), a multiple of 8 from 32 to 512. Default 128: 64 bytes a distinct text,
   * estimate standard error about 0.03 near J = 0.85. The LSH banding follows from this and the threshold.
   */
  permutations?: number;
  /** Most items per LSH bucket that later items in the bucket are verified against. Default 32. */
  maxLeaders?: number;
  /**
   * Whether texts that normalise to the empty string (only punctuation, white space) are exact duplicates of
   * each other. Default false: each stays on its own, because merging them would join unrelated items.
   */
  clusterEmpty?: boolean;
  /** Seed of the MinHash functions; the same seed gives the same clusters. Default 0x5eed. */
  seed?: number;
  /** WebAssembly SIMD for the MinHash minima where available (default); false: JavaScript (same signatures). */
  simd?: boolean;
  /** Items the caller expects to add: the tables are sized for them at once (growing copies them, and memory freed that way is often not returned). */
  expectedItems?: number;
}

export interface DedupCounts {
  /** Items added. */
  items: number;
  /** Items whose normalised text is empty. */
  empty: number;
  /** Distinct normalised texts (exact groups). */
  exact_groups: number;
  /** Exact groups with two or more items. */
  exact_clusters: number;
  /** Items an exact deduplication drops: items − exact_groups. */
  exact_removed: number;
  /** Near-duplicate clusters (each a union of exact groups), or exact groups when near is off. */
  near_groups: number;
  /** Near-duplicate clusters with two or more items. */
  near_clusters: number;
  /** Items a near deduplication drops, exact duplicates included: items − near_groups. */
  near_removed: number;
  /** Duplicate clusters (two or more items) at the index's default mode. */
  clusters: number;
  /** Candidate pairs verified and pairs found similar (diagnostics). */
  candidate_pairs: number;
  similar_pairs: number;
}

export interface DuplicateCluster {
  survivor: number;
  /** Item indices, ascending; includes the survivor. */
  members: number[];
}

export const DEFAULT_THRESHOLD = 0.8;
/**
 * Character bigrams: for Chinese a character is about a morpheme, and with bigrams one changed character in
 * a 30-character sentence leaves a Jaccard similarity of about 27/31 ≈ 0.87, clearly above 0.8. With
 * trigrams it is 25/31 ≈ 0.806, on the threshold, so MinHash would find such pairs only about half the time.
 */
export const DEFAULT_NGRAM = 2;
export const DEFAULT_PERMUTATIONS = 128;
const ROWS = 8; // 4-bit minima per band = one uint32 word
const SIG_CHUNK_BITS = 14;
const SIG_CHUNK = 1 << SIG_CHUNK_BITS;
const NIBBLE_MATCH = 1 / 16;

/**
 * LSH banding for `k` 4-bit minima and a threshold: the most rows per band (4–8, so band keys have 16–32
 * bits) for which a pair exactly at the threshold still becomes a candidate with probability ≥ 0.95, where
 * a row matches with probability p = J + (1 − J)/16 and P(candidate) = 1 − (1 − p^rows)^bands. With 128
 * minima: ≥ 0.8 → 16 bands of 8 (0.966 at 0.8, 0.996 at 0.85), 0.75 → 18 of 7, 0.7 → 21 of 6, 0.65 → 25 of
 * 5, ≤ 0.6 → 32 of 4 (recall at 0.5 is then 0.93). Fewer rows
 * mean more chance candidates (2^-4·rows a pair and band) to verify, so low thresholds are slower at scale.
 */
export function lshBanding(threshold: number, k: number): { rows: number; bands: number } {
  const p = threshold + (1 - threshold) * NIBBLE_MATCH;
  for (let rows = ROWS; rows > 4; rows--) {
    const bands = Math.floor(k / rows);
    if (1 - Math.pow(1 - Math.pow(p, rows), bands) >= 0.95) return { rows, bands };
  }
  return { rows: 4, bands: Math.floor(k / 4) };
}

/**
 * A caller-side survivor priority: adjudicated items first, then the most annotations. Pass an array of
 * these (higher wins, ties go to the smaller item index) as `priority` to `finish`.
 */
export function survivorPriority(adjudicated: boolean, annotations: number): number {
  return (adjudicated ? 2 ** 31 : 0) + Math.max(0, Math.min(annotations, 2 ** 31 - 1));
}

/**
 * Streaming exact and near-duplicate index. Call `add(itemIndex, text)` for every item (item indices are
 * non-negative integers, each at most once, ideally dense: arrays are sized by the largest), then `finish`
 * once (optionally with a survivor priority), then read clusters and survivors.
 *
 * Survivor rule (deterministic): in each cluster, the item with the highest `priority[item]` (missing = 0);
 * ties go to the smallest item index. With no priority, the smallest item index (the first in export order).
 * A cluster's id is its survivor's item index.
 */
export class DedupIndex {
  readonly threshold: number;
  readonly ngram: number;
  readonly near: boolean;
  readonly permutations: number;
  readonly maxLeaders: number;
  readonly clusterEmpty: boolean;
  /** The mode survivors and clusters use when none is given: 'near' when near is on, else 'exact'. */
  readonly defaultMode: DedupMode;
  /** LSH banding chosen for the threshold: `bands` keys of `rows` 4-bit minima each (see lshBanding). */
  readonly lsh: { rows: number; bands: number };
  /** Signature words (8 4-bit minima each) per distinct text. */
  private readonly words: number;

  // per item
  private slotOf = new Int32Array(0);
  private itemCapacity = 0; // largest item index + 1
  private items = 0;
  private empty = 0;
  // per slot (distinct normalised text)
  private slots = 0;
  private slotSize = new Int32Array(0);
  private hasSig = new Uint8Array(0);
  /** Signatures in chunks of SIG_CHUNK slots (`words` words each), so growing never copies them. */
  private sigChunks: Uint32Array[] = [];
  private table: KeyNumbering | null;
  // scratch
  /** Slot of each exact key (keys of empty texts are not numbered when clusterEmpty is off, so the two differ). */
  private slotOfKey = new Int32Array(0);
  private readonly hashOut = new Uint32Array(2);
  private readonly seeds: Int32Array;
  private cps = new Int32Array(256);
  /** Set when near duplicates are wanted. */
  private readonly hasher: MinHasher | null;
  // after finish
  private finished = false;
  private nearRoot = new Int32Array(0); // per slot: root slot
  private exactSurvivor = new Int32Array(0); // per slot
  private nearSurvivor = new Int32Array(0); // per root slot
  private nearGroups = 0;
  private nearClusters = 0;
  private exactClusters = 0;
  private candidatePairs = 0;
  private similarPairs = 0;

  constructor(options: DedupOptions = {}) {
    const threshold = options.threshold ?? DEFAULT_THRESHOLD;
    if (!(threshold > 0 && threshold <= 1)) throw new AppError('VALIDATION', `dedup threshold must be in (0, 1], got ${threshold}`);
    const ngram = options.ngram ?? DEFAULT_NGRAM;
    if (!Number.isInteger(ngram) || ngram < 1 || ngram > 8)
      throw new AppError('VALIDATION', `dedup n-gram length must be an integer 1–8, got ${ngram}`);
    const permutations = options.permutations ?? DEFAULT_PERMUTATIONS;
    if (!Number.isInteger(permutations) || permutations % ROWS !== 0 || permutations < 32 || permutations > 512) {
      throw new AppError('VALIDATION', `dedup permutations must be a multiple of 8 from 32 to 512, got ${permutations}`);
    }
    const maxLeaders = options.maxLeaders ?? 32;
    if (!Number.isInteger(maxLeaders) || maxLeaders < 1)
      throw new AppError('VALIDATION', `dedup maxLeaders must be a positive integer, got ${maxLeaders}`);
    this.threshold = threshold;
    this.ngram = ngram;
    this.near = options.near ?? true;
    this.permutations = permutations;
    this.words = permutations / ROWS;
    this.maxLeaders = maxLeaders;
    this.clusterEmpty = options.clusterEmpty ?? false;
    this.defaultMode = this.near ? 'near' : 'exact';
    this.lsh = lshBanding(threshold, permutations);
    const k = permutations;
    this.seeds = new Int32Array(k);
    let s = (options.seed ?? 0x5eed) >>> 0;
    for (let i = 0; i < k; i++) {
      s = (s + 0x9e3779b9) >>> 0;
      this.seeds[i] = fmix32(s);
    }
    this.hasher = this.near ? new MinHasher(this.seeds, options.simd ?? true) : null;
    const expected = Math.max(0, Math.floor(options.expectedItems ?? 0));
    this.table = new KeyNumbering(expected);
    if (expected) {
      this.slotOf = new Int32Array(expected).fill(-1);
      this.slotSize = new Int32Array(expected);
      this.hasSig = new Uint8Array(expected);
      this.slotOfKey = new Int32Array(expected);
    }
  }

  /** Adds one item. Texts are not kept. */
  add(itemIndex: number, text: string): void {
    if (this.finished) throw new Error('DedupIndex: add after finish');
    if (!Number.isInteger(itemIndex) || itemIndex < 0 || itemIndex > 0x7ffffffe) throw new Error(`DedupIndex: bad item index ${itemIndex}`);
    if (itemIndex >= this.slotOf.length) this.slotOf = growInt32(this.slotOf, itemIndex + 1, -1);
    if (this.slotOf[itemIndex] !== -1) throw new Error(`DedupIndex: item ${itemIndex} added twice`);
    const norm = normalizeForDedup(text);
    let slot: number;
    if (norm === '' && !this.clusterEmpty) {
      slot = this.newSlot();
    } else {
      hash64Into(norm, this.hashOut);
      const { n, added } = this.table!.numberOf(this.hashOut[0]!, this.hashOut[1]!);
      if (!added) {
        slot = this.slotOfKey[n]!;
        this.slotSize[slot]!++;
      } else {
        slot = this.newSlot();
        this.slotOfKey = growInt32(this.slotOfKey, n + 1);
        this.slotOfKey[n] = slot;
        if (this.near && norm !== '') {
          this.signature(norm, slot);
          this.hasSig[slot] = 1;
        }
      }
    }
    if (norm === '') this.empty++;
    this.slotOf[itemIndex] = slot;
    this.items++;
    if (itemIndex + 1 > this.itemCapacity) this.itemCapacity = itemIndex + 1;
  }

  private newSlot(): number {
    const slot = this.slots++;
    if (slot >= this.slotSize.length) {
      this.slotSize = growInt32(this.slotSize, slot + 1);
      const flags = new Uint8Array(this.slotSize.length);
      flags.set(this.hasSig);
      this.hasSig = flags;
    }
    if (this.near && slot >>> SIG_CHUNK_BITS >= this.sigChunks.length) this.sigChunks.push(new Uint32Array(SIG_CHUNK * this.words));
    this.slotSize[slot] = 1;
    return slot;
  }

  /** MinHash of the normalised text's n-gram set, packed as 4-bit minima, 8 to a word, as the slot's signature. */
  private signature(norm: string, slot: number): void {
    // Code points into scratch.
    if (this.cps.length < norm.length) this.cps = new Int32Array(norm.length * 2);
    const cps = this.cps;
    let m = 0;
    for (let i = 0; i < norm.length; i++) {
      const c = norm.charCodeAt(i);
      if (c >= 0xd800 && c < 0xdc00 && i + 1 < norm.length) {
        const d = norm.charCodeAt(i + 1);
        if (d >= 0xdc00 && d < 0xe000) {
          cps[m++] = ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
          i++;
          continue;
        }
      }
      cps[m++] = c;
    }
    // Shingle hashes (a text shorter than n is one shingle).
    const n = Math.min(this.ngram, m);
    const count = m - n + 1;
    const xs = this.hasher!.shingles(count);
    for (let p = 0; p < count; p++) {
      let h = Math.imul(n, 0x27d4eb2f);
      for (let j = 0; j < n; j++) h = Math.imul(h ^ cps[p + j]!, 0x01000193) ^ (h >>> 15);
      xs[p] = fmix32(h) | 0;
    }
    // One multiply-xorshift per hash function: the shingle hash is already uniform (fmix32), and the
    // estimator's spread matches binomial theory with this family (checked against exact Jaccard). The
    // sign bit is flipped so a signed int32 minimum is the unsigned one. The eight minima of one word
    // are computed side by side (independent chains run in parallel on the CPU; twice as fast).
    this.hasher!.sign(count, this.sigChunks[slot >>> SIG_CHUNK_BITS]!, (slot & (SIG_CHUNK - 1)) * this.words);
  }

  /** Estimated Jaccard similarity of two slots' n-gram sets from their 4-bit signatures. */
  private similarity(a: number, b: number): number {
    const { sigChunks, words } = this;
    const sa = sigChunks[a >>> SIG_CHUNK_BITS]!;
    const sb = sigChunks[b >>> SIG_CHUNK_BITS]!;
    let matches = 0;
    for (let i = 0, pa = (a & (SIG_CHUNK - 1)) * words, pb = (b & (SIG_CHUNK - 1)) * words; i < words; i++)
      matches += zeroNibbles(sa[pa + i]! ^ sb[pb + i]!);
    const p = matches / (words * ROWS);
    return (p - NIBBLE_MATCH) / (1 - NIBBLE_MATCH);
  }

  /** Estimated Jaccard similarity of two added items' normalised texts (1 for exact duplicates); before `finish` only. */
  estimatedSimilarity(itemA: number, itemB: number): number {
    if (this.finished) throw new Error('DedupIndex: signatures are released by finish');
    const a = this.slotOf[itemA] ?? -1;
    const b = this.slotOf[itemB] ?? -1;
    if (a < 0 || b < 0) throw new Error('DedupIndex: item not added');
    if (a === b) return 1;
    if (!this.near || !this.hasSig[a] || !this.hasSig[b]) return 0;
    return Math.max(0, this.similarity(a, b));
  }

  /**
   * Builds the clusters and chooses survivors; releases the hash table and signatures. `priority[item]`:
   * higher survives (e.g. `survivorPriority(adjudicated, annotations)`); missing entries count as 0.
   * Called implicitly, without priority, by the readers below.
   */
  finish(options: { priority?: ArrayLike<number> } = {}): this {
    if (this.finished) throw new Error('DedupIndex: finish called twice');
    this.finished = true;
    const S = this.slots;
    const parent = new Int32Array(S);
    for (let s = 0; s < S; s++) parent[s] = s;
    this.table = null;
    this.slotOfKey = new Int32Array(0);
    if (this.near) this.linkNearDuplicates(parent);
    this.sigChunks = [];
    this.hasSig = new Uint8Array(0);
    for (let s = 0; s < S; s++) parent[s] = findRoot(parent, s);
    this.nearRoot = parent;

    // Survivors: highest priority, then smallest item index (items are visited ascending, so ties keep the first).
    const priority = options.priority;
    const prio = (i: number): number => {
      const v = priority && i < priority.length ? priority[i]! : 0;
      return Number.isFinite(v) ? v : 0;
    };
    const exact = new Int32Array(S).fill(-1);
    const near = new Int32Array(S).fill(-1);
    const slotOf = this.slotOf;
    for (let i = 0; i < this.itemCapacity; i++) {
      const s = slotOf[i]!;
      if (s < 0) continue;
      const e = exact[s]!;
      if (e < 0 || (priority && prio(i) > prio(e))) exact[s] = i;
      const r = parent[s]!;
      const c = near[r]!;
      if (c < 0 || (priority && prio(i) > prio(c))) near[r] = i;
    }
    this.exactSurvivor = exact;
    this.nearSurvivor = near;

    const nearSize = new Int32Array(S);
    let exactClusters = 0;
    for (let s = 0; s < S; s++) {
      if (this.slotSize[s]! > 1) exactClusters++;
      nearSize[parent[s]!]! += this.slotSize[s]!;
    }
    let groups = 0;
    let clusters = 0;
    for (let s = 0; s < S; s++) {
      if (parent[s] !== s) continue;
      groups++;
      if (nearSize[s]! > 1) clusters++;
    }
    this.exactClusters = exactClusters;
    this.nearGroups = groups;
    this.nearClusters = clusters;
    return this;
  }

  /** LSH: per band, sort slots by band word; within a run of equal words verify against up to maxLeaders earlier items. */
  private linkNearDuplicates(parent: Int32Array): void {
    const S = this.slots;
    let M = 0;
    for (let s = 0; s < S; s++) if (this.hasSig[s]) M++;
    if (M < 2) return;
    const keys = new Uint32Array(M);
    const order = new Int32Array(M);
    const tmpKeys = new Uint32Array(M);
    const tmpOrder = new Int32Array(M);
    const counts = new Int32Array(65536);
    const leaders = new Int32Array(this.maxLeaders);
    const { sigChunks, words, threshold } = this;
    const { rows, bands } = this.lsh;
    for (let b = 0; b < bands; b++) {
      let j = 0;
      for (let s = 0; s < S; s++) {
        if (!this.hasSig[s]) continue;
        const sig = sigChunks[s >>> SIG_CHUNK_BITS]!;
        const base = (s & (SIG_CHUNK - 1)) * words;
        let key: number;
        if (rows === ROWS) {
          key = sig[base + b]!;
        } else {
          key = 0;
          for (let q = 0; q < rows; q++) {
            const i = b * rows + q;
            key |= ((sig[base + (i >>> 3)]! >>> (4 * (i & 7))) & 15) << (4 * q);
          }
          key >>>= 0;
        }
        keys[j] = key;
        order[j++] = s;
      }
      radixSortPairs(keys, order, tmpKeys, tmpOrder, M, counts);
      for (let start = 0; start < M;) {
        let end = start + 1;
        while (end < M && keys[end] === keys[start]) end++;
        if (end - start > 1) {
          let nLeaders = 0;
          for (let p = start; p < end; p++) {
            const s = order[p]!;
            let matched = false;
            for (let q = 0; q < nLeaders; q++) {
              const l = leaders[q]!;
              if (findRoot(parent, l) === findRoot(parent, s)) {
                matched = true;
                continue;
              }
              this.candidatePairs++;
              if (this.similarity(s, l) >= threshold) {
                this.similarPairs++;
                unionRoots(parent, s, l);
                matched = true;
              }
            }
            if (!matched && nLeaders < leaders.length) leaders[nLeaders++] = s;
          }
        }
        start = end;
      }
    }
  }

  private ensureFinished(): void {
    if (!this.finished) this.finish();
  }

  /** The cluster id of an item — its survivor's item index — or -1 if the item was not added. */
  clusterOf(itemIndex: number, mode: DedupMode = this.defaultMode): number {
    this.ensureFinished();
    const s = itemIndex >= 0 && itemIndex < this.itemCapacity ? (this.slotOf[itemIndex] ?? -1) : -1;
    if (s < 0) return -1;
    return mode === 'exact' ? this.exactSurvivor[s]! : this.nearSurvivor[this.nearRoot[s]!]!;
  }

  /** The item kept for this item's cluster (the item itself when it is the survivor or has no duplicate); -1 if not added. */
  survivorOf(itemIndex: number, mode: DedupMode = this.defaultMode): number {
    return this.clusterOf(itemIndex, mode);
  }

  /** Whether the item is kept by a deduplication at `mode`. */
  isSurvivor(itemIndex: number, mode: DedupMode = this.defaultMode): boolean {
    return this.clusterOf(itemIndex, mode) === itemIndex;
  }

  /** Cluster id (survivor item index) per item index, -1 for indices never added; length = largest index + 1. */
  clusterIds(mode: DedupMode = this.defaultMode): Int32Array {
    this.ensureFinished();
    const out = new Int32Array(this.itemCapacity).fill(-1);
    for (let i = 0; i < this.itemCapacity; i++) {
      const s = this.slotOf[i]!;
      if (s >= 0) out[i] = mode === 'exact' ? this.exactSurvivor[s]! : this.nearSurvivor[this.nearRoot[s]!]!;
    }
    return out;
  }

  /** The duplicate clusters (two or more items) at `mode`, ordered by survivor item index. */
  *clusters(mode: DedupMode = this.defaultMode): Generator<DuplicateCluster> {
    const ids = this.clusterIds(mode);
    const n = ids.length;
    const size = new Int32Array(n);
    for (let i = 0; i < n; i++) if (ids[i]! >= 0) size[ids[i]!]!++;
    const start = new Int32Array(n + 1);
    for (let i = 0; i < n; i++) start[i + 1] = start[i]! + (size[i]! > 1 ? size[i]! : 0);
    const fill = start.slice(0, n);
    const members = new Int32Array(start[n]!);
    for (let i = 0; i < n; i++) {
      const c = ids[i]!;
      if (c >= 0 && size[c]! > 1) members[fill[c]!++] = i;
    }
    for (let c = 0; c < n; c++) {
      if (size[c]! > 1) yield { survivor: c, members: Array.from(members.subarray(start[c]!, start[c + 1]!)) };
    }
  }

  counts(): DedupCounts {
    this.ensureFinished();
    const exactGroups = this.slots;
    return {
      items: this.items,
      empty: this.empty,
      exact_groups: exactGroups,
      exact_clusters: this.exactClusters,
      exact_removed: this.items - exactGroups,
      near_groups: this.nearGroups,
      near_clusters: this.nearClusters,
      near_removed: this.items - this.nearGroups,
      clusters: this.near ? this.nearClusters : this.exactClusters,
      candidate_pairs: this.candidatePairs,
      similar_pairs: this.similarPairs,
    };
  }
}
