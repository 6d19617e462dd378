import { describe, expect, it } from 'vitest';
import { buildDictionary, matchDictionary } from '../../../../electron/core/ml/entities/dictionary';
import { spanText } from '../../../../shared/domain/spans';

const PRODUCTS = [
  { term: '小米手环8', label: '商品' },
  { term: '小米手环8 NFC版', label: '商品' },
  { term: 'iPhone 15', label: '商品' },
  { term: 'AirPods Pro', label: '商品' },
  { term: '手机壳', label: '商品' },
  { term: '手机', label: '商品' },
  { term: '北京市朝阳区', label: '地址' },
  { term: '朝阳区建国路', label: '地址' },
  { term: 'pro', label: '型号' },
];

const show = (text: string, dict = buildDictionary(PRODUCTS)): string[] => matchDictionary(dict, text).map((m) => `${m.label}:${spanText(text, m)}`);

describe('dictionary', () => {
  it('longest match wins at a position, then matching resumes after it', () => {
    expect(show('我想把小米手环8换成小米手环8 NFC版')).toEqual(['商品:小米手环8', '商品:小米手环8 NFC版']);
    expect(show('iPhone 15手机壳和手机')).toEqual(['商品:iPhone 15', '商品:手机壳', '商品:手机']);
  });

  it('leftmost wins over a longer overlapping match that starts later', () => {
    expect(show('北京市朝阳区建国路88号')).toEqual(['地址:北京市朝阳区']);
  });

  it('case-insensitive for Latin, full-width folded, offsets of the original text', () => {
    expect(show('收到的AIRPODS PRO是假的')).toEqual(['商品:AIRPODS PRO']);
    expect(show('ａｉｒｐｏｄｓ ｐｒｏ')).toEqual(['商品:ａｉｒｐｏｄｓ ｐｒｏ']);
    expect(show('IPHONE 15')).toEqual(['商品:IPHONE 15']);
  });

  it('Latin terms do not match inside Latin words or longer numbers', () => {
    expect(show('this product is professional')).toEqual([]);
    expect(show('pro, Pro and PRO')).toEqual(['型号:pro', '型号:Pro', '型号:PRO']);
    expect(show('iPhone 150')).toEqual([]);
    expect(show('小米手环80')).toEqual([]);
    expect(show('小米手环8换')).toEqual(['商品:小米手环8']);
  });

  it('code-point offsets with emoji and Extension B before the term', () => {
    const text = '😡👨‍👩‍👧𠮷我的小米手环8坏了';
    expect(matchDictionary(buildDictionary(PRODUCTS), text)).toEqual([{ start: 9, end: 14, label: '商品' }]);
  });

  it('emoji and Extension B inside terms', () => {
    const dict = buildDictionary([
      { term: '𠮷野家', label: '店铺' },
      { term: '📦驿站', label: '地址' },
    ]);
    const text = '😡在𠮷野家还是📦驿站';
    expect(matchDictionary(dict, text)).toEqual([
      { start: 2, end: 5, label: '店铺' },
      { start: 7, end: 10, label: '地址' },
    ]);
  });

  it('skips empty terms, trims, first of duplicate terms wins', () => {
    const dict = buildDictionary([
      { term: '  ', label: '商品' },
      { term: ' 手机 ', label: '商品' },
      { term: '手机', label: '型号' },
      { term: 'Pro', label: '' },
    ]);
    expect(dict.size).toBe(1);
    expect(show('手机pro', dict)).toEqual(['商品:手机']);
    expect(matchDictionary(buildDictionary([]), '任何文本')).toEqual([]);
  });
});
