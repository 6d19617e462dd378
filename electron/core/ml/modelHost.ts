import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AppError } from '../../../shared/contract/errors';
import type { TokenBatch } from './entities/tokenBatch';
import { modelWorker } from './modelWorker';

export const DEFAULT_MODEL = 'BAAI/bge-small-zh-v1.5';
/** sha256 of the files DESIGN.md §5 names, for the default model; another folder is taken as it is. */
export const DEFAULT_MODEL_SHA256: Record<string, string> = {
  'onnx/model_quantized.onnx': '15b717c382bcb518ba457b93ea6850ede7f4f1cd8937454aa06972366cd19bcc',
  'tokenizer.json': '48cea5d44424912a6fd1ea647bf4fe50b55ab8b1e5879c3275f80e339e8fae26',
};
const REQUIRED_FILES = ['onnx/model_quantized.onnx', 'tokenizer.json', 'config.json'];
const BATCH = 32;

export type ModelState = 'missing' | 'corrupt' | 'ready';
export interface ModelStatus {
  state: ModelState;
  modelId: string;
  dir: string;
  message: string;
}

export interface ModelHostOptions {
  /** Folder holding <org>/<name>/… (transformers.js' localModelPath). */
  modelRoot: string;
  modelName?: string;
  /** Checksums to verify; defaults to the known sums for the default model, none for others. */
  sha256?: Record<string, string> | null;
}

/** The default place of model files: resources/models in the repository or the packaged app. */
export function defaultModelRoot(): string {
  const fromSource = resolve(__dirname, '..', '..', '..', 'resources', 'models');
  return existsSync(fromSource) ? fromSource : resolve(__dirname, '..', '..', 'resources', 'models');
}

/**
 * The local transformer, hosted in a worker thread so the thread that serves IPC never runs it.
 * Checks its files before first use and says clearly what is missing or corrupt.
 */
export class ModelHost {
  modelId: string;
  private dir: string;
  private loading: Promise<void> | null = null;
  private status: ModelStatus | null = null;

  constructor(private options: ModelHostOptions) {
    this.modelId = options.modelName ?? DEFAULT_MODEL;
    this.dir = join(options.modelRoot, ...this.modelId.split('/'));
  }

  /** Points the host at another transformers.js-compatible model folder; checked again on next use. */
  reconfigure(options: ModelHostOptions): ModelStatus {
    this.options = options;
    this.modelId = options.modelName ?? DEFAULT_MODEL;
    this.dir = join(options.modelRoot, ...this.modelId.split('/'));
    this.status = null;
    this.loading = null;
    return this.check();
  }

  /** Whether the model files are there and intact (checked once; sha256 of 24 MB takes ~0.1 s). */
  check(): ModelStatus {
    if (this.status) return this.status;
    const base = { modelId: this.modelId, dir: this.dir };
    const missing = REQUIRED_FILES.filter((f) => !existsSync(join(this.dir, f)));
    if (missing.length) {
      this.status = { ...base, state: 'missing', message: `model files missing in ${this.dir}: ${missing.join(', ')}. Run \`npm run fetch-model\`.` };
      return this.status;
    }
    const sums = this.options.sha256 === undefined ? (this.modelId === DEFAULT_MODEL ? DEFAULT_MODEL_SHA256 : null) : this.options.sha256;
    for (const [file, sum] of Object.entries(sums ?? {})) {
      const path = join(this.dir, file);
      if (statSync(path).size === 0 || createHash('sha256').update(readFileSync(path)).digest('hex') !== sum) {
        this.status = { ...base, state: 'corrupt', message: `${path} is corrupt (sha256 does not match). Run \`npm run fetch-model\` again.` };
        return this.status;
      }
    }
    this.status = { ...base, state: 'ready', message: `${this.modelId} (int8 ONNX) in ${this.dir}` };
    return this.status;
  }

  /**
   * Sentence vectors (CLS-pooled, L2-normalized), in input order; stops between batches when aborted.
   * Texts are batched shortest first so a batch pads to about its own length (`inputOrder` batches
   * them as given, the way a plain pipeline call would).
   */
  async embed(texts: string[], signal?: AbortSignal, options: { inputOrder?: boolean } = {}): Promise<Float32Array[]> {
    await this.ready();
    const order = options.inputOrder ? texts.map((_, i) => i) : lengthOrder(texts);
    const out: Float32Array[] = new Array<Float32Array>(texts.length);
    await inBatches(order, signal, async (picked) => {
      const { data, dims } = (await this.request({ type: 'embed', texts: picked.map((k) => texts[k]!), pooling: 'cls' })) as {
        data: Float32Array;
        dims: number[];
      };
      const dim = dims[dims.length - 1]!;
      // Views, not copies: the batch's buffer is kept while any of its vectors is.
      picked.forEach((k, j) => (out[k] = data.subarray(j * dim, (j + 1) * dim)));
    });
    return out;
  }

  /**
   * Sentence vectors (as `embed` gives them, in input order) and every token's vector, from one model
   * run per batch. The token rows stay in their padded batches (see entities/predictBatch.ts), which
   * hold the texts shortest first: `order[k]` is the input index of the k-th text over the batches.
   */
  async embedWithTokens(texts: string[], signal?: AbortSignal): Promise<{ vectors: Float32Array[]; batches: TokenBatch[]; order: number[] }> {
    await this.ready();
    const order = lengthOrder(texts);
    const vectors: Float32Array[] = new Array<Float32Array>(texts.length);
    const batches: TokenBatch[] = [];
    await inBatches(order, signal, async (picked, b) => {
      const batch = picked.map((k) => texts[k]!);
      const { data, dims } = (await this.request({ type: 'embed', texts: batch, pooling: 'none' })) as { data: Float32Array; dims: number[] };
      const [, rows, dim] = dims as [number, number, number];
      // What CLS pooling with normalization gives: row 0 of each text, unit length.
      picked.forEach((k, j) => (vectors[k] = unitLength(data.slice(j * rows * dim, j * rows * dim + dim))));
      batches[b] = { texts: batch, data, dims: [batch.length, rows, dim] };
    });
    return { vectors, batches, order };
  }

  /** One vector per model token ([CLS] first, [SEP] last) of one text. */
  async tokenVectors(text: string): Promise<Float32Array[]> {
    await this.ready();
    const { data, dims } = (await this.request({ type: 'embed', texts: [text], pooling: 'none' })) as { data: Float32Array; dims: number[] };
    const tokens = dims[1]!;
    const dim = dims[2]!;
    return Array.from({ length: tokens }, (_, t) => data.slice(t * dim, (t + 1) * dim));
  }

  /** Nothing to stop: the worker is shared by the process and idles unref'd. */
  async close(): Promise<void> {
    this.loading = null;
  }

  private ready(): Promise<void> {
    const status = this.check();
    if (status.state !== 'ready') return Promise.reject(new AppError('MODEL_UNAVAILABLE', status.message, { state: status.state }));
    this.loading ??= this.request({ type: 'load' })
      .then(() => undefined)
      .catch((error: unknown) => {
        this.loading = null;
        throw new AppError('MODEL_UNAVAILABLE', `the model could not be loaded: ${(error as Error).message}`, { state: 'error' });
      });
    return this.loading;
  }

  private request(message: object): Promise<unknown> {
    return modelWorker().request({ ...message, modelDir: this.options.modelRoot, modelName: this.modelId });
  }
}

/** Requests in flight at once: the worker always has the next batch queued while this thread takes a reply. */
const IN_FLIGHT = 2;

/**
 * Runs `run` on consecutive batches of `order` with up to IN_FLIGHT of them outstanding, so the
 * model never idles waiting for this thread; stops starting batches once `signal` is aborted.
 */
async function inBatches(order: number[], signal: AbortSignal | undefined, run: (picked: number[], batch: number) => Promise<void>): Promise<void> {
  const total = Math.ceil(order.length / BATCH);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < total) {
      if (signal?.aborted) throw new AppError('CANCELLED', 'cancelled');
      const b = next++;
      await run(order.slice(b * BATCH, (b + 1) * BATCH), b);
    }
  };
  await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, total) }, lane));
}

/** Indices of the texts, shortest first (UTF-16 length: close enough to the token count to batch by). */
function lengthOrder(texts: readonly string[]): number[] {
  return texts.map((_, i) => i).sort((a, b) => texts[a]!.length - texts[b]!.length || a - b);
}

function unitLength(v: Float32Array): Float32Array {
  let norm = 0;
  for (let i = 0; i < v.length; i++) norm += v[i]! * v[i]!;
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < v.length; i++) v[i]! /= norm;
  return v;
}
