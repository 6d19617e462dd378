import type { DB } from '../open';
import { stmt } from '../statements';
import { writeTransaction } from '../write';

/** Cached sentence vectors by (model, content hash): the same text is embedded once per model. */
export function cachedEmbeddings(db: DB, modelId: string, hashes: Buffer[]): Map<string, Float32Array> {
  const out = new Map<string, Float32Array>();
  const get = stmt<[string, Buffer], { vector: Buffer }>(db, 'SELECT vector FROM embeddings WHERE model_id = ? AND content_hash = ?');
  for (const hash of hashes) {
    const row = get.get(modelId, hash);
    if (row)
      out.set(hash.toString('hex'), new Float32Array(row.vector.buffer.slice(row.vector.byteOffset, row.vector.byteOffset + row.vector.byteLength)));
  }
  return out;
}

export function storeEmbeddings(db: DB, modelId: string, rows: { hash: Buffer; vector: Float32Array }[]): void {
  const put = stmt(db, 'INSERT OR IGNORE INTO embeddings (model_id, content_hash, vector) VALUES (?, ?, ?)');
  writeTransaction(db, () => {
    for (const r of rows) put.run(modelId, r.hash, Buffer.from(r.vector.buffer, r.vector.byteOffset, r.vector.byteLength));
  });
}
