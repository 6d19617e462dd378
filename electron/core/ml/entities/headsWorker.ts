import { WorkerClient } from '../workerClient';
import { headFromJob, type EntityFitJob, type EntityFitReport } from './fitHead';
import type { PredictedEntity } from './predictSpans';
import type { TokenBatch } from './tokenBatch';
import type { EntityHead } from './tokenHead';

/** The process's worker for the entity head (see electron/workers/heads.worker.ts); started on first use. */
let current: WorkerClient | null = null;
function headsWorker(): WorkerClient {
  current ??= new WorkerClient('heads', () => {
    current = null;
  });
  return current;
}

/** Fits a prepared entity head in the worker; this thread stays free while it runs. */
export async function fitEntityHeadOffThread(job: EntityFitJob): Promise<{ head: EntityHead; report: EntityFitReport }> {
  const { weights, report } = (await headsWorker().request({ type: 'fitEntity', job })) as { weights: Float32Array; report: EntityFitReport };
  return { head: headFromJob(job, weights), report };
}

/** The head's spans for every text of the batches (their buffers move to the worker). */
export async function predictEntitiesOffThread(head: EntityHead, tokenizerPath: string, batches: TokenBatch[]): Promise<PredictedEntity[][]> {
  return (await headsWorker().request(
    { type: 'predictEntities', head, tokenizerPath, batches },
    batches.map((b) => b.data.buffer as ArrayBuffer),
  )) as PredictedEntity[][];
}
