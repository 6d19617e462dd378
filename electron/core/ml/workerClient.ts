import type { Transferable, Worker } from 'node:worker_threads';
import { spawnWorker } from '../threads/spawnWorker';
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
