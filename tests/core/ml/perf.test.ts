import { describe, expect, it } from 'vitest';
import { predict } from '../../../electron/core/ml/logreg/predict';
import { fitLogReg } from '../../../electron/core/ml/logreg/train';
import { mulberry32 } from '../../../electron/core/ml/metrics';

/** n random unit vectors in `dim` dimensions (Gaussian directions) with random labels. */
function randomData(n: number, dim: number, classes: number, seed: number) {
  const rng = mulberry32(seed);
  const x: Float32Array[] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = new Float32Array(dim);
    let s = 0;
    for (let j = 0; j < dim; j++) {
      const g = Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
      v[j] = g;
      s += g * g;
    }
    const inv = 1 / Math.sqrt(s);
    for (let j = 0; j < dim; j++) v[j] = v[j]! * inv;
    x.push(v);
    y.push(Math.floor(rng() * classes));
  }
  return { x, y, labels: Array.from({ length: classes }, (_, c) => `intent_${c}`) };
}

// No timing assertions (shared CI machines vary); the durations are logged for the record.
describe('logreg at application scale', () => {
  it('trains on 2,300 random 512-dim unit vectors with 31 labels', { timeout: 180_000 }, () => {
    const { x, y, labels } = randomData(2300, 512, 31, 1);
    const fit = fitLogReg(x, y, labels);
    console.info(
      `logreg 2300 x 512 x 31: ${fit.millis.toFixed(0)} ms, ${fit.iterations} iterations, ${fit.evaluations} evaluations, ` +
        `stop: ${fit.reason}, loss ${fit.history[0]!.toFixed(4)} -> ${fit.loss.toFixed(4)}`,
    );
    expect(fit.model.weights).toHaveLength(31 * 513);
    expect(fit.loss).toBeLessThan(fit.history[0]!);
    expect(Number.isFinite(fit.loss)).toBe(true);
    const started = performance.now();
    let fitted = 0;
    for (let i = 0; i < x.length; i++) if (predict(fit.model, x[i]!).label === labels[y[i]!]) fitted++;
    console.info(
      `predict 2300 x 31: ${(performance.now() - started).toFixed(0)} ms; training accuracy on random labels ${(fitted / x.length).toFixed(3)}`,
    );
  });

  it('trains on 10,000 random 512-dim unit vectors with 2 labels', { timeout: 180_000 }, () => {
    const { x, y, labels } = randomData(10_000, 512, 2, 2);
    const fit = fitLogReg(x, y, labels);
    console.info(
      `logreg 10000 x 512 x 2: ${fit.millis.toFixed(0)} ms, ${fit.iterations} iterations, ${fit.evaluations} evaluations, ` +
        `stop: ${fit.reason}, loss ${fit.history[0]!.toFixed(4)} -> ${fit.loss.toFixed(4)}`,
    );
    expect(fit.model.weights).toHaveLength(2 * 513);
    expect(fit.loss).toBeLessThan(fit.history[0]!);
  });
});
