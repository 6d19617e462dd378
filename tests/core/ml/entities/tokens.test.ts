/**
 * The aligner against the real tokenizer: @xenova/transformers 2.17.2 with the shipped
 * bge-small-zh-v1.5 files must produce the same ids (minus [CLS]/[SEP]) on every string, and the
 * feature-extraction pipeline must give one row per aligned token plus [CLS] and [SEP].
 * Needs resources/models/BAAI/bge-small-zh-v1.5 (`node scripts/fetch-model.mjs`); skipped without it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BertTokenAligner, type AlignedToken } from '../../../../electron/core/ml/entities/tokens';
import { codePointLength, spanText } from '../../../../shared/domain/spans';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const MODELS = path.join(REPO_ROOT, 'resources', 'models');
const MODEL = 'BAAI/bge-small-zh-v1.5';
const MODEL_DIR = path.join(MODELS, ...MODEL.split('/'));
const DEMO = path.join(REPO_ROOT, 'resources', 'demo', 'demo-items.jsonl');

interface Tokenizer {
  encode(text: string): number[];
}
interface Transformers {
  AutoTokenizer: { from_pretrained(name: string): Promise<Tokenizer> };
  pipeline(task: string, model: string, options: object): Promise<(texts: string | string[], options: object) => Promise<{ dims: number[] }>>;
  env: { allowRemoteModels: boolean; allowLocalModels: boolean; localModelPath: string };
}

async function loadTransformers(localModelPath: string): Promise<Transformers> {
  const t = (await import('@xenova/transformers')) as unknown as Transformers;
  t.env.allowRemoteModels = false;
  t.env.allowLocalModels = true;
  t.env.localModelPath = localModelPath.endsWith('/') ? localModelPath : `${localModelPath}/`;
  return t;
}

const ANGRY = '😡';
const EXT_B = '𠮷';

/** Strings the brief names, plus the awkward corners of BERT normalization. */
const SAMPLES = [
  '我想查一下订单',
  'iphone',
  'airpods pro',
  'iPhone 15 Pro Max',
  'AirPods Pro',
  'Café',
  'CAFÉ crème brûlée',
  'e\u0301te\u0301 (combining accents)',
  '1234567890 3.1415 12,800.00 ¥199 ￥59.9',
  '138 1234 5678',
  `${ANGRY}${ANGRY}我买的小米手环8一直没发货`,
  `${EXT_B}野家的外卖${EXT_B}${ANGRY}超时了`,
  `a${EXT_B}b 𡃁仔巷6号 小𠀾`,
  '，。！？、；：“”‘’（）【】《》…—～·',
  '订单DD20241105001😡的iPhone 15手机壳',
  '  leading, trailing and   inner   whitespace \t\n\r\u00a0\u3000全角空格  ',
  '👍🏻👨‍👩‍👧🎉❤️🙏📦',
  'ａｂｃ１２３ＡＢＣ',
  '[CLS] literal [SEP] special [UNK] tokens [MASK][PAD]',
  'ΣΑΣ ΟΔΟΣ σοφός',
  'İstanbul straße ﬁne',
  '한국어 テスト カタカナ',
  '\u0000nul \ufffd replacement \u200bzero\u200dwidth \ufeffbom \u0007bell',
  'x'.repeat(101),
  'y'.repeat(100),
  'https://example.com/a?b=c&d=e#f user@example.com',
  '',
  '   ',
];

function demoTexts(): string[] {
  return fs
    .readFileSync(DEMO, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => (JSON.parse(l) as { text: string }).text);
}

/** Deterministic random strings over a pool of tricky pieces. */
function fuzzStrings(n: number, seed: number): string[] {
  const pool = [
    ...Array.from('订单号我的手机壳发货退款abcXYZÉéèÀçñÖøΣσςİıß0123456789 　\t\n\u00a0,.!?，。！？、；：“”（）【】…—-_/\\@#$%^&*~`|<>'),
    ...Array.from('😡👍🏻🙏𠮷𡃁\u0301\u0323\u0308\u200b\u200d\ufe0f\u0000\ufffd한ｱ①Ⅱ[]'),
    '[CLS]',
    '[SEP]',
    '[UNK]',
    'iphone',
    'airpods',
    'Pro',
    'DD2024',
  ];
  let s = seed;
  const rnd = (): number => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  return Array.from({ length: n }, () => {
    let out = '';
    const len = 1 + Math.floor(rnd() * 24);
    for (let i = 0; i < len; i++) out += pool[Math.floor(rnd() * pool.length)]!;
    return out;
  });
}

function mismatches(tok: Tokenizer, aligner: BertTokenAligner, texts: string[]): { text: string; ref: number[]; got: number[] }[] {
  const bad: { text: string; ref: number[]; got: number[] }[] = [];
  for (const text of texts) {
    const ref = tok.encode(text).slice(1, -1);
    const got = aligner.align(text).tokens.map((t) => t.id);
    if (ref.length !== got.length || ref.some((id, i) => id !== got[i])) bad.push({ text, ref, got });
  }
  return bad;
}

function checkOffsets(text: string, tokens: AlignedToken[]): void {
  const n = codePointLength(text);
  let prevStart = 0;
  let prevEnd = 0;
  for (const t of tokens) {
    expect(t.start).toBeGreaterThanOrEqual(0);
    expect(t.end).toBeLessThanOrEqual(n);
    expect(t.end).toBeGreaterThan(t.start);
    expect(t.start).toBeGreaterThanOrEqual(prevStart);
    expect(t.end).toBeGreaterThanOrEqual(prevEnd);
    prevStart = t.start;
    prevEnd = t.end;
  }
}

describe('BertTokenAligner: vocabulary and options', () => {
  const vocab = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', '订', '单', 'air', '##pod', '##s', 'pro', '\u2028', 'cafe'].join('\n') + '\n';

  it('reads vocab.txt by line number, splitting on \\n only', () => {
    const a = BertTokenAligner.fromVocab(vocab);
    expect(a.vocab.size).toBe(13);
    expect(a.vocab.get('\u2028')).toBe(11);
    expect(a.idOf('nope')).toBe(1);
  });

  it('pieces words longest-first with ## and maps pieces to code points', () => {
    const a = BertTokenAligner.fromVocab(vocab, { lowercase: true });
    const { tokens } = a.align(`${ANGRY}订单 AirPods Pro`);
    expect(tokens.map((t) => [t.piece, t.start, t.end])).toEqual([
      ['[UNK]', 0, 1],
      ['订', 1, 2],
      ['单', 2, 3],
      ['air', 4, 7],
      ['##pod', 7, 10],
      ['##s', 10, 11],
      ['pro', 12, 15],
    ]);
  });

  it('keeps offsets through lowercasing and accent stripping', () => {
    const a = BertTokenAligner.fromVocab(vocab, { lowercase: true });
    expect(a.align('CAFÉ').tokens).toEqual([{ id: 12, piece: 'cafe', start: 0, end: 4 }]);
    // 'e' + U+0301: the dropped mark belongs to the word's last piece
    expect(a.align('cafe\u0301!').tokens[0]).toEqual({ id: 12, piece: 'cafe', start: 0, end: 5 });
    // without lowercasing (the shipped bge config) 'CAFÉ' is not in the vocabulary
    expect(BertTokenAligner.fromVocab(vocab).align('CAFÉ').tokens).toEqual([{ id: 1, piece: '[UNK]', start: 0, end: 4 }]);
  });

  it('truncates to maxTokens including [CLS] and [SEP]', () => {
    const a = BertTokenAligner.fromVocab(vocab, { maxTokens: 5 });
    const r = a.align('订单订单订单');
    expect(r.tokens).toHaveLength(3);
    expect(r.truncated).toBe(true);
    expect(r.totalTokens).toBe(6);
    expect(a.align('订单', { maxTokens: 4 }).truncated).toBe(false);
    expect(() => a.align('x', { maxTokens: 1 })).toThrow();
  });

  it('a word longer than 100 code points is one [UNK] over the whole word', () => {
    const a = BertTokenAligner.fromVocab(vocab);
    expect(a.align(`订 ${'a'.repeat(101)} 单`).tokens.map((t) => [t.piece, t.start, t.end])).toEqual([
      ['订', 0, 1],
      ['[UNK]', 2, 103],
      ['单', 104, 105],
    ]);
  });
});

describe('BertTokenAligner equals transformers.js on bge-small-zh-v1.5', () => {
  let tok: Tokenizer;
  let tokLower: Tokenizer;
  let aligner: BertTokenAligner;
  let alignerFromJson: BertTokenAligner;
  let alignerLower: BertTokenAligner;
  let lowerDir = '';

  beforeAll(async () => {
    const vocabText = fs.readFileSync(path.join(MODEL_DIR, 'vocab.txt'), 'utf8');
    const tokenizerJson = fs.readFileSync(path.join(MODEL_DIR, 'tokenizer.json'), 'utf8');
    aligner = BertTokenAligner.fromVocab(vocabText);
    alignerFromJson = BertTokenAligner.fromTokenizerJson(tokenizerJson);
    alignerLower = BertTokenAligner.fromVocab(vocabText, { lowercase: true });

    let t = await loadTransformers(MODELS);
    tok = await t.AutoTokenizer.from_pretrained(MODEL);

    // The same tokenizer with lowercase on (what an uncased BERT does), to test that mode exactly too.
    lowerDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bge-lower-'));
    const dir = path.join(lowerDir, 'test', 'bge-lower');
    fs.mkdirSync(dir, { recursive: true });
    const json = JSON.parse(tokenizerJson) as { normalizer: { lowercase: boolean } };
    json.normalizer.lowercase = true;
    fs.writeFileSync(path.join(dir, 'tokenizer.json'), JSON.stringify(json));
    const config = JSON.parse(fs.readFileSync(path.join(MODEL_DIR, 'tokenizer_config.json'), 'utf8')) as Record<string, unknown>;
    fs.writeFileSync(path.join(dir, 'tokenizer_config.json'), JSON.stringify({ ...config, do_lower_case: true }));
    fs.copyFileSync(path.join(MODEL_DIR, 'config.json'), path.join(dir, 'config.json'));
    t = await loadTransformers(lowerDir);
    tokLower = await t.AutoTokenizer.from_pretrained('test/bge-lower');
  });

  afterAll(() => {
    if (lowerDir) fs.rmSync(lowerDir, { recursive: true, force: true });
  });

  it('the shipped tokenizer does not lowercase (so iPhone is [UNK]); fromVocab defaults to the same', () => {
    const json = JSON.parse(fs.readFileSync(path.join(MODEL_DIR, 'tokenizer.json'), 'utf8')) as { normalizer: { lowercase: boolean } };
    expect(json.normalizer.lowercase).toBe(false);
    expect(aligner.lowercase).toBe(false);
    expect(alignerFromJson.lowercase).toBe(false);
    expect(tok.encode('iPhone').slice(1, -1)).toEqual([aligner.unkId]);
  });

  it('same ids on the brief’s strings', () => {
    expect(mismatches(tok, aligner, SAMPLES)).toEqual([]);
    expect(mismatches(tok, alignerFromJson, SAMPLES)).toEqual([]);
  });

  it('same ids on every line of the demo file', () => {
    const texts = demoTexts();
    expect(texts.length).toBeGreaterThan(300);
    expect(mismatches(tok, aligner, texts)).toEqual([]);
  });

  it('same ids on 3000 random strings of tricky characters', () => {
    expect(mismatches(tok, aligner, fuzzStrings(3000, 7))).toEqual([]);
  });

  it('lowercase mode equals transformers.js with lowercase on (accents stripped too)', () => {
    expect(mismatches(tokLower, alignerLower, [...SAMPLES, ...demoTexts(), ...fuzzStrings(3000, 11)])).toEqual([]);
    expect(tokLower.encode('iphone').slice(1, -1)).not.toEqual([alignerLower.unkId]);
  });

  it('offsets point at the original text', () => {
    for (const text of [...SAMPLES, ...demoTexts()]) {
      const { tokens } = aligner.align(text);
      checkOffsets(text, tokens);
      for (const t of tokens) {
        if (t.piece === '[UNK]' || t.piece.startsWith('[')) continue;
        const piece = t.piece.startsWith('##') ? t.piece.slice(2) : t.piece;
        // Cased, no accent stripping: a piece is exactly the text it covers (control chars aside).
        if (!/[\p{Cc}\p{Cf}]/u.test(spanText(text, t))) expect(spanText(text, t)).toBe(piece);
      }
    }
    for (const text of [...SAMPLES, ...demoTexts()]) checkOffsets(text, alignerLower.align(text).tokens);
  });

  it('emoji, Extension B and glued Latin words: [UNK] covers the whole word', () => {
    const text = '订单DD20241105001😡的iPhone 15手机壳';
    const { tokens } = aligner.align(text);
    expect(tokens.map((t) => [t.piece, spanText(text, t), t.start, t.end])).toEqual([
      ['订', '订', 0, 1],
      ['单', '单', 1, 2],
      ['[UNK]', 'DD20241105001😡', 2, 16],
      ['的', '的', 16, 17],
      ['[UNK]', 'iPhone', 17, 23],
      ['15', '15', 24, 26],
      ['手', '手', 26, 27],
      ['机', '机', 27, 28],
      ['壳', '壳', 28, 29],
    ]);
    const withLower = alignerLower.align(text).tokens.find((t) => t.start === 17)!;
    expect(withLower.piece).toBe('iphone');
    // transformers.js only splits BMP ideographs: 𠮷 glued to Latin letters stays in one word
    const b = `${EXT_B}野a${EXT_B}b`;
    expect(aligner.align(b).tokens.map((t) => [t.piece, spanText(b, t)])).toEqual([
      ['[UNK]', EXT_B],
      ['野', '野'],
      ['[UNK]', `a${EXT_B}b`],
    ]);
  });

  it('model rows: [CLS] + one row per aligned token + [SEP]; truncated at 512 rows', async () => {
    const t = await loadTransformers(MODELS);
    const extractor = await t.pipeline('feature-extraction', MODEL, { quantized: true });
    for (const text of ['订单DD20241105001😡的iPhone 15手机壳', `${ANGRY}${EXT_B}我11月5号寄回的吸尘器`, 'AirPods Pro 2 降噪耳机']) {
      const out = await extractor(text, { pooling: 'none', normalize: false });
      expect(out.dims).toEqual([1, aligner.align(text).tokens.length + 2, 512]);
    }
    const long = '我的订单一直没发货，'.repeat(60);
    const out = await extractor(long, { pooling: 'none', normalize: false });
    const r = aligner.align(long);
    expect(r.truncated).toBe(true);
    expect(r.tokens).toHaveLength(510);
    expect(out.dims).toEqual([1, 512, 512]);
  });
});
