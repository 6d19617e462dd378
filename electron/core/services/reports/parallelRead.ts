import { Worker } from 'node:worker_threads';
import type { DB } from '../../db/open';
import { readRange, type RangeColumns, type RangeQuery } from './readRange';

/** The SQLite driver's entry, for the worker to load (resolved once, not per report). */
let driver: string | null = null;

/** Below this many annotations one thread reads them all: a worker's start costs more than it saves. */
export const PARALLEL_MIN_ROWS = 150_000;

/**
 * Reads the pages with this thread and, for big projects, a worker thread with its own read-only
 * connection at the same time (each half of the pages); the halves come back in page order.
 */
export async function readPages(db: DB, q: RangeQuery, expectedRows: number): Promise<RangeColumns[]> {
  if (expectedRows < PARALLEL_MIN_ROWS || q.pages.length < 2 || db.memory) return [readRange(db, q)];
  const half = Math.ceil(q.pages.length / 2);
  const second = { ...q, pages: q.pages.slice(half) };
  const worker = startWorker(db.name, second);
  const first = readRange(db, { ...q, pages: q.pages.slice(0, half) });
  try {
    return [first, await worker];
  } catch {
    // The worker could not run (e.g. no native module there): read the rest here.
    return [first, readRange(db, second)];
  }
}

function startWorker(dbPath: string, q: RangeQuery): Promise<RangeColumns> {
  const source = `
'use strict';
var __name = (f) => f;
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const readRange = (${readRange.toString()});
const db = new Database(workerData.dbPath, { readonly: true, fileMustExist: true });
try {
  const out = readRange(db, workerData.query);
  const buffers = [out.starts, out.annotator, out.intents, out.sentiment, out.day, out.firstIntents, out.firstSentiment, out.flags, out.submits, out.activeMs].map((a) => a.buffer);
  parentPort.postMessage(out, buffers);
} finally {
  db.close();
}
`;
  return new Promise((resolve, reject) => {
    driver ??= require.resolve('better-sqlite3');
    const worker = new Worker(source, { eval: true, workerData: { dbPath, query: q, driver } });
    worker.once('message', (m: RangeColumns) => resolve(m));
    worker.once('error', reject);
    worker.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`report reader exited with ${code}`))));
  });
}
