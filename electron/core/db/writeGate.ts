/**
 * Interactive work before background writes, across the threads of one process.
 *
 * SQLite has one write lock per database. A background job that commits chunk after chunk holds it
 * most of the time, and SQLite's own busy handler polls (1, 2, 5 … ms sleeps), so a labeling write
 * arriving meanwhile waits milliseconds or, against a job that takes the lock right back, starves.
 * The gate lets the core thread say "I am serving a call": a background writer does not begin a
 * chunk while one is served or within QUIET_MS of the last one (the renderer sends a decision and
 * then asks for the next item), checks the flag between rows, and commits what it has early when
 * it turns up. The gate is advisory: SQLite's lock still guards the data, and the core thread never
 * waits on the gate longer than MAX_INTERACTIVE_WAIT_MS (a job thread that died holding it cannot
 * block labeling).
 */

const WAITING = 0; // calls being served by the core thread (and its writes waiting)
const HOLDING = 1; // 1 while a background writer is inside a transaction
const INT_SLOTS = 2;

export const MAX_INTERACTIVE_WAIT_MS = 200;
/** A background writer keeps this far from the end of the core thread's last call. */
export const QUIET_MS = 2;
/** How long a background writer sleeps before it looks again. */
const BACKGROUND_POLL_MS = 20;

export class WriteGate {
  private readonly state: Int32Array;
  /** Date.now() when the core thread last finished a call. */
  private readonly lastLeave: BigInt64Array;

  constructor(readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(16)) {
    this.state = new Int32Array(buffer, 0, INT_SLOTS);
    this.lastLeave = new BigInt64Array(buffer, 8, 1);
  }

  /** The core thread starts serving a call: background writers step aside until it is done. */
  enter(): void {
    Atomics.add(this.state, WAITING, 1);
  }

  leave(): void {
    Atomics.store(this.lastLeave, 0, BigInt(Date.now()));
    Atomics.sub(this.state, WAITING, 1);
    Atomics.notify(this.state, WAITING);
  }

  /** Runs an interactive write once no background writer is inside a transaction. */
  interactive<T>(fn: () => T): T {
    this.enter();
    try {
      const until = performance.now() + MAX_INTERACTIVE_WAIT_MS;
      while (Atomics.load(this.state, HOLDING) === 1) {
        const left = until - performance.now();
        if (left <= 0) break;
        Atomics.wait(this.state, HOLDING, 1, Math.min(left, 5));
      }
      return fn();
    } finally {
      this.leave();
    }
  }

  /** True while the core thread serves a call: a background writer should commit and step aside. */
  readonly interactiveWaiting = (): boolean => Atomics.load(this.state, WAITING) > 0;

  /**
   * Runs fn as a background write once the core thread is idle (and has been for QUIET_MS); fn
   * should end its transaction early when `interactiveWaiting()` turns true. Waits without
   * blocking the thread's event loop.
   */
  async background<T>(fn: () => T): Promise<T> {
    for (;;) {
      const waiting = Atomics.load(this.state, WAITING);
      if (waiting > 0) {
        // The timer also keeps the thread's event loop alive: a pending waitAsync alone does not.
        await Promise.race([Atomics.waitAsync(this.state, WAITING, waiting, BACKGROUND_POLL_MS).value, sleep(BACKGROUND_POLL_MS)]);
        continue;
      }
      const quiet = QUIET_MS - (Date.now() - Number(Atomics.load(this.lastLeave, 0)));
      if (quiet > 0) {
        await sleep(quiet);
        continue;
      }
      if (this.tryHold()) break;
    }
    try {
      return fn();
    } finally {
      this.release();
    }
  }

  /** The blocking form of background(), for a job thread's short writes outside its chunk loop. */
  backgroundSync<T>(fn: () => T): T {
    for (;;) {
      const waiting = Atomics.load(this.state, WAITING);
      if (waiting > 0) Atomics.wait(this.state, WAITING, waiting, BACKGROUND_POLL_MS);
      else if (this.tryHold()) break;
    }
    try {
      return fn();
    } finally {
      this.release();
    }
  }

  /** Clears a hold left by a background thread that stopped inside a write. */
  release(): void {
    Atomics.store(this.state, HOLDING, 0);
    Atomics.notify(this.state, HOLDING);
  }

  /** Holding first, then looking for the core thread: one of the two always sees the other. */
  private tryHold(): boolean {
    Atomics.store(this.state, HOLDING, 1);
    if (Atomics.load(this.state, WAITING) === 0) return true;
    this.release();
    return false;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
