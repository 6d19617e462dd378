/**
 * Which code points of the ORIGINAL text each transformer token covers.
 *
 * The token vectors come from transformers.js (`pipeline('feature-extraction', …, { pooling: 'none' })`),
 * whose rows are `[CLS] t0 t1 … t(n-1) [SEP]`. `align(text).tokens` lists t0…t(n-1) only, so
 * **model row i + 1 is `tokens[i]`** (row 0 is [CLS]; the last row is [SEP] unless the text was
 * truncated). Offsets are Unicode code points, end-exclusive, like every span.
 *
 * Truncation: `align` keeps at most `maxTokens - 2` tokens (default 512 - 2 = 510). The pipeline
 * tokenizes with `truncation: true`, and transformers.js 2.17.2 then just cuts input_ids to 512
 * WITHOUT re-adding [SEP]: rows 1…510 are tokens[0…509] and row 511 is the 511th text token, which
 * `align` leaves out (check `truncated`). Batched calls pad shorter texts after their [SEP].
 *
 * This reproduces @xenova/transformers 2.17.2 (`BertNormalizer` + `BertPreTokenizer` + `WordPieceTokenizer`)
 * id for id, including its quirks, which differ from the Python/Rust BERT tokenizer:
 * - added tokens ([PAD] [UNK] [CLS] [SEP] [MASK]) written literally in the text are split off
 *   first and become those special ids;
 * - clean text: NUL, U+FFFD and control/format/private-use/surrogate characters (Cc Cf Co Cs, but
 *   not \t \n \r) are dropped, whatever JavaScript's `\s` matches becomes a space;
 * - CJK ideographs are split into single tokens only in the BMP (U+4E00–9FFF, U+3400–4DBF,
 *   U+F900–FAFF): transformers.js tests UTF-16 units, so CJK Extension B (𠮷, U+20BB7) is NOT
 *   split off and stays glued to neighbouring non-space, non-punctuation characters;
 * - lowercase (`toLowerCase`, with Greek final sigma) and accent stripping (NFD, then drop
 *   U+0300–U+036F) when configured; both are done per code point here, so offsets survive;
 * - words are maximal runs of non-whitespace non-punctuation, and every punctuation mark
 *   (`\p{P}` and ASCII symbols) is a word of its own;
 * - WordPiece: longest match first, `##` for continuations; a word longer than 100 code points, or
 *   one that cannot be pieced, is ONE [UNK] covering the whole word (so an emoji glued to a Latin
 *   word makes the whole word [UNK]).
 *
 * NOTE: the bge-small-zh-v1.5 tokenizer that ships in resources/models (tokenizer.json,
 * tokenizer_config.json) has `lowercase: false` / `do_lower_case: false`, so transformers.js does NOT
 * lowercase: 'iPhone' and 'DD20241105001' are single [UNK] tokens. `fromVocab` therefore defaults to
 * `lowercase: false`; `fromTokenizerJson` reads the setting from the file.
 *
 * Offsets: a token covers the original code points its normalized characters came from; inside a
 * word, combining marks removed by accent stripping belong to the piece before them. When one code
 * point expands into several normalized characters (e.g. Hangul syllables under NFD, 'İ' lowercased)
 * and WordPiece cuts between them, the two pieces share that code point (the only case where token
 * offsets overlap).
 */

export interface AlignedToken {
  /** Vocabulary id, as the model sees it. */
  id: number;
  /** The vocabulary entry ('##' marks a continuation piece), or the special token. */
  piece: string;
  /** Code-point offsets into the original text, end-exclusive. */
  start: number;
  end: number;
}

export interface Alignment {
  /** Text tokens without [CLS]/[SEP]: model row i + 1 is tokens[i]. */
  tokens: AlignedToken[];
  /** True when tokens were dropped to fit `maxTokens`. */
  truncated: boolean;
  /** How many text tokens the whole text has (before truncation). */
  totalTokens: number;
}

export interface AlignerOptions {
  /** Lowercase before WordPiece. Default false: what the shipped bge-small-zh-v1.5 tokenizer.json does. */
  lowercase?: boolean;
  /** Strip accents. Default (null/undefined): follow `lowercase`, like HF's BertNormalizer. */
  stripAccents?: boolean | null;
  /** Put spaces around CJK ideographs. Default true. */
  tokenizeChineseChars?: boolean;
  /** Drop control characters and turn whitespace into spaces. Default true. */
  cleanText?: boolean;
  /** Sequence length the model gets, including [CLS] and [SEP]. Default 512 (model_max_length). */
  maxTokens?: number;
  /** Words longer than this (in code points) become [UNK]. Default 100. */
  maxInputCharsPerWord?: number;
  unkToken?: string;
  continuingSubwordPrefix?: string;
  /** Added tokens matched literally in the raw text. Default: [PAD] [UNK] [CLS] [SEP] [MASK] when in the vocabulary. */
  specialTokens?: string[];
}

const DEFAULT_SPECIALS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];

/** Same classes transformers.js uses (tokenizers.js, PUNCTUATION_REGEX and BertNormalizer._is_control). */
const PUNCTUATION = '\\p{P}\\u0021-\\u002F\\u003A-\\u0040\\u005B-\\u0060\\u007B-\\u007E';
const IS_PUNCTUATION = new RegExp(`^[${PUNCTUATION}]$`, 'u');
const IS_WHITESPACE_U = /^\s$/u;
const IS_WHITESPACE = /^\s$/;
const IS_CONTROL = /^(?:\p{Cc}|\p{Cf}|\p{Co}|\p{Cs})$/u;
const IS_MARK = /^\p{M}$/u;
const IS_STRIPPED_ACCENT = /^[\u0300-\u036f]$/;

function isControl(ch: string): boolean {
  if (ch === '\t' || ch === '\n' || ch === '\r') return false;
  return IS_CONTROL.test(ch);
}

function isChineseChar(ch: string): boolean {
  // transformers.js looks at UTF-16 units: astral ideographs (Extension B and later) never match.
  if (ch.length !== 1) return false;
  const cp = ch.charCodeAt(0);
  return (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0xf900 && cp <= 0xfaff);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A normalized character (one code point) and the original code point it came from (-1: inserted). */
interface Unit {
  ch: string;
  origin: number;
}

export class BertTokenAligner {
  readonly vocab: ReadonlyMap<string, number>;
  readonly unkId: number;
  readonly lowercase: boolean;
  readonly stripAccents: boolean;
  readonly maxTokens: number;
  private readonly tokenizeChineseChars: boolean;
  private readonly cleanText: boolean;
  private readonly maxInputCharsPerWord: number;
  private readonly unkToken: string;
  private readonly prefix: string;
  private readonly specialRegex: RegExp | null;

  constructor(vocab: ReadonlyMap<string, number>, opts: AlignerOptions = {}) {
    this.vocab = vocab;
    this.unkToken = opts.unkToken ?? '[UNK]';
    const unkId = vocab.get(this.unkToken);
    if (unkId === undefined) throw new Error(`the vocabulary has no ${this.unkToken}`);
    this.unkId = unkId;
    this.lowercase = opts.lowercase ?? false;
    this.stripAccents = opts.stripAccents ?? this.lowercase;
    this.tokenizeChineseChars = opts.tokenizeChineseChars ?? true;
    this.cleanText = opts.cleanText ?? true;
    this.maxTokens = opts.maxTokens ?? 512;
    if (!Number.isInteger(this.maxTokens) || this.maxTokens < 2) throw new Error('maxTokens must be an integer >= 2 ([CLS] and [SEP])');
    this.maxInputCharsPerWord = opts.maxInputCharsPerWord ?? 100;
    this.prefix = opts.continuingSubwordPrefix ?? '##';
    const specials = (opts.specialTokens ?? DEFAULT_SPECIALS.filter((t) => vocab.has(t))).filter((t) => t.length > 0);
    this.specialRegex = specials.length > 0 ? new RegExp(specials.map(escapeRegExp).join('|'), 'g') : null;
  }

  /**
   * From the content of vocab.txt (one entry per line, id = line number). Only '\n' ends a line:
   * this vocabulary has an entry that is U+2028, which other line splitters would break on.
   */
  static fromVocab(vocabText: string, opts: AlignerOptions = {}): BertTokenAligner {
    const lines = vocabText.split('\n');
    if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    const vocab = new Map<string, number>();
    lines.forEach((line, i) => {
      const entry = line.endsWith('\r') ? line.slice(0, -1) : line;
      vocab.set(entry, i);
    });
    return new BertTokenAligner(vocab, opts);
  }

  /**
   * From the content of tokenizer.json (a BertNormalizer + WordPiece tokenizer): vocabulary,
   * normalizer settings and added tokens are taken from the file; `opts` overrides them.
   */
  static fromTokenizerJson(json: string | object, opts: AlignerOptions = {}): BertTokenAligner {
    const config = (typeof json === 'string' ? JSON.parse(json) : json) as {
      normalizer?: {
        type?: string;
        clean_text?: boolean;
        handle_chinese_chars?: boolean;
        strip_accents?: boolean | null;
        lowercase?: boolean;
      } | null;
      added_tokens?: { content: string }[];
      model?: {
        type?: string;
        vocab?: Record<string, number>;
        unk_token?: string;
        continuing_subword_prefix?: string;
        max_input_chars_per_word?: number;
      };
    };
    const model = config.model;
    if (!model || model.type !== 'WordPiece' || !model.vocab) throw new Error('tokenizer.json: not a WordPiece tokenizer');
    if (config.normalizer && config.normalizer.type !== 'BertNormalizer')
      throw new Error(`tokenizer.json: unsupported normalizer ${config.normalizer.type}`);
    // Missing settings are off, as transformers.js reads them (not the HF defaults).
    const n = config.normalizer ?? {};
    const fromFile: AlignerOptions = {
      lowercase: n.lowercase ?? false,
      stripAccents: n.strip_accents ?? null,
      tokenizeChineseChars: n.handle_chinese_chars ?? false,
      cleanText: n.clean_text ?? false,
      unkToken: model.unk_token ?? '[UNK]',
      continuingSubwordPrefix: model.continuing_subword_prefix ?? '##',
      maxInputCharsPerWord: model.max_input_chars_per_word ?? 100,
      specialTokens: (config.added_tokens ?? []).map((t) => t.content),
    };
    return new BertTokenAligner(new Map(Object.entries(model.vocab)), { ...fromFile, ...opts });
  }

  /** Tokens of `text` with their code-point spans; see the file comment for the row mapping. */
  align(text: string, opts: { maxTokens?: number } = {}): Alignment {
    const maxTokens = opts.maxTokens ?? this.maxTokens;
    if (!Number.isInteger(maxTokens) || maxTokens < 2) throw new Error('maxTokens must be an integer >= 2 ([CLS] and [SEP])');
    const cps = Array.from(text);
    const tokens: AlignedToken[] = [];

    // Added tokens are split off the raw text before anything else, as transformers.js does.
    let sectionStart = 0; // code points
    let utf16 = 0;
    let cpAt = 0;
    const toCp = (index: number): number => {
      while (utf16 < index) {
        utf16 += (cps[cpAt] ?? '').length;
        cpAt++;
      }
      return cpAt;
    };
    if (this.specialRegex) {
      this.specialRegex.lastIndex = 0;
      for (let m = this.specialRegex.exec(text); m; m = this.specialRegex.exec(text)) {
        const start = toCp(m.index);
        const end = toCp(m.index + m[0].length);
        this.tokenizeSection(cps, sectionStart, start, tokens);
        tokens.push({ id: this.vocab.get(m[0]) ?? this.unkId, piece: m[0], start, end });
        sectionStart = end;
      }
    }
    this.tokenizeSection(cps, sectionStart, cps.length, tokens);

    const keep = maxTokens - 2;
    const totalTokens = tokens.length;
    if (tokens.length > keep) tokens.length = keep;
    return { tokens, truncated: totalTokens > keep, totalTokens };
  }

  /** Vocabulary id of a piece, or the [UNK] id. */
  idOf(piece: string): number {
    return this.vocab.get(piece) ?? this.unkId;
  }

  private normalize(cps: string[], from: number, to: number): Unit[] {
    let units: Unit[] = [];
    for (let i = from; i < to; i++) {
      const ch = cps[i]!;
      if (this.cleanText) {
        const c = ch.charCodeAt(0);
        if (c === 0 || c === 0xfffd || isControl(ch)) continue;
        if (IS_WHITESPACE.test(ch)) {
          units.push({ ch: ' ', origin: -1 });
          continue;
        }
      }
      if (this.tokenizeChineseChars && isChineseChar(ch)) {
        units.push({ ch: ' ', origin: -1 }, { ch, origin: i }, { ch: ' ', origin: -1 });
      } else {
        units.push({ ch, origin: i });
      }
    }
    if (this.lowercase) units = lowercaseUnits(units);
    if (this.stripAccents) units = stripAccentUnits(units);
    return units;
  }

  private tokenizeSection(cps: string[], from: number, to: number, out: AlignedToken[]): void {
    if (from >= to) return;
    const units = this.normalize(cps, from, to);
    // Original code points that left at least one normalized character.
    const produced = new Set<number>();
    for (const u of units) if (u.origin >= 0) produced.add(u.origin);
    let i = 0;
    while (i < units.length) {
      const u = units[i]!;
      if (IS_WHITESPACE_U.test(u.ch)) {
        i++;
        continue;
      }
      if (IS_PUNCTUATION.test(u.ch)) {
        this.wordPiece(units, i, i + 1, cps, produced, out);
        i++;
        continue;
      }
      let j = i + 1;
      while (j < units.length && !IS_WHITESPACE_U.test(units[j]!.ch) && !IS_PUNCTUATION.test(units[j]!.ch)) j++;
      this.wordPiece(units, i, j, cps, produced, out);
      i = j;
    }
  }

  /** WordPiece over units[from, to) (one word), pushing tokens with original offsets. */
  private wordPiece(units: Unit[], from: number, to: number, cps: string[], produced: ReadonlySet<number>, out: AlignedToken[]): void {
    const first = units[from]!.origin;
    // The word's end: after its last code point and any combining marks dropped right after it.
    let wordEnd = units[to - 1]!.origin + 1;
    while (wordEnd < cps.length && !produced.has(wordEnd) && IS_MARK.test(cps[wordEnd]!)) wordEnd++;
    const n = to - from;
    if (n > this.maxInputCharsPerWord) {
      out.push({ id: this.unkId, piece: this.unkToken, start: first, end: wordEnd });
      return;
    }
    const pieces: { piece: string; id: number; from: number; to: number }[] = [];
    let start = from;
    while (start < to) {
      let end = to;
      let found: { piece: string; id: number } | null = null;
      while (start < end) {
        let sub = '';
        for (let k = start; k < end; k++) sub += units[k]!.ch;
        if (start > from) sub = this.prefix + sub;
        const id = this.vocab.get(sub);
        if (id !== undefined) {
          found = { piece: sub, id };
          break;
        }
        end--;
      }
      if (!found) {
        out.push({ id: this.unkId, piece: this.unkToken, start: first, end: wordEnd });
        return;
      }
      pieces.push({ ...found, from: start, to: end });
      start = end;
    }
    pieces.forEach((p, k) => {
      const next = pieces[k + 1];
      const lastOrigin = units[p.to - 1]!.origin;
      const end = next ? Math.max(lastOrigin + 1, units[next.from]!.origin) : wordEnd;
      out.push({ id: p.id, piece: p.piece, start: units[p.from]!.origin, end });
    });
  }
}

/** `toLowerCase` per code point (origins kept), with the context-dependent Greek final sigma done on the whole string. */
function lowercaseUnits(units: Unit[]): Unit[] {
  const out: Unit[] = [];
  let whole: string | null = null;
  let pos = 0; // UTF-16 position of the current unit in the lowercased whole string
  for (const u of units) {
    let lower: string;
    if (u.ch === '\u03a3') {
      whole ??= units
        .map((x) => x.ch)
        .join('')
        .toLowerCase();
      lower = whole[pos] ?? '\u03c3';
    } else {
      lower = u.ch.toLowerCase();
    }
    pos += lower.length;
    for (const c of lower) out.push({ ch: c, origin: u.origin });
  }
  return out;
}

/**
 * NFD, then drop U+0300–U+036F, like `text.normalize('NFD').replace(/[\u0300-\u036f]/g, '')`. NFD
 * only reorders combining marks within a run that follows one base character, so each such
 * cluster is normalized as a whole and every resulting character is traced back to the code point
 * whose own decomposition contains it.
 */
function stripAccentUnits(units: Unit[]): Unit[] {
  const out: Unit[] = [];
  let i = 0;
  while (i < units.length) {
    let j = i + 1;
    while (j < units.length && IS_MARK.test(units[j]!.ch)) j++;
    if (j === i + 1) {
      const u = units[i]!;
      for (const c of u.ch.normalize('NFD')) if (!IS_STRIPPED_ACCENT.test(c)) out.push({ ch: c, origin: u.origin });
    } else {
      const cluster = units.slice(i, j);
      const pool: (Unit | null)[] = cluster.flatMap((u) => Array.from(u.ch.normalize('NFD'), (c) => ({ ch: c, origin: u.origin })));
      const fallback = cluster[0]!.origin;
      for (const c of cluster
        .map((u) => u.ch)
        .join('')
        .normalize('NFD')) {
        const k = pool.findIndex((p) => p !== null && p.ch === c);
        const origin = k >= 0 ? pool[k]!.origin : fallback;
        if (k >= 0) pool[k] = null;
        if (!IS_STRIPPED_ACCENT.test(c)) out.push({ ch: c, origin });
      }
    }
    i = j;
  }
  return out;
}
