import type { Worker } from 'node:worker_threads';
import type { DB } from '../../db/open';
import { watchedInteractiveCalls } from '../../threads/interactiveCalls';
import { spawnWorker } from '../../threads/spawnWorker';
import { readRange, type RangeColumns, type RangeQuery } from './readRange';

/** Below this many items one thread reads everything: a worker's start costs more than it saves. */
export const PARALLEL_MIN_ITEMS = 30_000;

export interface ReportReadOptions {
  /** Whether a big project is read by this thread and a worker thread at once. Default true. */
  parallel?: boolean;
  /** better-sqlite3's native binding for the worker's connection (Electron's ABI is not Node's). */
  nativeBinding?: string | undefined;
}

/** What electron/workers/reportReader.worker.ts is started with. */
export interface ReportReaderData {
  dbPath: string;
  nativeBinding: string | undefined;
  interactiveCalls?: SharedArrayBuffer | undefined;
}

/** A worker thread with its own read-only connection, started early, that reads the pages it is given. */
export interface RangeReader {
  /** Its answer, or a rejection saying why it stopped without one. Call once. */
  read(q: RangeQuery): Promise<RangeColumns>;
  close(): void;
}

/** Starts a reader for a big project (it opens its connection while this thread prepares the query); null for small ones. */
export function startRangeReader(db: DB, items: number, options: Pick<ReportReadOptions, 'nativeBinding'> = {}): RangeReader | null {
  if (items < PARALLEL_MIN_ITEMS || db.memory) return null;
  const workerData: ReportReaderData = { dbPath: db.name, nativeBinding: options.nativeBinding, interactiveCalls: watchedInteractiveCalls() };
  return rangeReader(spawnWorker('reportReader', { workerData }));
}

/**
 * A reader over a started worker. However the worker ends without answering (it throws, exits with
 * any code, is terminated, before or after it got the query), `read` rejects with the reason.
 */
export function rangeReader(worker: Worker): RangeReader {
  const result = new Promise<RangeColumns>((resolve, reject) => {
    worker.once('message', (m: RangeColumns) => resolve(m));
    // The first line: a module error's require stack says nothing to whoever reads the log.
    worker.once('error', (error) => reject(new Error(`the report reader thread failed: ${error.message.split('\n')[0]}`)));
    worker.once('exit', (code) => reject(new Error(`the report reader thread stopped without an answer (exit code ${code})`)));
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

const warnFallback = (reason: string): void => console.warn(`[report] ${reason}; this thread read its half too`);

/**
 * Reads the pages: with a reader, it takes the second half while this thread reads the first; the
 * halves come back in page order. If the reader fails, this thread reads its half too and
 * `onFallback` hears why.
 */
export async function readPages(
  db: DB,
  q: RangeQuery,
  reader: RangeReader | null,
  onFallback: (reason: string) => void = warnFallback,
): Promise<RangeColumns[]> {
  if (!reader || q.pages.length < 2) {
    reader?.close();
    return [readRange(db, q)];
  }
  const half = Math.ceil(q.pages.length / 2);
  const second = { ...q, pages: q.pages.slice(half) };
  try {
    const theirs = reader.read(second);
    const first = readRange(db, { ...q, pages: q.pages.slice(0, half) });
    try {
      return [first, await theirs];
    } catch (error) {
      onFallback(error instanceof Error ? error.message : String(error));
      return [first, readRange(db, second)];
    }
  } finally {
    reader.close();
  }
}
