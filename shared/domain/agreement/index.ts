/**
 * Inter-annotator agreement: percent agreement, Cohen's kappa (weighted), Scott's pi, Fleiss' kappa,
 * Krippendorff's alpha, per-label multi-label agreement, entity-span agreement, confusion matrices and
 * bootstrap confidence intervals. Pure TypeScript; definitions and degenerate cases in README.md.
 */
export { type Category, isMissing, type RatedItem, type Rating, type Ratings, ratingsFromColumns } from './ratings';
export { numericValue, orderCategories } from './categoryOrder';
export {
  annotatorIndex,
  type CodedRatings,
  encodeColumns,
  type EncodeOptions,
  encodeRatings,
  isCodedRatings,
  MISSING,
  type RatingsInput,
  toCodedRatings,
} from './codedRatings';
export { type Estimate, type KappaResult, type UndefinedReason } from './result';
export { percentAgreement, type PercentAgreementResult } from './percentAgreement';
export { type KappaWeights } from './kappaWeights';
export { type TwoRaterStatistic } from './contingency';
export { cohenKappa, cohenKappaBetween, kappaFromContingency, scottsPi, scottsPiBetween, type TwoRaterOptions } from './cohenKappa';
export { type PairKappa, pairwiseCohenKappa, type PairwiseKappa } from './pairwiseCohen';
export { fleissKappa } from './fleissKappa';
export { type AlphaResult, krippendorffAlpha, type MeasurementLevel } from './krippendorffAlpha';
export { binaryLabelRatings, type LabelAgreement, multiLabelAgreement, type MultiLabelRatings } from './multiLabel';
export { type ConfusedPair, confusionMatrix, confusionMatrixBetween, type ConfusionMatrix, mostConfusedPairs } from './confusion';
export { coincidenceMatrix } from './coincidence';
export { type BootstrapInterval, type BootstrapOptions, DEFAULT_CONFIDENCE, DEFAULT_RESAMPLES, DEFAULT_SEED, quantile } from './bootstrap';
export { bootstrapCohenKappa, bootstrapFleissKappa, bootstrapKrippendorffAlpha } from './confidenceIntervals';
export { mulberry32 } from './prng';
export { precisionRecall, type PrecisionRecall } from './precisionRecall';
export { type ItemSpanMatch, matchItemSpans } from './spanMatching';
export {
  type DisagreementCounts,
  spanAgreement,
  type SpanAgreement,
  type SpanDisagreement,
  type SpanItem,
  type SpanLabelAgreement,
} from './spanAgreement';
export { type AnnotatorSpans, pairwiseSpanAgreement } from './pairwiseSpanAgreement';
