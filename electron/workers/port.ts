import { parentPort, type Transferable } from 'node:worker_threads';

/** How a worker script talks to its client, whether it runs as a worker thread or as a child process. */
export interface WorkerPort {
  onMessage<T>(handler: (message: T) => void): void;
  post(message: object, transfer?: Transferable[]): void;
}

export function workerPort(): WorkerPort | null {
  if (parentPort) {
    const port = parentPort;
    return { onMessage: (h) => void port.on('message', h), post: (m, transfer = []) => port.postMessage(m, transfer) };
  }
  if (process.send) {
    // A child process ends with its parent: nothing else would stop it.
    process.on('disconnect', () => process.exit(0));
    return { onMessage: (h) => void process.on('message', h as (m: unknown) => void), post: (m) => process.send!(m) };
  }
  return null;
}
