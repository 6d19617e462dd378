/**
 * The token-level entity head (DESIGN.md §5): a multinomial logistic regression over the
 * transformer's token vectors, trained on the spans people have labeled, decoded into spans by
 * Viterbi over the allowed tag transitions.
 *
 * Method (every choice measured on CLUENER2020, see the constants below):
 * - Tags: BIOES internally (B begin, I inside, E end, S single-token span, O outside; 1 + 4·labels
 *   tags). Compared to BIO the classifier is told where spans END, which is what exact-match
 *   scoring punishes most: +12 points of span F1 on CLUENER with the same features. Spans come out
 *   through bio.ts (E → I, S → B), so nothing outside the head sees BIOES.
 * - Features: the token's vector concatenated with its left and right neighbours' (window 1; rows
 *   0 and last are [CLS] and [SEP], so every text token has both), each standardized per dimension
 *   (mean and standard deviation of the training rows). The neighbours carry the boundary evidence
 *   a single vector lacks (+2.5 points); a wider window did not help.
 * - O tokens are subsampled when there are many (at most as many O rows as entity rows, but never
 *   fewer than MIN_O_ROWS) and the kept ones weighted by 1/keep-rate, so the loss is an unbiased
 *   estimate of the full one and the probabilities stay calibrated.
 * - Training: L2-penalized mean cross-entropy (biases free), full-batch L-BFGS (optim/lbfgs.ts), the
 *   gradient computed in parallel worker threads when the data are large. The training rows are
 *   kept as int8 (standardized values × 16, range ±7.9 σ; the largest standardized value seen in
 *   bge-small-zh token vectors is ~7 σ), a quarter of float32's memory.
 * - Decoding: Viterbi over log-probabilities with only the transitions BIOES allows (I/E of a
 *   label only after B/I of the same label, no span left open at the end), so every output is a
 *   well-formed span; no transition weights to tune.
 *
 * Vectors: one per model row, `[CLS] t0 … t(n-1) [SEP]` (tokens.ts: model row i + 1 is tokens[i]).
 *
 * This file holds the head's types and defaults; its parts: bioes.ts and viterbi.ts (tags and
 * decoding), headTrainer.ts (examples into int8 rows), fitHead.ts with gradientPool.ts (the fit),
 * predictSpans.ts, headJson.ts (storage).
 */
import type { Span } from '../../../../shared/domain/spans';
import type { AlignedToken } from './tokens';

export interface EntityExample {
  /** One vector per model row: [CLS], the tokens, [SEP] (absent when the text was truncated). */
  vectors: Float32Array[];
  /** The aligned text tokens (tokens.ts); vectors[i + 1] belongs to tokens[i]. */
  tokens: readonly AlignedToken[];
  /** Labeled spans, code points, end-exclusive. Labels not in `labels` are ignored. */
  spans: readonly Span[];
}

export interface EntityHead {
  kind: 'entity-head';
  version: 1;
  scheme: 'BIOES';
  labels: string[];
  /** Tag names: 'O', then per label B-, I-, E-, S-. */
  tags: string[];
  /** Dimension of the model's token vectors. */
  dim: number;
  /** Neighbours on each side whose vectors are concatenated to a token's. */
  window: number;
  /** Standardization: feature = (x − mean) · invStd, per dimension. */
  mean: Float32Array;
  invStd: Float32Array;
  /** tags × (dim · (2·window + 1) + 1), row-major, bias last; block k of a row weighs neighbour k − window. */
  weights: Float32Array;
  /** What it was trained on, for the model panel and the logs. */
  trainedOn: { sentences: number; tokens: number; rows: number; spans: number };
}

export interface EntityHeadOptions {
  /** L2 on the mean loss (as in logreg/objective.ts). Default DEFAULT_ENTITY_L2. */
  l2?: number;
  /** Neighbours on each side. Default 1. */
  window?: number;
  /**
   * Fraction of O tokens kept (their loss weighted by 1 / keep). Default: all of them while there are
   * at most max(MIN_O_ROWS, entity tokens) O tokens, otherwise that many on average (defaultOKeep).
   * The streaming EntityHeadTrainer cannot count ahead and keeps all unless told.
   */
  oKeep?: number;
  /** L-BFGS iterations at most. Default DEFAULT_ENTITY_MAX_ITER. */
  maxIter?: number;
  /** Seeds the O subsampling. Default 1. */
  seed?: number;
  /**
   * Threads for the gradient (this one included); 1 = no worker threads. Default: the machine's
   * cores (at most 4), and only when the data are large enough to be worth starting workers.
   */
  threads?: number;
  /** Rows standardization statistics are taken from before rows are stored (streaming). Default 20,000. */
  statsRows?: number;
  onIteration?: (info: { iteration: number; loss: number; seconds: number }) => void;
}

/**
 * L2 on the mean loss, for standardized features. Measured span F1 on CLUENER (seed-1 80/20 split):
 * with 2,000 training sentences 1e-3 → 0.633, 3e-3 → 0.639, 1e-2 → 0.626; with 300 sentences flat
 * (0.506, 0.506, 0.502) and 3e-2 → 0.480.
 */
export const DEFAULT_ENTITY_L2 = 3e-3;
/**
 * L-BFGS iterations. Span F1 on CLUENER barely moves past ~30: with all 8,598 training sentences
 * (155k rows, 2 threads, ~4 s per iteration) 0.686 after 25 iterations, 0.687 after 40, 0.689
 * after 60; with 2,000 sentences 0.633 after 30, 0.637 after 60; with 1,000 0.595 after 30, 0.597
 * after 100; with 300 0.494 after 30, 0.493 after 100.
 */
export const DEFAULT_ENTITY_MAX_ITER = 30;
