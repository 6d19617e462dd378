/** Fitting the entity head's weights: mean weighted cross-entropy + L2 by L-BFGS, the gradient from a pool of threads. */
import { availableParallelism } from 'node:os';
import { minimizeLbfgs, type ObjectiveFn } from '../optim/lbfgs';
import { bioesHead } from './bioes';
import { gradientPool } from './gradientPool';
import type { EntityHead, EntityHeadOptions } from './tokenHead';
import type { RowChunk, TrainingRows } from './trainingRows';

/** Work (rows × features × tags) per gradient below which worker threads are not worth starting. */
const PARALLEL_MIN_WORK = 2e8;

/** A prepared fit: see EntityHeadTrainer.prepare. */
export interface EntityFitJob {
  labels: string[];
  dim: number;
  window: number;
  mean: Float32Array;
  invStd: Float32Array;
  stats: EntityHead['trainedOn'];
  chunks: RowChunk[];
  l2: number;
  maxIter: number;
  threads: number | null;
}

/** How a fit went. */
export interface EntityFitReport {
  /** Threads that computed the gradient (1 when no worker threads were used). */
  threads: number;
  iterations: number;
  evaluations: number;
  reason: string;
  /** Final objective (mean weighted cross-entropy + penalty). */
  loss: number;
  seconds: number;
}

/** The head a prepared job gives with these weights. */
export function headFromJob(job: EntityFitJob, weights: Float32Array): EntityHead {
  const { labels, dim, window, mean, invStd, stats } = job;
  return bioesHead({ labels, dim, window, mean, invStd, weights, trainedOn: { ...stats } });
}

/**
 * Fits the head's weights by L-BFGS on a prepared job (on this thread; its gradient may use worker
 * threads). Throws if a gradient thread stops.
 */
export function fitEntityHead(job: EntityFitJob, onIteration?: EntityHeadOptions['onIteration']): { head: EntityHead; report: EntityFitReport } {
  const { labels, dim, window, l2 } = job;
  const F = dim * (2 * window + 1);
  const C = 1 + 4 * labels.length;
  const n = job.stats.rows;
  const head = (weights: Float32Array): EntityHead => headFromJob(job, weights);
  if (n === 0 || labels.length === 0) {
    // Nothing to learn from: a head that never predicts a span (O always wins).
    const weights = new Float32Array(C * (F + 1));
    for (let c = 1; c < C; c++) weights[c * (F + 1) + F] = -10;
    return { head: head(weights), report: { threads: 1, iterations: 0, evaluations: 0, reason: 'no rows', loss: 0, seconds: 0 } };
  }
  const rows: TrainingRows = { n, F, C, chunks: job.chunks };
  let sumW = 0;
  for (const c of rows.chunks) for (let i = 0; i < c.n; i++) sumW += c.sw[i]!;

  const stride = F + 1;
  const threads = job.threads ?? (n * F * C >= PARALLEL_MIN_WORK ? Math.min(4, availableParallelism()) : 1);
  const pool = gradientPool(rows, threads);
  const started = performance.now();
  try {
    const objective: ObjectiveFn = (theta, grad) => {
      let loss = pool.evaluate(theta, grad) / sumW;
      const inv = 1 / sumW;
      let penalty = 0;
      for (let c = 0; c < C; c++) {
        const o = c * stride;
        for (let j = 0; j < F; j++) {
          const w = theta[o + j]!;
          penalty += w * w;
          grad[o + j] = grad[o + j]! * inv + l2 * w;
        }
        grad[o + F] = grad[o + F]! * inv;
      }
      loss += 0.5 * l2 * penalty;
      return loss;
    };
    const res = minimizeLbfgs(objective, new Float64Array(C * stride), {
      maxIter: job.maxIter,
      gradTol: 1e-5,
      relTol: 1e-7,
      onIteration: (info) => onIteration?.({ iteration: info.iteration, loss: info.f, seconds: (performance.now() - started) / 1000 }),
    });
    const report: EntityFitReport = {
      threads: pool.threads(),
      iterations: res.iterations,
      evaluations: res.evaluations,
      reason: res.reason,
      loss: res.f,
      seconds: (performance.now() - started) / 1000,
    };
    return { head: head(Float32Array.from(res.x)), report };
  } finally {
    pool.close();
  }
}
