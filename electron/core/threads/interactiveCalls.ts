/**
 * Calls in flight between the thread that owns the core (Electron's main thread, the harness, a
 * benchmark) and the core thread, counted in shared memory so job threads can see them.
 *
 * On a machine with few cores a job thread that keeps scanning while a labeling call crosses the
 * thread boundary delays it, whatever its priority: it holds a core when the call's reply wakes up,
 * and its V8 and SQLite work share caches and helper threads with the core thread (measured: the
 * labeling loop's p95 doubled while a report and an import ran). So job loops stop at safe points
 * (between pages, batches and chunks) for as long as an interactive call is in flight, and the
 * labeling loop's calls, a millisecond each, go through alone. A job never waits longer than
 * MAX_PAUSE_MS at one point, so a burst of calls slows it but cannot stop it.
 */

const IN_FLIGHT = 0;
export const MAX_PAUSE_MS = 100;

/** The owner's side: counts the calls it sends to the core thread that run there. */
export class InteractiveCalls {
  private readonly count: Int32Array;

  constructor(readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(4)) {
    this.count = new Int32Array(buffer);
  }

  begin(): void {
    Atomics.add(this.count, IN_FLIGHT, 1);
  }

  end(): void {
    Atomics.sub(this.count, IN_FLIGHT, 1);
    Atomics.notify(this.count, IN_FLIGHT);
  }
}

let watched: Int32Array | null = null;

/** A job thread starts watching the owner's calls (never the core thread: it would wait for itself). */
export function watchInteractiveCalls(buffer: SharedArrayBuffer | undefined): void {
  watched = buffer ? new Int32Array(buffer) : null;
}

/** The buffer this thread watches, to hand to the threads it starts. */
export function watchedInteractiveCalls(): SharedArrayBuffer | undefined {
  return watched ? (watched.buffer as SharedArrayBuffer) : undefined;
}

/** At a job's safe point: waits while interactive calls are in flight (at most MAX_PAUSE_MS). */
export function pauseForInteractiveCalls(): void {
  const count = watched;
  if (!count) return;
  let inFlight = Atomics.load(count, IN_FLIGHT);
  if (inFlight <= 0) return;
  const until = performance.now() + MAX_PAUSE_MS;
  while (inFlight > 0) {
    const left = until - performance.now();
    if (left <= 0) return;
    Atomics.wait(count, IN_FLIGHT, inFlight, left);
    inFlight = Atomics.load(count, IN_FLIGHT);
  }
}
