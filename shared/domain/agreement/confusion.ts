import { annotatorIndex, type CodedRatings, encodeColumns, type EncodeOptions, type RatingsInput, toCodedRatings } from './codedRatings';
import { pairTable } from './contingency';
import { type Category, type Rating } from './ratings';

/** A square table of counts over categories. */
export interface ConfusionMatrix<T extends Category = Category> {
  categories: T[];
  /** `counts[i][j]`: items the first annotator put in `categories[i]` and the second in `categories[j]`. */
  counts: number[][];
  /** Items counted (those both annotators rated). */
  items: number;
}

/** Confusion matrix between two annotators' ratings of the same items (`a[i]`, `b[i]`). */
export function confusionMatrix<T extends Category>(
  a: readonly Rating<T>[],
  b: readonly Rating<T>[],
  options: EncodeOptions<T> = {},
): ConfusionMatrix<T> {
  return matrixOf(encodeColumns([a, b], options), 0, 1);
}

/** Confusion matrix between two annotators (by name or column index) of a ratings table. */
export function confusionMatrixBetween<T extends Category>(
  data: RatingsInput<T>,
  first: string | number,
  second: string | number,
  options: EncodeOptions<T> = {},
): ConfusionMatrix<T> {
  const coded = toCodedRatings(data, options);
  return matrixOf(coded, annotatorIndex(coded, first), annotatorIndex(coded, second));
}

export interface ConfusedPair<T extends Category = Category> {
  /** Two different categories, in category order. */
  categories: [T, T];
  /** Items on which the annotators split between these two categories, either way round. */
  count: number;
  /** Of those, how many had the first annotator (row) choose `categories[0]`, and how many `categories[1]`. */
  firstChoseFirst: number;
  firstChoseSecond: number;
}

/** The category pairs most often confused, most first (ties in category order); pairs never confused are left out. */
export function mostConfusedPairs<T extends Category>(matrix: ConfusionMatrix<T>, limit = 10): ConfusedPair<T>[] {
  const { categories, counts } = matrix;
  const pairs: ConfusedPair<T>[] = [];
  for (let i = 0; i < categories.length; i++) {
    for (let j = i + 1; j < categories.length; j++) {
      const forward = counts[i]![j]!;
      const backward = counts[j]![i]!;
      if (forward + backward > 0) {
        pairs.push({ categories: [categories[i]!, categories[j]!], count: forward + backward, firstChoseFirst: forward, firstChoseSecond: backward });
      }
    }
  }
  return pairs.sort((x, y) => y.count - x.count).slice(0, limit);
}

function matrixOf<T extends Category>(coded: CodedRatings<T>, first: number, second: number): ConfusionMatrix<T> {
  const k = coded.categories.length;
  const table = pairTable(coded, first, second);
  const counts = Array.from({ length: k }, (_, i) => Array.from(table.subarray(i * k, (i + 1) * k)));
  return { categories: [...coded.categories], counts, items: table.reduce((s, v) => s + v, 0) };
}
