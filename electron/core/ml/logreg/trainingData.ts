/**
 * The training data as the optimizer reads it: validated, copied into one contiguous Float64Array
 * (optionally centered on its mean), with per-example weights and the prototype prior.
 */

export interface Dataset {
  n: number;
  dim: number;
  /** n × dim, row-major, already centered if `mean` is set. */
  X: Float64Array;
  y: Int32Array;
  /** Per-example weights, or null for all ones. */
  sw: Float64Array | null;
  sumW: number;
  mean: Float64Array | null;
}

export function validate(x: Float32Array[], y: number[], labels: string[]): number {
  if (labels.length < 1) throw new Error('logreg: at least one label is required');
  if (new Set(labels).size !== labels.length) throw new Error('logreg: labels must be distinct');
  if (x.length === 0) throw new Error('logreg: no training examples');
  if (x.length !== y.length) throw new Error(`logreg: ${x.length} vectors but ${y.length} labels`);
  const dim = x[0]!.length;
  if (dim < 1) throw new Error('logreg: vectors are empty');
  for (let i = 0; i < x.length; i++) {
    if (x[i]!.length !== dim) throw new Error(`logreg: vector ${i} has dimension ${x[i]!.length}, expected ${dim}`);
    const yi = y[i]!;
    if (!Number.isInteger(yi) || yi < 0 || yi >= labels.length) throw new Error(`logreg: y[${i}] = ${yi} is not a label index`);
  }
  return dim;
}

function sampleWeights(y: Int32Array, numClasses: number, classWeight: 'balanced' | null | undefined): Float64Array | null {
  if (classWeight !== 'balanced') return null;
  const counts = new Float64Array(numClasses);
  for (let i = 0; i < y.length; i++) counts[y[i]!]! += 1;
  let present = 0;
  for (let c = 0; c < numClasses; c++) if (counts[c]! > 0) present++;
  const sw = new Float64Array(y.length);
  for (let i = 0; i < y.length; i++) sw[i] = y.length / (present * counts[y[i]!]!);
  return sw;
}

/** Copies the selected rows into one contiguous Float64Array, optionally centered on their mean. */
export function buildDataset(
  x: Float32Array[],
  y: number[],
  rows: readonly number[] | null,
  dim: number,
  numClasses: number,
  classWeight: 'balanced' | null | undefined,
  center: boolean,
): Dataset {
  const n = rows ? rows.length : x.length;
  const X = new Float64Array(n * dim);
  const yy = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    const i = rows ? rows[r]! : r;
    const v = x[i]!;
    const o = r * dim;
    for (let j = 0; j < dim; j++) {
      const val = v[j]!;
      if (!Number.isFinite(val)) throw new Error(`logreg: vector ${i} has a non-finite value at ${j}`);
      X[o + j] = val;
    }
    yy[r] = y[i]!;
  }
  let mean: Float64Array | null = null;
  if (center) {
    mean = new Float64Array(dim);
    for (let r = 0; r < n; r++) {
      const o = r * dim;
      for (let j = 0; j < dim; j++) mean[j]! += X[o + j]!;
    }
    for (let j = 0; j < dim; j++) mean[j]! /= n;
    for (let r = 0; r < n; r++) {
      const o = r * dim;
      for (let j = 0; j < dim; j++) X[o + j]! -= mean[j]!;
    }
  }
  const sw = sampleWeights(yy, numClasses, classWeight);
  let sumW = n;
  if (sw) {
    sumW = 0;
    for (let i = 0; i < n; i++) sumW += sw[i]!;
  }
  return { n, dim, X, y: yy, sw, sumW, mean };
}

/**
 * The prototype prior's weights α·(μ_c − μ) in the parameter layout (biases 0), or null for α = 0.
 * A label without examples gets a zero row. Works on centered or raw data alike (a difference of means).
 */
export function prototypePrior(ds: Dataset, numClasses: number, alpha: number): Float64Array | null {
  if (!(alpha >= 0) || !Number.isFinite(alpha)) throw new Error(`logreg: prototypePrior must be a finite number >= 0, got ${alpha}`);
  if (alpha === 0) return null;
  const { n, dim, X, y } = ds;
  const stride = dim + 1;
  const sums = new Float64Array(numClasses * stride);
  const counts = new Float64Array(numClasses);
  const all = new Float64Array(dim);
  for (let i = 0; i < n; i++) {
    const c = y[i]!;
    counts[c]! += 1;
    const o = c * stride;
    const xo = i * dim;
    for (let j = 0; j < dim; j++) {
      sums[o + j]! += X[xo + j]!;
      all[j]! += X[xo + j]!;
    }
  }
  for (let c = 0; c < numClasses; c++) {
    const k = counts[c]!;
    const o = c * stride;
    for (let j = 0; j < dim; j++) sums[o + j] = k > 0 ? alpha * (sums[o + j]! / k - all[j]! / n) : 0;
  }
  return sums;
}
