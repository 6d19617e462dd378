import type { DB } from '../../db/open';
import { writeGateOf, writeTransaction } from '../../db/write';
import { pauseForInteractiveCalls } from '../../threads/interactiveCalls';

/**
 * A transaction's steps end after this long: another process (the CLI next to the app) waits for
 * the write lock at most about this much.
 */
const MAX_TRANSACTION_MS = 100;

/**
 * Writes `count` things `step` at a time (write(from, to) for each step), in as few transactions as
 * the app's interactive calls allow: each commit syncs the log (milliseconds), so a transaction goes
 * on to its next step as long as no call of the core thread waits for the write lock (see
 * db/writeGate.ts) and for at most MAX_TRANSACTION_MS; between transactions, interactive calls go first.
 */
export function writeInSteps(db: DB, count: number, step: number, write: (from: number, to: number) => void): void {
  const gate = writeGateOf(db)?.gate;
  let i = 0;
  while (i < count) {
    writeTransaction(db, () => {
      const until = performance.now() + MAX_TRANSACTION_MS;
      do {
        write(i, Math.min(i + step, count));
        i += step;
      } while (i < count && !gate?.interactiveWaiting() && performance.now() < until);
    });
    if (i < count) pauseForInteractiveCalls();
  }
}
