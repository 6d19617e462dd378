/**
 * Annotation spans after redaction. Offsets are Unicode code points, end-exclusive (see
 * shared/domain/spans.ts).
 *
 * Remapping rule (for replacements that do not overlap each other, which is what redactText makes):
 * - an offset outside every redacted value shifts by the total length change of the values before
 *   it; an offset exactly on a value's start maps to the replacement's start and one exactly on a
 *   value's end maps to the replacement's end;
 * - an offset strictly inside a redacted value snaps outwards: a span start to the start of the
 *   replacement, a span end to its end.
 * So a span lying on or inside a redacted value points at exactly the replacement text (widened or
 * shrunk to it); a span partly overlapping a value is widened to take the whole replacement; a span
 * that contains values contains their replacements; spans touching a value do not grow into it.
 * Every other property of the span (its label, id, ...) is kept, and a non-empty span stays
 * non-empty because replacements are never empty.
 */

export interface SpanLike {
  start: number;
  end: number;
}

/** Where a redacted value was and where its replacement is. */
export interface ReplacementOffsets {
  /** In the original text. */
  start: number;
  end: number;
  /** In the redacted text. */
  newStart: number;
  newEnd: number;
}

/** Index of the last replacement whose start is <= pos (replacements sorted by start), or -1. */
function lastStartingAtOrBefore(pos: number, reps: readonly ReplacementOffsets[]): number {
  let lo = 0;
  let hi = reps.length - 1;
  let ans = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (reps[mid]!.start <= pos) {
      ans = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return ans;
}

/** Maps one code-point offset of the original text into the redacted text. */
export function remapOffset(pos: number, replacements: readonly ReplacementOffsets[], side: 'start' | 'end'): number {
  const k = lastStartingAtOrBefore(pos, replacements);
  if (k < 0) return pos;
  const r = replacements[k]!;
  if (pos === r.start) return r.newStart;
  if (pos < r.end) return side === 'start' ? r.newStart : r.newEnd;
  return r.newEnd + (pos - r.end);
}

export function remapSpan<T extends SpanLike>(span: T, replacements: readonly ReplacementOffsets[]): T {
  const start = remapOffset(span.start, replacements, 'start');
  const end = remapOffset(span.end, replacements, 'end');
  return { ...span, start, end };
}

export function remapSpans<T extends SpanLike>(spans: readonly T[], replacements: readonly ReplacementOffsets[]): T[] {
  return spans.map((s) => remapSpan(s, replacements));
}

/** A stretch of text an annotation span marks as personal, to be redacted as `[<label>]`. */
export interface PersonalRegion {
  start: number;
  end: number;
  label: string;
}

/**
 * The spans whose label is an entity type the schema marks personal (e.g. 姓名, 地址), merged where
 * they overlap (the merged region takes the label of its longest span, the first on ties).
 */
export function personalRegions(spans: readonly (SpanLike & { label: string })[], personalTypes: readonly string[]): PersonalRegion[] {
  const wanted = new Set(personalTypes);
  const chosen = spans.filter((s) => wanted.has(s.label) && s.end > s.start).sort((a, b) => a.start - b.start || b.end - a.end);
  const out: (PersonalRegion & { longest: number })[] = [];
  for (const s of chosen) {
    const last = out[out.length - 1];
    if (last && s.start < last.end) {
      if (s.end - s.start > last.longest) {
        last.label = s.label;
        last.longest = s.end - s.start;
      }
      last.end = Math.max(last.end, s.end);
    } else out.push({ start: s.start, end: s.end, label: s.label, longest: s.end - s.start });
  }
  return out.map(({ longest: _longest, ...r }) => r);
}

/** The entity types a label schema marks personal (`personal: true`). */
export function personalEntityTypes(schema: { entities: { types: readonly { name: string; personal?: boolean }[] } }): string[] {
  return schema.entities.types.filter((t) => t.personal === true).map((t) => t.name);
}
