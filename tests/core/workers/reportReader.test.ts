/**
 * The report's reader thread (electron/workers/reportReader.worker.ts): it opens its connection with
 * the native binding it is given, and however it dies (at start, on the query, terminated mid-read,
 * exit code 0 without an answer) `read` rejects with the reason and readPages reads that half on
 * this thread instead, never waiting forever.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openDatabase } from '../../../electron/core/db/open';
import { buildProjectReport } from '../../../electron/core/services/reports';
import { PARALLEL_MIN_ITEMS, rangeReader, readPages, startRangeReader, type RangeReader } from '../../../electron/core/services/reports/parallelRead';
import { readRange, type RangeQuery } from '../../../electron/core/services/reports/readRange';
import { tsxBootstrap } from '../../../electron/core/threads/spawnWorker';
import { writeReportsProject } from '../../bench/reports-data';
import { freshDir } from '../helpers';
import type { ReaderDeath } from './fixtures/dyingReader';

const NODE_BINDING = createRequire(__filename).resolve('better-sqlite3/build/Release/better_sqlite3.node');
const BOGUS_BINDING = '/nonexistent/better_sqlite3.node';

/** A file database with rows shaped like the report query's: item, annotator | flags << 10, intent, level, spans, timing, first decision. */
function toyDatabase(): Database.Database {
  const db = new Database(path.join(freshDir('annot-reader-'), 'toy.db'));
  db.exec('CREATE TABLE t (item TEXT, packed INTEGER, intent, level, spans TEXT, timing INTEGER, firsts TEXT)');
  const insert = db.prepare('INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?)');
  for (let i = 0; i < 26; i++) {
    const item = String.fromCharCode(97 + i);
    insert.run(item, 0 | (1 << 10), i % 2, null, null, 1000 + i, null);
    insert.run(item, 1, i % 3 === 0 ? '["other"]' : 0, 'neutral', '[{"start":0,"end":1,"label":"x"}]', 2000, null);
  }
  return db;
}

const query: RangeQuery = {
  sql: 'SELECT item, packed, intent, level, spans, timing, firsts FROM t WHERE item >= ? AND item < ? ORDER BY item, packed',
  params: [],
  pages: [
    ['', 'h'],
    ['h', 'p'],
    ['p', 'w'],
    ['w', '\uffff'],
  ],
  intents: ['a', 'b'],
  levels: [],
};

const readers: RangeReader[] = [];
afterEach(() => {
  for (const r of readers.splice(0)) r.close();
});

function started(reader: RangeReader | null): RangeReader {
  expect(reader).not.toBeNull();
  readers.push(reader!);
  return reader!;
}

/** A reader over the fixture that dies as asked; `received[0]` turns 1 once it has the query. */
function dyingReader(how: ReaderDeath): { reader: RangeReader; received: Int32Array } {
  const received = new Int32Array(new SharedArrayBuffer(8));
  const worker = new Worker(tsxBootstrap(path.join(__dirname, 'fixtures', 'dyingReader.ts')), { eval: true, workerData: { how, received } });
  return { reader: started(rangeReader(worker)), received };
}

describe('the report reader thread', () => {
  it('opens its connection with the native binding it is given', { timeout: 30_000 }, async () => {
    const db = toyDatabase();
    const reader = started(startRangeReader(db, PARALLEL_MIN_ITEMS, { nativeBinding: NODE_BINDING }));
    expect(await reader.read(query)).toEqual(readRange(db, query));
    db.close();
  });

  it('with a native binding that does not load, fails clearly and this thread reads its half', { timeout: 30_000 }, async () => {
    const db = toyDatabase();
    const failing = started(startRangeReader(db, PARALLEL_MIN_ITEMS, { nativeBinding: BOGUS_BINDING }));
    await expect(failing.read(query)).rejects.toThrow(/the report reader thread failed: .*\/nonexistent\/better_sqlite3\.node/);
    const reasons: string[] = [];
    const parts = await readPages(db, query, started(startRangeReader(db, PARALLEL_MIN_ITEMS, { nativeBinding: BOGUS_BINDING })), (r) =>
      reasons.push(r),
    );
    expect(reasons).toEqual([expect.stringMatching(/nonexistent\/better_sqlite3\.node/)]);
    expect(parts).toEqual([readRange(db, { ...query, pages: query.pages.slice(0, 2) }), readRange(db, { ...query, pages: query.pages.slice(2) })]);
    db.close();
  });

  it('terminated before it is ready, rejects the read', { timeout: 30_000 }, async () => {
    const db = toyDatabase();
    const reader = started(startRangeReader(db, PARALLEL_MIN_ITEMS));
    reader.close();
    // Terminated before its code runs, a worker may even report exit code 0.
    await expect(reader.read(query)).rejects.toThrow(/the report reader thread stopped without an answer \(exit code \d+\)/);
    db.close();
  });

  it.each([
    ['exit at start', /stopped without an answer \(exit code 2\)/],
    ['exit 0 on query', /stopped without an answer \(exit code 0\)/],
    ['throw on query', /the report reader thread failed: reader fault on query/],
  ] as const)('a reader that dies (%s) rejects the read, and readPages reads that half here', { timeout: 30_000 }, async (how, reason) => {
    await expect(dyingReader(how).reader.read(query)).rejects.toThrow(reason);
    const db = toyDatabase();
    const reasons: string[] = [];
    const parts = await readPages(db, query, dyingReader(how).reader, (r) => reasons.push(r));
    expect(reasons).toEqual([expect.stringMatching(reason)]);
    expect(parts.flatMap((p) => p.itemIds)).toEqual(readRange(db, query).itemIds);
    db.close();
  });

  it('terminated mid-read, rejects the read', { timeout: 30_000 }, async () => {
    const { reader, received } = dyingReader('block on query');
    const answer = reader.read(query);
    await Atomics.waitAsync(received, 0, 0).value;
    reader.close();
    await expect(answer).rejects.toThrow(/stopped without an answer \(exit code 1\)/);
  });
});

describe('a big project report', () => {
  it('passes its native binding to the reader thread; one that does not load falls back with a warning', { timeout: 120_000 }, async () => {
    const dbPath = path.join(freshDir(), 'big.db');
    const { projectId } = await writeReportsProject(dbPath, PARALLEL_MIN_ITEMS + 1_000);
    const db = openDatabase(dbPath);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const filter = { from: null, to: null, annotatorIds: [], labels: [] };
      const now = () => new Date('2026-11-26T00:00:00Z');
      const one = { ...(await buildProjectReport(db, projectId, filter, now, { parallel: false })), seconds: 0 };
      expect({ ...(await buildProjectReport(db, projectId, filter, now, { nativeBinding: NODE_BINDING })), seconds: 0 }).toEqual(one);
      expect(warn).not.toHaveBeenCalled();
      expect({ ...(await buildProjectReport(db, projectId, filter, now, { nativeBinding: BOGUS_BINDING })), seconds: 0 }).toEqual(one);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn.mock.calls[0]![0]).toMatch(
        /^\[report\] the report reader thread failed: Cannot find module '\/nonexistent\/better_sqlite3\.node'; this thread read its half too$/,
      );
    } finally {
      warn.mockRestore();
      db.close();
    }
  });
});
