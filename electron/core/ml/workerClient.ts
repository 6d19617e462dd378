import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Worker, type Transferable } from 'node:worker_threads';

/**
 * Request/reply over one worker thread: each request gets an id, the worker answers
 * {id, ok, value | error}. The worker is unref'd while idle so it never keeps the process alive.
 */
export class WorkerClient {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();

  constructor(
    name: string,
    private readonly onExit: () => void = () => undefined,
  ) {
    this.worker = spawnWorker(name);
    this.worker.on('message', (m: { id: number; ok: boolean; value?: unknown; error?: string }) => {
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (this.pending.size === 0) this.worker.unref();
      if (m.ok) p?.resolve(m.value);
      else p?.reject(new Error(m.error));
    });
    this.worker.on('error', (error) => this.failAll(error));
    this.worker.on('exit', () => {
      this.failAll(new Error(`the ${name} worker stopped`));
      this.onExit();
    });
    this.worker.unref();
  }

  request(message: object, transfer: readonly Transferable[] = []): Promise<unknown> {
    const id = this.nextId++;
    this.worker.ref();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, ...message }, [...transfer]);
    });
  }

  private failAll(error: Error): void {
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
  }
}

/** The built worker `<name>.worker.js` next to the bundle (Electron), or its TypeScript source through tsx (CLI, tests). */
function spawnWorker(name: string): Worker {
  const built = join(__dirname, `${name}.worker.js`);
  if (existsSync(built)) return new Worker(built);
  const source = resolve(__dirname, '..', '..', 'workers', `${name}.worker.ts`);
  return new Worker(`require('tsx/cjs/api').register(); require(${JSON.stringify(source)});`, { eval: true });
}
