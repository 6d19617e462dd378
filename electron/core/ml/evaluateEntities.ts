/**
 * `annot evaluate --task entities`: trains the token-level entity head exactly as the app does
 * (tokenHead.ts, on the model's token vectors) and scores its spans on held-out texts by exact match.
 *
 * Memory stays bounded by the head's compact training rows: texts are embedded in chunks, each
 * chunk handed to the trainer (training) or predicted and scored (test) and then dropped.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Span } from '../../../shared/domain/spans';
import type { SpanExample } from './dataset';
import { tokenVectorsFor } from './entities/embedTokens';
import type { EntityFitReport } from './entities/fitHead';
import { EntityHeadTrainer, oKeepFor } from './entities/headTrainer';
import { predictEntities } from './entities/predictSpans';
import { DEFAULT_ENTITY_MAX_ITER, type EntityHead, type EntityHeadOptions } from './entities/tokenHead';
import { BertTokenAligner } from './entities/tokens';
import { seededPermutation, spanScores } from './metrics';
import type { ModelHost } from './modelHost';

export interface EntityEvaluationOptions {
  /** Train on this many sentences per entity label (sentences containing it), picked by `seed`. */
  perClass?: number | undefined;
  seed?: number | undefined;
  /** Passed to the trainer (l2, window, maxIter, threads …); the defaults are the app's. */
  head?: EntityHeadOptions | undefined;
  onProgress?: ((stage: 'train' | 'fit' | 'test', done: number, total: number) => void) | undefined;
}

export interface LabelSpanScores {
  precision: number;
  recall: number;
  f1: number;
  /** Gold spans of this label in the test set. */
  support: number;
}

export interface EntityEvaluation {
  /** Test texts. */
  n: number;
  precision: number;
  recall: number;
  f1: number;
  tp: number;
  fp: number;
  fn: number;
  /** Training texts actually used (after --per-class sampling). */
  train_texts: number;
  labels: string[];
  per_label: Record<string, LabelSpanScores>;
  /** Embedding the training texts and fitting the head. */
  train_seconds: number;
  /** The fit alone: rows (tokens kept), L-BFGS iterations, gradient threads, seconds. */
  fit: { rows: number; iterations: number; threads: number; seconds: number };
}

const CHUNK = 256;

/** The aligner for the host's model (its tokenizer.json). */
export function alignerFor(host: ModelHost): BertTokenAligner {
  return BertTokenAligner.fromTokenizerJson(readFileSync(join(host.check().dir, 'tokenizer.json'), 'utf8'));
}

/** A seeded split: `testFraction` of the examples (rounded) to test, the rest to train, both in file order. */
export function splitExamples<T>(examples: readonly T[], testFraction: number, seed: number): { train: T[]; test: T[] } {
  if (!(testFraction > 0 && testFraction < 1)) throw new Error(`splitExamples: testFraction must be in (0, 1), got ${testFraction}`);
  const order = seededPermutation(examples.length, seed);
  const nTest = Math.round(examples.length * testFraction);
  const inTest = new Uint8Array(examples.length);
  for (const i of order.slice(examples.length - nTest)) inTest[i] = 1;
  return { train: examples.filter((_, i) => !inTest[i]), test: examples.filter((_, i) => inTest[i]) };
}

/**
 * About n sentences per label: sentences are visited in a seeded order and one is taken while any
 * label it contains still has fewer than n; ascending indices. Sentences without spans are not taken.
 */
export function perLabelSample(examples: readonly SpanExample[], n: number, seed: number): number[] {
  if (!Number.isInteger(n) || n < 1) throw new Error(`perLabelSample: n must be a positive integer, got ${n}`);
  const taken = new Map<string, number>();
  const out: number[] = [];
  for (const i of seededPermutation(examples.length, seed)) {
    const labels = [...new Set(examples[i]!.entities.map((e) => e.label))];
    if (!labels.some((l) => (taken.get(l) ?? 0) < n)) continue;
    for (const l of labels) taken.set(l, (taken.get(l) ?? 0) + 1);
    out.push(i);
  }
  return out.sort((a, b) => a - b);
}

const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Trains the entity head on `train` with the app's defaults, embedding in chunks so only the
 * trainer's compact rows are kept; O tokens are counted first (alignment is cheap) to set the
 * subsampling rate.
 */
export async function trainEntityHeadOnTexts(
  host: ModelHost,
  aligner: BertTokenAligner,
  train: readonly SpanExample[],
  labels: readonly string[],
  opts: EntityHeadOptions & { onProgress?: ((done: number, total: number) => void) | undefined } = {},
): Promise<{ head: EntityHead; report: EntityFitReport }> {
  const { onProgress, ...headOpts } = opts;
  const oKeep = oKeepFor(
    train.map((e) => ({ tokens: aligner.align(e.text).tokens, spans: e.entities })),
    labels,
  );
  const trainer = new EntityHeadTrainer(labels, { oKeep, ...headOpts });
  for (let c = 0; c < train.length; c += CHUNK) {
    const chunk = train.slice(c, c + CHUNK);
    const embedded = await tokenVectorsFor(
      host,
      aligner,
      chunk.map((e) => e.text),
    );
    embedded.forEach((x, i) => trainer.add({ vectors: x.vectors, tokens: x.tokens, spans: chunk[i]!.entities }));
    onProgress?.(Math.min(c + CHUNK, train.length), train.length);
  }
  const head = trainer.finish();
  return { head, report: trainer.report! };
}

/** Trains on `train` as the app would and scores exact-match spans (start, end, label) on `test`. */
export async function evaluateEntities(
  train: readonly SpanExample[],
  test: readonly SpanExample[],
  host: ModelHost,
  opts: EntityEvaluationOptions = {},
): Promise<EntityEvaluation> {
  const seed = opts.seed ?? 1;
  const picked = opts.perClass ? perLabelSample(train, opts.perClass, seed).map((i) => train[i]!) : [...train];
  if (picked.length === 0) throw new Error('evaluateEntities: no training texts');
  const labels = [...new Set(picked.flatMap((e) => e.entities.map((s) => s.label)))].sort(byCodeUnit);
  const aligner = alignerFor(host);

  const started = performance.now();
  const { head, report } = await trainEntityHeadOnTexts(host, aligner, picked, labels, {
    seed,
    ...opts.head,
    onProgress: (done, total) => opts.onProgress?.('train', done, total),
    onIteration: (info) => {
      opts.head?.onIteration?.(info);
      opts.onProgress?.('fit', info.iteration, opts.head?.maxIter ?? DEFAULT_ENTITY_MAX_ITER);
    },
  });
  const trainSeconds = (performance.now() - started) / 1000;

  const gold: Span[][] = [];
  const pred: Span[][] = [];
  for (let c = 0; c < test.length; c += CHUNK) {
    const chunk = test.slice(c, c + CHUNK);
    const embedded = await tokenVectorsFor(
      host,
      aligner,
      chunk.map((e) => e.text),
    );
    embedded.forEach((x, i) => {
      gold.push(chunk[i]!.entities);
      pred.push(predictEntities(head, x.vectors, x.tokens, chunk[i]!.text));
    });
    opts.onProgress?.('test', Math.min(c + CHUNK, test.length), test.length);
  }

  const all = spanScores(gold, pred);
  const per_label: Record<string, LabelSpanScores> = {};
  const testLabels = [...new Set([...labels, ...gold.flat().map((s) => s.label)])].sort(byCodeUnit);
  for (const label of testLabels) {
    const s = spanScores(
      gold.map((g) => g.filter((x) => x.label === label)),
      pred.map((p) => p.filter((x) => x.label === label)),
    );
    per_label[label] = { precision: s.precision, recall: s.recall, f1: s.f1, support: s.tp + s.fn };
  }
  return {
    n: test.length,
    precision: all.precision,
    recall: all.recall,
    f1: all.f1,
    tp: all.tp,
    fp: all.fp,
    fn: all.fn,
    train_texts: picked.length,
    labels,
    per_label,
    train_seconds: Math.round(trainSeconds * 10) / 10,
    fit: { rows: head.trainedOn.rows, iterations: report.iterations, threads: report.threads, seconds: Math.round(report.seconds * 10) / 10 },
  };
}
