/**
 * The transformer, off the thread that serves IPC: loads a transformers.js feature-extraction model
 * from a local folder (no network, ever) and turns texts into vectors.
 * Runs as a child process of lower priority (see ml/modelWorker.ts), or as a worker thread.
 * Requests: {id, type: 'load', modelDir, modelName} | {id, type: 'embed', texts, pooling}.
 * Replies: {id, ok: true, value} | {id, ok: false, error}.
 */
import { availableParallelism } from 'node:os';
import { workerPort } from './port';

type Pooling = 'cls' | 'none';
type Request =
  | { id: number; type: 'load'; modelDir: string; modelName: string }
  | { id: number; type: 'embed'; modelDir: string; modelName: string; texts: string[]; pooling: Pooling };

interface Extractor {
  (texts: string[], options: { pooling: Pooling; normalize: boolean }): Promise<{ data: Float32Array; dims: number[] }>;
}

/** One pipeline per model folder; the ONNX runtime add-on can be loaded only once per process. */
const extractors = new Map<string, Promise<Extractor>>();
const keyOf = (r: { modelDir: string; modelName: string }) => `${r.modelDir}\u0000${r.modelName}`;

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
  await leaveACoreFree();
  const fe = await pipeline('feature-extraction', modelName, { quantized: true });
  return fe;
}

/**
 * transformers.js 2.x passes no session options, so the runtime would take every core and spin on
 * them between operators, and the thread that serves the UI would wait for a core. Its sessions are
 * created with one core left free and threads that sleep when idle.
 */
let sessionsConfigured = false;
async function leaveACoreFree(): Promise<void> {
  if (sessionsConfigured) return;
  sessionsConfigured = true;
  const ort = (await import('onnxruntime-node')) as unknown as { InferenceSession: { create(...args: unknown[]): Promise<unknown> } };
  const session = ort.InferenceSession;
  const create = session.create.bind(session);
  const intraOpNumThreads = Math.max(1, availableParallelism() - 1);
  session.create = (buffer: unknown, options?: object) =>
    create(buffer, { ...options, intraOpNumThreads, interOpNumThreads: 1, extra: { session: { intra_op: { allow_spinning: '0' } } } });
}

async function handle(request: Request): Promise<unknown> {
  const key = keyOf(request);
  if (!extractors.has(key)) {
    const loading = load(request.modelDir, request.modelName);
    loading.catch(() => extractors.delete(key));
    extractors.set(key, loading);
  }
  const fe = await extractors.get(key)!;
  if (request.type === 'load') return { loaded: true };
  // CLS pooling, normalized: what bge models are trained for. 'none' gives the token vectors.
  const out = await fe(request.texts, { pooling: request.pooling, normalize: request.pooling === 'cls' });
  return { data: out.data, dims: out.dims };
}

const port = workerPort();
port?.onMessage((request: Request) => {
  handle(request).then(
    (value) => {
      const data = (value as { data?: Float32Array }).data;
      port.post({ id: request.id, ok: true, value }, data ? [data.buffer as ArrayBuffer] : []);
    },
    (error: unknown) => port.post({ id: request.id, ok: false, error: error instanceof Error ? error.message : String(error) }),
  );
});
