/**
 * Precision, recall and F1 of a candidate against a reference. Precision is null when the candidate has
 * nothing (0/0), recall is null when the reference has nothing, and F1 = 2·TP / (reference + candidate)
 * is null only when both are empty: there is nothing to score, which is not the same as scoring 1.
 * When exactly one side is empty F1 is 0.
 */
export interface PrecisionRecall {
  truePositives: number;
  reference: number;
  candidate: number;
  precision: number | null;
  recall: number | null;
  f1: number | null;
}

export function precisionRecall(truePositives: number, reference: number, candidate: number): PrecisionRecall {
  return {
    truePositives,
    reference,
    candidate,
    precision: candidate === 0 ? null : truePositives / candidate,
    recall: reference === 0 ? null : truePositives / reference,
    f1: reference + candidate === 0 ? null : (2 * truePositives) / (reference + candidate),
  };
}
