/**
 * Matching copy of a text. Recognisers never look at the original string: they look at a copy in
 * which every code point has been folded on its own (NFKC, plus dash and space folding), so
 * full-width digits `１３８`, the full-width at sign `＠`, the ideographic space and the various
 * dashes all look like their ASCII forms. A code point is only replaced when it folds to exactly one
 * code point, so the copy has the same number of code points as the original and a code-point
 * offset in the copy is the same offset in the original. Offsets reported by the recognisers are
 * therefore code-point offsets into the caller's text, with no mapping tables to get wrong.
 */

/** Code points whose NFKC form would invent digits or letters that are not really there. */
function keepAsIs(cp: number): boolean {
  return (
    cp === 0xb2 ||
    cp === 0xb3 ||
    cp === 0xb9 || // superscript digits
    (cp >= 0x2070 && cp <= 0x209f) || // super/subscripts
    (cp >= 0x2460 && cp <= 0x24ff) || // ① ⑴ ⒈ Ⓐ
    (cp >= 0x2776 && cp <= 0x2793) || // ❶ ➀
    (cp >= 0x3251 && cp <= 0x32bf) || // ㉑ ㊀
    (cp >= 0x1f100 && cp <= 0x1f1ff) // 🄀 🄐 (enclosed alphanumeric supplement)
  );
}

const DASHES = new Set([0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212, 0xfe58, 0xfe63, 0xff0d, 0x2e3a, 0x2e3b]);
const SPACES = new Set([
  0x00a0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x202f, 0x205f, 0x3000,
]);

const foldCache = new Map<string, string>();

/** The matching form of one code point (always exactly one code point). */
export function foldCodePoint(ch: string): string {
  const cached = foldCache.get(ch);
  if (cached !== undefined) return cached;
  const cp = ch.codePointAt(0)!;
  let out = ch;
  if (DASHES.has(cp)) out = '-';
  else if (SPACES.has(cp)) out = ' ';
  else if (cp >= 0x80 && !keepAsIs(cp)) {
    const n = ch.normalize('NFKC');
    if (n !== ch && Array.from(n).length === 1) out = n;
  }
  if (foldCache.size < 4096) foldCache.set(ch, out);
  return out;
}

export interface MatchingCopy {
  /** The original text split into code points. */
  readonly original: string[];
  /** The folded copy, one entry per code point of the original (the same array when nothing folds). */
  readonly folded: string[];
  /** `folded.join('')`, for regular expressions. */
  readonly foldedText: string;
  /** UTF-16 index into `foldedText` -> code-point index (length foldedText.length + 1); built when first read. */
  readonly utf16ToCp: Int32Array;
  /** ASCII digits in the folded copy. */
  readonly digits: number;
  /** The folded copy has an `@`. */
  readonly hasAt: boolean;
  /** Per code point of the folded copy: CHAR_DIGIT, CHAR_LETTER (ASCII), CHAR_UNDERSCORE or 0. */
  readonly kinds: Uint8Array;
}

export const CHAR_DIGIT = 1;
export const CHAR_LETTER = 2;
export const CHAR_UNDERSCORE = 3;

class Copy implements MatchingCopy {
  private map: Int32Array | null = null;

  constructor(
    readonly original: string[],
    readonly folded: string[],
    readonly foldedText: string,
    readonly digits: number,
    readonly hasAt: boolean,
    readonly kinds: Uint8Array,
  ) {}

  get utf16ToCp(): Int32Array {
    if (this.map) return this.map;
    const map = new Int32Array(this.foldedText.length + 1);
    let u = 0;
    for (let i = 0; i < this.folded.length; i++) {
      const len = this.folded[i]!.length;
      for (let k = 0; k < len; k++) map[u + k] = i;
      u += len;
    }
    map[u] = this.folded.length;
    return (this.map = map);
  }
}

/** foldCodePoint of each BMP code unit, filled as met: 0 not yet known, 0xffff not a single code unit. */
const FOLD_BMP = new Uint16Array(0x10000);

function foldBmp(c: number, ch: string): number {
  const folded = foldCodePoint(ch);
  const f = folded.length === 1 && folded.charCodeAt(0) !== 0xffff ? folded.charCodeAt(0) : 0xffff;
  FOLD_BMP[c] = f;
  return f;
}

export function matchingCopy(text: string): MatchingCopy {
  const original = Array.from(text);
  let folded: string[] | null = null;
  let digits = 0;
  let hasAt = false;
  const kinds = new Uint8Array(original.length);
  for (let i = 0; i < original.length; i++) {
    const ch = original[i]!;
    const c = ch.charCodeAt(0);
    let f = ch;
    if (ch.length === 2) f = foldCodePoint(ch);
    else if (c >= 0x80) {
      // ASCII folds to itself; other BMP code units through the table.
      let u = FOLD_BMP[c]!;
      if (u === 0) u = foldBmp(c, ch);
      if (u === 0xffff) f = foldCodePoint(ch);
      else if (u !== c) f = String.fromCharCode(u);
    }
    if (f !== ch && folded === null) folded = original.slice(0, i);
    if (folded !== null) folded.push(f);
    const fc = f.charCodeAt(0);
    if (fc >= 48 && fc <= 57) {
      digits++;
      kinds[i] = CHAR_DIGIT;
    } else if ((fc >= 65 && fc <= 90) || (fc >= 97 && fc <= 122)) kinds[i] = CHAR_LETTER;
    else if (fc === 95) kinds[i] = CHAR_UNDERSCORE;
    else if (fc === 64) hasAt = true;
  }
  return folded ? new Copy(original, folded, folded.join(''), digits, hasAt, kinds) : new Copy(original, original, text, digits, hasAt, kinds);
}

export const isAsciiDigit = (c: string | undefined): boolean => c !== undefined && c.length === 1 && c >= '0' && c <= '9';
export const isAsciiLetter = (c: string | undefined): boolean =>
  c !== undefined && c.length === 1 && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
export const isWordChar = (c: string | undefined): boolean => isAsciiDigit(c) || isAsciiLetter(c) || c === '_';
