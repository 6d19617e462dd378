/**
 * Reads the second half of a big project's report pages (services/reports/parallelRead.ts) over its
 * own read-only connection, which it opens while the calling thread prepares the query. Request: one
 * RangeQuery; reply: its RangeColumns, typed arrays transferred. Then it closes and ends.
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import type { ReportReaderData } from '../core/services/reports/parallelRead';
import { readRange, type RangeQuery } from '../core/services/reports/readRange';
import { lowerThreadPriority } from '../core/threads/priority';
import { watchInteractiveCalls } from '../core/threads/interactiveCalls';

// Long CPU work: the thread that serves labeling goes first (threads/priority.ts).
lowerThreadPriority();

const { dbPath, nativeBinding, interactiveCalls } = workerData as ReportReaderData;
watchInteractiveCalls(interactiveCalls);
const db = new Database(dbPath, { readonly: true, fileMustExist: true, ...(nativeBinding ? { nativeBinding } : {}) });
parentPort?.once('message', (query: RangeQuery) => {
  try {
    const out = readRange(db, query);
    const buffers = Object.values(out).flatMap((v) => (ArrayBuffer.isView(v) ? [v.buffer as ArrayBuffer] : []));
    parentPort?.postMessage(out, buffers);
  } finally {
    db.close();
  }
});
