import type { Span } from '../../../../shared/domain/spans';
import { mulberry32 } from '../metrics';
import { encodeBio } from './bio';
import { beginsSpan, bioToBioes } from './bioes';
import { fitEntityHead, type EntityFitJob, type EntityFitReport } from './fitHead';
import { DEFAULT_ENTITY_L2, DEFAULT_ENTITY_MAX_ITER, type EntityExample, type EntityHead, type EntityHeadOptions } from './tokenHead';
import type { AlignedToken } from './tokens';
import { QUANT, type RowChunk } from './trainingRows';

/** O rows are never subsampled below this many. */
export const MIN_O_ROWS = 20_000;
/** Rows per shared-memory chunk of training data. */
const CHUNK_ROWS = 4096;

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
    this.stats.spans += tags.filter(beginsSpan).length;
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
