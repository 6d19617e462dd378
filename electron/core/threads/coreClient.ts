import type { Worker } from 'node:worker_threads';
import { EncodedValue } from '../../../shared/contract/encoded';
import { AppError, type AppErrorPayload, type Result } from '../../../shared/contract/errors';
import type { ForwardedGrant } from '../context';
import type { DatabaseOptions } from '../handlers/database';
import { runsInBackground } from '../jobs/backgroundChannels';
import { InteractiveCalls } from './interactiveCalls';
import { spawnWorker } from './spawnWorker';
import type { ThreadReply, ThreadRequest } from './messages';

export interface CoreThreadOptions {
  dbPath: string;
  nativeBinding?: string | undefined;
  modelRoot?: string | undefined;
  version?: string | undefined;
  /** Creates the demo project from this file on first start. */
  demoFile?: string | undefined;
  /** false: long channels run on the core thread too (for measuring what the job threads buy). */
  jobThreads?: boolean;
  /** Durability, startup check and automatic backups (defaults: see handlers/database.ts). */
  database?: Omit<DatabaseOptions, 'onCorrupt' | 'role' | 'readonly'>;
  /** The workstation's signing key, read by the shell from the OS keystore (else the core keeps one in a file beside the database). */
  signingKeyPem?: string | undefined;
}

/** What electron/workers/core.worker.ts is started with. */
export interface CoreThreadData extends CoreThreadOptions {
  interactiveCalls: SharedArrayBuffer;
}

type Pending = (reply: ThreadReply) => void;

/** Channels after which the core thread stops (the database file was replaced under it). */
const REOPENS: ReadonlySet<string> = new Set(['database.restoreBackup', 'database.moveAside']);

/**
 * The core on a thread of its own (electron/workers/core.worker.ts), seen from the thread that
 * owns it: Electron's main process, the end-to-end harness and the benchmarks talk to the core
 * through this one boundary. dispatch() always resolves to a Result; if the core thread stops, its
 * pending calls fail with a clear error and the next call starts it again.
 */
export class CoreClient {
  private worker: Worker | null = null;
  private starting: Promise<void> | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** Job threads step aside while these are in flight (threads/interactiveCalls.ts). */
  private readonly interactive = new InteractiveCalls();

  private constructor(
    private readonly options: CoreThreadOptions,
    private readonly onEvent: (event: string, payload: unknown) => void,
  ) {}

  /** Starts the core thread and waits until its database is open (rejects with the core's error, e.g. DB_TOO_NEW). */
  static async start(options: CoreThreadOptions, onEvent: (event: string, payload: unknown) => void = () => {}): Promise<CoreClient> {
    const client = new CoreClient(options, onEvent);
    await client.ensureStarted();
    return client;
  }

  async dispatch(channel: string, input: unknown): Promise<Result<unknown>> {
    try {
      await this.ensureStarted();
    } catch (error) {
      return { ok: false, error: payloadOf(error) };
    }
    const worker = this.worker!;
    const interactive = !runsInBackground(channel, input);
    if (interactive) this.interactive.begin();
    let reply: ThreadReply;
    try {
      reply = await this.request({ type: 'invoke', id: 0, channel, input });
    } finally {
      if (interactive) this.interactive.end();
    }
    const result: Result<unknown> =
      reply.type === 'encoded'
        ? { ok: true, value: new EncodedValue(reply.bytes).decode() }
        : reply.type === 'result'
          ? reply.result
          : { ok: false, error: { code: 'INTERNAL', message: 'the core did not answer' } };
    // After a restore the core thread stops by itself: wait for it, so the next call starts a new one over the new file.
    if (result.ok && REOPENS.has(channel)) await this.exited(worker);
    return result;
  }

  private exited(worker: Worker): Promise<void> {
    if (this.worker !== worker) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => void worker.terminate(), 30_000);
      worker.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Hands the core a path the user chose in a shell dialog; the renderer gets the token. */
  async grant(path: string, purpose: ForwardedGrant['purpose']): Promise<string> {
    await this.ensureStarted();
    const reply = await this.request({ type: 'grant', id: 0, path, purpose });
    if (reply.type !== 'granted') throw new Error('the core did not grant the file');
    return reply.token;
  }

  /** Lets running jobs reach a safe point, closes the database, and ends the thread. */
  async close(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    this.worker = null;
    this.starting = null;
    worker.postMessage({ type: 'close', id: 0 } satisfies ThreadRequest);
    const timer = setTimeout(() => void worker.terminate(), 30_000);
    await exited;
    clearTimeout(timer);
  }

  private ensureStarted(): Promise<void> {
    this.starting ??= this.spawn();
    return this.starting;
  }

  private spawn(): Promise<void> {
    const workerData: CoreThreadData = { ...this.options, interactiveCalls: this.interactive.buffer };
    const worker = spawnWorker('core', { workerData });
    this.worker = worker;
    return new Promise<void>((resolve, reject) => {
      worker.on('message', (m: ThreadReply) => {
        if (m.type === 'ready') resolve();
        else if (m.type === 'fatal') {
          reject(new AppError(m.error.code, m.error.message, m.error.details));
          void worker.terminate();
        } else if (m.type === 'event') this.onEvent(m.event, m.payload);
        else if ('id' in m) {
          this.pending.get(m.id)?.(m);
          this.pending.delete(m.id);
        }
      });
      worker.on('error', (error) => reject(error));
      worker.on('exit', (code) => {
        if (this.worker === worker) {
          this.worker = null;
          this.starting = null;
        }
        reject(new Error(`the core thread stopped (exit code ${code})`));
        for (const settle of this.pending.values()) {
          settle({ type: 'result', id: 0, result: { ok: false, error: { code: 'INTERNAL', message: `the core stopped (exit code ${code}); try again` } } });
        }
        this.pending.clear();
      });
    }).catch((error: unknown) => {
      this.starting = null;
      throw error;
    });
  }

  private request(message: ThreadRequest): Promise<ThreadReply> {
    const worker = this.worker!;
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      worker.postMessage({ ...message, id });
    });
  }
}

function payloadOf(error: unknown): AppErrorPayload {
  return error instanceof AppError ? error.toPayload() : { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
}
