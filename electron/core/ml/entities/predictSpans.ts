import type { Span } from '../../../../shared/domain/spans';
import { decodeBio } from './bio';
import { bioesToBio } from './bioes';
import type { EntityHead } from './tokenHead';
import type { AlignedToken } from './tokens';
import { viterbiBioes } from './viterbi';

/** log p(tag | token) for every token: tokens.length × tags, row-major. */
export function tagLogProbs(head: EntityHead, vectors: readonly Float32Array[], tokens: readonly AlignedToken[]): Float64Array {
  const { dim, window: W, mean, invStd, weights } = head;
  const C = head.tags.length;
  const F = dim * (2 * W + 1);
  const stride = F + 1;
  const T = tokens.length;
  if (vectors.length < T + 1) throw new Error(`entity head: ${vectors.length} vectors for ${T} tokens (expected [CLS] + tokens + [SEP])`);
  for (const v of vectors) if (v.length !== dim) throw new Error(`entity head: expects ${dim}-dim vectors, got ${v.length}`);
  // Partial scores of every row for every window position: part[(r · (2W+1) + k) · C + c].
  const R = vectors.length;
  const K = 2 * W + 1;
  const part = new Float64Array(R * K * C);
  const zrow = new Float64Array(dim);
  for (let r = 0; r < R; r++) {
    const v = vectors[r]!;
    for (let j = 0; j < dim; j++) zrow[j] = (v[j]! - mean[j]!) * invStd[j]!;
    for (let k = 0; k < K; k++) {
      // Row r is at window position k for token t = r − 1 − (k − W); skip if no token has it there.
      const t = r - 1 - (k - W);
      if (t < 0 || t >= T) continue;
      for (let c = 0; c < C; c++) {
        const o = c * stride + k * dim;
        let s0 = 0;
        let s1 = 0;
        let j = 0;
        for (; j + 1 < dim; j += 2) {
          s0 += weights[o + j]! * zrow[j]!;
          s1 += weights[o + j + 1]! * zrow[j + 1]!;
        }
        if (j < dim) s0 += weights[o + j]! * zrow[j]!;
        part[(r * K + k) * C + c] = s0 + s1;
      }
    }
  }
  const out = new Float64Array(T * C);
  for (let t = 0; t < T; t++) {
    let max = -Infinity;
    for (let c = 0; c < C; c++) {
      let s = weights[c * stride + F]!;
      for (let k = 0; k < K; k++) {
        const r = t + 1 + k - W;
        if (r >= 0 && r < R) s += part[(r * K + k) * C + c]!;
      }
      out[t * C + c] = s;
      if (s > max) max = s;
    }
    let sum = 0;
    for (let c = 0; c < C; c++) sum += Math.exp(out[t * C + c]! - max);
    const lse = max + Math.log(sum);
    for (let c = 0; c < C; c++) out[t * C + c] = out[t * C + c]! - lse;
  }
  return out;
}

export interface PredictedEntity extends Span {
  /** Mean probability of the decoded tags over the span's tokens (0…1). */
  score: number;
}

/** Spans with a confidence: Viterbi under the BIOES constraints, then decoded through bio.ts. */
export function predictEntitySpans(
  head: EntityHead,
  vectors: readonly Float32Array[],
  tokens: readonly AlignedToken[],
  text: string,
): PredictedEntity[] {
  const C = head.tags.length;
  const T = tokens.length;
  if (T === 0 || head.labels.length === 0) return [];
  const lp = tagLogProbs(head, vectors, tokens);
  const tags = viterbiBioes(lp, T, C);
  const spans = decodeBio(tokens, bioesToBio(tags), head.labels, text);
  // Per-span score: mean tag probability over the tokens the span covers.
  return spans.map((s) => {
    let sum = 0;
    let count = 0;
    for (let t = 0; t < T; t++) {
      const tok = tokens[t]!;
      if (tok.end <= s.start || tok.start >= s.end || tags[t] === 0) continue;
      sum += Math.exp(lp[t * C + tags[t]!]!);
      count++;
    }
    return { ...s, score: count > 0 ? sum / count : 0 };
  });
}

/** The spans the head finds in one text (code points, end-exclusive), never overlapping or malformed. */
export function predictEntities(head: EntityHead, vectors: readonly Float32Array[], tokens: readonly AlignedToken[], text: string): Span[] {
  return predictEntitySpans(head, vectors, tokens, text).map(({ start, end, label }) => ({ start, end, label }));
}
