import { type CodedRatings, MISSING } from './codedRatings';
import { defined, type KappaResult, kappaUndefined, undefinedBecause } from './result';
/** MISSING, read once: transpiled to CommonJS, every use of an imported binding is a property read. */
const NOT_RATED = MISSING;

/** Cohen's kappa takes chance from each annotator's own distribution; Scott's pi from their pooled one. */
export type TwoRaterStatistic = 'cohen' | 'scott';

/** Row-major k × k counts of (first annotator's code, second annotator's code) over items both rated. */
export function pairTable(data: CodedRatings, first: number, second: number): Float64Array {
  const k = data.categories.length;
  const m = data.annotators.length;
  const codes = data.codes;
  const table = new Float64Array(k * k);
  for (let base = 0; base < codes.length; base += m) {
    const a = codes[base + first]!;
    const b = codes[base + second]!;
    if (a !== NOT_RATED && b !== NOT_RATED) table[a * k + b]!++;
  }
  return table;
}

/** The table cell of every item both annotators rated, in item order (what a bootstrap resamples). */
export function pairCells(data: CodedRatings, first: number, second: number): Int32Array {
  const k = data.categories.length;
  const m = data.annotators.length;
  const codes = data.codes;
  const cells = new Int32Array(data.itemIds.length);
  let n = 0;
  for (let base = 0; base < codes.length; base += m) {
    const a = codes[base + first]!;
    const b = codes[base + second]!;
    if (a !== NOT_RATED && b !== NOT_RATED) cells[n++] = a * k + b;
  }
  return cells.slice(0, n);
}

/**
 * Kappa-type coefficient of a k × k table: 1 - D_o / D_e with disagreement weights `distance`
 * (equal to (p_o - p_e) / (1 - p_e)). Computed in disagreement form so that "no chance disagreement"
 * is an exact zero test: every term is non-negative.
 */
export function kappaOfTable(table: ArrayLike<number>, k: number, statistic: TwoRaterStatistic, distance: Float64Array): KappaResult {
  const rows = new Float64Array(k);
  const cols = new Float64Array(k);
  let n = 0;
  let observed = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const t = table[i * k + j]!;
      if (t === 0) continue;
      n += t;
      rows[i]! += t;
      cols[j]! += t;
      observed += distance[i * k + j]! * t;
    }
  }
  if (n === 0) return kappaUndefined('no-items');
  let expected = 0;
  for (let i = 0; i < k; i++) {
    const pi = statistic === 'cohen' ? rows[i]! / n : (rows[i]! + cols[i]!) / (2 * n);
    if (pi === 0) continue;
    for (let j = 0; j < k; j++) {
      const pj = statistic === 'cohen' ? cols[j]! / n : (rows[j]! + cols[j]!) / (2 * n);
      expected += distance[i * k + j]! * pi * pj;
    }
  }
  const observedDisagreement = observed / n;
  const parts = { items: n, observedAgreement: 1 - observedDisagreement, expectedAgreement: 1 - expected };
  if (expected === 0) return { ...undefinedBecause('no-variation'), ...parts };
  return { ...defined(1 - observedDisagreement / expected), ...parts };
}
