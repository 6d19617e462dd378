/**
 * Token vectors for the entity head: the model's per-token output rows of each text, next to the
 * code-point offsets of the tokens (tokens.ts). Row 0 is [CLS], row i + 1 is tokens[i], the last row
 * is [SEP] unless the text was truncated (then the rows are [CLS] + the first maxTokens − 1 text
 * tokens, and `tokens` lists only the first maxTokens − 2 of them: see tokens.ts).
 */
import { AppError } from '../../../../shared/contract/errors';
import type { ModelHost } from '../modelHost';
import type { AlignedToken, BertTokenAligner } from './tokens';

export interface TextTokenVectors {
  /** One vector per model row: [CLS], then tokens[0…], then [SEP] (unless truncated). */
  vectors: Float32Array[];
  tokens: AlignedToken[];
  truncated: boolean;
}

export interface TokenVectorsOptions {
  signal?: AbortSignal | undefined;
}

/**
 * Runs the model on each text (one request per text, so there is no padding) and aligns its tokens.
 * Throws if the model's rows and the aligner's tokens do not line up (a different tokenizer than
 * the aligner was built from), rather than let the head learn from misplaced tags.
 */
export async function tokenVectorsFor(
  host: ModelHost,
  aligner: BertTokenAligner,
  texts: readonly string[],
  onProgress?: (done: number, total: number) => void,
  options: TokenVectorsOptions = {},
): Promise<TextTokenVectors[]> {
  const out: TextTokenVectors[] = [];
  onProgress?.(0, texts.length);
  for (let i = 0; i < texts.length; i++) {
    if (options.signal?.aborted) throw new AppError('CANCELLED', 'cancelled');
    const text = texts[i]!;
    const { tokens, truncated } = aligner.align(text);
    const vectors = await host.tokenVectors(text);
    checkRows(vectors.length, tokens.length, truncated, aligner.maxTokens, i);
    out.push({ vectors, tokens, truncated });
    onProgress?.(i + 1, texts.length);
  }
  return out;
}

/** Whether `rows` model rows fit `tokens` aligned tokens; throws with the numbers if not. */
export function checkRows(rows: number, tokens: number, truncated: boolean, maxTokens: number, index = 0): void {
  const expected = truncated ? maxTokens : tokens + 2;
  if (rows !== expected) {
    throw new Error(
      `token vectors: text ${index} has ${rows} model rows but the aligner gives ${tokens} tokens` +
        `${truncated ? ' (truncated)' : ''}, expected ${expected} rows: the aligner does not match the model's tokenizer`,
    );
  }
}
