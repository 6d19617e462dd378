import { fitTemperature } from './calibration';
import type { LogRegModel, PredictResult } from './logreg/model';
import { logits, predict, resultFromProbs, softmax } from './logreg/predict';
import { trainLogReg } from './logreg/train';
import { stratifiedHoldout } from './metrics';
import { buildPrototypes, predictPrototypes, type PrototypeModel } from './prototypes';

/**
 * The intent and sentiment heads, trained the same way by the app and by `annot evaluate`:
 * vectors are centered on the mean of the pool of texts they will be used on (the project's items;
 * removing the direction every sentence shares sharpens the differences between labels) and
 * re-normalized; then a multinomial logistic regression, its temperature fitted on held-out labels
 * when there are enough. With fewer than two examples of some label, nearest prototypes instead.
 */
export type TextClassifier =
  | { kind: 'logreg'; labels: string[]; mean: Float32Array; model: LogRegModel; trainedOn: number }
  | { kind: 'prototypes'; labels: string[]; mean: Float32Array; model: PrototypeModel; trainedOn: number };

export const DEFAULT_CLASSIFIER_L2 = 1e-4;
/** Below this many examples per label a held-out split would starve training; keep T = 1. */
const MIN_PER_LABEL_FOR_CALIBRATION = 8;

export interface TrainOptions {
  /** Vectors of the texts the classifier will label (unlabeled included), for centering. */
  pool?: Float32Array[] | undefined;
  l2?: number | undefined;
  seed?: number | undefined;
}

export function meanVector(vectors: Float32Array[], dim: number): Float32Array {
  const mean = new Float32Array(dim);
  if (!vectors.length) return mean;
  for (const v of vectors) for (let i = 0; i < dim; i++) mean[i]! += v[i]!;
  for (let i = 0; i < dim; i++) mean[i]! /= vectors.length;
  return mean;
}

export function centered(x: Float32Array, mean: Float32Array): Float32Array {
  const out = new Float32Array(x.length);
  let norm = 0;
  for (let i = 0; i < x.length; i++) {
    out[i] = x[i]! - (mean[i] ?? 0);
    norm += out[i]! * out[i]!;
  }
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < out.length; i++) out[i]! /= norm;
  return out;
}

export function trainTextClassifier(x: Float32Array[], y: string[], options: TrainOptions = {}): TextClassifier {
  if (x.length === 0) throw new Error('no labeled examples to train on');
  const dim = x[0]!.length;
  const mean = meanVector(options.pool?.length ? options.pool : x, dim);
  const cx = x.map((v) => centered(v, mean));
  const labels = [...new Set(y)].sort();
  const counts = labels.map((l) => y.filter((v) => v === l).length);
  if (labels.length < 2 || Math.min(...counts) < 2) {
    const model = buildPrototypes(labels.map((label) => ({ label, vectors: cx.filter((_, i) => y[i] === label) })));
    return { kind: 'prototypes', labels, mean, model, trainedOn: x.length };
  }
  const yi = y.map((l) => labels.indexOf(l));
  const l2 = options.l2 ?? DEFAULT_CLASSIFIER_L2;
  let temperature = 1;
  if (Math.min(...counts) >= MIN_PER_LABEL_FOR_CALIBRATION) {
    // Fit the temperature on held-out labels, then train on everything and keep it: the final
    // model sees all the data, and the held-out fit tells how over-confident such a model is.
    const { train, test } = stratifiedHoldout(y, 0.2, options.seed ?? 1);
    const held = trainLogReg(
      train.map((i) => cx[i]!),
      train.map((i) => yi[i]!),
      labels,
      { l2 },
    );
    temperature = fitTemperature(
      test.map((i) => logits(held, cx[i]!)),
      test.map((i) => yi[i]!),
    );
  }
  const model = { ...trainLogReg(cx, yi, labels, { l2 }), temperature };
  return { kind: 'logreg', labels, mean, model, trainedOn: x.length };
}

export function classify(classifier: TextClassifier, x: Float32Array): PredictResult {
  const v = centered(x, classifier.mean);
  return classifier.kind === 'logreg' ? predict(classifier.model, v) : predictPrototypes(classifier.model, v);
}

export { softmax, resultFromProbs };
