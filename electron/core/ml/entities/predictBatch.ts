import { checkRows } from './embedTokens';
import { predictEntitySpans, type PredictedEntity } from './predictSpans';
import type { TokenBatch } from './tokenBatch';
import type { EntityHead } from './tokenHead';
import type { AlignedToken, BertTokenAligner } from './tokens';

/** The model rows of each text of a padded batch (padding dropped), aligned with its tokens. */
export function unpadBatch(aligner: BertTokenAligner, batch: TokenBatch): { text: string; tokens: AlignedToken[]; vectors: Float32Array[] }[] {
  const [, L, D] = batch.dims;
  return batch.texts.map((text, i) => {
    const { tokens, truncated } = aligner.align(text);
    const rows = truncated ? aligner.maxTokens : tokens.length + 2;
    checkRows(Math.min(rows, L), tokens.length, truncated, aligner.maxTokens, i);
    const base = i * L * D;
    const vectors = Array.from({ length: rows }, (_, r) => batch.data.subarray(base + r * D, base + (r + 1) * D));
    return { text, tokens, vectors };
  });
}

/** The head's spans for every text of the batches, in order. */
export function predictBatches(head: EntityHead, aligner: BertTokenAligner, batches: readonly TokenBatch[]): PredictedEntity[][] {
  return batches.flatMap((b) => unpadBatch(aligner, b).map((t) => predictEntitySpans(head, t.vectors, t.tokens, t.text)));
}
