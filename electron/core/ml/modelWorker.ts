import { WorkerClient } from './workerClient';

/**
 * The one model worker of this process. The ONNX runtime's native add-on can be loaded only once per
 * process ("Module did not self-register" on a second worker), so every ModelHost shares this worker
 * and it is never terminated.
 */
let current: WorkerClient | null = null;

export function modelWorker(): WorkerClient {
  current ??= new WorkerClient('model', () => {
    current = null;
  });
  return current;
}
