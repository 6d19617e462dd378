/**
 * Zero-shot / few-shot nearest-prototype classifier. A label's prototype is the mean of its
 * (normalized) example vectors — embeddings of its description, its name, or a handful of labeled
 * items — re-normalized to unit length; an item goes to the label whose prototype is most similar
 * by cosine. It needs no training, so it is what the pre-labeler uses at cold start, before there
 * are enough labels for logistic regression.
 *
 * Probabilities are softmax(cosine / temperature). With temperature 0.05 (the default), a cosine
 * gap of 0.05 between two labels is a factor e ≈ 2.7 in probability: bge-style embeddings put
 * related sentences at cosines 0.5–0.9, so raw cosines are far too flat to read as probabilities.
 */
import type { PredictResult } from './logreg/model';
import { resultFromProbs, softmax } from './logreg/predict';

export interface PrototypeModel {
  kind: 'prototypes';
  labels: string[];
  dim: number;
  /** labels.length × dim, row-major, each row unit length. */
  prototypes: Float32Array;
  /** How many vectors went into each prototype. */
  counts: number[];
}

export const DEFAULT_PROTOTYPE_TEMPERATURE = 0.05;

/**
 * One prototype per label: the mean of its vectors after normalizing each, then re-normalized.
 * Groups with the same label are merged. Throws on a group without vectors, on vectors of
 * different dimensions, and on zero vectors (they have no direction).
 */
export function buildPrototypes(groups: { label: string; vectors: Float32Array[] }[]): PrototypeModel {
  const merged = new Map<string, Float32Array[]>();
  for (const g of groups) {
    const list = merged.get(g.label);
    if (list) list.push(...g.vectors);
    else merged.set(g.label, [...g.vectors]);
  }
  if (merged.size === 0) throw new Error('buildPrototypes: no labels');
  let dim = -1;
  for (const [label, vectors] of merged) {
    if (vectors.length === 0) throw new Error(`buildPrototypes: label ${JSON.stringify(label)} has no vectors`);
    for (const v of vectors) {
      if (dim < 0) dim = v.length;
      if (v.length !== dim || dim === 0) throw new Error(`buildPrototypes: vectors of dimension ${v.length} and ${dim}`);
    }
  }
  const labels = [...merged.keys()];
  const prototypes = new Float32Array(labels.length * dim);
  const counts: number[] = [];
  const sum = new Float64Array(dim);
  labels.forEach((label, c) => {
    const vectors = merged.get(label) as Float32Array[];
    sum.fill(0);
    for (const v of vectors) {
      let sq = 0;
      for (let j = 0; j < dim; j++) sq += v[j]! * v[j]!;
      if (!(sq > 0) || !Number.isFinite(sq)) throw new Error(`buildPrototypes: a vector of ${JSON.stringify(label)} is zero or not finite`);
      const inv = 1 / Math.sqrt(sq);
      for (let j = 0; j < dim; j++) sum[j]! += v[j]! * inv;
    }
    let sq = 0;
    for (let j = 0; j < dim; j++) sq += sum[j]! * sum[j]!;
    // Vectors that cancel exactly (v and −v) leave no direction; keep the zero row (cosine 0 to everything).
    const inv = sq > 0 ? 1 / Math.sqrt(sq) : 0;
    const o = c * dim;
    for (let j = 0; j < dim; j++) prototypes[o + j] = sum[j]! * inv;
    counts.push(vectors.length);
  });
  return { kind: 'prototypes', labels, dim, prototypes, counts };
}

/** Cosine similarity of x to every prototype (x need not be normalized). */
export function prototypeSimilarities(model: PrototypeModel, x: Float32Array): Float32Array {
  const dim = model.dim;
  if (x.length !== dim) throw new Error(`prototype model expects ${dim}-dim vectors, got ${x.length}`);
  let sq = 0;
  for (let j = 0; j < dim; j++) sq += x[j]! * x[j]!;
  const inv = sq > 0 ? 1 / Math.sqrt(sq) : 0;
  const P = model.prototypes;
  const out = new Float32Array(model.labels.length);
  for (let c = 0; c < out.length; c++) {
    const o = c * dim;
    let s = 0;
    for (let j = 0; j < dim; j++) s += P[o + j]! * x[j]!;
    out[c] = s * inv;
  }
  return out;
}

/** The nearest prototype, with probabilities softmax(cosine / temperature). */
export function predictPrototypes(model: PrototypeModel, x: Float32Array, temperature = DEFAULT_PROTOTYPE_TEMPERATURE): PredictResult {
  if (!(temperature > 0) || !Number.isFinite(temperature)) throw new Error(`predictPrototypes: temperature must be > 0, got ${temperature}`);
  return resultFromProbs(model.labels, softmax(prototypeSimilarities(model, x), 1 / temperature));
}
