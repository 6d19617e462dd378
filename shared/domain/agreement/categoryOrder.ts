import { type Category } from './ratings';

/**
 * The order categories are coded in; weighted kappa and ordinal alpha read it as the scale.
 *
 * Given an explicit `order`, that is the order (it must not repeat a category). Otherwise: when every
 * category is a number or a numeric string, ascending by value; else ascending by UTF-16 code units
 * (locale-independent, so the same data gives the same order on every machine).
 */
export function orderCategories<T extends Category>(seen: Iterable<T>, order?: readonly T[]): T[] {
  if (order) {
    const unique = new Set<T>(order);
    if (unique.size !== order.length) throw new RangeError('category order lists a category more than once');
    return [...order];
  }
  const categories = [...new Set(seen)];
  if (categories.every((c) => numericValue(c) !== null)) return categories.sort((a, b) => numericValue(a)! - numericValue(b)!);
  return categories.sort(compareCodeUnits);
}

/** The number a category stands for (numbers and numeric strings), or null. */
export function numericValue(category: Category): number | null {
  if (typeof category === 'number') return Number.isFinite(category) ? category : null;
  if (category.trim() === '') return null;
  const n = Number(category);
  return Number.isFinite(n) ? n : null;
}

function compareCodeUnits(a: Category, b: Category): number {
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
