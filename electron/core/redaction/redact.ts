import { detectInCopy, type Detection, type DetectOptions, type PiiType } from './recognizers';
import { foldCodePoint, isAsciiDigit, matchingCopy } from './normalize';
import { personalRegions, remapSpan, remapSpans, type ReplacementOffsets, type SpanLike } from './spans';
import { keyBytes, pseudonymForLabel, pseudonymValue, type PseudonymKey } from './surrogates';

/**
 * Redaction of one text, usable wherever text leaves the trusted side: at import (before
 * outsourced annotators see it), when packs are made, at export.
 *
 * - `placeholder`: `[手机号]`, `[身份证号]`, … and `[<label>]` for personal entity spans;
 * - `mask`: `138****5678` (first 3 and last 4 digits kept), `0755-****5678` (area code and last 4),
 *   `110***********002X` (first 3, last 4), `6222 **** **** 1234` (first 4, last 4),
 *   `z*******@qq.com` (first character and domain), `欧**娜` / `张*` for personal spans (first and last
 *   character of three or more); length-preserving, so offsets do not move;
 * - `pseudonym`: a consistent, format-valid surrogate from HMAC-SHA256 under a per-project key,
 *   written in the original's layout (separators, full-width digits and country code kept); for
 *   personal spans one of the same length (surrogates.ts, pseudonymForLabel).
 */

export type RedactionMode = 'placeholder' | 'mask' | 'pseudonym';

export const DEFAULT_PLACEHOLDERS: Readonly<Record<PiiType, string>> = {
  mobile: '[手机号]',
  landline: '[座机号]',
  'resident-id': '[身份证号]',
  'bank-card': '[银行卡号]',
  email: '[邮箱]',
};

export type LabelledSpan = SpanLike & { label: string };

export interface RedactOptions<S extends LabelledSpan = LabelledSpan> extends DetectOptions {
  mode: RedactionMode;
  /** Per-project secret for `pseudonym` mode (>= 16 bytes); see generatePseudonymKey. */
  key?: PseudonymKey;
  /** The text's annotation spans (code points); they come back remapped in `spans`. */
  spans?: readonly S[];
  /** Entity labels whose spans are personal (names, addresses, …) and are redacted too. */
  personalTypes?: readonly string[];
  /** Override the placeholder of a type. */
  placeholders?: Partial<Record<PiiType, string>>;
  /** Mask character, default `*`. */
  maskChar?: string;
  /** Run the recognisers (default true); false redacts only personal spans. */
  detect?: boolean;
}

export interface Replacement extends ReplacementOffsets {
  /** A PiiType, or the label of a personal entity span. */
  type: string;
  /**
   * The redacted text. It is returned for audit and undo on the trusted side and must never be
   * written to a pack or an export.
   */
  original: string;
  replacement: string;
  source: 'recognizer' | 'span';
  /** Recogniser confidence (recogniser replacements only). */
  confidence?: number;
}

export interface RedactResult<S extends LabelledSpan = LabelledSpan> {
  text: string;
  /** Sorted, non-overlapping; offsets in code points. */
  replacements: Replacement[];
  /** `options.spans` remapped onto the redacted text, labels kept. */
  spans: S[];
  /** Remaps any span of the original text onto the redacted text (see spans.ts for the rule). */
  remap<T extends SpanLike>(span: T): T;
}

interface Region {
  start: number;
  end: number;
  det?: Detection;
  label?: string;
}

const FULLWIDTH_ZERO = 0xff10;

function isFullWidth(ch: string): boolean {
  const c = ch.codePointAt(0)!;
  return c >= 0xff01 && c <= 0xff5e;
}

/** Value slots of a detection: indices (into the span's code points) of its digits / check X. */
function valueSlots(cps: string[], det: Detection): number[] {
  const slots: number[] = [];
  for (let i = det.valueStart - det.start; i < cps.length; i++) {
    const f = foldCodePoint(cps[i]!);
    if (isAsciiDigit(f) || f === 'X' || f === 'x') slots.push(i);
  }
  return slots;
}

/** `+86 755 82345678`: the trunk 0 of the area code is in the value but not in the text. */
function trunkDropped(det: Detection, slots: number[]): boolean {
  return det.type === 'landline' && slots.length === det.value.length - 1;
}

function keepInMask(det: Detection, k: number, n: number, dropped: boolean): boolean {
  switch (det.type) {
    case 'mobile':
      return k < 3 || k >= n - 4;
    case 'landline':
      return k < (det.areaCodeLength ?? 4) - (dropped ? 1 : 0) || k >= n - 4;
    case 'resident-id':
      return k < 3 || k >= n - 4;
    case 'bank-card':
      return k < 4 || k >= n - 4;
    default:
      return true;
  }
}

function maskDetection(det: Detection, maskChar: string): string {
  const cps = Array.from(det.text);
  if (det.type === 'email') {
    const at = cps.findIndex((c) => foldCodePoint(c) === '@');
    return cps.map((c, i) => (i === 0 || i >= at ? c : maskChar)).join('');
  }
  const slots = valueSlots(cps, det);
  const dropped = trunkDropped(det, slots);
  slots.forEach((pos, k) => {
    if (!keepInMask(det, k, slots.length, dropped)) cps[pos] = maskChar;
  });
  return cps.join('');
}

/** Writes `surrogate` into the original's layout: separators, country code, full-width forms kept. */
function layOut(det: Detection, surrogate: string): string {
  if (det.type === 'email') return surrogate;
  const cps = Array.from(det.text);
  const slots = valueSlots(cps, det);
  if (trunkDropped(det, slots)) surrogate = surrogate.slice(1);
  if (slots.length !== surrogate.length) return surrogate;
  slots.forEach((pos, k) => {
    const orig = cps[pos]!;
    const ch = surrogate[k]!;
    if (ch === 'X') cps[pos] = orig === 'x' ? 'x' : orig === 'ｘ' ? 'ｘ' : isFullWidth(orig) ? 'Ｘ' : 'X';
    else cps[pos] = isFullWidth(orig) ? String.fromCodePoint(FULLWIDTH_ZERO + Number(ch)) : ch;
  });
  return cps.join('');
}

/** A personal span's text masked: first and last character kept, the rest `*` (whitespace kept); one or two characters keep only the first. */
function maskLabel(original: string, maskChar: string): string {
  const cps = Array.from(original);
  if (cps.length === 1) return maskChar;
  const last = cps.length > 2 ? cps.length - 1 : -1;
  return cps.map((c, i) => (i === 0 || i === last || /\s/.test(c) ? c : maskChar)).join('');
}

/** Merges recogniser detections and personal spans into non-overlapping regions. */
function regionsFor(detections: Detection[], personal: { start: number; end: number; label: string }[]): Region[] {
  const all: Region[] = [
    ...detections.map((d) => ({ start: d.start, end: d.end, det: d })),
    ...personal.map((p) => ({ start: p.start, end: p.end, label: p.label })),
  ].sort((a, b) => a.start - b.start || b.end - a.end);
  const clusters: Region[][] = [];
  let clusterEnd = -1;
  for (const r of all) {
    if (clusters.length > 0 && r.start < clusterEnd) {
      clusters[clusters.length - 1]!.push(r);
      clusterEnd = Math.max(clusterEnd, r.end);
    } else {
      clusters.push([r]);
      clusterEnd = r.end;
    }
  }
  return clusters.map((c) => {
    const start = Math.min(...c.map((r) => r.start));
    const end = Math.max(...c.map((r) => r.end));
    const dets = c.filter((r) => r.det);
    const labels = c.filter((r) => r.label !== undefined);
    // A personal span exactly on a recognised value: the recogniser's format-aware replacement.
    if (dets.length === 1 && dets[0]!.start === start && dets[0]!.end === end) return dets[0]!;
    if (labels.length === 0) return dets[0]!;
    const longest = labels.reduce((a, b) => (b.end - b.start > a.end - a.start ? b : a));
    return { start, end, label: longest.label };
  });
}

function remapper(replacements: readonly ReplacementOffsets[]): RedactResult['remap'] {
  return (span) => remapSpan(span, replacements);
}

export function redactText<S extends LabelledSpan = LabelledSpan>(text: string, options: RedactOptions<S>): RedactResult<S> {
  const maskChar = options.maskChar ?? '*';
  const placeholders = { ...DEFAULT_PLACEHOLDERS, ...options.placeholders };
  const key = options.mode === 'pseudonym' ? keyBytes(options.key) : null;
  const copy = matchingCopy(text);
  const detections = options.detect === false ? [] : detectInCopy(copy, options);
  const personal = options.personalTypes && options.spans ? personalRegions(options.spans, options.personalTypes) : [];
  const regions = detections.length || personal.length ? regionsFor(detections, personal) : [];
  if (!regions.length) {
    return {
      text,
      replacements: [],
      spans: options.spans ? remapSpans(options.spans, []) : [],
      remap: <T extends SpanLike>(span: T): T => remapSpan(span, []),
    };
  }

  const cps = copy.original;
  const replacements: Replacement[] = [];
  let out = '';
  let pos = 0;
  let newPos = 0;
  for (const r of regions) {
    const before = cps.slice(pos, r.start).join('');
    out += before;
    newPos += r.start - pos;
    const original = cps.slice(r.start, r.end).join('');
    let replacement: string;
    let type: string;
    if (r.det) {
      const det = r.det;
      type = det.type;
      if (options.mode === 'placeholder') replacement = placeholders[det.type];
      else if (options.mode === 'mask') replacement = maskDetection(det, maskChar);
      else replacement = layOut(det, pseudonymValue(key!, det.type, det.value, det.areaCodeLength));
    } else {
      type = r.label!;
      if (options.mode === 'placeholder') replacement = `[${type}]`;
      else if (options.mode === 'mask') replacement = maskLabel(original, maskChar);
      else replacement = pseudonymForLabel(key!, type, original);
    }
    const len = Array.from(replacement).length;
    const rep: Replacement = {
      start: r.start,
      end: r.end,
      newStart: newPos,
      newEnd: newPos + len,
      type,
      original,
      replacement,
      source: r.det ? 'recognizer' : 'span',
    };
    if (r.det) rep.confidence = r.det.confidence;
    replacements.push(rep);
    out += replacement;
    newPos += len;
    pos = r.end;
  }
  out += cps.slice(pos).join('');

  return {
    text: out,
    replacements,
    spans: options.spans ? remapSpans(options.spans, replacements) : [],
    remap: remapper(replacements),
  };
}
