/**
 * Starts the gradient pool's workers and reports in shared memory when one stops. The pool cannot
 * watch them itself: it waits for them in Atomics.wait, and a thread blocked there never hears of a
 * worker's 'exit' or 'error'. This thread does nothing else, so its event loop is always free.
 */
import { workerData } from 'node:worker_threads';
import { GEN, TERMINATE_ME, recordStop, type GradientSupervisorData } from '../core/ml/entities/gradientProtocol';
import { spawnWorker } from '../core/threads/spawnWorker';
import { lowerThreadPriority } from '../core/threads/priority';

// Long CPU work: the thread that serves labeling goes first (threads/priority.ts).
lowerThreadPriority();

const { workers, ctl, reason, fault } = workerData as GradientSupervisorData;

function report(text: string): void {
  // After the pool's close (GEN −1) threads stop on purpose.
  if (Atomics.load(ctl, GEN) >= 0) recordStop(ctl, reason, text);
}

process.on('exit', (code) => report(`the gradient supervisor stopped (exit code ${code})`));

try {
  workers.forEach((data, i) => {
    const name = `gradient worker ${i + 1} of ${workers.length}`;
    const worker = spawnWorker('gradient', { workerData: { ...data, ctl, fault: fault?.worker === i ? fault : undefined } });
    worker.on('message', (m) => m === TERMINATE_ME && void worker.terminate());
    worker.on('error', (error) => report(`${name} failed: ${error.message}`));
    worker.on('exit', (code) => report(`${name} stopped (exit code ${code})`));
  });
} catch (error) {
  report(`the gradient workers could not be started: ${error instanceof Error ? error.message : String(error)}`);
  throw error;
}
