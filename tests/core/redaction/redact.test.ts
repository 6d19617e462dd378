import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PLACEHOLDERS,
  detectPii,
  generatePseudonymKey,
  isBankCard,
  isMobile,
  isResidentId,
  parseLandline,
  personalEntityTypes,
  personalRegions,
  redactText,
  remapOffset,
  remapSpan,
  residentIdCheckChar,
  type Replacement,
} from '../../../electron/core/redaction';
import { codePointLength, spanText, type Span } from '../../../shared/domain/spans';

const EXT_B = '𠮷';
const ANGRY = '😡';
const THUMB = '👍🏻'; // 2 code points
const KEY = 'project-7f3a-secret-key-0123456789';
const OTHER_KEY = 'another-project-secret-9876543210';

/** Where `needle` starts in `text`, in code points. */
function cpIndexOf(text: string, needle: string, from = 0): number {
  const u = text.indexOf(needle, from);
  if (u < 0) throw new Error(`${needle} not in ${text}`);
  return codePointLength(text.slice(0, u));
}

function spanOf(text: string, needle: string, label: string): Span {
  const start = cpIndexOf(text, needle);
  return { start, end: start + codePointLength(needle), label };
}

const MIXED = `${EXT_B}${ANGRY}您好，手机13812345678${THUMB}，身份证11010519491231002X，卡号6222 0212 3456 7890 128，邮箱li.hua@163.com，座机0755-82345678${EXT_B}`;

describe('placeholder mode', () => {
  it('replaces every value with its type placeholder', () => {
    const r = redactText(MIXED, { mode: 'placeholder' });
    expect(r.text).toBe(`${EXT_B}${ANGRY}您好，手机[手机号]${THUMB}，身份证[身份证号]，卡号[银行卡号]，邮箱[邮箱]，座机[座机号]${EXT_B}`);
    expect(r.replacements.map((x) => x.type)).toEqual(['mobile', 'resident-id', 'bank-card', 'email', 'landline']);
    expect(DEFAULT_PLACEHOLDERS.mobile).toBe('[手机号]');
  });

  it('reports code-point offsets in both texts', () => {
    const r = redactText(MIXED, { mode: 'placeholder' });
    for (const rep of r.replacements) {
      expect(spanText(MIXED, rep)).toBe(rep.original);
      expect(spanText(r.text, { start: rep.newStart, end: rep.newEnd })).toBe(rep.replacement);
      expect(rep.source).toBe('recognizer');
      expect(rep.confidence).toBeGreaterThanOrEqual(0.5);
    }
    const first = r.replacements[0]!;
    expect(first.start).toBe(cpIndexOf(MIXED, '13812345678'));
    expect(first.original).toBe('13812345678');
    expect(first.start).toBe(7); // 𠮷 😡 您 好 ， 手 机
  });

  it('placeholders can be overridden', () => {
    expect(redactText('手机13812345678', { mode: 'placeholder', placeholders: { mobile: '<PHONE>' } }).text).toBe('手机<PHONE>');
  });

  it('leaves text without PII untouched', () => {
    const text = `订单号13812345678，金额1380元，快递SF1234567890123 ${EXT_B}`;
    const r = redactText(text, { mode: 'placeholder' });
    expect(r.text).toBe(text);
    expect(r.replacements).toEqual([]);
  });
});

describe('mask mode', () => {
  it('masks the middle of each value and keeps separators, country code and length', () => {
    const cases: [string, string][] = [
      ['手机13812345678', '手机138****5678'],
      ['手机+86 138 1234 5678', '手机+86 138 **** 5678'],
      ['手机１３８１２３４５６７８', '手机１３８****５６７８'],
      ['身份证11010519491231002X', '身份证110***********002X'],
      ['卡号6222 0212 3456 7890 128', '卡号6222 **** **** ***0 128'],
      ['座机0755-82345678', '座机0755-****5678'],
      ['座机(010)62754433', '座机(010)****4433'],
      ['座机+86 755 82345678', '座机+86 755 ****5678'],
      ['邮箱li.hua@163.com', '邮箱l*****@163.com'],
    ];
    for (const [text, masked] of cases) {
      const r = redactText(text, { mode: 'mask' });
      expect(r.text, text).toBe(masked);
      expect(codePointLength(r.text)).toBe(codePointLength(text));
    }
  });

  it('a custom mask character', () => {
    expect(redactText('手机13812345678', { mode: 'mask', maskChar: '×' }).text).toBe('手机138××××5678');
  });

  it('masked output is not recognised again', () => {
    const r = redactText(MIXED, { mode: 'mask' });
    expect(detectPii(r.text)).toEqual([]);
  });
});

describe('pseudonym mode', () => {
  it('needs a per-project key of at least 16 bytes', () => {
    expect(() => redactText('13812345678', { mode: 'pseudonym' })).toThrow(/key/);
    expect(() => redactText('13812345678', { mode: 'pseudonym', key: 'short' })).toThrow(/16 bytes/);
    expect(generatePseudonymKey()).toMatch(/^[0-9a-f]{64}$/);
    expect(generatePseudonymKey()).not.toBe(generatePseudonymKey());
  });

  it('surrogates are format-valid and different from the originals', () => {
    const r = redactText(MIXED, { mode: 'pseudonym', key: KEY });
    const [mobile, id, card, email, landline] = r.replacements;
    expect(isMobile(mobile!.replacement)).toBe(true);
    expect(mobile!.replacement).not.toBe('13812345678');
    expect(isResidentId(id!.replacement)).toBe(true);
    const y = Number(id!.replacement.slice(6, 10));
    expect(y).toBeGreaterThanOrEqual(1950);
    expect(y).toBeLessThanOrEqual(2005);
    expect(card!.replacement).toMatch(/^6222 02\d\d \d{4} \d{4} \d{3}$/); // layout and issuer BIN kept
    expect(isBankCard(card!.replacement.replace(/ /g, ''))).toBe(true);
    expect(email!.replacement).toMatch(/^user[0-9a-f]{10}@example\.(com|net|org)$/);
    expect(landline!.replacement).toMatch(/^0755-[2-9]\d{7}$/);
    expect(parseLandline(landline!.replacement.replace('-', ''))?.knownArea).toBe(true);
    // The pseudonymised text has the same kinds of PII in the same places.
    expect(detectPii(r.text).map((d) => d.type)).toEqual(['mobile', 'resident-id', 'bank-card', 'email', 'landline']);
  });

  it('a landline after a country code keeps the layout without the trunk 0', () => {
    const a = redactText('座机0755-82345678', { mode: 'pseudonym', key: KEY }).replacements[0]!.replacement;
    const b = redactText('座机+86 755 82345678', { mode: 'pseudonym', key: KEY }).replacements[0]!.replacement;
    expect(b).toBe(`+86 755 ${a.slice(5)}`);
  });

  it('the same original and key always give the same surrogate, whatever the layout', () => {
    const a = redactText('手机13812345678', { mode: 'pseudonym', key: KEY }).replacements[0]!.replacement;
    const b = redactText(`${EXT_B}联系电话：13812345678，${ANGRY}`, { mode: 'pseudonym', key: KEY }).replacements[0]!.replacement;
    const spaced = redactText('手机 138 1234 5678', { mode: 'pseudonym', key: KEY }).replacements[0]!.replacement;
    const full = redactText('手机１３８１２３４５６７８', { mode: 'pseudonym', key: Buffer.from(KEY) }).replacements[0]!.replacement;
    const cc = redactText('手机+86 13812345678', { mode: 'pseudonym', key: KEY }).replacements[0]!.replacement;
    expect(b).toBe(a);
    expect(spaced.replace(/ /g, '')).toBe(a);
    expect(spaced).toMatch(/^\d{3} \d{4} \d{4}$/);
    expect(full.replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))).toBe(a);
    expect(cc).toBe(`+86 ${a}`);
    const other = redactText('手机13812345678', { mode: 'pseudonym', key: OTHER_KEY }).replacements[0]!.replacement;
    expect(other).not.toBe(a);
    expect(isMobile(other)).toBe(true);
    const email1 = redactText('邮箱Li.Hua@163.com', { mode: 'pseudonym', key: KEY }).replacements[0]!.replacement;
    const email2 = redactText('li.hua@163.com', { mode: 'pseudonym', key: KEY }).replacements[0]!.replacement;
    expect(email1).toBe(email2);
  });

  it('different originals get different surrogates; ID surrogates are always valid', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const n = `1391234${String(i).padStart(4, '0')}`;
      seen.add(redactText(n, { mode: 'pseudonym', key: KEY }).text);
    }
    expect(seen.size).toBe(200);
    for (let i = 0; i < 60; i++) {
      const first17 = `11010519900101${100 + i}`;
      const r = redactText(`身份证${first17}${residentIdCheckChar(first17)}`, { mode: 'pseudonym', key: KEY });
      expect(r.replacements).toHaveLength(1);
      expect(isResidentId(r.replacements[0]!.replacement)).toBe(true);
    }
  });

  it('an ID written with a lower-case x keeps lower case when its surrogate ends in X', () => {
    let checked = 0;
    for (let i = 0; i < 900 && checked < 3; i++) {
      const first17 = `440305198806${String(10 + (i % 18)).padStart(2, '0')}${String(100 + i).slice(-3)}`;
      if (residentIdCheckChar(first17) !== 'X') continue;
      const r = redactText(`身份证${first17}x`, { mode: 'pseudonym', key: KEY });
      const rep = r.replacements[0]!.replacement;
      expect(isResidentId(rep)).toBe(true);
      if (/[Xx]$/.test(rep)) {
        expect(rep.endsWith('x')).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(0);
  });
});

describe('span remapping', () => {
  const text = `${EXT_B}我叫张三${ANGRY}，手机13812345678${EXT_B}，邮箱a.b@qq.com谢谢`;
  const mobile = spanOf(text, '13812345678', '电话');

  it('spans outside values shift; spans on a value point at exactly the replacement', () => {
    const spans: Span[] = [
      spanOf(text, '张三', '姓名'), // before: unchanged
      mobile, // exactly on the value
      spanOf(text, '谢谢', '礼貌'), // after both values: shifted
      spanOf(text, 'a.b@qq.com', '邮箱'),
    ];
    for (const mode of ['placeholder', 'mask', 'pseudonym'] as const) {
      const r = redactText(text, { mode, key: KEY, spans });
      const [name, phone, thanks, mail] = r.spans;
      expect(spanText(r.text, name!), mode).toBe('张三');
      expect(spanText(r.text, phone!), mode).toBe(r.replacements[0]!.replacement);
      expect(phone!.label).toBe('电话');
      expect(spanText(r.text, thanks!), mode).toBe('谢谢');
      expect(spanText(r.text, mail!), mode).toBe(r.replacements[1]!.replacement);
      expect(mail!.label).toBe('邮箱');
      // remap() gives the same answer for any span
      expect(r.remap(spans[1]!)).toEqual(phone);
    }
  });

  it('a span partly over a value is widened to the whole replacement; one inside it is set to it', () => {
    const r = redactText(text, { mode: 'placeholder' });
    const rep = r.replacements[0]!;
    const startOfValue = mobile.start;
    // "手机1381234" (starts before, ends inside) -> "手机[手机号]"
    const partial = r.remap({ start: startOfValue - 2, end: startOfValue + 7, label: 'x' });
    expect(spanText(r.text, partial)).toBe('手机[手机号]');
    // "5678𠮷，" (starts inside, ends after) -> "[手机号]𠮷，"
    const tail = r.remap({ start: startOfValue + 7, end: mobile.end + 2, label: 'x' });
    expect(spanText(r.text, tail)).toBe(`[手机号]${EXT_B}，`);
    // "1234" (inside) -> exactly the replacement
    const inside = r.remap({ start: startOfValue + 3, end: startOfValue + 7, label: 'x' });
    expect(spanText(r.text, inside)).toBe(rep.replacement);
    expect(inside.label).toBe('x');
    // "手机13812345678𠮷" (contains) -> contains the replacement
    const around = r.remap({ start: startOfValue - 2, end: mobile.end + 1, label: 'x' });
    expect(spanText(r.text, around)).toBe(`手机[手机号]${EXT_B}`);
    // touching spans do not grow into the value
    expect(spanText(r.text, r.remap({ start: startOfValue - 2, end: startOfValue, label: 'x' }))).toBe('手机');
    expect(spanText(r.text, r.remap({ start: mobile.end, end: mobile.end + 1, label: 'x' }))).toBe(EXT_B);
    // a span across both values covers both replacements
    const across = r.remap({ start: startOfValue + 1, end: cpIndexOf(text, 'qq.com'), label: 'x' });
    expect(spanText(r.text, across)).toBe(`[手机号]${EXT_B}，邮箱[邮箱]`);
  });

  it('keeps every other property of a span', () => {
    const r = redactText(text, { mode: 'placeholder', spans: [{ ...mobile, id: 'span-1', score: 0.9 }] });
    expect(r.spans[0]).toMatchObject({ id: 'span-1', score: 0.9, label: '电话' });
  });

  it('remapOffset and remapSpan work on any replacement list', () => {
    const reps = [
      { start: 2, end: 5, newStart: 2, newEnd: 3 },
      { start: 8, end: 9, newStart: 6, newEnd: 10 },
    ];
    expect([0, 2, 3, 5, 6, 8, 9, 12].map((p) => remapOffset(p, reps, 'start'))).toEqual([0, 2, 2, 3, 4, 6, 10, 13]);
    expect([0, 2, 3, 5, 6, 8, 9, 12].map((p) => remapOffset(p, reps, 'end'))).toEqual([0, 2, 3, 3, 4, 6, 10, 13]);
    expect(remapSpan({ start: 3, end: 8, label: 'a' }, reps)).toEqual({ start: 2, end: 6, label: 'a' });
    expect(remapSpan({ start: 0, end: 1, label: 'a' }, [])).toEqual({ start: 0, end: 1, label: 'a' });
  });

  it('property: every remapped span is non-empty, in range, and unchanged text stays unchanged', () => {
    const r = redactText(MIXED, { mode: 'placeholder' });
    const n = codePointLength(MIXED);
    const inValue = (p: number): boolean => r.replacements.some((x) => p >= x.start && p < x.end);
    for (let s = 0; s < n; s++) {
      for (let e = s + 1; e <= n; e++) {
        const m = r.remap({ start: s, end: e });
        expect(m.end).toBeGreaterThan(m.start);
        expect(m.end).toBeLessThanOrEqual(codePointLength(r.text));
        if (![...Array(e - s).keys()].some((k) => inValue(s + k)) && !r.replacements.some((x) => x.start < e && x.end > s)) {
          expect(spanText(r.text, m)).toBe(spanText(MIXED, { start: s, end: e }));
        }
      }
    }
  });
});

describe('personal entity types', () => {
  const text = `${EXT_B}收货人张三丰，地址北京市朝阳区建国路88号，电话13812345678${ANGRY}`;
  const name = spanOf(text, '张三丰', '姓名');
  const address = spanOf(text, '北京市朝阳区建国路88号', '地址');
  const product = spanOf(text, '收货人', '角色');
  const phoneSpan = spanOf(text, '13812345678', '电话');
  const spans = [product, name, address, phoneSpan];

  it('spans with a personal label are redacted as [label] and point at their replacement', () => {
    const r = redactText(text, { mode: 'placeholder', spans, personalTypes: ['姓名', '地址'] });
    expect(r.text).toBe(`${EXT_B}收货人[姓名]，地址[地址]，电话[手机号]${ANGRY}`);
    expect(r.replacements.map((x: Replacement) => [x.type, x.source])).toEqual([
      ['姓名', 'span'],
      ['地址', 'span'],
      ['mobile', 'recognizer'],
    ]);
    const [role, n, a, p] = r.spans;
    expect(spanText(r.text, role!)).toBe('收货人');
    expect(spanText(r.text, n!)).toBe('[姓名]');
    expect(n!.label).toBe('姓名');
    expect(spanText(r.text, a!)).toBe('[地址]');
    expect(spanText(r.text, p!)).toBe('[手机号]');
    expect(p!.label).toBe('电话');
  });

  it('a personal span exactly on a recognised value keeps the format-aware replacement', () => {
    const r = redactText(text, { mode: 'mask', spans, personalTypes: ['电话'] });
    expect(r.replacements).toHaveLength(1);
    expect(r.replacements[0]!.type).toBe('mobile');
    expect(r.text).toContain('138****5678');
  });

  it('a personal span overlapping a value takes the union and its own label', () => {
    const contact = { start: address.start, end: phoneSpan.end, label: '联系信息' };
    const r = redactText(text, { mode: 'placeholder', spans: [contact], personalTypes: ['联系信息'] });
    expect(r.text).toBe(`${EXT_B}收货人张三丰，地址[联系信息]${ANGRY}`);
    expect(spanText(r.text, r.spans[0]!)).toBe('[联系信息]');
  });

  it('mask keeps the first and last character; pseudonyms are consistent, keyed and as long as the original', () => {
    const masked = redactText(text, { mode: 'mask', spans, personalTypes: ['姓名', '地址'], detect: false });
    expect(masked.text).toBe(text.replace('张三丰', '张*丰').replace('北京市朝阳区建国路88号', `北${'*'.repeat(10)}号`));
    expect(redactText('我是张三', { mode: 'mask', spans: [{ start: 2, end: 4, label: '姓名' }], personalTypes: ['姓名'] }).text).toBe('我是张*');
    expect(redactText('我是张', { mode: 'mask', spans: [{ start: 2, end: 3, label: '姓名' }], personalTypes: ['姓名'] }).text).toBe('我是*');

    const p1 = redactText(text, { mode: 'pseudonym', key: KEY, spans, personalTypes: ['姓名', '地址'] });
    const p2 = redactText(`客户张三丰来电`, { mode: 'pseudonym', key: KEY, spans: [{ start: 2, end: 5, label: '姓名' }], personalTypes: ['姓名'] });
    const other = redactText(text, { mode: 'pseudonym', key: OTHER_KEY, spans, personalTypes: ['姓名'] });
    const nameRep = p1.replacements.find((x) => x.type === '姓名')!.replacement;
    expect(nameRep).toMatch(/^\p{Script=Han}{3}$/u);
    expect(nameRep).not.toBe('张三丰');
    expect(p2.replacements[0]!.replacement).toBe(nameRep);
    expect(other.replacements.find((x) => x.type === '姓名')!.replacement).not.toBe(nameRep);
    const addressRep = p1.replacements.find((x) => x.type === '地址')!.replacement;
    expect(Array.from(addressRep)).toHaveLength(Array.from('北京市朝阳区建国路88号').length);
    expect(addressRep).toMatch(/^\p{Script=Han}{2}市\p{Script=Han}{2}区\p{Script=Han}{2}路\d\d号$/u);
    expect(addressRep).not.toBe('北京市朝阳区建国路88号');
    const badge = redactText('工号A123', { mode: 'pseudonym', key: KEY, spans: [{ start: 2, end: 6, label: '工号' }], personalTypes: ['工号'] });
    expect(badge.text).toMatch(/^工号[A-Z]\d{3}$/);
    expect(badge.text).not.toBe('工号A123');
    for (const r of [p1, p2, badge])
      for (const s of r.spans.filter((x) => ['姓名', '地址', '工号'].includes(x.label)))
        expect(spanText(r.text, s)).toBe(r.replacements.find((x) => x.newStart === s.start)!.replacement);
  });

  it('overlapping personal spans merge; detect:false leaves recognisers out', () => {
    expect(
      personalRegions(
        [
          { start: 0, end: 3, label: 'A' },
          { start: 2, end: 8, label: 'B' },
          { start: 9, end: 10, label: 'C' },
        ],
        ['A', 'B'],
      ),
    ).toEqual([{ start: 0, end: 8, label: 'B' }]);
    const r = redactText(text, { mode: 'placeholder', spans, personalTypes: ['姓名'], detect: false });
    expect(r.text).toBe(text.replace('张三丰', '[姓名]'));
  });

  it('reads a personal flag from a schema once it has one', () => {
    expect(
      personalEntityTypes({ entities: { types: [{ name: '姓名', personal: true }, { name: '商品' }, { name: '地址', personal: true }] } }),
    ).toEqual(['姓名', '地址']);
  });
});
