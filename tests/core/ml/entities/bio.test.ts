import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bioTagNames, decodeBio, encodeBio, snapToTokens } from '../../../../electron/core/ml/entities/bio';
import { findPatternSpans } from '../../../../electron/core/ml/entities/patterns';
import { BertTokenAligner } from '../../../../electron/core/ml/entities/tokens';
import { spanText } from '../../../../shared/domain/spans';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const VOCAB = path.join(REPO_ROOT, 'resources', 'models', 'BAAI', 'bge-small-zh-v1.5', 'vocab.txt');
const DEMO = path.join(REPO_ROOT, 'resources', 'demo', 'demo-items.jsonl');
const LABELS = ['订单号', '日期', '商品', '金额', '手机号', '地址'];

/** Tokens by hand: one per character, except 'DD123' and 'ab cd' style words. */
const tok = (start: number, end: number) => ({ start, end });

describe('bio: tag names and indices', () => {
  it('O, then B-/I- per label', () => {
    expect(bioTagNames(['订单号', '日期'])).toEqual(['O', 'B-订单号', 'I-订单号', 'B-日期', 'I-日期']);
    expect(bioTagNames([])).toEqual(['O']);
  });
});

describe('bio: encode', () => {
  const tokens = [tok(0, 1), tok(1, 2), tok(2, 7), tok(8, 10), tok(10, 11)];

  it('B on the first overlapping token, I on the rest; unaligned spans widen to whole tokens', () => {
    expect(encodeBio(tokens, [{ start: 1, end: 7, label: '日期' }], LABELS)).toEqual([0, 3, 4, 0, 0]);
    // starts and ends inside tokens
    expect(encodeBio(tokens, [{ start: 3, end: 9, label: '订单号' }], LABELS)).toEqual([0, 0, 1, 2, 0]);
  });

  it('ignores unknown labels, empty spans and spans over no token', () => {
    expect(encodeBio(tokens, [{ start: 0, end: 2, label: '其他' }], LABELS)).toEqual([0, 0, 0, 0, 0]);
    expect(encodeBio(tokens, [{ start: 7, end: 8, label: '金额' }], LABELS)).toEqual([0, 0, 0, 0, 0]);
    expect(encodeBio(tokens, [{ start: 3, end: 3, label: '金额' }], LABELS)).toEqual([0, 0, 0, 0, 0]);
  });

  it('adjacent spans of one label stay apart; the earlier span keeps a shared token', () => {
    expect(
      encodeBio(
        tokens,
        [
          { start: 8, end: 11, label: '金额' },
          { start: 0, end: 2, label: '金额' },
        ],
        LABELS,
      ),
    ).toEqual([7, 8, 0, 7, 8]);
    expect(
      encodeBio(
        tokens,
        [
          { start: 0, end: 3, label: '日期' },
          { start: 4, end: 11, label: '金额' },
        ],
        LABELS,
      ),
    ).toEqual([3, 4, 4, 7, 8]);
  });
});

describe('bio: decode', () => {
  const text = 'ab cdefgh ij';
  const tokens = [tok(0, 1), tok(1, 2), tok(3, 5), tok(5, 9), tok(10, 12)];

  it('lenient: I without B starts a span, B always starts one, I continues across spaces', () => {
    expect(decodeBio(tokens, [2, 2, 0, 4, 4], LABELS, text)).toEqual([
      { start: 0, end: 2, label: '订单号' },
      { start: 5, end: 12, label: '日期' },
    ]);
    expect(decodeBio(tokens, [1, 1, 2, 0, 0], LABELS, text)).toEqual([
      { start: 0, end: 1, label: '订单号' },
      { start: 1, end: 5, label: '订单号' },
    ]);
    // I of another label after B starts a new span
    expect(decodeBio(tokens, [1, 4, 0, 0, 0], LABELS, text)).toEqual([
      { start: 0, end: 1, label: '订单号' },
      { start: 1, end: 2, label: '日期' },
    ]);
  });

  it('unknown tag indices are O; tags and tokens beyond the shorter list are ignored', () => {
    expect(decodeBio(tokens, [99, -1, 1.5, 1], LABELS, text)).toEqual([{ start: 5, end: 9, label: '订单号' }]);
    expect(decodeBio(tokens, new Int32Array([1, 2]), LABELS, text)).toEqual([{ start: 0, end: 2, label: '订单号' }]);
    expect(decodeBio(tokens.slice(0, 1), [1, 2, 2], LABELS, text)).toEqual([{ start: 0, end: 1, label: '订单号' }]);
  });
});

describe('bio: round trip over real tokens', () => {
  const aligner = BertTokenAligner.fromVocab(fs.readFileSync(VOCAB, 'utf8'));
  const items = fs
    .readFileSync(DEMO, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as { text: string; entities: { start: number; end: number; label: string }[] });

  it('encode then decode gives every demo gold span back, snapped to token boundaries', () => {
    let spans = 0;
    let widened = 0;
    for (const item of items) {
      const { tokens } = aligner.align(item.text);
      const tags = encodeBio(tokens, item.entities, LABELS);
      const decoded = decodeBio(tokens, tags, LABELS, item.text);
      const expected = item.entities.map((e) => ({ ...snapToTokens(tokens, e)!, label: e.label })).sort((a, b) => a.start - b.start);
      expect(decoded, item.text).toEqual(expected);
      for (const d of decoded) {
        expect(tokens.some((t) => t.start === d.start)).toBe(true);
        expect(tokens.some((t) => t.end === d.end)).toBe(true);
      }
      spans += expected.length;
      widened += item.entities.filter((e) => {
        const s = snapToTokens(tokens, e)!;
        return s.start !== e.start || s.end !== e.end;
      }).length;
    }
    expect(spans).toBeGreaterThan(250);
    // Chinese is one token per character, so almost every span is already on token boundaries
    expect(widened / spans).toBeLessThan(0.1);
  });

  it('emoji before the entity: offsets stay code points', () => {
    const text = '😡😡订单DD20241105001的手机13812345678';
    const { tokens } = aligner.align(text);
    const spans = findPatternSpans(text);
    expect(spans.map((s) => [s.label, s.start, s.end])).toEqual([
      ['订单号', 4, 17],
      ['手机号', 20, 31],
    ]);
    const tags = encodeBio(tokens, spans, LABELS);
    const names = bioTagNames(LABELS);
    expect(tokens.map((t, i) => `${spanText(text, t)}/${names[tags[i]!]}`)).toEqual([
      '😡😡/O',
      '订/O',
      '单/O',
      'DD20241105001/B-订单号',
      '的/O',
      '手/O',
      '机/O',
      ...tokens.slice(7).map((t, i) => `${spanText(text, t)}/${i === 0 ? 'B' : 'I'}-手机号`),
    ]);
    expect(decodeBio(tokens, tags, LABELS, text)).toEqual([
      { start: 4, end: 17, label: '订单号' },
      { start: 20, end: 31, label: '手机号' },
    ]);
  });

  it('a span inside an [UNK] word widens to the whole word', () => {
    const text = '订单DD20241105001😡到了';
    const { tokens } = aligner.align(text);
    const tags = encodeBio(tokens, [{ start: 2, end: 15, label: '订单号' }], LABELS);
    expect(decodeBio(tokens, tags, LABELS, text).map((s) => spanText(text, s))).toEqual(['DD20241105001😡']);
  });
});
