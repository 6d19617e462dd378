import { cardNetwork, isMobile, luhnValid, parseLandline, residentIdProblem } from './checks';
import { contextVerdict, type NumericType } from './context';
import { CHAR_DIGIT, isAsciiDigit, matchingCopy, type MatchingCopy } from './normalize';

/**
 * PII recognisers for mainland-Chinese customer-service text: one per type, each a structural
 * check (operator prefix, area code, GB 11643 check digit, Luhn, e-mail syntax) plus, for the
 * numeric types, context words that raise or lower the confidence. Offsets are Unicode code points
 * of the caller's text, end-exclusive.
 *
 * Conventions for what a detection covers (the synthetic and hand-written test sets follow them):
 * - separators inside a number (spaces, dashes, full-width forms) are part of the span;
 * - a country code written in front of a mobile number (`+86 `, `0086-`, `86`) is part of the span;
 * - a parenthesised area code `(0755)` / `（0755）` is part of the span, parentheses included;
 * - a trailing check character `X`/`x` of a resident ID is part of the span;
 * - landline extensions (`转 8001`, `-8001`) are not.
 */

export type PiiType = 'mobile' | 'landline' | 'resident-id' | 'bank-card' | 'email';
export const PII_TYPES: readonly PiiType[] = ['mobile', 'landline', 'resident-id', 'bank-card', 'email'];

export interface Detection {
  /** Code-point offsets into the original text, end-exclusive. */
  start: number;
  end: number;
  type: PiiType;
  /** The original text of the span. */
  text: string;
  /**
   * Canonical value: ASCII digits without separators (national number for mobiles, area code +
   * subscriber for landlines, 17 digits + upper-case check character for IDs), lower-cased e-mail.
   * The same person's number written two ways has the same value.
   */
  value: string;
  /** Code point where the value's characters begin (after a country code), >= start. */
  valueStart: number;
  /** 0..1; detections below the threshold are not reported. */
  confidence: number;
  /** Why the confidence is what it is. */
  reason: string;
  /** Landline only: number of area-code digits in `value`. */
  areaCodeLength?: number;
}

export interface DetectOptions {
  /** Which recognisers run; default all. */
  types?: readonly PiiType[];
  /** Minimum confidence, default 0.5. */
  threshold?: number;
  /** Latest plausible birth year in a resident ID; default the current year. */
  maxBirthYear?: number;
}

interface NumericCandidate {
  type: NumericType;
  value: string;
  prior: number;
  /** The digits start with a country code (86 / 0086) that is not part of `value`. */
  countryCodeGroup: boolean;
  areaCodeLength?: number;
}

/** One recogniser per type. Numeric ones classify a digit string; e-mail runs its own pattern. */
export interface NumericRecognizer {
  type: NumericType;
  /**
   * A candidate for this type from the digits of a range of digit groups, or null. `groups` are the
   * groups as written (separators removed, a trailing check X as 'X'); `plus` says a '+' stood
   * before the first group.
   */
  classify(digits: string, groups: string[], opts: { plus: boolean; maxBirthYear: number }): NumericCandidate | null;
}

const COUNTRY_CODE = /^(?:0086|86)/;

function splitCountryCode(digits: string, groups: string[], plus: boolean): { national: string; prior: number; separate: boolean } | null {
  const m = COUNTRY_CODE.exec(digits);
  if (!m) return null;
  const cc = m[0];
  const separate = groups.length > 1 && groups[0] === cc;
  if (cc === '86' && !plus && !separate && groups.length > 1) return null;
  const prior = plus || cc === '0086' ? 0.75 : separate ? 0.6 : 0.55;
  return { national: digits.slice(cc.length), prior, separate };
}

export const mobileRecognizer: NumericRecognizer = {
  type: 'mobile',
  classify(digits, groups, { plus }) {
    if (digits.length === 11 && !plus && isMobile(digits)) return { type: 'mobile', value: digits, prior: 0.7, countryCodeGroup: false };
    if (digits.length === 13 || digits.length === 15) {
      const cc = splitCountryCode(digits, groups, plus);
      if (cc && cc.national.length === 11 && isMobile(cc.national))
        return { type: 'mobile', value: cc.national, prior: cc.prior, countryCodeGroup: true };
    }
    return null;
  },
};

export const landlineRecognizer: NumericRecognizer = {
  type: 'landline',
  classify(digits, groups, { plus }) {
    if (!plus && digits.startsWith('0') && !digits.startsWith('00')) {
      const p = parseLandline(digits, groups.length > 1 ? groups[0]!.length : undefined);
      if (p) return { type: 'landline', value: digits, prior: p.knownArea ? 0.7 : 0.45, countryCodeGroup: false, areaCodeLength: p.areaCode.length };
      return null;
    }
    // +86 755 12345678 / 0086-10-12345678: the trunk 0 is dropped after a country code.
    const cc = splitCountryCode(digits, groups, plus);
    if (cc && (plus || digits.startsWith('0086'))) {
      const hint = cc.separate && groups.length > 2 ? groups[1]!.length + 1 : undefined;
      const p = parseLandline('0' + cc.national, hint);
      if (p && p.knownArea)
        return { type: 'landline', value: '0' + cc.national, prior: 0.7, countryCodeGroup: true, areaCodeLength: p.areaCode.length };
    }
    return null;
  },
};

export const residentIdRecognizer: NumericRecognizer = {
  type: 'resident-id',
  classify(digits, _groups, { plus, maxBirthYear }) {
    if (plus || digits.length !== 18) return null;
    if (residentIdProblem(digits, maxBirthYear) !== null) return null;
    return { type: 'resident-id', value: digits.toUpperCase(), prior: 0.9, countryCodeGroup: false };
  },
};

export const bankCardRecognizer: NumericRecognizer = {
  type: 'bank-card',
  classify(digits, _groups, { plus }) {
    if (plus || !/^\d+$/.test(digits)) return null;
    const net = cardNetwork(digits);
    if (!net || !luhnValid(digits)) return null;
    return { type: 'bank-card', value: digits, prior: net.prior, countryCodeGroup: false };
  },
};

/** Checked in this order; the first structural match wins (the shapes hardly overlap). */
export const NUMERIC_RECOGNIZERS: readonly NumericRecognizer[] = [residentIdRecognizer, mobileRecognizer, landlineRecognizer, bankCardRecognizer];

// ---------------------------------------------------------------- e-mail

const EMAIL =
  /(?<![A-Za-z0-9._%+-])[A-Za-z0-9_%+-](?:[A-Za-z0-9._%+-]{0,62}[A-Za-z0-9_%+-])?@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![A-Za-z0-9-])/g;
/** `logo@2x.png` is a file name, not an address. */
const FILE_EXTENSIONS = new Set(
  'png jpg jpeg gif bmp webp svg ico tif tiff heic js ts css htm html php jsp asp json xml txt csv log pdf doc docx xls xlsx ppt pptx zip rar gz tgz 7z mp3 mp4 mov avi mkv apk ipa exe dmg'.split(
    ' ',
  ),
);

export const emailRecognizer = {
  type: 'email' as const,
  /** E-mail addresses in the folded copy, as code-point ranges. */
  find(copy: MatchingCopy): { start: number; end: number; value: string }[] {
    const out: { start: number; end: number; value: string }[] = [];
    EMAIL.lastIndex = 0;
    for (let m = EMAIL.exec(copy.foldedText); m; m = EMAIL.exec(copy.foldedText)) {
      const addr = m[0];
      const tld = addr.slice(addr.lastIndexOf('.') + 1).toLowerCase();
      if (FILE_EXTENSIONS.has(tld)) continue;
      if (addr.includes('..')) continue;
      out.push({ start: copy.utf16ToCp[m.index]!, end: copy.utf16ToCp[m.index + addr.length]!, value: addr.toLowerCase() });
    }
    return out;
  },
};

// ---------------------------------------------------------------- number tokens

/** URLs in the folded copy (where `，` is already `,`): stop at CJK, spaces and clause punctuation. */
const URL = /(?:https?:\/\/|www\.)[^\s\u3000-\u303f\u3400-\u9fff\uff00-\uffef"'<>,;!()[\]{}]+/gi;

interface Group {
  start: number;
  /** exclusive; includes a trailing X */
  end: number;
  digits: string;
}

interface Token {
  groups: Group[];
  /** index of a '+' right before the first group */
  plus: number | null;
  /** index of '(' when the first group is written `(0755)` */
  paren: number | null;
  taintedStart: boolean;
  taintedEnd: boolean;
}

const free = (f: string[], blocked: Uint8Array, k: number): boolean => k >= 0 && k < f.length && blocked[k] === 0;

// `kinds` (see MatchingCopy) stands for isAsciiDigit / isWordChar of each code point; out of range,
// a typed array reads undefined: neither a digit nor a word character.
const isDigit = (kinds: Uint8Array, k: number): boolean => kinds[k] === CHAR_DIGIT;
const isWord = (kinds: Uint8Array, k: number): boolean => (kinds[k] ?? 0) > 0;
const freeDigit = (kinds: Uint8Array, blocked: Uint8Array, k: number): boolean => kinds[k] === CHAR_DIGIT && blocked[k] === 0;

function scanTokens(f: string[], kinds: Uint8Array, blocked: Uint8Array): Token[] {
  const tokens: Token[] = [];
  const n = f.length;
  let i = 0;
  while (i < n) {
    if (!freeDigit(kinds, blocked, i) || isDigit(kinds, i - 1)) {
      i++;
      continue;
    }
    const plus = f[i - 1] === '+' ? i - 1 : null;
    const open = f[i - 1] === '(' ? i - 1 : null;
    const lead = plus ?? open ?? i;
    const taintedStart = isWord(kinds, lead - 1) || (f[lead - 1] === '.' && isDigit(kinds, lead - 2)) || (lead > 0 && !free(f, blocked, lead - 1));
    const groups: Group[] = [];
    let paren: number | null = null;
    let j = i;
    for (;;) {
      const gs = j;
      while (freeDigit(kinds, blocked, j)) j++;
      const g: Group = { start: gs, end: j, digits: f.slice(gs, j).join('') };
      groups.push(g);
      if ((f[j] === 'X' || f[j] === 'x') && free(f, blocked, j) && !isWord(kinds, j + 1)) {
        g.end = j + 1;
        g.digits += 'X';
        j++;
        break;
      }
      let sep = 0;
      if (f[j] === ' ' || f[j] === '-') sep = 1;
      else if (f[j] === ')' && open !== null && groups.length === 1) {
        sep = f[j + 1] === ' ' || f[j + 1] === '-' ? 2 : 1;
        paren = open;
      }
      if (sep > 0 && free(f, blocked, j) && freeDigit(kinds, blocked, j + sep)) {
        j += sep;
        continue;
      }
      if (paren !== null && groups.length === 1) paren = null;
      break;
    }
    const last = groups[groups.length - 1]!;
    const taintedEnd =
      isWord(kinds, last.end) || (f[last.end] === '.' && isDigit(kinds, last.end + 1)) || (last.end < n && !free(f, blocked, last.end));
    tokens.push({ groups, plus, paren, taintedStart, taintedEnd });
    i = last.end;
  }
  return tokens;
}

/**
 * `6635 0494 7367 0340`, `7856-0510-9254-9641`: three or more groups of the same short length are
 * one number written in chunks (a coupon, a gift card, an order); a piece of it is not a phone.
 */
function isChunked(groups: Group[]): boolean {
  if (groups.length < 3) return false;
  const len = groups[0]!.digits.length;
  if (len < 3 || len > 6) return false;
  return groups.every((g, k) => (k < groups.length - 1 ? g.digits.length === len : g.digits.length <= len));
}

function rangeShapeOk(groups: Group[], g: number, h: number): boolean {
  for (let k = g; k <= h; k++) {
    const len = groups[k]!.digits.replace('X', '').length;
    if (k < h && len < 2) return false;
    if (k < h && groups[k]!.digits.endsWith('X')) return false;
  }
  return true;
}

/**
 * All PII in `text`, sorted by start, non-overlapping. E-mail addresses are found first; digits
 * inside them (QQ-number addresses, 13812345678@163.com) are not looked at again.
 */
export function detectPii(text: string, options: DetectOptions = {}): Detection[] {
  return detectInCopy(matchingCopy(text), options);
}

/**
 * The fewest digits any numeric recogniser accepts: a landline with its area code (10), a mobile
 * (11), a card (15), an ID (18). A shorter digit run is never classified.
 */
const MIN_NUMBER_DIGITS = 10;

const URL_HINT = /:\/\/|www\./i;
const ALL_TYPES: ReadonlySet<PiiType> = new Set(PII_TYPES);

function sliceOf(copy: MatchingCopy, s: number, e: number): string {
  return copy.original.slice(s, e).join('');
}

export function detectInCopy(copy: MatchingCopy, options: DetectOptions = {}): Detection[] {
  // Nothing to find: no e-mail without an @, no number without enough digits.
  if (!copy.hasAt && copy.digits < MIN_NUMBER_DIGITS) return [];
  const types = options.types ? new Set(options.types) : ALL_TYPES;
  const threshold = options.threshold ?? 0.5;
  const maxBirthYear = options.maxBirthYear ?? new Date().getFullYear();
  const f = copy.folded;
  const out: Detection[] = [];

  const blocked = new Uint8Array(f.length);
  for (const e of copy.hasAt ? emailRecognizer.find(copy) : []) {
    blocked.fill(1, e.start, e.end);
    if (types.has('email'))
      out.push({
        start: e.start,
        end: e.end,
        type: 'email',
        text: sliceOf(copy, e.start, e.end),
        value: e.value,
        valueStart: e.start,
        confidence: 0.95,
        reason: 'address syntax',
      });
  }
  // Every URL match starts with :// or www. (the hint only saves running the pattern).
  URL.lastIndex = 0;
  for (let m = URL_HINT.test(copy.foldedText) ? URL.exec(copy.foldedText) : null; m; m = URL.exec(copy.foldedText)) {
    blocked.fill(1, copy.utf16ToCp[m.index]!, copy.utf16ToCp[m.index + m[0].length]!);
  }

  // All numeric recognisers classify (so an ID is never taken for a card when only cards are
  // asked for); only the requested types are reported.
  if (NUMERIC_RECOGNIZERS.some((r) => types.has(r.type))) {
    for (const tok of scanTokens(f, copy.kinds, blocked)) {
      const gs = tok.groups;
      let tokenDigits = 0;
      for (const g of gs) tokenDigits += g.digits.length;
      if (tokenDigits < MIN_NUMBER_DIGITS) continue;
      const chunked = isChunked(gs);
      let g = 0;
      while (g < gs.length) {
        if (chunked && g > 0) break;
        let advanced = false;
        if (g === 0 && tok.taintedStart) {
          g++;
          continue;
        }
        for (let h = gs.length - 1; h >= g; h--) {
          if (h === gs.length - 1 && tok.taintedEnd) continue;
          if (chunked && h < gs.length - 1) break;
          if (!rangeShapeOk(gs, g, h)) continue;
          const groupDigits = gs.slice(g, h + 1).map((x) => x.digits);
          const digits = groupDigits.join('');
          const plus = g === 0 && tok.plus !== null;
          let cand: NumericCandidate | null = null;
          for (const r of NUMERIC_RECOGNIZERS) {
            cand = r.classify(digits, groupDigits, { plus, maxBirthYear });
            if (cand) break;
          }
          if (!cand) continue;
          const start = g === 0 && tok.paren !== null ? tok.paren : plus && cand.countryCodeGroup ? tok.plus! : gs[g]!.start;
          const end = gs[h]!.end;
          const verdict = contextVerdict(f, start, end, cand.type);
          const confidence = Math.max(0, Math.min(1, cand.prior + verdict.delta));
          if (confidence >= threshold && types.has(cand.type)) {
            let valueStart = start;
            if (cand.countryCodeGroup) {
              // skip the country-code digits (and the separator after them)
              let skip = digits.length - cand.value.length + (cand.type === 'landline' ? 1 : 0);
              valueStart = gs[g]!.start;
              while (skip > 0) {
                if (isAsciiDigit(f[valueStart])) skip--;
                valueStart++;
              }
              while (valueStart < end && !isAsciiDigit(f[valueStart])) valueStart++;
            }
            const d: Detection = {
              start,
              end,
              type: cand.type,
              text: sliceOf(copy, start, end),
              value: cand.value,
              valueStart,
              confidence,
              reason: verdict.reason,
            };
            if (cand.areaCodeLength !== undefined) d.areaCodeLength = cand.areaCodeLength;
            out.push(d);
          }
          g = h + 1;
          advanced = true;
          break;
        }
        if (!advanced) g++;
      }
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

/** Convenience: the structural check of each type on a bare value (no context). */
export function isValidPii(type: PiiType, value: string): boolean {
  const copy = matchingCopy(value);
  const s = copy.folded.join('');
  if (type === 'email') {
    const found = emailRecognizer.find(copy);
    return found.length === 1 && found[0]!.start === 0 && found[0]!.end === copy.folded.length;
  }
  const digits = s.replace(/[\s()+-]/g, '');
  const r = NUMERIC_RECOGNIZERS.find((x) => x.type === type)!;
  return r.classify(digits, [digits], { plus: s.startsWith('+'), maxBirthYear: new Date().getFullYear() }) !== null;
}
