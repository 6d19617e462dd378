import type { LabeledText } from './dataset';
import { classificationReport, perClassSample, stratifiedKFold } from './metrics';
import { classify, trainTextClassifier } from './textClassifier';

export interface ClassifierEvaluation {
  n: number;
  accuracy: number;
  macro_f1: number;
  folds?: number;
}

export interface EvaluateOptions {
  perClass?: number | undefined;
  folds?: number | undefined;
  seed?: number | undefined;
}

/**
 * Trains with the app's own trainTextClassifier and scores the held-out texts. With a test set, one
 * split; without, stratified k-fold over the training file (predictions of every fold pooled).
 * The texts to be labeled serve as the centering pool, as the project's items do in the app.
 */
export function evaluateClassifier(
  train: { rows: LabeledText[]; vectors: Float32Array[] },
  test: { rows: LabeledText[]; vectors: Float32Array[] } | null,
  options: EvaluateOptions = {},
): ClassifierEvaluation {
  const seed = options.seed ?? 1;
  const splits: { train: number[]; test: number[]; testSet: 'train' | 'test' }[] = [];
  if (test) splits.push({ train: train.rows.map((_, i) => i), test: test.rows.map((_, i) => i), testSet: 'test' });
  else {
    const folds = stratifiedKFold(
      train.rows.map((r) => r.label),
      options.folds ?? 5,
      seed,
    );
    folds.forEach((testIdx) => {
      const held = new Set(testIdx);
      splits.push({ train: train.rows.map((_, i) => i).filter((i) => !held.has(i)), test: testIdx, testSet: 'train' });
    });
  }
  const yTrue: string[] = [];
  const yPred: string[] = [];
  for (const split of splits) {
    let trainIdx = split.train;
    if (options.perClass) {
      const picked = perClassSample(
        trainIdx.map((i) => train.rows[i]!.label),
        options.perClass,
        seed,
      );
      trainIdx = picked.map((j) => trainIdx[j]!);
    }
    const target = split.testSet === 'test' ? test! : train;
    const classifier = trainTextClassifier(
      trainIdx.map((i) => train.vectors[i]!),
      trainIdx.map((i) => train.rows[i]!.label),
      { pool: [...trainIdx.map((i) => train.vectors[i]!), ...split.test.map((i) => target.vectors[i]!)], seed },
    );
    for (const i of split.test) {
      yTrue.push(target.rows[i]!.label);
      yPred.push(classify(classifier, target.vectors[i]!).label);
    }
  }
  const report = classificationReport(yTrue, yPred);
  return { n: report.n, accuracy: report.accuracy, macro_f1: report.macroF1, ...(test ? {} : { folds: splits.length }) };
}
