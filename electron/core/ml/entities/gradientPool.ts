import { spawnWorker } from '../../threads/spawnWorker';
import {
  CONTROL_WORDS,
  DONE,
  EVENTS,
  GEN,
  READY,
  REASON_BYTES,
  stopReason,
  type GradientFault,
  type GradientSupervisorData,
} from './gradientProtocol';
import { runsLoss } from './softmaxLoss';
import { rowRuns, type TrainingRows } from './trainingRows';

export interface GradientPool {
  /** Σ loss over all rows; the gradient (unnormalized) into grad. Throws once a worker has stopped. */
  evaluate(theta: Float64Array, grad: Float64Array): number;
  threads(): number;
  close(): void;
}

/** A supervisor that cannot even load cannot say so: the pool gives up waiting for it after this long. */
const START_TIMEOUT_MS = 60_000;

export interface GradientPoolOptions {
  /** Default START_TIMEOUT_MS. */
  startTimeoutMs?: number;
  /** Test hook: see GradientFault. */
  fault?: GradientFault;
}

/**
 * The gradient over all rows, split between this thread and `threads − 1` workers that share the
 * data. Synchronous: this thread computes its part and then waits (Atomics.wait) for the others. A
 * supervisor thread starts the workers and records in shared memory when one stops (at start,
 * during a gradient, between gradients), so the wait ends with an error naming the worker, never hangs.
 */
export function gradientPool(rows: TrainingRows, threads: number, options: GradientPoolOptions = {}): GradientPool {
  const { n, F, C, chunks } = rows;
  const z = new Float64Array(4 * C);
  const k = Math.min(threads, Math.floor(n / 64)) - 1;
  if (k < 1) {
    const everything = rowRuns(chunks, 0, n);
    return {
      evaluate: (theta, grad) => {
        grad.fill(0);
        return runsLoss(everything, F, C, theta, grad, z);
      },
      threads: () => 1,
      close: () => undefined,
    };
  }

  // Equal shares of the rows: this thread takes the first, each worker one of the others.
  const P = C * (F + 1);
  const bounds = Array.from({ length: k + 2 }, (_, i) => Math.round((i * n) / (k + 1)));
  const mine = rowRuns(chunks, 0, bounds[1]!);
  const ctl = new Int32Array(new SharedArrayBuffer(CONTROL_WORDS * Int32Array.BYTES_PER_ELEMENT));
  const reason = new Uint8Array(new SharedArrayBuffer(REASON_BYTES));
  const theta = new Float64Array(new SharedArrayBuffer(P * 8));
  const workers = Array.from({ length: k }, (_, w) => ({
    runs: rowRuns(chunks, bounds[w + 1]!, bounds[w + 2]!),
    F,
    C,
    theta,
    grad: new Float64Array(new SharedArrayBuffer(P * 8)),
    loss: new Float64Array(new SharedArrayBuffer(8)),
  }));
  const data: GradientSupervisorData = { workers, ctl, reason, fault: options.fault };
  const supervisor = spawnWorker('gradientSupervisor', { workerData: data });
  supervisor.unref();
  const close = (): void => {
    Atomics.store(ctl, GEN, -1);
    Atomics.notify(ctl, GEN);
    void supervisor.terminate();
  };

  const throwIfStopped = (when: string): void => {
    const stopped = stopReason(ctl, reason);
    if (stopped !== null) throw new Error(`entity head: ${stopped} ${when}`);
  };
  /** Waits until `done()` (false if `deadline`, a performance.now() time, passes first); throws as soon as a thread has stopped. */
  const waitUntil = (done: () => boolean, when: string, deadline = Infinity): boolean => {
    for (;;) {
      const events = Atomics.load(ctl, EVENTS);
      throwIfStopped(when);
      if (done()) return true;
      const left = deadline - performance.now();
      if (left <= 0) return false;
      Atomics.wait(ctl, EVENTS, events, left);
    }
  };

  const startTimeout = options.startTimeoutMs ?? START_TIMEOUT_MS;
  try {
    if (!waitUntil(() => Atomics.load(ctl, READY) >= k, 'before the workers were ready', performance.now() + startTimeout)) {
      throw new Error(`entity head: the gradient workers did not start within ${startTimeout / 1000} s`);
    }
  } catch (error) {
    close();
    throw error;
  }
  let generation = 0;
  return {
    evaluate(x, grad) {
      throwIfStopped('between gradients');
      theta.set(x);
      generation++;
      Atomics.store(ctl, DONE, 0);
      Atomics.store(ctl, GEN, generation);
      Atomics.notify(ctl, GEN);
      grad.fill(0);
      let loss = runsLoss(mine, F, C, x, grad, z);
      waitUntil(() => Atomics.load(ctl, DONE) >= k, `during gradient ${generation}`);
      for (const w of workers) {
        loss += w.loss[0]!;
        const g = w.grad;
        for (let i = 0; i < P; i++) grad[i]! += g[i]!;
      }
      return loss;
    },
    threads: () => k + 1,
    close,
  };
}
