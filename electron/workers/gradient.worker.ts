/**
 * One thread of the entity head's gradient pool (ml/entities/gradientPool.ts): for each gradient
 * the pool starts, the loss and gradient over this worker's rows, into shared memory. Started by the
 * pool's supervisor (gradientSupervisor.worker.ts), which reports it if it stops.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { DONE, GEN, READY, TERMINATE_ME, signal, type GradientFault, type GradientWorkerData } from '../core/ml/entities/gradientProtocol';
import { runsLoss } from '../core/ml/entities/softmaxLoss';
import { lowerThreadPriority } from '../core/threads/priority';

// Long CPU work: the thread that serves labeling goes first (threads/priority.ts).
lowerThreadPriority();

const { runs, F, C, theta, grad, loss, ctl, fault } = workerData as GradientWorkerData;
const z = new Float64Array(4 * C);

function injectFault(at: GradientFault['at']): void {
  if (fault?.at !== at) return;
  if (fault.how === 'exit') process.exit(3);
  if (fault.how === 'exit0') process.exit(0);
  if (fault.how === 'throw') throw new Error(`injected fault at ${at}`);
  parentPort?.postMessage(TERMINATE_ME);
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
}

injectFault('start');
signal(ctl, READY);
let seen = 0;
for (;;) {
  Atomics.wait(ctl, GEN, seen);
  const gen = Atomics.load(ctl, GEN);
  if (gen < 0) break;
  if (gen === seen) continue;
  seen = gen;
  injectFault('gradient');
  grad.fill(0);
  loss[0] = runsLoss(runs, F, C, theta, grad, z);
  signal(ctl, DONE);
}
