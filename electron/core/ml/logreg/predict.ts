/** Probabilities and predictions of a trained logistic regression (and softmax for the other heads). */
import type { LogRegModel, PredictResult } from './model';

/** softmax(z · scale) into a new Float32Array, stably (max subtracted, sums in float64). */
export function softmax(z: ArrayLike<number>, scale = 1): Float32Array {
  const k = z.length;
  const out = new Float32Array(k);
  let max = -Infinity;
  for (let c = 0; c < k; c++) {
    const v = z[c]! * scale;
    if (v > max) max = v;
  }
  if (max === Infinity || Number.isNaN(max)) throw new Error('softmax: non-finite input');
  let sum = 0;
  const e = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    const v = Math.exp(z[c]! * scale - max);
    e[c] = v;
    sum += v;
  }
  for (let c = 0; c < k; c++) out[c] = e[c]! / sum;
  return out;
}

/** Top label, its probability and the top-1 − top-2 margin. */
export function resultFromProbs(labels: readonly string[], probs: Float32Array): PredictResult {
  let best = 0;
  let second = -1;
  for (let c = 1; c < probs.length; c++) {
    if (probs[c]! > probs[best]!) {
      second = best;
      best = c;
    } else if (second < 0 || probs[c]! > probs[second]!) {
      second = c;
    }
  }
  const score = probs[best] ?? 0;
  const margin = second >= 0 ? score - probs[second]! : score;
  return { label: labels[best] ?? '', score, margin, probs };
}

function checkDim(model: { dim: number }, x: Float32Array): void {
  if (x.length !== model.dim) throw new Error(`model expects ${model.dim}-dim vectors, got ${x.length}`);
}

/** Raw scores w_c·x + b_c (before temperature). */
export function logits(model: LogRegModel, x: Float32Array): Float32Array {
  checkDim(model, x);
  const dim = model.dim;
  const stride = dim + 1;
  const W = model.weights;
  const C = model.labels.length;
  const out = new Float32Array(C);
  for (let c = 0; c < C; c++) {
    const o = c * stride;
    let s0 = 0;
    let s1 = 0;
    let j = 0;
    for (; j + 1 < dim; j += 2) {
      s0 += W[o + j]! * x[j]!;
      s1 += W[o + j + 1]! * x[j + 1]!;
    }
    if (j < dim) s0 += W[o + j]! * x[j]!;
    out[c] = s0 + s1 + W[o + dim]!;
  }
  return out;
}

/** softmax(logits / temperature). */
export function predictProba(model: LogRegModel, x: Float32Array): Float32Array {
  return softmax(logits(model, x), 1 / model.temperature);
}

export function predict(model: LogRegModel, x: Float32Array): PredictResult {
  return resultFromProbs(model.labels, predictProba(model, x));
}

/** A copy of the model with another temperature (weights shared: models are treated as immutable). */
export function withTemperature(model: LogRegModel, temperature: number): LogRegModel {
  if (!(temperature > 0) || !Number.isFinite(temperature)) throw new Error(`temperature must be > 0, got ${temperature}`);
  return { ...model, temperature };
}
