/**
 * The entity head's CPU-heavy work, off the thread that serves IPC: fitting its weights
 * (L-BFGS; the gradient may fan out to further threads) and predicting spans from the model's
 * token rows. Requests: {id, type: 'fitEntity', job} | {id, type: 'predictEntities', head,
 * tokenizerPath, batches}. Replies: {id, ok: true, value} | {id, ok: false, error}.
 */
import { readFileSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { fitEntityHead, type EntityFitJob } from '../core/ml/entities/fitHead';
import { predictBatches } from '../core/ml/entities/predictBatch';
import type { TokenBatch } from '../core/ml/entities/tokenBatch';
import type { EntityHead } from '../core/ml/entities/tokenHead';
import { BertTokenAligner } from '../core/ml/entities/tokens';
import { lowerThreadPriority } from '../core/threads/priority';

// Long CPU work: the thread that serves labeling goes first (threads/priority.ts).
lowerThreadPriority();

type Request =
  | { id: number; type: 'fitEntity'; job: EntityFitJob }
  | { id: number; type: 'predictEntities'; head: EntityHead; tokenizerPath: string; batches: TokenBatch[] };

const aligners = new Map<string, BertTokenAligner>();
function alignerAt(path: string): BertTokenAligner {
  let aligner = aligners.get(path);
  if (!aligner) {
    aligner = BertTokenAligner.fromTokenizerJson(readFileSync(path, 'utf8'));
    aligners.set(path, aligner);
  }
  return aligner;
}

function handle(request: Request): { value: unknown; transfer: ArrayBuffer[] } {
  if (request.type === 'fitEntity') {
    const { head, report } = fitEntityHead(request.job);
    return { value: { weights: head.weights, report }, transfer: [head.weights.buffer as ArrayBuffer] };
  }
  return { value: predictBatches(request.head, alignerAt(request.tokenizerPath), request.batches), transfer: [] };
}

parentPort?.on('message', (request: Request) => {
  try {
    const { value, transfer } = handle(request);
    parentPort?.postMessage({ id: request.id, ok: true, value }, transfer);
  } catch (error) {
    parentPort?.postMessage({ id: request.id, ok: false, error: error instanceof Error ? error.message : String(error) });
  }
});
