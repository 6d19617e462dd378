import { Worker } from 'node:worker_threads';
import type { DB } from '../../db/open';
import { readRange, type RangeColumns, type RangeQuery } from './readRange';

/** The SQLite driver's entry, for the worker to load (resolved on first use, not at start-up). */
let driver: string | null = null;

/** Below this many items one thread reads everything: a worker's start costs more than it saves. */
export const PARALLEL_MIN_ITEMS = 30_000;

/** A worker thread with its own read-only connection, started early, that reads the pages it is given. */
export interface RangeReader {
  read(q: RangeQuery): Promise<RangeColumns>;
  close(): void;
}

/** Starts a reader for a big project (it opens its connection while this thread prepares the query); null for small ones. */
export function startRangeReader(db: DB, items: number): RangeReader | null {
  if (items < PARALLEL_MIN_ITEMS || db.memory) return null;
  const source = `
'use strict';
var __name = (f) => f;
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const readRange = (${readRange.toString()});
const db = new Database(workerData.dbPath, { readonly: true, fileMustExist: true });
parentPort.once('message', (query) => {
  try {
    const out = readRange(db, query);
    const buffers = Object.values(out).filter((v) => ArrayBuffer.isView(v)).map((a) => a.buffer);
    parentPort.postMessage(out, buffers);
  } finally {
    db.close();
  }
});
`;
  // Plain JavaScript: the worker needs none of the parent's loader flags (tsx in development).
  driver ??= require.resolve('better-sqlite3');
  const worker = new Worker(source, { eval: true, execArgv: [], workerData: { dbPath: db.name, driver } });
  const result = new Promise<RangeColumns>((resolve, reject) => {
    worker.once('message', (m: RangeColumns) => resolve(m));
    worker.once('error', reject);
    worker.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`report reader exited with ${code}`))));
  });
  result.catch(() => undefined);
  return {
    read(q) {
      worker.postMessage(q);
      return result;
    },
    close() {
      void worker.terminate();
    },
  };
}

/**
 * Reads the pages: with a reader, it takes the second half while this thread reads the first; the
 * halves come back in page order. If the worker fails, this thread reads its half too.
 */
export async function readPages(db: DB, q: RangeQuery, reader: RangeReader | null): Promise<RangeColumns[]> {
  if (!reader || q.pages.length < 2) {
    reader?.close();
    return [readRange(db, q)];
  }
  const half = Math.ceil(q.pages.length / 2);
  const second = { ...q, pages: q.pages.slice(half) };
  const theirs = reader.read(second);
  const first = readRange(db, { ...q, pages: q.pages.slice(0, half) });
  try {
    return [first, await theirs];
  } catch {
    return [first, readRange(db, second)];
  }
}
