/**
 * The entity head's gradient pool with real worker threads (electron/workers/gradient.worker.ts under
 * its supervisor): it sums to what one thread computes, and a worker that dies (exits, exits with
 * code 0, throws, is terminated) before it is ready or during a gradient makes the pool fail with an
 * error naming it instead of waiting forever. The pool runs in a helper thread (fixtures/poolRunner.ts)
 * because it blocks its thread in Atomics.wait; the test thread stays free and each test's timeout
 * bounds a pool that would hang.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { gradientPool } from '../../../electron/core/ml/entities/gradientPool';
import type { GradientFault } from '../../../electron/core/ml/entities/gradientProtocol';
import type { TrainingRows } from '../../../electron/core/ml/entities/trainingRows';
import { mulberry32 } from '../../../electron/core/ml/metrics';
import { tsxBootstrap } from '../../../electron/core/threads/spawnWorker';
import type { PoolRun, PoolRunResult } from './fixtures/poolRunner';

const N = 600;
const F = 12;
const C = 5;

/** Random int8 rows in two shared chunks, as the trainer stores them. */
function rows(seed: number): TrainingRows {
  const rng = mulberry32(seed);
  const chunk = (n: number) => {
    const X = new Int8Array(new SharedArrayBuffer(n * F));
    const y = new Uint16Array(new SharedArrayBuffer(n * 2));
    const sw = new Float32Array(new SharedArrayBuffer(n * 4));
    for (let i = 0; i < n * F; i++) X[i] = Math.round((rng() - 0.5) * 120);
    for (let i = 0; i < n; i++) {
      y[i] = Math.floor(rng() * C);
      sw[i] = 0.5 + rng();
    }
    return { X, y, sw, n };
  };
  return { n: N, F, C, chunks: [chunk(400), chunk(200)] };
}

function theta(seed: number): Float64Array {
  const rng = mulberry32(seed);
  return Float64Array.from({ length: C * (F + 1) }, () => (rng() - 0.5) * 0.2);
}

const running: Worker[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((w) => w.terminate()));
});

/** Runs the pool in a helper thread; settles when the pool has answered or failed. */
function runPool(run: PoolRun): Promise<PoolRunResult> {
  const worker = new Worker(tsxBootstrap(path.join(__dirname, 'fixtures', 'poolRunner.ts')), { eval: true, workerData: run });
  running.push(worker);
  return new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the pool runner stopped (exit code ${code})`)));
  });
}

describe('gradient pool', () => {
  it('sums, over two workers and this thread, to what one thread computes', { timeout: 30_000 }, async () => {
    const data = rows(1);
    const x = theta(2);
    const one = gradientPool(data, 1);
    const grad = new Float64Array(x.length);
    const loss = one.evaluate(x, grad);
    const result = await runPool({ rows: data, theta: x, threads: 3, gradients: 2 });
    expect(result.errors).toEqual([]);
    expect(result.threads).toBe(3);
    for (const l of result.losses) expect(l).toBeCloseTo(loss, 9);
    result.grad.forEach((g, i) => expect(g).toBeCloseTo(grad[i]!, 9));
  });

  const deaths: [GradientFault['how'], RegExp][] = [
    ['exit', /gradient worker 2 of 2 stopped \(exit code 3\)/],
    ['exit0', /gradient worker 2 of 2 stopped \(exit code 0\)/],
    ['throw', /gradient worker 2 of 2 failed: injected fault/],
    ['terminate', /gradient worker 2 of 2 stopped \(exit code 1\)/],
  ];

  it.each(deaths)('a worker that dies before it is ready (%s) fails the start', { timeout: 30_000 }, async (how, reason) => {
    const result = await runPool({ rows: rows(1), theta: theta(2), threads: 3, gradients: 1, fault: { worker: 1, at: 'start', how } });
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(reason);
    expect(result.errors[0]).toMatch(/before the workers were ready/);
  });

  it.each(deaths)('a worker that dies during a gradient (%s) fails it, and every gradient after', { timeout: 30_000 }, async (how, reason) => {
    const result = await runPool({ rows: rows(1), theta: theta(2), threads: 3, gradients: 2, fault: { worker: 1, at: 'gradient', how } });
    expect(result.threads).toBe(3);
    expect(result.losses).toEqual([]);
    expect(result.errors).toHaveLength(2);
    expect(result.errors[0]).toMatch(reason);
    expect(result.errors[0]).toMatch(/during gradient 1/);
    expect(result.errors[1]).toMatch(reason);
    expect(result.errors[1]).toMatch(/between gradients/);
  });

  it('gives up on workers that do not start in time', { timeout: 30_000 }, async () => {
    const result = await runPool({ rows: rows(1), theta: theta(2), threads: 3, gradients: 1, startTimeoutMs: 0 });
    expect(result.errors).toEqual(['entity head: the gradient workers did not start within 0 s']);
  });
});
