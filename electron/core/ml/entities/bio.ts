/**
 * BIO tags over aligned tokens (tokens.ts) for a token-level entity head.
 *
 * Tag indices: 0 = O, then for label k (its index in `labels`): 1 + 2k = B-label, 2 + 2k = I-label.
 * Offsets are code points, end-exclusive. Tokens must be in text order (as `align` returns them).
 */
import { codePointLength } from '../../../../shared/domain/spans';

export interface TokenSpan {
  start: number;
  end: number;
}

export interface LabeledSpan {
  start: number;
  end: number;
  label: string;
}

/** ['O', 'B-label0', 'I-label0', 'B-label1', …]: the name of every tag index. */
export function bioTagNames(labels: readonly string[]): string[] {
  return ['O', ...labels.flatMap((l) => [`B-${l}`, `I-${l}`])];
}

/**
 * The tag index of every token. A token that overlaps a span (shares at least one code point) is
 * tagged: the first such token B, the following ones I, so a span that does not fall on token
 * boundaries is widened to whole tokens. Spans whose label is not in `labels`, and spans that
 * overlap no token (e.g. only whitespace), are ignored. When spans compete for a token, the one
 * that starts first (then the longer one) keeps it.
 */
export function encodeBio(tokens: readonly TokenSpan[], spans: readonly LabeledSpan[], labels: readonly string[]): number[] {
  const index = new Map(labels.map((l, i) => [l, i] as const));
  const tags = new Array<number>(tokens.length).fill(0);
  const ordered = spans.filter((s) => index.has(s.label) && s.end > s.start).sort((a, b) => a.start - b.start || b.end - a.end);
  for (const span of ordered) {
    const k = index.get(span.label)!;
    let begun = false;
    for (let t = firstTokenEndingAfter(tokens, span.start); t < tokens.length; t++) {
      const tok = tokens[t]!;
      if (tok.start >= span.end) break;
      if (tok.end <= span.start) continue;
      if (tags[t] !== 0) {
        // Taken by an earlier span: the rest of this span starts afresh after it.
        begun = false;
        continue;
      }
      tags[t] = begun ? 2 + 2 * k : 1 + 2 * k;
      begun = true;
    }
  }
  return tags;
}

/**
 * Spans from tag indices (one per token; extra tags or tokens beyond the shorter list are ignored).
 * Lenient: an I- tag after O or after another label starts a span, a B- tag always starts one, an
 * I- tag of the same label continues it (across whitespace between tokens). Unknown indices are O.
 * Spans run from the first token's start to the last token's end, clamped to `text`.
 */
export function decodeBio(tokens: readonly TokenSpan[], tagIndices: ArrayLike<number>, labels: readonly string[], text: string): LabeledSpan[] {
  const length = codePointLength(text);
  const out: LabeledSpan[] = [];
  let current: LabeledSpan | null = null;
  const n = Math.min(tokens.length, tagIndices.length);
  for (let t = 0; t < n; t++) {
    const tok = tokens[t]!;
    const tag = tagIndices[t]!;
    const k = Number.isInteger(tag) && tag > 0 && tag <= 2 * labels.length ? Math.floor((tag - 1) / 2) : -1;
    if (k < 0) {
      current = null;
      continue;
    }
    const label = labels[k]!;
    const isBegin = (tag - 1) % 2 === 0;
    if (current && !isBegin && current.label === label) {
      current.end = Math.max(current.end, tok.end);
      continue;
    }
    current = { start: tok.start, end: tok.end, label };
    out.push(current);
  }
  const clamped: LabeledSpan[] = [];
  for (const s of out) {
    const start = Math.max(0, Math.min(s.start, length));
    const end = Math.min(s.end, length);
    if (end > start) clamped.push({ start, end, label: s.label });
  }
  return clamped;
}

/** Where a span would land after encode + decode: widened to the tokens it overlaps, or null. */
export function snapToTokens(tokens: readonly TokenSpan[], span: TokenSpan): TokenSpan | null {
  let start = -1;
  let end = -1;
  for (const tok of tokens) {
    if (tok.end <= span.start || tok.start >= span.end) continue;
    if (start < 0) start = tok.start;
    end = Math.max(end, tok.end);
  }
  return start < 0 ? null : { start, end };
}

/** Index of the first token whose end is after `pos` (binary search; tokens in text order). */
function firstTokenEndingAfter(tokens: readonly TokenSpan[], pos: number): number {
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[mid]!.end <= pos) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
