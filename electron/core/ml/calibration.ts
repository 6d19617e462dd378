/**
 * Temperature scaling (Guo et al., 2017): one scalar T > 0 so that softmax(logits / T) is honest
 * about how often the model is right. It never changes the argmax, only the confidence, which is
 * what the pre-labeler's thresholds ("suggest only above 0.8", "sort the queue by margin") rely on.
 */
import type { LogRegModel, LogRegOptions } from './logreg/model';
import { logits, predictProba } from './logreg/predict';
import { fitLogReg } from './logreg/train';
import { stratifiedHoldout } from './metrics';

export const MIN_TEMPERATURE = 0.05;
export const MAX_TEMPERATURE = 20;

/** Mean negative log-likelihood of softmax(z / T) at the true labels, with a stable log-sum-exp. */
export function temperatureNll(logitRows: Float32Array[], y: number[], temperature: number): number {
  const inv = 1 / temperature;
  let total = 0;
  for (let i = 0; i < logitRows.length; i++) {
    const z = logitRows[i]!;
    let max = -Infinity;
    for (let c = 0; c < z.length; c++) if (z[c]! * inv > max) max = z[c]! * inv;
    let sum = 0;
    for (let c = 0; c < z.length; c++) sum += Math.exp(z[c]! * inv - max);
    total += max + Math.log(sum) - z[y[i]!]! * inv;
  }
  return logitRows.length > 0 ? total / logitRows.length : 0;
}

/**
 * The temperature minimizing held-out NLL, by golden-section search on log T over
 * [ln 0.05, ln 20]. The NLL is convex in 1/T, hence unimodal in log T, so golden section finds the
 * minimum (to ~1e-6 in log T). Returns 1 for no data; a boundary value when the optimum lies
 * outside the range (e.g. 0.05 when every held-out item is right with a wide margin).
 * `logitRows` must be raw logits (temperature 1), e.g. from `logits(model, x)`.
 */
export function fitTemperature(logitRows: Float32Array[], y: number[]): number {
  if (logitRows.length !== y.length) throw new Error(`fitTemperature: ${logitRows.length} logit rows but ${y.length} labels`);
  if (logitRows.length === 0) return 1;
  for (let i = 0; i < y.length; i++) {
    const yi = y[i]!;
    const k = logitRows[i]!.length;
    if (!Number.isInteger(yi) || yi < 0 || yi >= k) throw new Error(`fitTemperature: y[${i}] = ${yi} is not an index into ${k} logits`);
  }
  const f = (logT: number): number => temperatureNll(logitRows, y, Math.exp(logT));
  const ratio = (Math.sqrt(5) - 1) / 2;
  let a = Math.log(MIN_TEMPERATURE);
  let b = Math.log(MAX_TEMPERATURE);
  let c = b - ratio * (b - a);
  let d = a + ratio * (b - a);
  let fc = f(c);
  let fd = f(d);
  while (b - a > 1e-6) {
    if (fc <= fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - ratio * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + ratio * (b - a);
      fd = f(d);
    }
  }
  // Golden section never evaluates the ends; let them win when the optimum is pinned there.
  let best = (a + b) / 2;
  let fBest = f(best);
  for (const end of [Math.log(MIN_TEMPERATURE), Math.log(MAX_TEMPERATURE)]) {
    const fe = f(end);
    if (fe < fBest) {
      best = end;
      fBest = fe;
    }
  }
  return Math.exp(best);
}

/**
 * Expected calibration error with `bins` equal-width confidence bins: Σ_b (n_b / n) · |accuracy_b −
 * mean confidence_b|, where confidence is the top probability and a prediction is right when its
 * argmax is y. Bin b holds confidences in [b/bins, (b+1)/bins) (1.0 goes to the last bin).
 */
export function expectedCalibrationError(probs: Float32Array[], y: number[], bins = 10): number {
  if (probs.length !== y.length) throw new Error(`expectedCalibrationError: ${probs.length} rows but ${y.length} labels`);
  if (!Number.isInteger(bins) || bins < 1) throw new Error(`expectedCalibrationError: bins must be a positive integer, got ${bins}`);
  const n = probs.length;
  if (n === 0) return 0;
  const count = new Float64Array(bins);
  const conf = new Float64Array(bins);
  const right = new Float64Array(bins);
  for (let i = 0; i < n; i++) {
    const p = probs[i]!;
    let best = 0;
    for (let c = 1; c < p.length; c++) if (p[c]! > p[best]!) best = c;
    const top = p[best] ?? 0;
    const b = Math.min(bins - 1, Math.max(0, Math.floor(top * bins)));
    count[b]! += 1;
    conf[b]! += top;
    if (best === y[i]) right[b]! += 1;
  }
  let ece = 0;
  for (let b = 0; b < bins; b++) {
    const k = count[b]!;
    if (k > 0) ece += (k / n) * Math.abs(right[b]! / k - conf[b]! / k);
  }
  return ece;
}

export interface CalibrationOptions extends LogRegOptions {
  /** Fraction of each label held out to fit the temperature. Default 0.2. */
  holdout?: number;
  /** Seeds the stratified holdout split. Default 0. */
  seed?: number;
  /** Below this many held-out items the temperature stays 1 (too few to fit it). Default 20. */
  minHeldOut?: number;
}

export interface CalibratedFit {
  /** Trained on all examples, with the temperature fitted on the holdout. */
  model: LogRegModel;
  temperature: number;
  /** What the holdout showed (for the model trained without it), or null if it was too small. */
  heldOut: { n: number; nllBefore: number; nllAfter: number; eceBefore: number; eceAfter: number } | null;
}

/**
 * calibratedTrain with the held-out evidence. Steps:
 *  1. stratified, seeded split: ~`holdout` of each label held out (each label keeps ≥ 1 for training);
 *  2. train on the rest, fit T on the held-out logits;
 *  3. retrain on everything with the same options and attach T.
 * Why retrain rather than ship the 80 % model: labels are what annotators pay for, and the model
 * that sees all of them is the more accurate one. Why not fit T on the full model's own training
 * data: a model is over-confident on what it was trained on, so that T would be too low (under-
 * correcting). Fitting T on data the model did not see and transferring it to the refit is the
 * standard compromise (scikit-learn's CalibratedClassifierCV with ensemble=False does the same).
 * The transfer is sound here because the loss is a mean with a fixed l2, so the refit's weights
 * have the same scale; the refit is, if anything, slightly better, so T errs on the cautious side.
 */
export function calibratedFit(x: Float32Array[], y: number[], labels: string[], opts: CalibrationOptions = {}): CalibratedFit {
  const { holdout = 0.2, seed = 0, minHeldOut = 20, ...trainOpts } = opts;
  const full = (temperature: number): LogRegModel => ({ ...fitLogReg(x, y, labels, { ...trainOpts, seed }).model, temperature });
  if (x.length !== y.length) throw new Error(`calibratedTrain: ${x.length} vectors but ${y.length} labels`);
  const split = stratifiedHoldout(
    y.map((v) => String(v)),
    holdout,
    seed,
  );
  if (split.test.length < minHeldOut) return { model: full(1), temperature: 1, heldOut: null };
  const partial = fitLogReg(
    split.train.map((i) => x[i]!),
    split.train.map((i) => y[i]!),
    labels,
    { ...trainOpts, seed },
  ).model;
  const heldLogits = split.test.map((i) => logits(partial, x[i]!));
  const heldY = split.test.map((i) => y[i]!);
  const temperature = fitTemperature(heldLogits, heldY);
  const calibrated = { ...partial, temperature };
  const heldOut = {
    n: split.test.length,
    nllBefore: temperatureNll(heldLogits, heldY, 1),
    nllAfter: temperatureNll(heldLogits, heldY, temperature),
    eceBefore: expectedCalibrationError(
      split.test.map((i) => predictProba(partial, x[i]!)),
      heldY,
    ),
    eceAfter: expectedCalibrationError(
      split.test.map((i) => predictProba(calibrated, x[i]!)),
      heldY,
    ),
  };
  return { model: full(temperature), temperature, heldOut };
}

/**
 * Trains on ~80 % (stratified, seeded), fits the temperature on the other ~20 %, retrains on
 * everything and keeps that temperature (see calibratedFit for why). Options are trainLogReg's
 * plus `holdout`, `seed` and `minHeldOut`.
 */
export function calibratedTrain(x: Float32Array[], y: number[], labels: string[], opts: CalibrationOptions = {}): LogRegModel {
  return calibratedFit(x, y, labels, opts).model;
}
