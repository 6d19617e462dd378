import { ProcessClient } from './processClient';

/**
 * The one model process of this app. The transformer runs in a child process at a lower priority:
 * its CPU-heavy work never delays the thread that serves the UI (on a two-core machine, a worker
 * thread competed with it for a core), a crash of the ONNX runtime cannot take the app down, and
 * the runtime's native add-on, which loads only once per process, is loaded once.
 */
let current: ProcessClient | null = null;

export function modelWorker(): ProcessClient {
  current ??= new ProcessClient('model');
  return current;
}
