import type { Worker } from 'node:worker_threads';
import { EncodedValue } from '../../../shared/contract/encoded';
import { AppError, type Result } from '../../../shared/contract/errors';
import type { ForwardedGrant, JobLane } from '../context';
import type { WriteGate } from '../db/writeGate';
import { spawnWorker } from '../threads/spawnWorker';
import type { ThreadReply } from '../threads/messages';

export interface JobThreadConfig {
  dbPath: string;
  nativeBinding?: string | undefined;
  modelRoot?: string | undefined;
  /** The app version (named in export bundles). */
  version?: string | undefined;
  signingKeyPem?: string | undefined;
  gate: WriteGate;
  /** The owner's calls in flight: job loops pause for them (threads/interactiveCalls.ts). */
  interactiveCalls?: SharedArrayBuffer | undefined;
  onEvent(event: string, payload: unknown): void;
  onInternalError(where: string, error: unknown): void;
}

/**
 * One job thread (electron/workers/job.worker.ts): the core again, over its own connection, on a
 * thread of lower priority, answering the long channels of one lane. Started on first use; when it
 * stops, its pending calls fail with a clear error and the next call starts a new one.
 */
export class JobThread {
  private worker: Worker | null = null;
  private ready: Promise<void> | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, (r: Result<unknown>) => void>();
  private readonly checkpoints = new Map<number, (r: { walFrames: number; checkpointed: number }) => void>();
  /** Set by halt(): the database is damaged, so threads started from now on open it read-only. */
  private readonly = false;

  constructor(
    readonly lane: JobLane,
    private readonly config: JobThreadConfig,
  ) {}

  get running(): boolean {
    return this.worker !== null;
  }

  async call(channel: string, input: unknown, grants: ForwardedGrant[] = []): Promise<Result<unknown>> {
    let worker: Worker;
    try {
      worker = await this.start();
    } catch (error) {
      if (error instanceof AppError) return { ok: false, error: error.toPayload() };
      return { ok: false, error: { code: 'INTERNAL', message: `the ${this.lane} job thread did not start: ${(error as Error).message}` } };
    }
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      worker.ref();
      worker.postMessage({ type: 'invoke', id, channel, input, grants });
    });
  }

  /** Starts the thread if it is not running (recovery work begins at its start). */
  start(): Promise<Worker> {
    if (this.worker && this.ready) return this.ready.then(() => this.worker!);
    const worker = spawnWorker('job', {
      workerData: {
        lane: this.lane,
        dbPath: this.config.dbPath,
        nativeBinding: this.config.nativeBinding,
        modelRoot: this.config.modelRoot,
        version: this.config.version,
        signingKeyPem: this.config.signingKeyPem,
        gate: this.config.gate.buffer,
        interactiveCalls: this.config.interactiveCalls,
        readonly: this.readonly,
      },
    });
    this.worker = worker;
    worker.unref();
    this.ready = new Promise<void>((resolve, reject) => {
      worker.on('message', (m: ThreadReply) => {
        if (m.type === 'ready') resolve();
        else if (m.type === 'fatal') reject(new AppError(m.error.code, m.error.message, m.error.details));
        else if (m.type === 'event') this.config.onEvent(m.event, m.payload);
        else if (m.type === 'result') this.settle(m.id, m.result);
        else if (m.type === 'encoded') this.settle(m.id, { ok: true, value: new EncodedValue(m.bytes) });
        else if (m.type === 'checkpointed') {
          this.checkpoints.get(m.id)?.({ walFrames: m.walFrames, checkpointed: m.checkpointed });
          this.checkpoints.delete(m.id);
          if (this.pending.size === 0 && this.checkpoints.size === 0) this.worker?.unref();
        }
      });
      worker.on('error', (error) => {
        this.config.onInternalError(`${this.lane} job thread`, error);
        reject(error);
      });
      worker.on('exit', (code) => {
        if (this.worker === worker) {
          this.worker = null;
          this.ready = null;
        }
        // A thread that stopped inside a background write must not keep labeling waiting.
        this.config.gate.release();
        reject(new Error(`the ${this.lane} job thread stopped (exit code ${code})`));
        this.failAll(`the ${this.lane} job thread stopped (exit code ${code}); try again`);
      });
    });
    this.ready.catch(() => undefined);
    return this.ready.then(() => worker);
  }

  /** A PASSIVE WAL checkpoint on this thread's connection: [frames in the WAL, frames copied]. */
  async checkpoint(): Promise<{ walFrames: number; checkpointed: number }> {
    const worker = await this.start();
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.checkpoints.set(id, resolve);
      worker.ref();
      worker.postMessage({ type: 'checkpoint', id });
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage({ type: 'close', id: 0 });
    const timer = setTimeout(() => void worker.terminate(), 10_000);
    await exited;
    clearTimeout(timer);
  }

  /** Stops the thread at once (SQLite rolls back a transaction it was in); later starts open the database read-only. */
  async halt(): Promise<void> {
    this.readonly = true;
    const worker = this.worker;
    if (worker) await worker.terminate();
  }

  private settle(id: number, result: Result<unknown>): void {
    this.pending.get(id)?.(result);
    this.pending.delete(id);
    if (this.pending.size === 0 && this.checkpoints.size === 0) this.worker?.unref();
  }

  private failAll(message: string): void {
    for (const resolve of this.pending.values()) resolve({ ok: false, error: { code: 'INTERNAL', message } });
    this.pending.clear();
    for (const resolve of this.checkpoints.values()) resolve({ walFrames: -1, checkpointed: -1 });
    this.checkpoints.clear();
  }
}
