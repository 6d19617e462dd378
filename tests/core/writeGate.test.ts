import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { MAX_INTERACTIVE_WAIT_MS, QUIET_MS, WriteGate } from '../../electron/core/db/writeGate';
import { tsxBootstrap } from '../../electron/core/threads/spawnWorker';
import { freshDir } from './helpers';

const FIXTURE = join(__dirname, 'fixtures', 'backgroundWriter.ts');

describe('the write gate: interactive work before background writes', () => {
  it('a background write waits while the core thread serves a call, and until it has been quiet a moment', async () => {
    const gate = new WriteGate();
    const order: string[] = [];
    gate.enter();
    const background = gate.background(() => order.push('background'));
    await new Promise((resolve) => setTimeout(resolve, 30));
    order.push('call served');
    gate.leave();
    const leftAt = Date.now();
    await background;
    expect(order).toEqual(['call served', 'background']);
    expect(Date.now() - leftAt).toBeGreaterThanOrEqual(QUIET_MS - 1);
  });

  it('tells a background writer to step aside while a call is being served', () => {
    const gate = new WriteGate();
    expect(gate.interactiveWaiting()).toBe(false);
    gate.enter();
    expect(gate.interactiveWaiting()).toBe(true);
    gate.leave();
    expect(gate.interactiveWaiting()).toBe(false);
  });

  it('a holder that died cannot block an interactive write for longer than the bound', () => {
    const gate = new WriteGate();
    // A job thread stopped inside its transaction: it never released its hold.
    gate.backgroundSync(() => {
      const other = new WriteGate(gate.buffer);
      const started = performance.now();
      expect(other.interactive(() => 'written')).toBe('written');
      expect(performance.now() - started).toBeGreaterThanOrEqual(MAX_INTERACTIVE_WAIT_MS - 5);
    });
  });

  it('against a writer that commits chunk after chunk, labeling writes starve without the gate and never fail with it', async () => {
    const trial = async (gated: boolean): Promise<{ busy: number; writes: number; chunks: number }> => {
      const dbPath = join(freshDir(), 'gate.db');
      const db = new Database(dbPath);
      db.pragma('journal_mode = WAL');
      db.exec('CREATE TABLE filler (id INTEGER PRIMARY KEY, payload TEXT); CREATE TABLE decisions (id INTEGER PRIMARY KEY, value TEXT)');
      // A short busy timeout: a labeling write that cannot get in within 100 ms has failed the person.
      db.pragma('busy_timeout = 100');
      const gate = new WriteGate();
      const stop = new Int32Array(new SharedArrayBuffer(4));
      const writer = new Worker(tsxBootstrap(FIXTURE), { eval: true, workerData: { dbPath, gate: gated ? gate.buffer : null, stop: stop.buffer } });
      const finished = new Promise<{ chunks: number }>((resolve, reject) => {
        writer.once('message', resolve);
        writer.once('error', reject);
      });
      await new Promise((resolve) => setTimeout(resolve, 500));
      const insert = db.prepare('INSERT INTO decisions (value) VALUES (?)');
      const write = db.transaction((v: string) => insert.run(v));
      let busy = 0;
      let writes = 0;
      for (let i = 0; i < 60; i++) {
        gate.enter();
        try {
          gate.interactive(() => write.immediate(`decision ${i}`));
          writes++;
        } catch (error) {
          if ((error as { code?: string }).code !== 'SQLITE_BUSY') throw error;
          busy++;
        } finally {
          gate.leave();
        }
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      Atomics.store(stop, 0, 1);
      const { chunks } = await finished;
      db.close();
      return { busy, writes, chunks };
    };
    const gated = await trial(true);
    expect(gated).toMatchObject({ busy: 0, writes: 60 });
    expect(gated.chunks).toBeGreaterThan(10);
    const ungated = await trial(false);
    expect(ungated.busy).toBeGreaterThan(0);
  }, 60_000);
});
