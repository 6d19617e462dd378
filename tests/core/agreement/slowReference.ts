/**
 * Slow, direct implementations written from the textbook definitions, independent of the library's
 * coded tables, coincidence matrices, mid-rank shortcut and count patterns. Numeric categories only.
 */
import { type MeasurementLevel, type Ratings } from '../../../shared/domain/agreement';

type Weights = 'unweighted' | 'linear' | 'quadratic';

function pairableUnits(data: Ratings<number>): number[][] {
  return data.items.map((it) => it.values.filter((v): v is number => v !== null && v !== undefined)).filter((u) => u.length >= 2);
}

/**
 * Krippendorff's alpha from the pairwise definition: D_o averages δ² over all ordered pairs of values
 * within a unit (each unit weighted 1 / (m_u - 1)); D_e averages δ² over all ordered pairs of distinct
 * pairable values anywhere. α = 1 - D_o / D_e.
 */
export function slowAlpha(data: Ratings<number>, level: MeasurementLevel): number {
  const units = pairableUnits(data);
  const all = units.flat();
  const n = all.length;
  const scale = [...new Set(all)].sort((a, b) => a - b);
  const counts = new Map<number, number>();
  for (const v of all) counts.set(v, (counts.get(v) ?? 0) + 1);
  const count = (v: number): number => counts.get(v)!;
  const delta2 = (c: number, k: number): number => {
    if (level === 'nominal') return c === k ? 0 : 1;
    if (level === 'interval') return (c - k) ** 2;
    if (level === 'ratio') return c + k === 0 ? 0 : ((c - k) / (c + k)) ** 2;
    // ordinal: (Σ_{g=c..k} n_g - (n_c + n_k) / 2)²
    const lo = scale.indexOf(Math.min(c, k));
    const hi = scale.indexOf(Math.max(c, k));
    let s = 0;
    for (let g = lo; g <= hi; g++) s += count(scale[g]!);
    return (s - (count(c) + count(k)) / 2) ** 2;
  };
  let observed = 0;
  for (const u of units) {
    let within = 0;
    for (let i = 0; i < u.length; i++) for (let j = 0; j < u.length; j++) if (i !== j) within += delta2(u[i]!, u[j]!);
    observed += within / (u.length - 1);
  }
  observed /= n;
  let expected = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) expected += delta2(all[i]!, all[j]!);
  expected /= n * (n - 1);
  return 1 - observed / expected;
}

function agreementWeight(weights: Weights, order: readonly number[], x: number, y: number): number {
  const d = Math.abs(order.indexOf(x) - order.indexOf(y)) / Math.max(1, order.length - 1);
  return weights === 'unweighted' ? (x === y ? 1 : 0) : weights === 'linear' ? 1 - d : 1 - d * d;
}

/** Cohen's kappa over items both rated: p_e averages the weight over every (a_i, b_j) combination. */
export function slowCohen(a: (number | null)[], b: (number | null)[], weights: Weights = 'unweighted', order?: number[]): number {
  const pairs = a.flatMap((x, i) => (x !== null && b[i] !== null && b[i] !== undefined ? [[x, b[i]!] as const] : []));
  const scale = order ?? [...new Set(pairs.flat())].sort((p, q) => p - q);
  const n = pairs.length;
  let po = 0;
  for (const [x, y] of pairs) po += agreementWeight(weights, scale, x, y);
  po /= n;
  let pe = 0;
  for (const [x] of pairs) for (const [, y] of pairs) pe += agreementWeight(weights, scale, x, y);
  pe /= n * n;
  return (po - pe) / (1 - pe);
}

/** Scott's pi: chance from the pooled ratings of both coders. */
export function slowScott(a: number[], b: number[], weights: Weights = 'unweighted'): number {
  const pooled = [...a, ...b];
  const scale = [...new Set(pooled)].sort((p, q) => p - q);
  let po = 0;
  for (let i = 0; i < a.length; i++) po += agreementWeight(weights, scale, a[i]!, b[i]!);
  po /= a.length;
  let pe = 0;
  for (const x of pooled) for (const y of pooled) pe += agreementWeight(weights, scale, x, y);
  pe /= pooled.length ** 2;
  return (po - pe) / (1 - pe);
}

/** Mean over items (≥ 2 ratings) of the share of agreeing ordered rater pairs. */
export function slowPercent(data: Ratings<number>): number {
  const units = pairableUnits(data);
  let sum = 0;
  for (const u of units) {
    let same = 0;
    for (let i = 0; i < u.length; i++) for (let j = 0; j < u.length; j++) if (i !== j && u[i] === u[j]) same++;
    sum += same / (u.length * (u.length - 1));
  }
  return sum / units.length;
}

/** Fleiss' kappa, Gwet's generalisation: π_c is the mean over items of the item's share of category c. */
export function slowFleiss(data: Ratings<number>): number {
  const units = pairableUnits(data);
  const categories = [...new Set(units.flat())];
  const po = slowPercent(data);
  let pe = 0;
  for (const c of categories) {
    const pi = units.reduce((s, u) => s + u.filter((v) => v === c).length / u.length, 0) / units.length;
    pe += pi * pi;
  }
  return (po - pe) / (1 - pe);
}
