import type { DB } from '../db/open';
import { cachedEmbeddings, storeEmbeddings } from '../db/repos/embeddings';
import { contentHash } from '../services/imports';
import type { ModelHost } from './modelHost';

export interface EmbedOptions {
  /** A database whose embeddings table caches vectors by (model, content hash). */
  cache?: DB | undefined;
  signal?: AbortSignal | undefined;
  onProgress?: ((done: number, total: number) => void) | undefined;
}

const CHUNK = 256;

/** Vectors for texts, from the cache where it has them and from the model otherwise. */
export async function embedTexts(host: ModelHost, texts: string[], options: EmbedOptions = {}): Promise<Float32Array[]> {
  const hashes = texts.map(contentHash);
  const out: (Float32Array | undefined)[] = new Array(texts.length);
  const cached = options.cache ? cachedEmbeddings(options.cache, host.modelId, hashes) : new Map<string, Float32Array>();
  const todo: number[] = [];
  hashes.forEach((h, i) => {
    const hit = cached.get(h.toString('hex'));
    if (hit) out[i] = hit;
    else todo.push(i);
  });
  let done = texts.length - todo.length;
  options.onProgress?.(done, texts.length);
  for (let c = 0; c < todo.length; c += CHUNK) {
    const chunk = todo.slice(c, c + CHUNK);
    const vectors = await host.embed(
      chunk.map((i) => texts[i]!),
      options.signal,
    );
    chunk.forEach((i, j) => (out[i] = vectors[j]!));
    if (options.cache)
      storeEmbeddings(
        options.cache,
        host.modelId,
        chunk.map((i, j) => ({ hash: hashes[i]!, vector: vectors[j]! })),
      );
    done += chunk.length;
    options.onProgress?.(done, texts.length);
  }
  return out as Float32Array[];
}
