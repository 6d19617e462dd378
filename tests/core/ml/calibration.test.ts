import { describe, expect, it } from 'vitest';
import {
  calibratedFit,
  calibratedTrain,
  expectedCalibrationError,
  fitTemperature,
  MAX_TEMPERATURE,
  MIN_TEMPERATURE,
  temperatureNll,
} from '../../../electron/core/ml/calibration';
import { logits, predictProba, softmax } from '../../../electron/core/ml/logreg/predict';
import { trainLogReg } from '../../../electron/core/ml/logreg/train';
import { mulberry32 } from '../../../electron/core/ml/metrics';

function gaussian(rng: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
}

/** Labels drawn from softmax(trueLogits); the model reports trueLogits * overconfidence. */
function overconfident(n: number, classes: number, overconfidence: number, seed: number) {
  const rng = mulberry32(seed);
  const g = gaussian(rng);
  const logitRows: Float32Array[] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const z = Float32Array.from({ length: classes }, () => 1.5 * g());
    const p = softmax(z);
    let u = rng();
    let label = classes - 1;
    for (let c = 0; c < classes; c++) {
      u -= p[c]!;
      if (u < 0) {
        label = c;
        break;
      }
    }
    y.push(label);
    logitRows.push(z.map((v) => v * overconfidence));
  }
  return { logitRows, y };
}

/**
 * Overlapping unit-vector blobs in 64 dimensions: 600 examples are few enough that a weakly
 * penalized fit is over-confident (the situation temperature scaling is for). Class directions
 * come from `seed`, noise from `noiseSeed`.
 */
function blobs(n: number, seed: number, noiseSeed: number) {
  const dim = 64;
  const g0 = gaussian(mulberry32(seed));
  const centers = Array.from({ length: 4 }, () => Float32Array.from({ length: dim }, g0));
  const g = gaussian(mulberry32(noiseSeed));
  const x: Float32Array[] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 4;
    const v = centers[c]!.map((a) => a / Math.sqrt(dim) + 0.4 * g());
    const norm = Math.hypot(...v);
    x.push(v.map((a) => a / norm));
    y.push(c);
  }
  return { x, y, labels: ['a', 'b', 'c', 'd'] };
}

describe('fitTemperature', () => {
  it('recovers a known temperature from over-confident logits and lowers NLL and ECE', () => {
    const { logitRows, y } = overconfident(6000, 5, 2.5, 1);
    const t = fitTemperature(logitRows, y);
    expect(t).toBeGreaterThan(2.3);
    expect(t).toBeLessThan(2.7);
    expect(temperatureNll(logitRows, y, t)).toBeLessThan(temperatureNll(logitRows, y, 1));
    const before = expectedCalibrationError(
      logitRows.map((z) => softmax(z)),
      y,
    );
    const after = expectedCalibrationError(
      logitRows.map((z) => softmax(z, 1 / t)),
      y,
    );
    expect(before).toBeGreaterThan(0.1);
    expect(after).toBeLessThan(0.03);
    expect(after).toBeLessThan(before);
  });

  it('recovers an under-confident one too (T < 1)', () => {
    const { logitRows, y } = overconfident(6000, 3, 0.5, 2);
    const t = fitTemperature(logitRows, y);
    expect(t).toBeGreaterThan(0.45);
    expect(t).toBeLessThan(0.55);
  });

  it('edge cases: no data -> 1; always right with a wide margin -> the lower bound; bad input throws', () => {
    expect(fitTemperature([], [])).toBe(1);
    const sure = Array.from({ length: 20 }, (_, i) => Float32Array.from([i % 2 === 0 ? 5 : -5, i % 2 === 0 ? -5 : 5]));
    expect(
      fitTemperature(
        sure,
        sure.map((_, i) => i % 2),
      ),
    ).toBeCloseTo(MIN_TEMPERATURE, 6);
    // Always wrong: flatten as far as allowed.
    expect(
      fitTemperature(
        sure,
        sure.map((_, i) => 1 - (i % 2)),
      ),
    ).toBeCloseTo(MAX_TEMPERATURE, 6);
    expect(() => fitTemperature([Float32Array.from([0, 1])], [2])).toThrow();
    expect(() => fitTemperature([Float32Array.from([0, 1])], [])).toThrow();
  });
});

describe('expectedCalibrationError', () => {
  it('matches a hand computation', () => {
    const probs = [
      [0.93, 0.07], // bin 9, right:  |1 - 0.93|
      [0.18, 0.82], // bin 8, wrong:  |0 - 0.82|
      [0.64, 0.36], // bin 6, right:  |1 - 0.64|
      [0.55, 0.45], // bin 5, right: |1 - 0.55|
    ].map((p) => Float32Array.from(p));
    const y = [0, 0, 0, 0];
    expect(expectedCalibrationError(probs, y)).toBeCloseTo((0.07 + 0.82 + 0.36 + 0.45) / 4, 6);
    // One bin: |accuracy - mean confidence| = |3/4 - (0.93 + 0.82 + 0.64 + 0.55) / 4| = 0.015
    expect(expectedCalibrationError(probs, y, 1)).toBeCloseTo(0.015, 6);
    // Two bins: [0, .5) is empty, [.5, 1) holds everything: same as one bin.
    expect(expectedCalibrationError(probs, y, 2)).toBeCloseTo(0.015, 6);
    expect(expectedCalibrationError([], [])).toBe(0);
    expect(() => expectedCalibrationError(probs, y, 0)).toThrow();
  });

  it('is 0 for a perfectly calibrated bin', () => {
    const probs = Array.from({ length: 10 }, () => Float32Array.from([0.75, 0.25]));
    const y = [0, 0, 0, 1, 0, 0, 1, 0, 0, 0]; // 8 of 10 right... and 0.75 != 0.8
    expect(expectedCalibrationError(probs, y)).toBeCloseTo(0.05, 6);
    const y2 = [0, 0, 0, 1, 0, 0, 1, 0, 1, 0, 0, 0].slice(0, 8); // 6 of 8 right = 0.75
    expect(expectedCalibrationError(probs.slice(0, 8), y2)).toBeCloseTo(0, 6);
  });
});

describe('calibratedTrain', () => {
  it('fits T on a stratified 20 % holdout, then ships the model trained on everything with that T', () => {
    const { x, y, labels } = blobs(600, 3, 103);
    const fit = calibratedFit(x, y, labels, { seed: 4, l2: 1e-5 });
    const plain = trainLogReg(x, y, labels, { l2: 1e-5 });
    expect(Array.from(fit.model.weights)).toEqual(Array.from(plain.weights));
    expect(fit.model.temperature).toBe(fit.temperature);
    expect(fit.heldOut).not.toBeNull();
    const held = fit.heldOut!;
    expect(held.n).toBe(120); // 20 % of each of the 4 labels
    // Few examples, weak penalty: over-confident, so T > 1, and it helps on the holdout...
    expect(fit.temperature).toBeGreaterThan(1.5);
    expect(held.nllAfter).toBeLessThan(held.nllBefore);
    expect(held.eceAfter).toBeLessThan(held.eceBefore);
    // ...and, transferred to the model trained on everything, on fresh data from the same source.
    const test = blobs(4000, 3, 203);
    const testLogits = test.x.map((v) => logits(fit.model, v));
    expect(temperatureNll(testLogits, test.y, fit.temperature)).toBeLessThan(temperatureNll(testLogits, test.y, 1));
    const eceRaw = expectedCalibrationError(
      testLogits.map((z) => softmax(z)),
      test.y,
    );
    const eceCalibrated = expectedCalibrationError(
      test.x.map((v) => predictProba(fit.model, v)),
      test.y,
    );
    expect(eceCalibrated).toBeLessThan(eceRaw);
    console.info(`calibratedTrain: T = ${fit.temperature.toFixed(3)}, fresh-data ECE ${eceRaw.toFixed(3)} -> ${eceCalibrated.toFixed(3)}`);
    // Deterministic for a seed; calibratedTrain is the same model.
    expect(calibratedFit(x, y, labels, { seed: 4, l2: 1e-5 })).toEqual(fit);
    const model = calibratedTrain(x, y, labels, { seed: 4, l2: 1e-5 });
    expect(model.temperature).toBe(fit.temperature);
    expect(Array.from(model.weights)).toEqual(Array.from(fit.model.weights));
  });

  it('keeps T = 1 when the holdout would be too small', () => {
    const { x, y, labels } = blobs(40, 5, 105);
    const fit = calibratedFit(x, y, labels, { seed: 1 });
    expect(fit.heldOut).toBeNull();
    expect(fit.temperature).toBe(1);
    expect(fit.model.temperature).toBe(1);
  });
});
