import { describe, expect, it } from 'vitest';
import { codePointLength, codePointToUtf16, hasOverlap, sortSpans, spanProblem, spanText, utf16ToCodePoint } from '../../shared/domain/spans';

const ANGRY = '😡'; // U+1F621: 1 code point, 2 UTF-16 units
const THUMB = '👍🏻'; // U+1F44D U+1F3FB: 2 code points, 4 units
const FAMILY = '👨‍👩‍👧'; // man ZWJ woman ZWJ girl: 5 code points, 8 units
const EXT_B = '𠮷'; // U+20BB7, CJK Extension B: 1 code point, 2 units

/** Reference: code points by iteration, which JavaScript defines for us. */
const cps = (s: string): string[] => Array.from(s);

describe('spans: the building blocks are what we think they are', () => {
  it('lengths', () => {
    expect([ANGRY.length, THUMB.length, FAMILY.length, EXT_B.length]).toEqual([2, 4, 8, 2]);
    expect([ANGRY, THUMB, FAMILY, EXT_B].map(codePointLength)).toEqual([1, 2, 5, 1]);
    expect(codePointLength('')).toBe(0);
    expect(codePointLength('订单号DD123')).toBe(8);
  });
});

describe('spans: UTF-16 <-> code points', () => {
  const texts = [
    `${ANGRY}${ANGRY}我买的小米手环8一直没发货`,
    `${THUMB} 收到了，华为MatePad很好用！`,
    `全家${FAMILY}都在等这个订单`,
    `${EXT_B}野家的外卖${EXT_B}${ANGRY}超时了`,
    `${FAMILY}${THUMB}${EXT_B}${ANGRY}`,
    'plain ascii only',
    '',
  ];

  it.each(texts)('round-trips every code-point boundary of %j', (text) => {
    const points = cps(text);
    expect(codePointLength(text)).toBe(points.length);
    let utf16 = 0;
    for (let cp = 0; cp <= points.length; cp++) {
      expect(codePointToUtf16(text, cp)).toBe(utf16);
      expect(utf16ToCodePoint(text, utf16)).toBe(cp);
      utf16 += points[cp]?.length ?? 0;
    }
    expect(utf16).toBe(text.length);
  });

  it('a UTF-16 index in the middle of a surrogate pair maps to the start of that character', () => {
    const text = `a${ANGRY}b${EXT_B}c`; // units: a 0, 😡 1-2, b 3, 𠮷 4-5, c 6
    expect(utf16ToCodePoint(text, 2)).toBe(1);
    expect(utf16ToCodePoint(text, 3)).toBe(2);
    expect(utf16ToCodePoint(text, 5)).toBe(3);
    expect(utf16ToCodePoint(text, 6)).toBe(4);
  });

  it('skin tone modifiers and ZWJ sequences count every code point (what Python counts)', () => {
    const text = `好评${THUMB}${FAMILY}!`;
    // 好 0, 评 1, 👍 2, 🏻 3, 👨 4, ZWJ 5, 👩 6, ZWJ 7, 👧 8, ! 9
    expect(codePointLength(text)).toBe(10);
    expect(codePointToUtf16(text, 3)).toBe(4);
    expect(codePointToUtf16(text, 4)).toBe(6);
    expect(codePointToUtf16(text, 9)).toBe(text.length - 1);
    expect(utf16ToCodePoint(text, text.length - 1)).toBe(9);
  });

  it('clamps indices past the end', () => {
    const text = `${ANGRY}ab`;
    expect(codePointToUtf16(text, 100)).toBe(text.length);
    expect(utf16ToCodePoint(text, 100)).toBe(3);
  });

  it('counts a lone surrogate as one character, like iteration does', () => {
    const text = 'a\uD83Db\uDE21c';
    expect(codePointLength(text)).toBe(cps(text).length);
    expect(codePointToUtf16(text, 2)).toBe(2);
    expect(utf16ToCodePoint(text, 4)).toBe(4);
  });
});

describe('spans: spanText', () => {
  it('cuts on code points around emoji and Extension B characters', () => {
    const text = `${ANGRY}${ANGRY}我买的小米手环8一直没发货，订单号DD20240428007，电话13812345678`;
    expect(spanText(text, { start: 5, end: 10 })).toBe('小米手环8');
    expect(spanText(text, { start: 19, end: 32 })).toBe('DD20240428007');
    expect(spanText(text, { start: 35, end: 46 })).toBe('13812345678');
    expect(spanText(text, { start: 0, end: 2 })).toBe(`${ANGRY}${ANGRY}`);
    expect(spanText(`${EXT_B}野家`, { start: 0, end: 1 })).toBe(EXT_B);
    expect(spanText(`x${THUMB}y`, { start: 1, end: 3 })).toBe(THUMB);
    expect(spanText(`x${THUMB}y`, { start: 1, end: 2 })).toBe('👍');
    expect(spanText(`${FAMILY}来了`, { start: 0, end: 5 })).toBe(FAMILY);
    expect(spanText(`${FAMILY}来了`, { start: 5, end: 7 })).toBe('来了');
  });
});

describe('spans: spanProblem', () => {
  it('accepts a span that ends exactly at the end of the text', () => {
    expect(spanProblem({ start: 0, end: 5, label: '商品' }, 5)).toBeNull();
    expect(spanProblem({ start: 4, end: 5, label: '商品' }, 5)).toBeNull();
  });

  it('names each kind of problem', () => {
    expect(spanProblem({ start: 0.5, end: 2, label: 'x' }, 5)).toBe('offsets must be integers');
    expect(spanProblem({ start: 0, end: Number.NaN, label: 'x' }, 5)).toBe('offsets must be integers');
    expect(spanProblem({ start: -1, end: 2, label: 'x' }, 5)).toBe('start -1 is negative');
    expect(spanProblem({ start: 3, end: 3, label: 'x' }, 5)).toBe('end 3 must be greater than start 3');
    expect(spanProblem({ start: 3, end: 2, label: 'x' }, 5)).toBe('end 2 must be greater than start 3');
    expect(spanProblem({ start: 3, end: 6, label: 'x' }, 5)).toBe('end 6 is past the end of the text (5 characters)');
    expect(spanProblem({ start: 0, end: 1, label: '' }, 5)).toBe('label is empty');
  });

  it('measures the text in code points: a span valid in UTF-16 units can be past the end', () => {
    const text = `${ANGRY}${ANGRY}订单`; // 4 code points, 6 units
    expect(spanProblem({ start: 2, end: 4, label: '订单号' }, codePointLength(text))).toBeNull();
    expect(spanProblem({ start: 4, end: 6, label: '订单号' }, codePointLength(text))).toMatch(/past the end of the text \(4 characters\)/);
  });
});

describe('spans: ordering and overlap', () => {
  it('sorts by start, end, label without touching the input', () => {
    const spans = [
      { start: 5, end: 9, label: 'b' },
      { start: 0, end: 3, label: 'z' },
      { start: 5, end: 7, label: 'a' },
      { start: 5, end: 9, label: 'a' },
    ];
    const copy = structuredClone(spans);
    expect(sortSpans(spans)).toEqual([
      { start: 0, end: 3, label: 'z' },
      { start: 5, end: 7, label: 'a' },
      { start: 5, end: 9, label: 'a' },
      { start: 5, end: 9, label: 'b' },
    ]);
    expect(spans).toEqual(copy);
  });

  it('adjacent spans do not overlap; shared code points do', () => {
    expect(
      hasOverlap([
        { start: 3, end: 5, label: 'a' },
        { start: 0, end: 3, label: 'b' },
      ]),
    ).toBe(false);
    expect(
      hasOverlap([
        { start: 3, end: 5, label: 'a' },
        { start: 0, end: 4, label: 'b' },
      ]),
    ).toBe(true);
    expect(hasOverlap([])).toBe(false);
  });
});
