/**
 * The token-level entity head (DESIGN.md §5): a multinomial logistic regression over the
 * transformer's token vectors, trained on the spans people have labeled, decoded into spans by
 * Viterbi over the allowed tag transitions.
 *
 * Method (every choice measured on CLUENER2020, see the constants below):
 * - Tags: BIOES internally (B begin, I inside, E end, S single-token span, O outside; 1 + 4·labels
 *   tags). Compared to BIO the classifier is told where spans END, which is what exact-match
 *   scoring punishes most: +12 points of span F1 on CLUENER with the same features. Spans come out
 *   through bio.ts (E → I, S → B), so nothing outside this file sees BIOES.
 * - Features: the token's vector concatenated with its left and right neighbours' (window 1; rows
 *   0 and last are [CLS] and [SEP], so every text token has both), each standardized per dimension
 *   (mean and standard deviation of the training rows). The neighbours carry the boundary evidence
 *   a single vector lacks (+2.5 points); a wider window did not help.
 * - O tokens are subsampled when there are many (at most as many O rows as entity rows, but never
 *   fewer than MIN_O_ROWS) and the kept ones weighted by 1/keep-rate, so the loss is an unbiased
 *   estimate of the full one and the probabilities stay calibrated.
 * - Training: L2-penalized mean cross-entropy (biases free), full-batch L-BFGS (logreg.ts), the
 *   gradient computed in parallel worker threads when the data are large. The training rows are
 *   kept as int8 (standardized values × 16, range ±7.9 σ; the largest standardized value seen in
 *   bge-small-zh token vectors is ~7 σ), a quarter of float32's memory.
 * - Decoding: Viterbi over log-probabilities with only the transitions BIOES allows (I/E of a
 *   label only after B/I of the same label, no span left open at the end), so every output is a
 *   well-formed span; no transition weights to tune.
 *
 * Vectors: one per model row, `[CLS] t0 … t(n-1) [SEP]` (tokens.ts: model row i + 1 is tokens[i]).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Span } from '../../../../shared/domain/spans';
import { minimizeLbfgs, type ObjectiveFn } from '../logreg';
import { mulberry32 } from '../metrics';
import { decodeBio, encodeBio } from './bio';
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
  /** L2 on the mean loss (see logreg.ts). Default DEFAULT_ENTITY_L2. */
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
/** O rows are never subsampled below this many. */
export const MIN_O_ROWS = 20_000;
/** int8 storage of standardized features: q = round(z · QUANT), |q| <= 127. */
const QUANT = 16;
/** Work (rows × features × tags) per gradient below which worker threads are not worth starting. */
const PARALLEL_MIN_WORK = 2e8;
/** Rows per shared-memory chunk of training data. */
const CHUNK_ROWS = 4096;

// ---------------------------------------------------------------------------------------------
// Tags
// ---------------------------------------------------------------------------------------------

/** Position of a non-O tag within its label's block of 4. */
const B = 0;
const I = 1;
const E = 2;
const S = 3;

/** ['O', 'B-x', 'I-x', 'E-x', 'S-x', …]. */
export function bioesTagNames(labels: readonly string[]): string[] {
  return ['O', ...labels.flatMap((l) => [`B-${l}`, `I-${l}`, `E-${l}`, `S-${l}`])];
}

/**
 * BIO tag indices (bio.ts) → BIOES indices: a B not continued is S, the last I of a span is E. An I
 * that does not continue a span of its label begins one (as decodeBio reads it).
 */
export function bioToBioes(bio: readonly number[]): number[] {
  return bio.map((t, i) => {
    if (t <= 0) return 0;
    const k = (t - 1) >> 1;
    const prev = i > 0 ? bio[i - 1]! : 0;
    const isBegin = (t - 1) % 2 === 0 || (prev !== 1 + 2 * k && prev !== 2 + 2 * k);
    const continued = bio[i + 1] === 2 + 2 * k;
    return 1 + 4 * k + (isBegin ? (continued ? B : S) : continued ? I : E);
  });
}

/** BIOES indices → BIO indices (B, S → B; I, E → I). */
export function bioesToBio(tags: readonly number[]): number[] {
  return tags.map((t) => {
    if (t <= 0) return 0;
    const k = (t - 1) >> 2;
    const pos = (t - 1) % 4;
    return pos === B || pos === S ? 1 + 2 * k : 2 + 2 * k;
  });
}

/** Whether tag `b` may follow tag `a` (a = −1: start of text). */
export function bioesAllowed(a: number, b: number): boolean {
  const open = a > 0 && ((a - 1) % 4 === B || (a - 1) % 4 === I);
  const inside = b > 0 && ((b - 1) % 4 === I || (b - 1) % 4 === E);
  if (open) return inside && (a - 1) >> 2 === (b - 1) >> 2;
  return !inside;
}

/** Whether a text may end on tag `a`. */
function mayEnd(a: number): boolean {
  return a === 0 || (a - 1) % 4 === E || (a - 1) % 4 === S;
}

/**
 * Best tag sequence under the BIOES constraints: `logProbs` is T × C (row-major). Ties go to the
 * lower tag index, so an all-equal row prefers O.
 */
export function viterbiBioes(logProbs: Float64Array | Float32Array, T: number, C: number): number[] {
  if (T === 0) return [];
  const allowed = new Uint8Array(C * C);
  for (let a = 0; a < C; a++) for (let b = 0; b < C; b++) allowed[a * C + b] = bioesAllowed(a, b) ? 1 : 0;
  let prev = new Float64Array(C);
  let cur = new Float64Array(C);
  const back = new Int32Array(T * C);
  for (let b = 0; b < C; b++) prev[b] = bioesAllowed(-1, b) ? logProbs[b]! : -Infinity;
  for (let t = 1; t < T; t++) {
    for (let b = 0; b < C; b++) {
      let best = -Infinity;
      let arg = 0;
      for (let a = 0; a < C; a++) {
        if (!allowed[a * C + b]) continue;
        const s = prev[a]!;
        if (s > best) {
          best = s;
          arg = a;
        }
      }
      cur[b] = best + logProbs[t * C + b]!;
      back[t * C + b] = arg;
    }
    [prev, cur] = [cur, prev];
  }
  let best = -Infinity;
  let arg = 0;
  for (let c = 0; c < C; c++) {
    if (mayEnd(c) && prev[c]! > best) {
      best = prev[c]!;
      arg = c;
    }
  }
  const tags = new Array<number>(T);
  for (let t = T - 1; t >= 0; t--) {
    tags[t] = arg;
    arg = back[t * C + arg]!;
  }
  return tags;
}

// ---------------------------------------------------------------------------------------------
// The gradient kernel
// ---------------------------------------------------------------------------------------------

/**
 * Σ over rows [from, to) of w_i · cross-entropy, and its gradient ADDED into `grad` (unnormalized,
 * no penalty), for parameters laid out like EntityHead.weights. Rows are int8 (× 1/scale); `z` is
 * scratch of length 4·C. Self-contained on purpose: worker threads run it from its source text, so
 * it must not call or close over anything.
 */
function softmaxLossPart(
  X: Int8Array,
  F: number,
  y: Uint16Array,
  sw: Float32Array,
  from: number,
  to: number,
  C: number,
  theta: Float64Array,
  grad: Float64Array,
  z: Float64Array,
  scale: number,
): number {
  const stride = F + 1;
  let loss = 0;
  for (let i = from; i < to; i += 4) {
    const m = Math.min(4, to - i);
    // Rows past the block's end repeat its first row with weight 0.
    const xa = i * F;
    const xb = (m > 1 ? i + 1 : i) * F;
    const xc = (m > 2 ? i + 2 : i) * F;
    const xd = (m > 3 ? i + 3 : i) * F;
    let c = 0;
    for (; c + 1 < C; c += 2) {
      const wo = c * stride;
      const wp = wo + stride;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let t0 = 0;
      let t1 = 0;
      let t2 = 0;
      let t3 = 0;
      for (let j = 0; j < F; j++) {
        const w = theta[wo + j]!;
        const v = theta[wp + j]!;
        const a = X[xa + j]!;
        const b = X[xb + j]!;
        const e = X[xc + j]!;
        const f = X[xd + j]!;
        s0 += w * a;
        s1 += w * b;
        s2 += w * e;
        s3 += w * f;
        t0 += v * a;
        t1 += v * b;
        t2 += v * e;
        t3 += v * f;
      }
      const bw = theta[wo + F]!;
      const bv = theta[wp + F]!;
      z[c] = s0 * scale + bw;
      z[C + c] = s1 * scale + bw;
      z[2 * C + c] = s2 * scale + bw;
      z[3 * C + c] = s3 * scale + bw;
      z[c + 1] = t0 * scale + bv;
      z[C + c + 1] = t1 * scale + bv;
      z[2 * C + c + 1] = t2 * scale + bv;
      z[3 * C + c + 1] = t3 * scale + bv;
    }
    if (c < C) {
      const wo = c * stride;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let j = 0; j < F; j++) {
        const w = theta[wo + j]!;
        s0 += w * X[xa + j]!;
        s1 += w * X[xb + j]!;
        s2 += w * X[xc + j]!;
        s3 += w * X[xd + j]!;
      }
      const bw = theta[wo + F]!;
      z[c] = s0 * scale + bw;
      z[C + c] = s1 * scale + bw;
      z[2 * C + c] = s2 * scale + bw;
      z[3 * C + c] = s3 * scale + bw;
    }
    // Softmax of each of the 4 rows, turned in place into r = w·(p − onehot) · scale.
    for (let k = 0; k < 4; k++) {
      const off = k * C;
      const wi = k < m ? sw[i + k]! : 0;
      const yi = k < m ? y[i + k]! : 0;
      let max = -Infinity;
      for (let q = 0; q < C; q++) if (z[off + q]! > max) max = z[off + q]!;
      const zy = z[off + yi]!;
      let sum = 0;
      for (let q = 0; q < C; q++) {
        const ez = Math.exp(z[off + q]! - max);
        z[off + q] = ez;
        sum += ez;
      }
      if (wi !== 0) loss += wi * (max + Math.log(sum) - zy);
      const g = wi / sum;
      for (let q = 0; q < C; q++) z[off + q] = z[off + q]! * g;
      z[off + yi] = z[off + yi]! - wi;
    }
    c = 0;
    for (; c + 1 < C; c += 2) {
      const r0 = z[c]!;
      const r1 = z[C + c]!;
      const r2 = z[2 * C + c]!;
      const r3 = z[3 * C + c]!;
      const q0 = z[c + 1]!;
      const q1 = z[C + c + 1]!;
      const q2 = z[2 * C + c + 1]!;
      const q3 = z[3 * C + c + 1]!;
      const go = c * stride;
      const gp = go + stride;
      const rs0 = r0 * scale;
      const rs1 = r1 * scale;
      const rs2 = r2 * scale;
      const rs3 = r3 * scale;
      const qs0 = q0 * scale;
      const qs1 = q1 * scale;
      const qs2 = q2 * scale;
      const qs3 = q3 * scale;
      for (let j = 0; j < F; j++) {
        const a = X[xa + j]!;
        const b = X[xb + j]!;
        const e = X[xc + j]!;
        const f = X[xd + j]!;
        grad[go + j]! += rs0 * a + rs1 * b + rs2 * e + rs3 * f;
        grad[gp + j]! += qs0 * a + qs1 * b + qs2 * e + qs3 * f;
      }
      grad[go + F]! += r0 + r1 + r2 + r3;
      grad[gp + F]! += q0 + q1 + q2 + q3;
    }
    if (c < C) {
      const r0 = z[c]!;
      const r1 = z[C + c]!;
      const r2 = z[2 * C + c]!;
      const r3 = z[3 * C + c]!;
      const go = c * stride;
      const rs0 = r0 * scale;
      const rs1 = r1 * scale;
      const rs2 = r2 * scale;
      const rs3 = r3 * scale;
      for (let j = 0; j < F; j++) grad[go + j]! += rs0 * X[xa + j]! + rs1 * X[xb + j]! + rs2 * X[xc + j]! + rs3 * X[xd + j]!;
      grad[go + F]! += r0 + r1 + r2 + r3;
    }
  }
  return loss;
}

/** Training rows in chunks of SharedArrayBuffers, so worker threads read them in place. */
export interface RowChunk {
  X: Int8Array;
  y: Uint16Array;
  sw: Float32Array;
  /** Rows filled. */
  n: number;
}

interface TrainingRows {
  n: number;
  F: number;
  C: number;
  chunks: RowChunk[];
}

/** A run of rows [from, to) of one chunk. */
interface Segment {
  chunk: number;
  from: number;
  to: number;
}

/** Rows [from, to) of the whole set as runs within chunks. */
function segments(chunks: readonly RowChunk[], from: number, to: number): Segment[] {
  const out: Segment[] = [];
  let base = 0;
  chunks.forEach((c, i) => {
    const a = Math.max(from, base);
    const b = Math.min(to, base + c.n);
    if (b > a) out.push({ chunk: i, from: a - base, to: b - base });
    base += c.n;
  });
  return out;
}

const CTL_GEN = 0;
const CTL_READY = 1;
const CTL_DONE = 2;
const CTL_ERROR = 3;

const WORKER_SOURCE = (kernel: string): string => `
'use strict';
var __name = (f) => f;
const { workerData } = require('node:worker_threads');
const kernel = (${kernel});
const d = workerData;
const parts = d.segments.map((s) => ({ X: new Int8Array(s.X), y: new Uint16Array(s.y), sw: new Float32Array(s.sw), from: s.from, to: s.to }));
const theta = new Float64Array(d.theta), grad = new Float64Array(d.grad), loss = new Float64Array(d.loss);
const ctl = new Int32Array(d.ctl);
const z = new Float64Array(4 * d.C);
Atomics.add(ctl, ${CTL_READY}, 1);
Atomics.notify(ctl, ${CTL_READY});
let seen = 0;
for (;;) {
  Atomics.wait(ctl, ${CTL_GEN}, seen);
  const gen = Atomics.load(ctl, ${CTL_GEN});
  if (gen < 0) break;
  seen = gen;
  try {
    grad.fill(0);
    let sum = 0;
    for (const p of parts) sum += kernel(p.X, d.F, p.y, p.sw, p.from, p.to, d.C, theta, grad, z, d.scale);
    loss[0] = sum;
  } catch (e) {
    Atomics.store(ctl, ${CTL_ERROR}, 1);
  }
  Atomics.add(ctl, ${CTL_DONE}, 1);
  Atomics.notify(ctl, ${CTL_DONE});
}
`;

interface GradientPool {
  /** Σ loss over all rows; the gradient (unnormalized) into grad. */
  evaluate(theta: Float64Array, grad: Float64Array): number;
  /** Threads currently computing (1 after a fallback). */
  threads(): number;
  close(): void;
}

/**
 * The gradient over all rows, split between this thread and `threads − 1` workers that share the
 * data. Synchronous: this thread computes its part and then waits (Atomics.wait) for the others.
 * Falls back to computing everything here if a worker does not start or fails.
 */
function gradientPool(rows: TrainingRows, threads: number): GradientPool {
  const { n, F, C, chunks } = rows;
  const P = C * (F + 1);
  const z = new Float64Array(4 * C);
  const run = (segs: readonly Segment[], theta: Float64Array, grad: Float64Array): number => {
    let loss = 0;
    for (const s of segs) {
      const c = chunks[s.chunk]!;
      loss += softmaxLossPart(c.X, F, c.y, c.sw, s.from, s.to, C, theta, grad, z, 1 / QUANT);
    }
    return loss;
  };
  const everything = segments(chunks, 0, n);
  const single: GradientPool = {
    evaluate: (theta, grad) => {
      grad.fill(0);
      return run(everything, theta, grad);
    },
    threads: () => 1,
    close: () => undefined,
  };
  const k = Math.min(threads, Math.floor(n / 64)) - 1;
  if (k < 1) return single;

  // Equal shares of the rows: this thread takes the first, each worker one of the others.
  const bounds = Array.from({ length: k + 2 }, (_, i) => Math.round((i * n) / (k + 1)));
  const mine = segments(chunks, 0, bounds[1]!);
  const ctlBuffer = new SharedArrayBuffer(4 * Int32Array.BYTES_PER_ELEMENT);
  const ctl = new Int32Array(ctlBuffer);
  const thetaShared = new Float64Array(new SharedArrayBuffer(P * 8));
  const parts: { grad: Float64Array; loss: Float64Array; worker: Worker }[] = [];
  const source = WORKER_SOURCE(softmaxLossPart.toString());
  for (let w = 0; w < k; w++) {
    const grad = new Float64Array(new SharedArrayBuffer(P * 8));
    const loss = new Float64Array(new SharedArrayBuffer(8));
    const segs = segments(chunks, bounds[w + 1]!, bounds[w + 2]!).map((s) => {
      const c = chunks[s.chunk]!;
      return { X: c.X.buffer, y: c.y.buffer, sw: c.sw.buffer, from: s.from, to: s.to };
    });
    const worker = new Worker(source, {
      eval: true,
      workerData: { segments: segs, theta: thetaShared.buffer, grad: grad.buffer, loss: loss.buffer, ctl: ctlBuffer, F, C, scale: 1 / QUANT },
    });
    worker.unref();
    parts.push({ grad, loss, worker });
  }
  const stop = (): void => {
    Atomics.store(ctl, CTL_GEN, -1);
    Atomics.notify(ctl, CTL_GEN);
    for (const p of parts) void p.worker.terminate();
  };
  // Wait (bounded) for every worker to come up; a worker that cannot start means no workers.
  const readyBy = performance.now() + 15_000;
  while (Atomics.load(ctl, CTL_READY) < k && performance.now() < readyBy) Atomics.wait(ctl, CTL_READY, Atomics.load(ctl, CTL_READY), 100);
  if (Atomics.load(ctl, CTL_READY) < k) {
    stop();
    return single;
  }
  let broken = false;
  return {
    evaluate(theta, grad) {
      if (broken) return single.evaluate(theta, grad);
      thetaShared.set(theta);
      Atomics.store(ctl, CTL_DONE, 0);
      Atomics.add(ctl, CTL_GEN, 1);
      Atomics.notify(ctl, CTL_GEN);
      grad.fill(0);
      let loss = run(mine, theta, grad);
      for (let done = Atomics.load(ctl, CTL_DONE); done < k; done = Atomics.load(ctl, CTL_DONE)) Atomics.wait(ctl, CTL_DONE, done, 1000);
      if (Atomics.load(ctl, CTL_ERROR) !== 0) {
        // A worker failed (e.g. the kernel's source could not run there): finish here from now on.
        broken = true;
        stop();
        return single.evaluate(theta, grad);
      }
      for (const p of parts) {
        loss += p.loss[0]!;
        const g = p.grad;
        for (let i = 0; i < P; i++) grad[i]! += g[i]!;
      }
      return loss;
    },
    threads: () => (broken ? 1 : k + 1),
    close: () => {
      if (!broken) stop();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Training
// ---------------------------------------------------------------------------------------------

/** The default fraction of O tokens to keep, given how many O and entity tokens there are. */
export function defaultOKeep(oTokens: number, entityTokens: number): number {
  const target = Math.max(MIN_O_ROWS, entityTokens);
  return oTokens <= target ? 1 : target / oTokens;
}

function checkExample(e: EntityExample, dim: number | null, index: number): number {
  const d = e.vectors[0]?.length ?? 0;
  if (e.vectors.length < e.tokens.length + 1 || d === 0)
    throw new Error(`entity head: example ${index} has ${e.vectors.length} vectors for ${e.tokens.length} tokens (expected [CLS] + tokens + [SEP])`);
  if (dim !== null && d !== dim) throw new Error(`entity head: example ${index} has ${d}-dim vectors, expected ${dim}`);
  for (const v of e.vectors) if (v.length !== d) throw new Error(`entity head: example ${index} mixes vector dimensions`);
  return d;
}

/** How the last `finish()` went. */
export interface EntityFitReport {
  /** Threads that computed the gradient (1 when workers were not used or could not start). */
  threads: number;
  iterations: number;
  evaluations: number;
  reason: string;
  /** Final objective (mean weighted cross-entropy + penalty). */
  loss: number;
  seconds: number;
}

/**
 * Builds an entity head from examples given one at a time, keeping only compact int8 rows: the
 * raw vectors of an example can be dropped as soon as `add` returns (after the first `statsRows`
 * rows, which are kept until the standardization has been measured on them).
 */
export class EntityHeadTrainer {
  readonly labels: string[];
  private readonly window: number;
  private readonly l2: number;
  private readonly maxIter: number;
  private readonly oKeep: number;
  private readonly threads: number | null;
  private readonly statsRows: number;
  private readonly rng: () => number;
  private readonly onIteration: EntityHeadOptions['onIteration'];
  private dim: number | null = null;
  private mean: Float32Array | null = null;
  private invStd: Float32Array | null = null;
  private pending: EntityExample[] = [];
  private pendingRows = 0;
  private chunks: RowChunk[] = [];
  private stats = { sentences: 0, tokens: 0, rows: 0, spans: 0 };
  private added = 0;
  private finished = false;
  /** Set by finish(). */
  report: EntityFitReport | null = null;

  constructor(labels: readonly string[], opts: EntityHeadOptions = {}) {
    if (new Set(labels).size !== labels.length) throw new Error('entity head: labels must be distinct');
    this.labels = [...labels];
    this.window = opts.window ?? 1;
    if (!Number.isInteger(this.window) || this.window < 0 || this.window > 8) throw new Error(`entity head: window must be an integer in 0…8`);
    this.l2 = opts.l2 ?? DEFAULT_ENTITY_L2;
    if (!(this.l2 >= 0) || !Number.isFinite(this.l2)) throw new Error(`entity head: l2 must be a finite number >= 0`);
    this.maxIter = opts.maxIter ?? DEFAULT_ENTITY_MAX_ITER;
    this.oKeep = opts.oKeep ?? 1;
    if (!(this.oKeep > 0 && this.oKeep <= 1)) throw new Error(`entity head: oKeep must be in (0, 1], got ${this.oKeep}`);
    this.threads = opts.threads === undefined ? null : Math.max(1, Math.floor(opts.threads));
    this.statsRows = opts.statsRows ?? 20_000;
    this.rng = mulberry32(opts.seed ?? 1);
    this.onIteration = opts.onIteration;
  }

  private get C(): number {
    return 1 + 4 * this.labels.length;
  }

  private get F(): number {
    return (this.dim ?? 0) * (2 * this.window + 1);
  }

  add(example: EntityExample): void {
    if (this.finished) throw new Error('entity head: the trainer has finished');
    this.dim = checkExample(example, this.dim, this.added++);
    this.stats.sentences++;
    this.stats.tokens += example.tokens.length;
    if (!this.mean) {
      this.pending.push(example);
      this.pendingRows += example.vectors.length;
      if (this.pendingRows >= this.statsRows) this.fitStandardization();
      return;
    }
    this.store(example);
  }

  /** Mean and 1/sd per dimension over every row of the pending examples; then stores them. */
  private fitStandardization(): void {
    const dim = this.dim ?? 0;
    const sum = new Float64Array(dim);
    const sq = new Float64Array(dim);
    let count = 0;
    for (const e of this.pending) {
      for (const v of e.vectors) {
        for (let j = 0; j < dim; j++) {
          const x = v[j]!;
          sum[j]! += x;
          sq[j]! += x * x;
        }
        count++;
      }
    }
    this.mean = new Float32Array(dim);
    this.invStd = new Float32Array(dim);
    for (let j = 0; j < dim; j++) {
      const m = count > 0 ? sum[j]! / count : 0;
      const variance = count > 1 ? Math.max(0, sq[j]! / count - m * m) : 0;
      this.mean[j] = m;
      this.invStd[j] = variance > 1e-12 ? 1 / Math.sqrt(variance) : 1;
    }
    const pending = this.pending;
    this.pending = [];
    for (const e of pending) this.store(e);
  }

  /** Rows go straight into shared memory, in chunks, so training needs no second copy. */
  private newChunk(): RowChunk {
    const capacity = CHUNK_ROWS;
    const chunk: RowChunk = {
      X: new Int8Array(new SharedArrayBuffer(capacity * this.F)),
      y: new Uint16Array(new SharedArrayBuffer(capacity * 2)),
      sw: new Float32Array(new SharedArrayBuffer(capacity * 4)),
      n: 0,
    };
    this.chunks.push(chunk);
    return chunk;
  }

  /** Standardizes, quantizes and stores the rows of one example that are kept. */
  private store(example: EntityExample): void {
    const { tokens, vectors } = example;
    const tags = bioToBioes(encodeBio(tokens, example.spans, this.labels));
    const dim = this.dim ?? 0;
    const F = this.F;
    const W = this.window;
    const mean = this.mean!;
    const invStd = this.invStd!;
    const oWeight = 1 / this.oKeep;
    this.stats.spans += tags.filter((t) => t > 0 && ((t - 1) % 4 === B || (t - 1) % 4 === S)).length;
    // Quantized rows of this example, computed once each, reused by the windows that need them.
    const q: (Int8Array | null)[] = new Array<Int8Array | null>(vectors.length).fill(null);
    const rowOf = (r: number): Int8Array | null => {
      if (r < 0 || r >= vectors.length) return null;
      let out = q[r];
      if (!out) {
        out = new Int8Array(dim);
        const v = vectors[r]!;
        for (let j = 0; j < dim; j++) {
          const s = Math.round((v[j]! - mean[j]!) * invStd[j]! * QUANT);
          out[j] = s > 127 ? 127 : s < -127 ? -127 : s;
        }
        q[r] = out;
      }
      return out;
    };
    for (let t = 0; t < tokens.length; t++) {
      const tag = tags[t]!;
      if (tag === 0 && this.oKeep < 1 && this.rng() >= this.oKeep) continue;
      let chunk = this.chunks[this.chunks.length - 1];
      if (!chunk || chunk.n === chunk.y.length) chunk = this.newChunk();
      const o = chunk.n * F;
      for (let k = -W; k <= W; k++) {
        const row = rowOf(t + 1 + k);
        if (row) chunk.X.set(row, o + (k + W) * dim); // else zeros: the mean
      }
      chunk.y[chunk.n] = tag;
      chunk.sw[chunk.n] = tag === 0 ? oWeight : 1;
      chunk.n++;
      this.stats.rows++;
    }
  }

  /** Trains on everything added and returns the head. The trainer cannot be used afterwards. */
  finish(): EntityHead {
    const { head, report } = fitEntityHead(this.prepare(), this.onIteration);
    this.report = report;
    return head;
  }

  /**
   * Everything the fit needs, with the training rows still in shared memory: a plain object that
   * can be posted to a worker thread (fitEntityHead there) so the fit never blocks this thread.
   * The trainer cannot be used afterwards.
   */
  prepare(): EntityFitJob {
    if (this.finished) throw new Error('entity head: the trainer has finished');
    if (!this.mean) {
      if (this.dim === null) throw new Error('entity head: no examples to train on');
      this.fitStandardization();
    }
    this.finished = true;
    const chunks = this.chunks;
    this.chunks = [];
    return {
      labels: [...this.labels],
      dim: this.dim!,
      window: this.window,
      mean: this.mean!,
      invStd: this.invStd!,
      stats: { ...this.stats },
      chunks,
      l2: this.l2,
      maxIter: this.maxIter,
      threads: this.threads,
    };
  }
}

/** A prepared fit: see EntityHeadTrainer.prepare. */
export interface EntityFitJob {
  labels: string[];
  dim: number;
  window: number;
  mean: Float32Array;
  invStd: Float32Array;
  stats: EntityHead['trainedOn'];
  chunks: RowChunk[];
  l2: number;
  maxIter: number;
  threads: number | null;
}

/** The head a prepared job gives with these weights. */
export function headFromJob(job: EntityFitJob, weights: Float32Array): EntityHead {
  return {
    kind: 'entity-head',
    version: 1,
    scheme: 'BIOES',
    labels: [...job.labels],
    tags: bioesTagNames(job.labels),
    dim: job.dim,
    window: job.window,
    mean: job.mean,
    invStd: job.invStd,
    weights,
    trainedOn: { ...job.stats },
  };
}

/** Fits the head's weights by L-BFGS on a prepared job (on this thread; its gradient may use worker threads). */
export function fitEntityHead(job: EntityFitJob, onIteration?: EntityHeadOptions['onIteration']): { head: EntityHead; report: EntityFitReport } {
  const { labels, dim, window, l2 } = job;
  const F = dim * (2 * window + 1);
  const C = 1 + 4 * labels.length;
  const n = job.stats.rows;
  const head = (weights: Float32Array): EntityHead => headFromJob(job, weights);
  if (n === 0 || labels.length === 0) {
    // Nothing to learn from: a head that never predicts a span (O always wins).
    const weights = new Float32Array(C * (F + 1));
    for (let c = 1; c < C; c++) weights[c * (F + 1) + F] = -10;
    return { head: head(weights), report: { threads: 1, iterations: 0, evaluations: 0, reason: 'no rows', loss: 0, seconds: 0 } };
  }
  const rows: TrainingRows = { n, F, C, chunks: job.chunks };
  let sumW = 0;
  for (const c of rows.chunks) for (let i = 0; i < c.n; i++) sumW += c.sw[i]!;

  const stride = F + 1;
  const threads = job.threads ?? (n * F * C >= PARALLEL_MIN_WORK ? Math.min(4, availableParallelism()) : 1);
  const pool = gradientPool(rows, threads);
  const started = performance.now();
  try {
    const objective: ObjectiveFn = (theta, grad) => {
      let loss = pool.evaluate(theta, grad) / sumW;
      const inv = 1 / sumW;
      let penalty = 0;
      for (let c = 0; c < C; c++) {
        const o = c * stride;
        for (let j = 0; j < F; j++) {
          const w = theta[o + j]!;
          penalty += w * w;
          grad[o + j] = grad[o + j]! * inv + l2 * w;
        }
        grad[o + F] = grad[o + F]! * inv;
      }
      loss += 0.5 * l2 * penalty;
      return loss;
    };
    const res = minimizeLbfgs(objective, new Float64Array(C * stride), {
      maxIter: job.maxIter,
      gradTol: 1e-5,
      relTol: 1e-7,
      onIteration: (info) => onIteration?.({ iteration: info.iteration, loss: info.f, seconds: (performance.now() - started) / 1000 }),
    });
    const report: EntityFitReport = {
      threads: pool.threads(),
      iterations: res.iterations,
      evaluations: res.evaluations,
      reason: res.reason,
      loss: res.f,
      seconds: (performance.now() - started) / 1000,
    };
    return { head: head(Float32Array.from(res.x)), report };
  } finally {
    pool.close();
  }
}

/** The share of O tokens to keep for these examples' tags (defaultOKeep over their O and entity tokens). */
export function oKeepFor(examples: Iterable<{ tokens: readonly AlignedToken[]; spans: readonly Span[] }>, labels: readonly string[]): number {
  let entity = 0;
  let other = 0;
  for (const e of examples) {
    for (const t of encodeBio(e.tokens, e.spans, labels)) {
      if (t === 0) other++;
      else entity++;
    }
  }
  return defaultOKeep(other, entity);
}

/**
 * Trains an entity head on labeled examples (all in memory; for large sets feed an
 * EntityHeadTrainer one example at a time instead). `labels` fixes the tag order; spans with other
 * labels are ignored.
 */
export function trainEntityHead(examples: readonly EntityExample[], labels: readonly string[], opts: EntityHeadOptions = {}): EntityHead {
  const oKeep = opts.oKeep ?? oKeepFor(examples, labels);
  const trainer = new EntityHeadTrainer(labels, { ...opts, oKeep });
  for (const e of examples) trainer.add(e);
  return trainer.finish();
}

// ---------------------------------------------------------------------------------------------
// Prediction
// ---------------------------------------------------------------------------------------------

/** log p(tag | token) for every token: tokens.length × tags, row-major. */
export function tagLogProbs(head: EntityHead, vectors: readonly Float32Array[], tokens: readonly AlignedToken[]): Float64Array {
  const { dim, window: W, mean, invStd, weights } = head;
  const C = head.tags.length;
  const F = dim * (2 * W + 1);
  const stride = F + 1;
  const T = tokens.length;
  if (vectors.length < T + 1) throw new Error(`entity head: ${vectors.length} vectors for ${T} tokens (expected [CLS] + tokens + [SEP])`);
  for (const v of vectors) if (v.length !== dim) throw new Error(`entity head: expects ${dim}-dim vectors, got ${v.length}`);
  // Partial scores of every row for every window position: part[(r · (2W+1) + k) · C + c].
  const R = vectors.length;
  const K = 2 * W + 1;
  const part = new Float64Array(R * K * C);
  const zrow = new Float64Array(dim);
  for (let r = 0; r < R; r++) {
    const v = vectors[r]!;
    for (let j = 0; j < dim; j++) zrow[j] = (v[j]! - mean[j]!) * invStd[j]!;
    for (let k = 0; k < K; k++) {
      // Row r is at window position k for token t = r − 1 − (k − W); skip if no token has it there.
      const t = r - 1 - (k - W);
      if (t < 0 || t >= T) continue;
      for (let c = 0; c < C; c++) {
        const o = c * stride + k * dim;
        let s0 = 0;
        let s1 = 0;
        let j = 0;
        for (; j + 1 < dim; j += 2) {
          s0 += weights[o + j]! * zrow[j]!;
          s1 += weights[o + j + 1]! * zrow[j + 1]!;
        }
        if (j < dim) s0 += weights[o + j]! * zrow[j]!;
        part[(r * K + k) * C + c] = s0 + s1;
      }
    }
  }
  const out = new Float64Array(T * C);
  for (let t = 0; t < T; t++) {
    let max = -Infinity;
    for (let c = 0; c < C; c++) {
      let s = weights[c * stride + F]!;
      for (let k = 0; k < K; k++) {
        const r = t + 1 + k - W;
        if (r >= 0 && r < R) s += part[(r * K + k) * C + c]!;
      }
      out[t * C + c] = s;
      if (s > max) max = s;
    }
    let sum = 0;
    for (let c = 0; c < C; c++) sum += Math.exp(out[t * C + c]! - max);
    const lse = max + Math.log(sum);
    for (let c = 0; c < C; c++) out[t * C + c] = out[t * C + c]! - lse;
  }
  return out;
}

export interface PredictedEntity extends Span {
  /** Mean probability of the decoded tags over the span's tokens (0…1). */
  score: number;
}

/** Spans with a confidence: Viterbi under the BIOES constraints, then decoded through bio.ts. */
export function predictEntitySpans(
  head: EntityHead,
  vectors: readonly Float32Array[],
  tokens: readonly AlignedToken[],
  text: string,
): PredictedEntity[] {
  const C = head.tags.length;
  const T = tokens.length;
  if (T === 0 || head.labels.length === 0) return [];
  const lp = tagLogProbs(head, vectors, tokens);
  const tags = viterbiBioes(lp, T, C);
  const spans = decodeBio(tokens, bioesToBio(tags), head.labels, text);
  // Per-span score: mean tag probability over the tokens the span covers.
  return spans.map((s) => {
    let sum = 0;
    let count = 0;
    for (let t = 0; t < T; t++) {
      const tok = tokens[t]!;
      if (tok.end <= s.start || tok.start >= s.end || tags[t] === 0) continue;
      sum += Math.exp(lp[t * C + tags[t]!]!);
      count++;
    }
    return { ...s, score: count > 0 ? sum / count : 0 };
  });
}

/** The spans the head finds in one text (code points, end-exclusive), never overlapping or malformed. */
export function predictEntities(head: EntityHead, vectors: readonly Float32Array[], tokens: readonly AlignedToken[], text: string): Span[] {
  return predictEntitySpans(head, vectors, tokens, text).map(({ start, end, label }) => ({ start, end, label }));
}

// ---------------------------------------------------------------------------------------------
// Serialization
// ---------------------------------------------------------------------------------------------

export interface EntityHeadJson {
  kind: 'entity-head';
  version: 1;
  scheme: 'BIOES';
  labels: string[];
  dim: number;
  window: number;
  /** Float32 little-endian, base64. */
  mean: string;
  invStd: string;
  weights: string;
  trainedOn: EntityHead['trainedOn'];
}

function floatsToBase64(a: Float32Array): string {
  const bytes = Buffer.alloc(a.length * 4);
  for (let i = 0; i < a.length; i++) bytes.writeFloatLE(a[i]!, i * 4);
  return bytes.toString('base64');
}

function base64ToFloats(s: string, expected: number, what: string): Float32Array {
  const bytes = Buffer.from(s, 'base64');
  if (bytes.length !== expected * 4) throw new Error(`entity head: ${what} has ${bytes.length / 4} values, expected ${expected}`);
  const out = new Float32Array(expected);
  for (let i = 0; i < expected; i++) out[i] = bytes.readFloatLE(i * 4);
  return out;
}

export function entityHeadToJson(head: EntityHead): EntityHeadJson {
  return {
    kind: head.kind,
    version: head.version,
    scheme: head.scheme,
    labels: [...head.labels],
    dim: head.dim,
    window: head.window,
    mean: floatsToBase64(head.mean),
    invStd: floatsToBase64(head.invStd),
    weights: floatsToBase64(head.weights),
    trainedOn: { ...head.trainedOn },
  };
}

/** Parses what entityHeadToJson wrote (object or JSON text); throws on anything else. */
export function entityHeadFromJson(json: EntityHeadJson | string): EntityHead {
  const o = (typeof json === 'string' ? JSON.parse(json) : json) as Partial<EntityHeadJson>;
  if (o.kind !== 'entity-head' || o.version !== 1 || o.scheme !== 'BIOES') throw new Error('entity head: not an entity head (kind/version/scheme)');
  if (!Array.isArray(o.labels) || !o.labels.every((l) => typeof l === 'string')) throw new Error('entity head: labels missing');
  const dim = o.dim;
  const window = o.window;
  if (!Number.isInteger(dim) || dim! < 1 || !Number.isInteger(window) || window! < 0) throw new Error('entity head: bad dim/window');
  if (typeof o.mean !== 'string' || typeof o.invStd !== 'string' || typeof o.weights !== 'string') throw new Error('entity head: arrays missing');
  const C = 1 + 4 * o.labels.length;
  const F = dim! * (2 * window! + 1);
  const t = o.trainedOn ?? { sentences: 0, tokens: 0, rows: 0, spans: 0 };
  return {
    kind: 'entity-head',
    version: 1,
    scheme: 'BIOES',
    labels: [...o.labels],
    tags: bioesTagNames(o.labels),
    dim: dim!,
    window: window!,
    mean: base64ToFloats(o.mean, dim!, 'mean'),
    invStd: base64ToFloats(o.invStd, dim!, 'invStd'),
    weights: base64ToFloats(o.weights, C * (F + 1), 'weights'),
    trainedOn: { sentences: t.sentences, tokens: t.tokens, rows: t.rows, spans: t.spans },
  };
}
