/** A category an annotator can give: a label name or a number on a scale. */
export type Category = string | number;

/** What one annotator gave one item; `null` or `undefined` means "did not rate this item". */
export type Rating<T extends Category = Category> = T | null | undefined;

export interface RatedItem<T extends Category = Category> {
  id: string;
  /** `values[j]` is the rating by `annotators[j]`; a shorter array means the rest did not rate the item. */
  values: readonly Rating<T>[];
}

/** A ratings table: items × annotators, with missing values. */
export interface Ratings<T extends Category = Category> {
  annotators: readonly string[];
  items: readonly RatedItem<T>[];
}

/** True when a rating is missing. NaN counts as missing too, since numeric sources use it that way. */
export function isMissing(value: unknown): value is null | undefined {
  return value === null || value === undefined || (typeof value === 'number' && Number.isNaN(value));
}

/** Builds a ratings table from one column per annotator (`columns[annotator][item]`). */
export function ratingsFromColumns<T extends Category>(
  columns: Readonly<Record<string, readonly Rating<T>[]>>,
  itemIds?: readonly string[],
): Ratings<T> {
  const annotators = Object.keys(columns);
  const length = Math.max(0, ...annotators.map((a) => columns[a]!.length));
  const items: RatedItem<T>[] = [];
  for (let i = 0; i < length; i++) {
    items.push({ id: itemIds?.[i] ?? String(i), values: annotators.map((a) => columns[a]![i] ?? null) });
  }
  return { annotators, items };
}
