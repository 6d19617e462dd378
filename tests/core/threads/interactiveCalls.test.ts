import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { runsInBackground } from '../../../electron/core/jobs/backgroundChannels';
import { InteractiveCalls, pauseForInteractiveCalls, watchInteractiveCalls } from '../../../electron/core/threads/interactiveCalls';

/** A thread that marks `ended` and then ends the owner's call after a short delay. */
const ENDER = `
const { workerData } = require('node:worker_threads');
const count = new Int32Array(workerData.calls);
const ended = new Int32Array(workerData.ended);
setTimeout(() => {
  Atomics.store(ended, 0, 1);
  Atomics.sub(count, 0, 1);
  Atomics.notify(count, 0);
}, 30);
`;

describe('interactive calls seen by job threads', () => {
  afterEach(() => watchInteractiveCalls(undefined));

  it('a job loop waits at its safe point until the call in flight ends', async () => {
    const calls = new InteractiveCalls();
    const ended = new Int32Array(new SharedArrayBuffer(4));
    watchInteractiveCalls(calls.buffer);
    calls.begin();
    const worker = new Worker(ENDER, { eval: true, workerData: { calls: calls.buffer, ended: ended.buffer } });
    await new Promise((resolve) => worker.once('online', resolve));
    pauseForInteractiveCalls();
    expect(Atomics.load(ended, 0)).toBe(1);
    await worker.terminate();
  });

  it('a call that never ends holds a job back for a bounded time only', () => {
    const calls = new InteractiveCalls();
    watchInteractiveCalls(calls.buffer);
    calls.begin();
    pauseForInteractiveCalls(); // returns after MAX_PAUSE_MS: the test would time out otherwise
    calls.end();
    expect(new Int32Array(calls.buffer)[0]).toBe(0);
  });

  it('a thread that watches nothing (the core thread) never pauses', () => {
    const calls = new InteractiveCalls();
    calls.begin();
    pauseForInteractiveCalls();
    expect(new Int32Array(calls.buffer)[0]).toBe(1);
  });

  it('calls that run on job threads are not counted as interactive', () => {
    expect(runsInBackground('reports.project', { projectId: 'p' })).toBe(true);
    expect(runsInBackground('imports.start', {})).toBe(true);
    expect(runsInBackground('items.list', { projectId: 'p', search: '退款' })).toBe(true);
    expect(runsInBackground('items.list', { projectId: 'p', search: '  ' })).toBe(false);
    expect(runsInBackground('labeling.apply', { projectId: 'p' })).toBe(false);
    expect(runsInBackground('labeling.next', null)).toBe(false);
  });
});
