import { describe, expect, it } from 'vitest';
import { chooseL2 } from '../../../electron/core/ml/logreg/chooseL2';
import { DEFAULT_L2, type LogRegModel } from '../../../electron/core/ml/logreg/model';
import { logRegObjective } from '../../../electron/core/ml/logreg/objective';
import { logits, predict, predictProba, softmax, withTemperature } from '../../../electron/core/ml/logreg/predict';
import { fitLogReg, trainLogReg } from '../../../electron/core/ml/logreg/train';
import { minimizeLbfgs } from '../../../electron/core/ml/optim/lbfgs';
import { mulberry32 } from '../../../electron/core/ml/metrics';

/** Standard normal draws from a seeded generator (Box–Muller). */
function gaussian(rng: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
}

function normalize(v: Float32Array): Float32Array {
  let s = 0;
  for (const a of v) s += a * a;
  const inv = 1 / Math.sqrt(s);
  return v.map((a) => a * inv);
}

/**
 * Unit vectors around one random direction per class (plus a shared offset, like sentence
 * embeddings have), `spread` controlling the overlap. The class directions come from `seed`, the
 * noise from `noiseSeed` (default: seed), so train and test sets can share classes but not noise.
 * A fraction `flip` of the labels is replaced by random ones.
 */
function blobs(opts: {
  classes: number;
  perClass: number;
  dim: number;
  spread: number;
  seed: number;
  noiseSeed?: number;
  flip?: number;
  offset?: number;
}) {
  const g0 = gaussian(mulberry32(opts.seed));
  const shared = normalize(Float32Array.from({ length: opts.dim }, g0));
  const centers = Array.from({ length: opts.classes }, () => normalize(Float32Array.from({ length: opts.dim }, g0)));
  const rng = mulberry32((opts.noiseSeed ?? opts.seed) + 1000);
  const g = gaussian(rng);
  const x: Float32Array[] = [];
  const y: number[] = [];
  for (let i = 0; i < opts.perClass; i++) {
    for (let c = 0; c < opts.classes; c++) {
      const center = centers[c]!;
      x.push(normalize(center.map((a, j) => a + (opts.offset ?? 0) * shared[j]! + opts.spread * g())));
      y.push(rng() < (opts.flip ?? 0) ? Math.floor(rng() * opts.classes) : c);
    }
  }
  return { x, y, labels: Array.from({ length: opts.classes }, (_, c) => `L${c}`) };
}

function accuracy(model: LogRegModel, x: Float32Array[], y: number[]): number {
  let ok = 0;
  x.forEach((v, i) => {
    if (predict(model, v).label === model.labels[y[i]!]) ok++;
  });
  return ok / x.length;
}

const sum = (p: Float32Array): number => p.reduce((s, v) => s + v, 0);

describe('trainLogReg on synthetic data', () => {
  it('learns separable data: perfect accuracy, probabilities that sum to 1, consistent predict()', () => {
    const train = blobs({ classes: 4, perClass: 40, dim: 24, spread: 0.08, seed: 1, offset: 2 });
    const test = blobs({ classes: 4, perClass: 40, dim: 24, spread: 0.08, seed: 1, noiseSeed: 99, offset: 2 });
    const model = trainLogReg(train.x, train.y, train.labels);
    expect(model.kind).toBe('logreg');
    expect(model.dim).toBe(24);
    expect(model.weights).toHaveLength(4 * 25);
    expect(model.temperature).toBe(1);
    expect(accuracy(model, train.x, train.y)).toBe(1);
    expect(accuracy(model, test.x, test.y)).toBe(1);
    for (const v of test.x) {
      const p = predictProba(model, v);
      expect(sum(p)).toBeCloseTo(1, 5);
      const r = predict(model, v);
      const sorted = [...p].sort((a, b) => b - a);
      expect(r.score).toBe(sorted[0]);
      expect(r.margin).toBeCloseTo(sorted[0]! - sorted[1]!, 7);
      expect(r.label).toBe(model.labels[p.indexOf(sorted[0]!)]);
      expect(Array.from(r.probs)).toEqual(Array.from(p));
    }
  });

  it('learns noisy, overlapping data with label noise', () => {
    const opts = { classes: 5, dim: 32, spread: 0.2, flip: 0.15, offset: 1 };
    const train = blobs({ ...opts, perClass: 120, seed: 2 });
    // Same classes, new noise, clean labels.
    const { x: testX, y: testY } = blobs({ ...opts, flip: 0, perClass: 200, seed: 2, noiseSeed: 77 });
    const fit = fitLogReg(train.x, train.y, train.labels);
    expect(fit.converged).toBe(true);
    const acc = accuracy(fit.model, testX, testY);
    expect(acc).toBeGreaterThan(0.9);
    for (const v of testX.slice(0, 50)) expect(sum(predictProba(fit.model, v))).toBeCloseTo(1, 5);
    // Noisy data: the model is not certain about everything.
    const scores = testX.map((v) => predict(fit.model, v).score);
    expect(Math.min(...scores)).toBeLessThan(0.9);
  });

  it('temperature changes confidence but never the argmax', () => {
    const d = blobs({ classes: 3, perClass: 50, dim: 16, spread: 0.25, seed: 3 });
    const model = trainLogReg(d.x, d.y, d.labels);
    const hot = withTemperature(model, 3);
    const cold = withTemperature(model, 0.3);
    for (const v of d.x) {
      const base = predict(model, v);
      const h = predict(hot, v);
      const c = predict(cold, v);
      expect(h.label).toBe(base.label);
      expect(c.label).toBe(base.label);
      expect(h.score).toBeLessThanOrEqual(base.score + 1e-7);
      expect(c.score).toBeGreaterThanOrEqual(base.score - 1e-7);
      expect(sum(h.probs)).toBeCloseTo(1, 5);
      // predictProba is softmax(logits / T)
      const expected = softmax(logits(model, v), 1 / 3);
      h.probs.forEach((p, k) => expect(p).toBeCloseTo(expected[k]!, 6));
    }
    expect(() => withTemperature(model, 0)).toThrow();
  });

  it('is deterministic: same data, same weights (bit for bit)', () => {
    const d = blobs({ classes: 3, perClass: 30, dim: 12, spread: 0.3, seed: 4 });
    const a = trainLogReg(d.x, d.y, d.labels, { seed: 1 });
    const b = trainLogReg(d.x, d.y, d.labels, { seed: 2 });
    expect(Array.from(a.weights)).toEqual(Array.from(b.weights));
  });

  it("class weight 'balanced' raises recall on a rare label", () => {
    const rng = mulberry32(5);
    const g = gaussian(rng);
    const x: Float32Array[] = [];
    const y: number[] = [];
    // Two overlapping classes along the first axis, 95 % vs 5 %.
    for (let i = 0; i < 600; i++) {
      const c = i % 20 === 0 ? 1 : 0;
      const v = Float32Array.from({ length: 8 }, () => 0.5 * g());
      v[0] = v[0]! + (c === 1 ? 1 : -1) * 0.6;
      x.push(v);
      y.push(c);
    }
    const recall = (m: LogRegModel): number => {
      let hit = 0;
      let n = 0;
      x.forEach((v, i) => {
        if (y[i] === 1) {
          n++;
          if (predict(m, v).label === 'rare') hit++;
        }
      });
      return hit / n;
    };
    const plain = trainLogReg(x, y, ['common', 'rare']);
    const balanced = trainLogReg(x, y, ['common', 'rare'], { classWeight: 'balanced' });
    expect(recall(balanced)).toBeGreaterThan(recall(plain));
    expect(recall(balanced)).toBeGreaterThan(0.7);
  });

  it('a label without examples gets (almost) no probability; a single label gets all of it', () => {
    const d = blobs({ classes: 2, perClass: 20, dim: 6, spread: 0.2, seed: 6 });
    const m = trainLogReg(d.x, d.y, ['L0', 'L1', 'never']);
    for (const v of d.x) expect(predictProba(m, v)[2]!).toBeLessThan(0.01);
    const one = trainLogReg(d.x, new Array<number>(d.x.length).fill(0), ['only']);
    expect(predict(one, d.x[0]!)).toMatchObject({ label: 'only', score: 1, margin: 1 });
  });

  it('rejects bad input', () => {
    const v = new Float32Array([1, 0]);
    expect(() => trainLogReg([], [], ['a'])).toThrow();
    expect(() => trainLogReg([v], [0, 1], ['a', 'b'])).toThrow();
    expect(() => trainLogReg([v, new Float32Array(3)], [0, 1], ['a', 'b'])).toThrow();
    expect(() => trainLogReg([v], [2], ['a', 'b'])).toThrow();
    expect(() => trainLogReg([v], [0], ['a', 'a'])).toThrow();
    expect(() => trainLogReg([new Float32Array([NaN, 0])], [0], ['a', 'b'])).toThrow();
    expect(() => trainLogReg([v], [0], ['a', 'b'], { l2: -1 })).toThrow();
    const m = trainLogReg([v, new Float32Array([0, 1])], [0, 1], ['a', 'b']);
    expect(() => predict(m, new Float32Array(3))).toThrow();
  });
});

describe('L-BFGS', () => {
  it('the objective decreases monotonically on a logistic-regression problem', () => {
    const d = blobs({ classes: 6, perClass: 40, dim: 32, spread: 0.3, seed: 7, offset: 2 });
    const fit = fitLogReg(d.x, d.y, d.labels, { gradTol: 1e-7 });
    expect(fit.history.length).toBe(fit.iterations + 1);
    expect(fit.iterations).toBeGreaterThan(5);
    for (let k = 1; k < fit.history.length; k++) expect(fit.history[k]!).toBeLessThan(fit.history[k - 1]!);
    expect(fit.converged).toBe(true);
  });

  it('the returned weights (on raw, uncentered vectors) are a stationary point of the stated objective', () => {
    const d = blobs({ classes: 4, perClass: 30, dim: 10, spread: 0.3, seed: 8, offset: 3 });
    const fit = fitLogReg(d.x, d.y, d.labels, { gradTol: 1e-8, maxIter: 1000 });
    const obj = logRegObjective(d.x, d.y, d.labels);
    const g = new Float64Array(obj.size);
    const f = obj.evaluate(Float64Array.from(fit.model.weights), g);
    expect(f).toBeCloseTo(fit.loss, 5);
    // float32 storage of the weights limits how small this can be
    expect(Math.max(...Array.from(g, Math.abs))).toBeLessThan(1e-4);
  });

  it('the analytic gradient matches central finite differences on a tiny problem', () => {
    const d = blobs({ classes: 3, perClass: 3, dim: 4, spread: 0.5, seed: 9, offset: 1 });
    for (const opts of [{ l2: 0.05 }, { l2: 0.01, classWeight: 'balanced' as const, prototypePrior: 5 }, { l2: 0, prototypePrior: 0 }]) {
      const y = d.y.map((c, i) => (i === 0 ? 1 : c)); // unbalanced, so class weights matter
      const obj = logRegObjective(d.x, y, d.labels, opts);
      const rng = mulberry32(10);
      const theta = Float64Array.from({ length: obj.size }, () => 2 * rng() - 1);
      const grad = new Float64Array(obj.size);
      obj.evaluate(theta, grad);
      const scratch = new Float64Array(obj.size);
      const h = 1e-6;
      for (let k = 0; k < obj.size; k++) {
        const saved = theta[k]!;
        theta[k] = saved + h;
        const fPlus = obj.evaluate(theta, scratch);
        theta[k] = saved - h;
        const fMinus = obj.evaluate(theta, scratch);
        theta[k] = saved;
        const numeric = (fPlus - fMinus) / (2 * h);
        expect(Math.abs(numeric - grad[k]!)).toBeLessThan(1e-7 * Math.max(1, Math.abs(numeric)));
      }
    }
  });

  it('minimizes the Rosenbrock function (a hard, non-convex valley) with a monotone trace', () => {
    const rosen = (x: Float64Array, g: Float64Array): number => {
      let f = 0;
      g.fill(0);
      for (let i = 0; i + 1 < x.length; i++) {
        const a = x[i]!;
        const b = x[i + 1]!;
        f += 100 * (b - a * a) ** 2 + (1 - a) ** 2;
        g[i] = g[i]! - 400 * a * (b - a * a) - 2 * (1 - a);
        g[i + 1] = g[i + 1]! + 200 * (b - a * a);
      }
      return f;
    };
    const res = minimizeLbfgs(rosen, Float64Array.from([-1.2, 1, -1.2, 1, -1.2, 1]), { maxIter: 500, gradTol: 1e-8, relTol: 0 });
    expect(res.converged).toBe(true);
    for (const v of res.x) expect(v).toBeCloseTo(1, 5);
    for (let k = 1; k < res.history.length; k++) expect(res.history[k]!).toBeLessThanOrEqual(res.history[k - 1]!);
  });
});

describe('chooseL2', () => {
  it('picks a candidate by stratified k-fold CV, deterministically for a seed', () => {
    const d = blobs({ classes: 4, perClass: 25, dim: 16, spread: 0.35, seed: 11, flip: 0.1 });
    const candidates = [1e-1, 1e-2, 1e-3, DEFAULT_L2];
    const a = chooseL2(d.x, d.y, d.labels, candidates, { folds: 4, seed: 3 });
    const b = chooseL2(d.x, d.y, d.labels, candidates, { folds: 4, seed: 3 });
    expect(a).toEqual(b);
    expect(candidates).toContain(a.l2);
    expect(a.results.map((r) => r.l2)).toEqual(candidates);
    const best = a.results.find((r) => r.l2 === a.l2)!;
    for (const r of a.results) {
      expect(r.accuracy).toBeGreaterThanOrEqual(0);
      expect(r.accuracy).toBeLessThanOrEqual(1);
      expect(r.logLoss).toBeGreaterThan(0);
      expect(best.accuracy).toBeGreaterThanOrEqual(r.accuracy);
    }
    // A huge penalty with no prior cannot separate anything: it should lose.
    const withBad = chooseL2(d.x, d.y, d.labels, [10, 1e-3], { folds: 4, seed: 3, prototypePrior: 0 });
    expect(withBad.l2).toBe(1e-3);
  });
});
