import { describe, expect, it } from 'vitest';
import { predict } from '../../../electron/core/ml/logreg/predict';
import { trainLogReg } from '../../../electron/core/ml/logreg/train';
import { mulberry32 } from '../../../electron/core/ml/metrics';
import { buildPrototypes, predictPrototypes, prototypeSimilarities } from '../../../electron/core/ml/prototypes';

const f32 = (...v: number[]): Float32Array => Float32Array.from(v);

function gaussian(rng: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
}

describe('buildPrototypes', () => {
  it('is the mean of the normalized vectors, re-normalized', () => {
    const m = buildPrototypes([
      { label: 'a', vectors: [f32(3, 4), f32(1, 0)] }, // (0.6, 0.8) and (1, 0): mean (0.8, 0.4)
      { label: 'b', vectors: [f32(0, -2)] },
    ]);
    expect(m.kind).toBe('prototypes');
    expect(m.labels).toEqual(['a', 'b']);
    expect(m.dim).toBe(2);
    expect(m.counts).toEqual([1 + 1, 1]);
    const s = Math.hypot(0.8, 0.4);
    expect(m.prototypes[0]).toBeCloseTo(0.8 / s, 6);
    expect(m.prototypes[1]).toBeCloseTo(0.4 / s, 6);
    expect(Array.from(m.prototypes.slice(2))).toEqual([0, -1]);
  });

  it('merges groups with the same label and rejects empty groups, zero vectors and mixed dimensions', () => {
    const m = buildPrototypes([
      { label: 'a', vectors: [f32(1, 0)] },
      { label: 'b', vectors: [f32(0, 1)] },
      { label: 'a', vectors: [f32(0, 1)] },
    ]);
    expect(m.labels).toEqual(['a', 'b']);
    expect(m.counts).toEqual([2, 1]);
    expect(m.prototypes[0]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(() => buildPrototypes([])).toThrow();
    expect(() => buildPrototypes([{ label: 'a', vectors: [] }])).toThrow();
    expect(() => buildPrototypes([{ label: 'a', vectors: [f32(0, 0)] }])).toThrow();
    expect(() => buildPrototypes([{ label: 'a', vectors: [f32(1, 0), f32(1, 0, 0)] }])).toThrow();
  });
});

describe('predictPrototypes', () => {
  const model = buildPrototypes([
    { label: 'refund', vectors: [f32(1, 0, 0)] },
    { label: 'shipping', vectors: [f32(0, 1, 0)] },
    { label: 'other', vectors: [f32(0, 0, 1)] },
  ]);

  it('cosine similarities through a softmax with the temperature, same shape as logreg predict', () => {
    const x = f32(2, 1, 0); // not normalized: cosines 2/√5, 1/√5, 0
    const sims = prototypeSimilarities(model, x);
    expect(sims[0]).toBeCloseTo(2 / Math.sqrt(5), 6);
    expect(sims[1]).toBeCloseTo(1 / Math.sqrt(5), 6);
    expect(sims[2]).toBeCloseTo(0, 6);
    const r = predictPrototypes(model, x);
    expect(r.label).toBe('refund');
    const e = [2, 1, 0].map((v) => Math.exp(v / Math.sqrt(5) / 0.05));
    const z = e[0]! + e[1]! + e[2]!;
    expect(r.probs[0]).toBeCloseTo(e[0]! / z, 6);
    expect(r.score).toBe(r.probs[0]);
    expect(r.margin).toBeCloseTo((e[0]! - e[1]!) / z, 6);
    expect(r.probs.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 6);
    // same keys as the logistic-regression result
    const lr = trainLogReg([f32(1, 0, 0), f32(0, 1, 0), f32(0, 0, 1)], [0, 1, 2], model.labels);
    expect(Object.keys(r).sort()).toEqual(Object.keys(predict(lr, x)).sort());
  });

  it('a higher temperature flattens the distribution without changing the label', () => {
    const x = f32(2, 1, 0.5);
    const sharp = predictPrototypes(model, x, 0.02);
    const soft = predictPrototypes(model, x, 1);
    expect(sharp.label).toBe(soft.label);
    expect(sharp.score).toBeGreaterThan(soft.score);
    expect(() => predictPrototypes(model, x, 0)).toThrow();
    expect(() => predictPrototypes(model, f32(1, 0))).toThrow();
  });

  it('few-shot: 5 examples per label classify fresh noisy examples', () => {
    const rng = mulberry32(3);
    const g = gaussian(rng);
    const dim = 64;
    const centers = Array.from({ length: 8 }, () => Float32Array.from({ length: dim }, g));
    const sample = (c: number): Float32Array => centers[c]!.map((a) => a + 0.8 * g());
    const m = buildPrototypes(centers.map((_, c) => ({ label: `c${c}`, vectors: Array.from({ length: 5 }, () => sample(c)) })));
    let ok = 0;
    for (let i = 0; i < 400; i++) if (predictPrototypes(m, sample(i % 8)).label === `c${i % 8}`) ok++;
    expect(ok / 400).toBeGreaterThan(0.95);
  });
});
