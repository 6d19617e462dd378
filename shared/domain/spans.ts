/**
 * Span offsets are stored and exported as Unicode code-point offsets, end-exclusive (what Python,
 * HF datasets and spaCy use). JavaScript strings are UTF-16, so conversion happens only here, at
 * the boundary, and is tested with emoji and CJK Extension B characters.
 */
export interface Span {
  start: number;
  end: number;
  label: string;
}

/** Number of code points in a string. */
export function codePointLength(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

/** UTF-16 index -> code-point index. An index inside a surrogate pair maps to the pair's start. */
export function utf16ToCodePoint(text: string, utf16Index: number): number {
  let cp = 0;
  for (let i = 0; i < utf16Index && i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        if (i + 1 >= utf16Index) return cp;
        i++;
      }
    }
    cp++;
  }
  return cp;
}

/** Code-point index -> UTF-16 index. */
export function codePointToUtf16(text: string, cpIndex: number): number {
  let i = 0;
  for (let cp = 0; cp < cpIndex && i < text.length; cp++) {
    const c = text.charCodeAt(i);
    i += c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && isLowSurrogate(text.charCodeAt(i + 1)) ? 2 : 1;
  }
  return i;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/** The text a code-point span covers. */
export function spanText(text: string, span: { start: number; end: number }): string {
  return text.slice(codePointToUtf16(text, span.start), codePointToUtf16(text, span.end));
}

/** Why a span is not valid for a text of the given code-point length, or null. */
export function spanProblem(span: Span, length: number): string | null {
  if (!Number.isInteger(span.start) || !Number.isInteger(span.end)) return 'offsets must be integers';
  if (span.start < 0) return `start ${span.start} is negative`;
  if (span.end <= span.start) return `end ${span.end} must be greater than start ${span.start}`;
  if (span.end > length) return `end ${span.end} is past the end of the text (${length} characters)`;
  if (!span.label) return 'label is empty';
  return null;
}

export function sortSpans<T extends Span>(spans: T[]): T[] {
  return [...spans].sort((a, b) => a.start - b.start || a.end - b.end || a.label.localeCompare(b.label));
}

/** True when any two spans overlap (share at least one code point). */
export function hasOverlap(spans: Span[]): boolean {
  const s = sortSpans(spans);
  for (let i = 1; i < s.length; i++) if (s[i]!.start < s[i - 1]!.end) return true;
  return false;
}
