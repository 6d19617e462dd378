import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { AppError } from '../../../shared/contract/errors';

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
  readonly modelId: string;
  private readonly dir: string;
  private worker: Worker | null = null;
  private loading: Promise<void> | null = null;
  private status: ModelStatus | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();

  constructor(private readonly options: ModelHostOptions) {
    this.modelId = options.modelName ?? DEFAULT_MODEL;
    this.dir = join(options.modelRoot, ...this.modelId.split('/'));
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

  /** Sentence vectors (CLS-pooled, L2-normalized), in batches; stops between batches when aborted. */
  async embed(texts: string[], signal?: AbortSignal): Promise<Float32Array[]> {
    await this.ready();
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += BATCH) {
      if (signal?.aborted) throw new AppError('CANCELLED', 'cancelled');
      const batch = texts.slice(i, i + BATCH);
      const { data, dims } = (await this.request({ type: 'embed', texts: batch, pooling: 'cls' })) as { data: Float32Array; dims: number[] };
      const dim = dims[dims.length - 1]!;
      for (let j = 0; j < batch.length; j++) out.push(data.slice(j * dim, (j + 1) * dim));
    }
    return out;
  }

  /** One vector per model token ([CLS] first, [SEP] last) of one text. */
  async tokenVectors(text: string): Promise<Float32Array[]> {
    await this.ready();
    const { data, dims } = (await this.request({ type: 'embed', texts: [text], pooling: 'none' })) as { data: Float32Array; dims: number[] };
    const tokens = dims[1]!;
    const dim = dims[2]!;
    return Array.from({ length: tokens }, (_, t) => data.slice(t * dim, (t + 1) * dim));
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    this.loading = null;
    if (worker) await worker.terminate();
  }

  private ready(): Promise<void> {
    const status = this.check();
    if (status.state !== 'ready') return Promise.reject(new AppError('MODEL_UNAVAILABLE', status.message, { state: status.state }));
    this.loading ??= this.start().catch((error: unknown) => {
      this.loading = null;
      throw new AppError('MODEL_UNAVAILABLE', `the model could not be loaded: ${(error as Error).message}`, { state: 'error' });
    });
    return this.loading;
  }

  private async start(): Promise<void> {
    const worker = spawnWorker();
    this.worker = worker;
    worker.on('message', (m: { id: number; ok: boolean; value?: unknown; error?: string }) => {
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (m.ok) p?.resolve(m.value);
      else p?.reject(new Error(m.error));
    });
    worker.on('error', (error) => this.failAll(error));
    worker.on('exit', () => this.failAll(new Error('the model worker stopped')));
    worker.unref();
    await this.request({ type: 'load', modelDir: this.options.modelRoot, modelName: this.modelId });
  }

  private request(message: object): Promise<unknown> {
    const worker = this.worker;
    if (!worker) return Promise.reject(new Error('the model worker is not running'));
    const id = this.nextId++;
    worker.ref();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, ...message });
    }).finally(() => {
      if (this.pending.size === 0) worker.unref();
    });
  }

  private failAll(error: Error): void {
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
  }
}

/** The built worker next to the bundle (Electron), or the TypeScript source through tsx (CLI, tests). */
function spawnWorker(): Worker {
  const built = join(__dirname, 'model.worker.js');
  if (existsSync(built)) return new Worker(built);
  const source = resolve(__dirname, '..', '..', 'workers', 'model.worker.ts');
  return new Worker(`require('tsx/cjs/api').register(); require(${JSON.stringify(source)});`, { eval: true });
}
