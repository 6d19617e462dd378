/**
 * The transformer, off the thread that serves IPC: loads a transformers.js feature-extraction model
 * from a local folder (no network, ever) and turns texts into vectors.
 * Requests: {id, type: 'load', modelDir, modelName} | {id, type: 'embed', texts, pooling}.
 * Replies: {id, ok: true, value} | {id, ok: false, error}.
 */
import { parentPort } from 'node:worker_threads';

type Pooling = 'cls' | 'none';
type Request =
  | { id: number; type: 'load'; modelDir: string; modelName: string }
  | { id: number; type: 'embed'; texts: string[]; pooling: Pooling };

interface Extractor {
  (texts: string[], options: { pooling: Pooling; normalize: boolean }): Promise<{ data: Float32Array; dims: number[] }>;
}

let extractor: Promise<Extractor> | null = null;

async function load(modelDir: string, modelName: string): Promise<Extractor> {
  // @xenova/transformers is ESM-only; this file may be compiled to CommonJS.
  const { pipeline, env } = (await import('@xenova/transformers')) as unknown as {
    pipeline(task: string, model: string, options: object): Promise<Extractor>;
    env: { allowRemoteModels: boolean; allowLocalModels: boolean; localModelPath: string; useBrowserCache: boolean };
  };
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.useBrowserCache = false;
  env.localModelPath = modelDir.endsWith('/') ? modelDir : `${modelDir}/`;
  return pipeline('feature-extraction', modelName, { quantized: true });
}

async function handle(request: Request): Promise<unknown> {
  if (request.type === 'load') {
    extractor = load(request.modelDir, request.modelName);
    await extractor;
    return { loaded: true };
  }
  if (!extractor) throw new Error('no model loaded');
  const fe = await extractor;
  // CLS pooling, normalized: what bge models are trained for. 'none' gives the token vectors.
  const out = await fe(request.texts, { pooling: request.pooling, normalize: request.pooling === 'cls' });
  return { data: out.data, dims: out.dims };
}

parentPort?.on('message', (request: Request) => {
  handle(request).then(
    (value) => {
      const data = (value as { data?: Float32Array }).data;
      parentPort?.postMessage({ id: request.id, ok: true, value }, data ? [data.buffer as ArrayBuffer] : []);
    },
    (error: unknown) => parentPort?.postMessage({ id: request.id, ok: false, error: error instanceof Error ? error.message : String(error) }),
  );
});
