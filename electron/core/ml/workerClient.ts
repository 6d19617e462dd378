import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Worker, type Transferable } from 'node:worker_threads';
import { PendingRequests, type WorkerReply } from './pendingRequests';

/**
 * Request/reply over one worker thread: each request gets an id, the worker answers
 * {id, ok, value | error}. The worker is unref'd while idle so it never keeps the process alive.
 */
export class WorkerClient {
  private readonly worker: Worker;
  private readonly pending = new PendingRequests();

  constructor(
    name: string,
    private readonly onExit: () => void = () => undefined,
  ) {
    this.worker = spawnWorker(name);
    this.worker.on('message', (m: WorkerReply) => {
      this.pending.settle(m);
      if (this.pending.size === 0) this.worker.unref();
    });
    this.worker.on('error', (error) => this.pending.failAll(error));
    this.worker.on('exit', () => {
      this.pending.failAll(new Error(`the ${name} worker stopped`));
      this.onExit();
    });
    this.worker.unref();
  }

  request(message: object, transfer: readonly Transferable[] = []): Promise<unknown> {
    const { id, reply } = this.pending.open();
    this.worker.ref();
    this.worker.postMessage({ id, ...message }, [...transfer]);
    return reply;
  }
}

/** The built worker `<name>.worker.js` next to the bundle (Electron), or its TypeScript source through tsx (CLI, tests). */
function spawnWorker(name: string): Worker {
  const built = join(__dirname, `${name}.worker.js`);
  if (existsSync(built)) return new Worker(built);
  const source = resolve(__dirname, '..', '..', 'workers', `${name}.worker.ts`);
  return new Worker(`require('tsx/cjs/api').register(); require(${JSON.stringify(source)});`, { eval: true });
}
