import { orderCategories } from './categoryOrder';
import { type Category, isMissing, type Rating, type Ratings } from './ratings';

/** The code of a missing rating in `CodedRatings.codes`. */
export const MISSING = -1;

/**
 * A ratings table with categories replaced by small integers, encoded once and shared by every
 * metric so the hot loops touch only a typed array. A category's code is its rank in `categories`.
 * Treat it as immutable: coefficients cache work per table.
 */
export interface CodedRatings<T extends Category = Category> {
  readonly annotators: readonly string[];
  readonly itemIds: readonly string[];
  /** code -> category, in scale order. May include categories nobody used (from an explicit order). */
  readonly categories: readonly T[];
  /** Item-major: `codes[item * annotators.length + annotator]`, `MISSING` where there is no rating. */
  readonly codes: Int32Array;
}

export interface EncodeOptions<T extends Category> {
  /** The scale order; must contain every category that occurs. Default: see `orderCategories`. */
  categories?: readonly T[];
}

export type RatingsInput<T extends Category = Category> = Ratings<T> | CodedRatings<T>;

export function isCodedRatings<T extends Category>(data: RatingsInput<T>): data is CodedRatings<T> {
  return (data as CodedRatings<T>).codes instanceof Int32Array;
}

/** Encodes raw ratings, or returns already-coded ratings unchanged (a given order must then match). */
export function toCodedRatings<T extends Category>(data: RatingsInput<T>, options: EncodeOptions<T> = {}): CodedRatings<T> {
  if (!isCodedRatings(data)) return encodeRatings(data, options);
  if (options.categories && !sameOrder(options.categories, data.categories)) {
    throw new RangeError('ratings were encoded with a different category order; encode them again with this order');
  }
  return data;
}

export function encodeRatings<T extends Category>(ratings: Ratings<T>, options: EncodeOptions<T> = {}): CodedRatings<T> {
  const m = ratings.annotators.length;
  const items = ratings.items;
  for (const item of items) {
    if (item.values.length > m) throw new RangeError(`item ${item.id} has ${item.values.length} ratings for ${m} annotators`);
  }
  const { categories, codes } = encodeCells(items.length, m, (i, j) => items[i]!.values[j], options);
  return { annotators: [...ratings.annotators], itemIds: items.map((it) => it.id), categories, codes };
}

/**
 * Encodes one array per annotator (`columns[j][i]` = annotator j's rating of item i) without building
 * item objects. Items are named by their index; annotators by `annotators` or "1", "2", ….
 */
export function encodeColumns<T extends Category>(
  columns: readonly (readonly Rating<T>[])[],
  options: EncodeOptions<T> & { annotators?: readonly string[] } = {},
): CodedRatings<T> {
  const m = columns.length;
  const n = Math.max(0, ...columns.map((c) => c.length));
  const annotators = options.annotators ? [...options.annotators] : columns.map((_, j) => String(j + 1));
  if (annotators.length !== m) throw new RangeError(`${annotators.length} annotator names for ${m} columns`);
  const { categories, codes } = encodeCells(n, m, (i, j) => columns[j]![i], options);
  return { annotators, itemIds: Array.from({ length: n }, (_, i) => String(i)), categories, codes };
}

function encodeCells<T extends Category>(
  n: number,
  m: number,
  read: (item: number, annotator: number) => Rating<T>,
  options: EncodeOptions<T>,
): { categories: T[]; codes: Int32Array } {
  const codes = new Int32Array(n * m).fill(MISSING);
  // First pass: provisional codes in order of first appearance (one Map lookup per rating); the
  // second pass maps them to ranks in the category order.
  const provisional = new Map<T, number>();
  const seen: T[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      const v = read(i, j);
      if (isMissing(v)) continue;
      let code = provisional.get(v);
      if (code === undefined) {
        code = seen.length;
        provisional.set(v, code);
        seen.push(v);
      }
      codes[i * m + j] = code;
    }
  }
  const categories = orderCategories(seen, options.categories);
  const rank = new Map<T, number>(categories.map((c, r) => [c, r]));
  const remap = new Int32Array(seen.length);
  for (let p = 0; p < seen.length; p++) {
    const r = rank.get(seen[p]!);
    if (r === undefined) throw new RangeError(`category ${JSON.stringify(seen[p])} is not in the given category order`);
    remap[p] = r;
  }
  for (let x = 0; x < codes.length; x++) if (codes[x]! !== MISSING) codes[x] = remap[codes[x]!]!;
  return { categories, codes };
}

/** Column index of an annotator given by name or index; throws for an unknown one. */
export function annotatorIndex(data: CodedRatings, annotator: string | number): number {
  const j = typeof annotator === 'number' ? annotator : data.annotators.indexOf(annotator);
  if (!Number.isInteger(j) || j < 0 || j >= data.annotators.length) throw new RangeError(`unknown annotator ${String(annotator)}`);
  return j;
}

function sameOrder(a: readonly Category[], b: readonly Category[]): boolean {
  return a.length === b.length && a.every((c, i) => c === b[i]);
}
