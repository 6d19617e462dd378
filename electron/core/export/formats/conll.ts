/**
 * CoNLL, IOB2, one character (Unicode code point) per line: `<char> <tag>`, tags `B-<type>`,
 * `I-<type>` and `O`, a blank line after every item. An emoji or a CJK Extension B character such
 * as `𠮷` is one code point and so one line (a ZWJ emoji sequence is several code points, several
 * lines).
 *
 * Whitespace rule. Every CoNLL reader splits a line on whitespace, so a whitespace character cannot
 * be a token. Whitespace characters get **no line**: they are skipped, and a span that contains one
 * continues across it (the next character of the span is `I-`, not `B-`). "Whitespace" is anything
 * either Python's `str.split()` or JavaScript's `\s` splits on: the Unicode White_Space
 * characters (space, tab, the line breaks, U+00A0, U+1680, U+2000–U+200A, U+2028, U+2029, U+202F,
 * U+205F, U+3000) plus U+FEFF and the separators U+001C–U+001F. Consequences, all by design:
 *   - a span that starts or ends with whitespace comes back trimmed; one that is only whitespace is
 *     not written (there is no line to tag);
 *   - two spans separated only by whitespace stay two spans (the second starts with `B-`);
 *   - an item whose text is empty or only whitespace has no lines and is left out (not counted);
 *   - whitespace inside an entity label becomes `_` (`B-order_no`), see `conllLabel`.
 * `decodeConll(file, originals)` re-inserts the whitespace from the original texts, so spans come
 * back with the original code-point offsets.
 *
 * IOB2 is flat: where spans overlap (schemas that allow it), the earliest span is kept (the longest
 * of those starting together) and every span overlapping a kept one is dropped; `droppedSpans` on
 * the writer counts them.
 */
import type { ExportRecord, ExportSpan, FormatWriter, WriterOptions } from '../types';
import { RecordChecker } from './features';
import { TextFormatWriter } from './hfJsonl';

/** The code points that get no line: JavaScript's `\s` (White_Space and U+FEFF), U+001C–U+001F, U+0085. */
const WHITESPACE = new Set([
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007,
  0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff,
]);

/** True for a character (one code point) that gets no line (see the rule above). */
export function isConllWhitespace(char: string): boolean {
  return char.length === 1 && WHITESPACE.has(char.charCodeAt(0));
}

/** A label as a tag can hold it: each whitespace character (which would split the line) becomes `_`. */
export function conllLabel(label: string): string {
  return Array.from(label, (c) => (isConllWhitespace(c) ? '_' : c)).join('');
}

/** Spans as IOB2 can hold them: no overlap; returns the kept spans and how many were dropped. */
export function flatSpans(spans: readonly ExportSpan[]): { kept: ExportSpan[]; dropped: number } {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: ExportSpan[] = [];
  let end = -1;
  for (const s of sorted) {
    if (s.start < end) continue;
    kept.push(s);
    end = s.end;
  }
  return { kept, dropped: spans.length - kept.length };
}

/** The item as CoNLL lines (each with its `\n`) and the blank line after it; empty when nothing is left. */
export function conllBlock(text: string, spans: readonly ExportSpan[]): string {
  const chars = Array.from(text);
  const tags = new Array<string | undefined>(chars.length);
  for (const s of spans) {
    const label = conllLabel(s.label);
    let first = true;
    for (let i = s.start; i < s.end && i < chars.length; i++) {
      if (isConllWhitespace(chars[i]!)) continue;
      tags[i] = first ? `B-${label}` : `I-${label}`;
      first = false;
    }
  }
  const lines: string[] = [];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (!isConllWhitespace(c)) lines.push(`${c} ${tags[i] ?? 'O'}\n`);
  }
  return lines.length ? lines.join('') + '\n' : '';
}

class ConllWriter extends TextFormatWriter {
  droppedSpans = 0;

  constructor(path: string, options: WriterOptions) {
    const checker = new RecordChecker(options.features);
    super(path, (record: ExportRecord) => {
      const { entities } = checker.check(record);
      const { kept, dropped } = flatSpans(entities);
      this.droppedSpans += dropped;
      return conllBlock(record.text, kept) || null;
    });
  }
}

export function createConllWriter(path: string, options: WriterOptions): FormatWriter & { droppedSpans: number } {
  return new ConllWriter(path, options);
}

export interface ConllItem {
  /** The characters of the item's lines joined (the text without its whitespace), or the original text. */
  text: string;
  /** Spans in code points of `text`, end-exclusive, with the text they cover. */
  entities: ExportSpan[];
}

/**
 * Reads a CoNLL file of this format (one code point per line, the IOB2 tag last) back into items
 * and spans. Without `originals`, offsets are into the text without whitespace; with the original
 * texts of the items in the file, in order (items with no lines were not written, so they have no
 * text here), whitespace is put back and offsets are into the originals (a span continuing across
 * whitespace covers it). An `I-` tag that does not continue a span of its type
 * starts one (as seqeval reads IOB2 leniently).
 */
export function decodeConll(file: string, originals?: readonly string[]): ConllItem[] {
  const items: { chars: string[]; tags: string[] }[] = [];
  let current: { chars: string[]; tags: string[] } | null = null;
  const lines = file.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (const raw of lines) {
    const line = raw.trim();
    if (!line) {
      if (current) items.push(current);
      current = null;
      continue;
    }
    const parts = line.split(/\s+/);
    if (parts.length < 2) throw new Error(`conll: line ${JSON.stringify(raw)} has no tag`);
    current ??= { chars: [], tags: [] };
    current.chars.push(parts[0]!);
    current.tags.push(parts[parts.length - 1]!);
  }
  if (current) items.push(current);
  if (originals && originals.length !== items.length) throw new Error(`conll: ${items.length} items in the file, ${originals.length} original texts`);

  return items.map(({ chars, tags }, n) => {
    const original = originals?.[n];
    // Position of each token in the text the offsets refer to.
    let positions: number[];
    let textChars: string[];
    if (original === undefined) {
      textChars = chars;
      positions = chars.map((_, i) => i);
    } else {
      textChars = Array.from(original);
      positions = [];
      let t = 0;
      for (const c of chars) {
        while (t < textChars.length && isConllWhitespace(textChars[t]!)) t++;
        if (textChars[t] !== c) throw new Error(`conll: item ${n + 1} does not match its original text at code point ${t}`);
        positions.push(t++);
      }
      while (t < textChars.length && isConllWhitespace(textChars[t]!)) t++;
      if (t < textChars.length) throw new Error(`conll: item ${n + 1} ends before its original text (code point ${t})`);
    }
    const text = textChars.join('');
    const entities: ExportSpan[] = [];
    let open: { start: number; end: number; label: string } | null = null;
    const closeOpen = (): void => {
      if (!open) return;
      entities.push({ ...open, text: textChars.slice(open.start, open.end).join('') });
      open = null;
    };
    tags.forEach((tag, i) => {
      const pos = positions[i]!;
      const m = /^([BI])-(.+)$/.exec(tag);
      if (!m) {
        if (tag !== 'O') throw new Error(`conll: tag ${JSON.stringify(tag)} is not IOB2`);
        closeOpen();
        return;
      }
      const [, bio, label] = m;
      if (bio === 'I' && open && open.label === label) {
        open.end = pos + 1;
        return;
      }
      closeOpen();
      open = { start: pos, end: pos + 1, label: label! };
    });
    closeOpen();
    return { text, entities };
  });
}
