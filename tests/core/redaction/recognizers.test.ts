import { describe, expect, it } from 'vitest';
import {
  cardNetwork,
  detectPii,
  isBankCard,
  isMobile,
  isResidentId,
  isValidPii,
  luhnValid,
  parseLandline,
  residentIdCheckChar,
  residentIdProblem,
  type PiiType,
} from '../../../electron/core/redaction';
import { matchingCopy } from '../../../electron/core/redaction/normalize';
import { codePointLength, spanText } from '../../../shared/domain/spans';

const EXT_B = '𠮷'; // U+20BB7: 1 code point, 2 UTF-16 units
const ANGRY = '😡';
const FAMILY = '👨‍👩‍👧'; // 5 code points

/** [type, text] of every detection, in order. */
const found = (text: string): [PiiType, string][] => detectPii(text).map((d) => [d.type, d.text]);

describe('checksums', () => {
  it('GB 11643-1999 check character (ISO 7064 MOD 11-2), X included', () => {
    // the standard's own example
    expect(residentIdCheckChar('11010519491231002')).toBe('X');
    expect(isResidentId('11010519491231002X')).toBe(true);
    expect(isResidentId('11010519491231002x')).toBe(true);
    expect(residentIdProblem('110105194912310021')).toBe('check digit');
    expect(residentIdCheckChar('44030519880612731')).toMatch(/^[0-9X]$/);
  });

  it('resident IDs need a province code and a real birth date', () => {
    const make = (first17: string): string => first17 + residentIdCheckChar(first17);
    expect(residentIdProblem(make('99010519491231002'))).toBe('province');
    expect(residentIdProblem(make('11000019491231002'))).toBe('region');
    expect(residentIdProblem(make('11010519490230002'))).toBe('birth date'); // 30 February
    expect(residentIdProblem(make('11010518991231002'))).toBe('birth date');
    expect(residentIdProblem(make('11010520000229002'))).toBeNull(); // leap year
    expect(residentIdProblem(make('11010519000229002'))).toBe('birth date'); // 1900 is not
    expect(residentIdProblem(make('81000019800101002'))).toBeNull(); // Hong Kong residents' permit
    expect(residentIdProblem(make('11010520990101002'), 2026)).toBe('birth date');
  });

  it('Luhn and issuer prefixes', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(luhnValid('6222021234567890128')).toBe(true);
    expect(isBankCard('6222021234567890128')).toBe(true);
    expect(cardNetwork('6222021234567890128')?.network).toBe('unionpay');
    expect(cardNetwork('4111111111111111')?.network).toBe('visa');
    expect(cardNetwork('5500000000000004')?.network).toBe('mastercard');
    expect(cardNetwork('378282246310005')?.network).toBe('amex');
    expect(cardNetwork('1234567812345670')).toBeNull(); // Luhn-valid, no issuer
    expect(isBankCard('1234567812345670')).toBe(false);
    expect(cardNetwork('62220212345')).toBeNull(); // too short
  });

  it('mobile operator prefixes', () => {
    for (const p of ['130', '139', '145', '147', '150', '153', '166', '170', '178', '180', '189', '190', '191', '199'])
      expect(isMobile(`${p}12345678`), p).toBe(true);
    for (const p of ['100', '110', '120', '140', '144', '154', '160', '179', '194']) expect(isMobile(`${p}12345678`), p).toBe(false);
    expect(isMobile('1381234567')).toBe(false);
  });

  it('landline area codes and subscriber numbers', () => {
    expect(parseLandline('01062754433')).toEqual({ areaCode: '010', subscriber: '62754433', knownArea: true });
    expect(parseLandline('075582345678')).toEqual({ areaCode: '0755', subscriber: '82345678', knownArea: true });
    expect(parseLandline('05718502208')).toEqual({ areaCode: '0571', subscriber: '8502208', knownArea: true });
    expect(parseLandline('075512345678')).toBeNull(); // subscriber numbers never start with 1
    expect(parseLandline('0101234567')).toBeNull(); // Beijing numbers have 8 digits
    expect(parseLandline('04947367034', 4)).toEqual({ areaCode: '0494', subscriber: '7367034', knownArea: false });
    expect(parseLandline('04947367034')).toBeNull(); // unknown code, no separator
  });
});

describe('matching copy', () => {
  it('folds full-width forms one code point at a time, so offsets are shared', () => {
    const text = `${EXT_B}１３８\u3000１２３４－５６７８＠ＱＱ．ｃｏｍ①`;
    const copy = matchingCopy(text);
    expect(copy.folded.length).toBe(codePointLength(text));
    expect(copy.folded.join('')).toBe(`${EXT_B}138 1234-5678@QQ.com①`);
    expect(copy.utf16ToCp[2]).toBe(1); // after the surrogate pair
  });
});

describe('mobile recogniser', () => {
  it('finds numbers with and without cues, in several layouts', () => {
    expect(found('我的手机号是13812345678')).toEqual([['mobile', '13812345678']]);
    expect(found('13812345678')).toEqual([['mobile', '13812345678']]);
    expect(found('电话 138 1234 5678 谢谢')).toEqual([['mobile', '138 1234 5678']]);
    expect(found('电话138-1234-5678')).toEqual([['mobile', '138-1234-5678']]);
    expect(found('手机：１３８１２３４５６７８')).toEqual([['mobile', '１３８１２３４５６７８']]);
    expect(found('手机：１３８　１２３４　５６７８')).toEqual([['mobile', '１３８　１２３４　５６７８']]);
    expect(found('手机：１３８－１２３４－５６７８')).toEqual([['mobile', '１３８－１２３４－５６７８']]);
    expect(found('13812345678，13912345678')).toEqual([
      ['mobile', '13812345678'],
      ['mobile', '13912345678'],
    ]);
    expect(found('13812345678 13912345678')).toEqual([
      ['mobile', '13812345678'],
      ['mobile', '13912345678'],
    ]);
  });

  it('takes a country code into the span', () => {
    expect(found('电话+8613812345678')).toEqual([['mobile', '+8613812345678']]);
    expect(found('电话：+86 138 1234 5678')).toEqual([['mobile', '+86 138 1234 5678']]);
    expect(found('电话：0086 13812345678')).toEqual([['mobile', '0086 13812345678']]);
    expect(found('电话：86-13812345678')).toEqual([['mobile', '86-13812345678']]);
    const d = detectPii('电话：+86 138 1234 5678')[0]!;
    expect(d.value).toBe('13812345678');
    expect(d.valueStart - d.start).toBe(4);
  });

  it('keeps look-alikes: order and parcel numbers, amounts, unallocated prefixes', () => {
    expect(found('订单号13812345678')).toEqual([]);
    expect(found('订单号：13812345678，麻烦查一下')).toEqual([]);
    expect(found('订单编号 138 1234 5678')).toEqual([]);
    expect(found('运单号13812345678')).toEqual([]);
    expect(found('13812345678是订单号')).toEqual([]);
    expect(found('13812345678这个订单什么时候发')).toEqual([]);
    expect(found('物流信息显示13812345678')).toEqual([]);
    expect(found('order id 13812345678')).toEqual([]);
    expect(found('金额13812345678元')).toEqual([]);
    expect(found('¥13812345678')).toEqual([]);
    expect(found('会员号12345678901')).toEqual([]);
    expect(found('14012345678 15412345678 19412345678')).toEqual([]);
    expect(found('SF13812345678')).toEqual([]);
    expect(found('13812345678.5')).toEqual([]);
    expect(found('1381234567890')).toEqual([]);
    expect(found('138****5678')).toEqual([]);
    expect(found('客服热线400-820-8820，或者10086')).toEqual([]);
  });

  it('a personal cue nearer than an order cue wins', () => {
    expect(found('订单号 2024051800123，收货人电话13812345678')).toEqual([['mobile', '13812345678']]);
    expect(found('快递员电话13812345678')).toEqual([['mobile', '13812345678']]);
    expect(found('订单一直没到，13812345678')).toEqual([['mobile', '13812345678']]);
    expect(found('手机13812345678，订单号13912345678')).toEqual([['mobile', '13812345678']]);
    expect(found('短信验证码发到13812345678了吗')).toEqual([['mobile', '13812345678']]);
  });

  it('offsets are code points, with emoji and CJK Extension B around the number', () => {
    const text = `${EXT_B}${ANGRY}13812345678${EXT_B}${FAMILY}手机：１３８１２３４５６７８${EXT_B}`;
    const dets = detectPii(text);
    expect(dets.map((d) => [d.start, d.end])).toEqual([
      [2, 13], // 𠮷 and 😡 are one code point each
      [22, 33], // + 𠮷, 5 for the family emoji, 手机：
    ]);
    for (const d of dets) expect(spanText(text, d)).toBe(d.text);
  });
});

describe('landline recogniser', () => {
  it('finds numbers with area codes in several layouts', () => {
    expect(found('座机0755-82345678')).toEqual([['landline', '0755-82345678']]);
    expect(found('座机075582345678')).toEqual([['landline', '075582345678']]);
    expect(found('电话(010)62754433')).toEqual([['landline', '(010)62754433']]);
    expect(found('电话（0571）8502 2088')).toEqual([['landline', '（0571）8502 2088']]);
    expect(found('电话 010 6275 4433')).toEqual([['landline', '010 6275 4433']]);
    expect(found('固话：０２０－８７６５４３２１')).toEqual([['landline', '０２０－８７６５４３２１']]);
    expect(found('电话：+86 755 82345678')).toEqual([['landline', '+86 755 82345678']]);
    expect(found('总机0755-86013388-8021')).toEqual([['landline', '0755-86013388']]);
    expect(found('0755-86013388转8021')).toEqual([['landline', '0755-86013388']]);
  });

  it('an area code of the right shape that is not in the list needs a cue and a separator', () => {
    expect(found('座机0494-7367034')).toEqual([['landline', '0494-7367034']]);
    expect(found('0494-7367034')).toEqual([]);
    expect(found('电话04947367034')).toEqual([]);
  });

  it('keeps codes written in chunks and service numbers', () => {
    expect(found('券码 0512 3456 7890 1234')).toEqual([]);
    expect(found('兑换码0571-8502-2088-1234')).toEqual([]);
    expect(found('400-820-8820 / 95588')).toEqual([]);
    expect(found('02012345678')).toEqual([]); // subscriber starting with 1
  });
});

describe('resident-ID recogniser', () => {
  it('finds IDs with a valid check character, X in either case, spaced or full-width', () => {
    expect(found('身份证11010519491231002X')).toEqual([['resident-id', '11010519491231002X']]);
    expect(found('身份证11010519491231002x，谢谢')).toEqual([['resident-id', '11010519491231002x']]);
    expect(found('11010519491231002X')).toEqual([['resident-id', '11010519491231002X']]);
    expect(found('证件号 110105 19491231 002X')).toEqual([['resident-id', '110105 19491231 002X']]);
    expect(found('证件号 110105-19491231-002X')).toEqual([['resident-id', '110105-19491231-002X']]);
    expect(found('身份证：１１０１０５１９４９１２３１００２Ｘ')).toEqual([['resident-id', '１１０１０５１９４９１２３１００２Ｘ']]);
    const d = detectPii('身份证11010519491231002x')[0]!;
    expect(d.value).toBe('11010519491231002X');
  });

  it('keeps 18-digit numbers that fail the checksum or the date, and longer runs', () => {
    expect(found('订单号110105194912310021')).toEqual([]);
    expect(found('110105194912310021')).toEqual([]); // wrong check digit, no cue
    expect(found('身份证110105194912310021')).toEqual([]); // a mistyped ID is not recognised either
    expect(found('202405181234567890')).toEqual([]);
    expect(found('11010519491231002X1')).toEqual([]);
    expect(found('A11010519491231002X')).toEqual([]);
  });
});

describe('bank-card recogniser', () => {
  it('finds Luhn-valid numbers with an issuer prefix', () => {
    expect(found('卡号6222021234567890128')).toEqual([['bank-card', '6222021234567890128']]);
    expect(found('6222021234567890128')).toEqual([['bank-card', '6222021234567890128']]);
    expect(found('卡号 6222 0212 3456 7890 128')).toEqual([['bank-card', '6222 0212 3456 7890 128']]);
    expect(found('卡号 6222-0212-3456-7890-128')).toEqual([['bank-card', '6222-0212-3456-7890-128']]);
    expect(found('visa 4111 1111 1111 1111')).toEqual([['bank-card', '4111 1111 1111 1111']]);
    expect(found('信用卡：４１１１１１１１１１１１１１１１')).toEqual([['bank-card', '４１１１１１１１１１１１１１１１']]);
  });

  it('keeps failing checksums, unknown issuers and cards that are not bank cards', () => {
    expect(found('卡号6222021234567890127')).toEqual([]);
    expect(found('1234567812345670')).toEqual([]);
    expect(found('订单号6222021234567890128')).toEqual([]);
    expect(found('礼品卡卡号6222021234567890128')).toEqual([]);
    expect(found('会员卡号6222021234567890128')).toEqual([]);
    expect(found('IMEI 861234567890123')).toEqual([]);
    expect(found('退款金额：6222021234567890128元')).toEqual([]);
    expect(found('6222 **** **** 0128')).toEqual([]);
  });
});

describe('e-mail recogniser', () => {
  it('finds addresses, including QQ-number and phone-number addresses', () => {
    expect(found('邮箱zhang.san@qq.com，谢谢')).toEqual([['email', 'zhang.san@qq.com']]);
    expect(found('发到854213379@qq.com')).toEqual([['email', '854213379@qq.com']]);
    expect(found('13812345678@163.com')).toEqual([['email', '13812345678@163.com']]);
    expect(found('Email: LI.NA@QQ.COM.')).toEqual([['email', 'LI.NA@QQ.COM']]);
    expect(found('邮箱ｚｈａｎｇ＠ｑｑ．ｃｏｍ')).toEqual([['email', 'ｚｈａｎｇ＠ｑｑ．ｃｏｍ']]);
    expect(found('a+tag@mail.ustc.edu.cn和b_c-1@xx-tech.com.cn')).toEqual([
      ['email', 'a+tag@mail.ustc.edu.cn'],
      ['email', 'b_c-1@xx-tech.com.cn'],
    ]);
  });

  it('keeps mentions and file names', () => {
    expect(found('@客服小美 请处理')).toEqual([]);
    expect(found('图片logo@2x.png打不开')).toEqual([]);
    expect(found('user@localhost')).toEqual([]);
    expect(found('v1.2@3.4')).toEqual([]);
  });
});

describe('everything together', () => {
  it('finds each type once in a mixed message, sorted and non-overlapping', () => {
    const text = `${EXT_B}您好，我叫李华，手机13812345678，身份证11010519491231002X，卡号6222021234567890128，邮箱li.hua@163.com，座机0755-82345678；订单号13912345678，快递单号SF1234567890123，金额1380.00元，2024-05-18下单${FAMILY}`;
    const dets = detectPii(text);
    expect(dets.map((d) => d.type)).toEqual(['mobile', 'resident-id', 'bank-card', 'email', 'landline']);
    for (let i = 1; i < dets.length; i++) expect(dets[i]!.start).toBeGreaterThanOrEqual(dets[i - 1]!.end);
    for (const d of dets) expect(spanText(text, d)).toBe(d.text);
  });

  it('types and threshold options', () => {
    const text = '手机13812345678，邮箱a@b.cn';
    expect(detectPii(text, { types: ['email'] }).map((d) => d.type)).toEqual(['email']);
    expect(detectPii(text, { types: ['mobile'] }).map((d) => d.type)).toEqual(['mobile']);
    expect(detectPii('13812345678', { threshold: 0.9 })).toEqual([]);
  });

  it('ignores numbers inside URLs', () => {
    expect(found('https://detail.tmall.com/item.htm?id=13812345678，手机13912345678')).toEqual([['mobile', '13912345678']]);
  });

  it('isValidPii checks a bare value', () => {
    expect(isValidPii('mobile', '138 1234 5678')).toBe(true);
    expect(isValidPii('resident-id', '11010519491231002X')).toBe(true);
    expect(isValidPii('bank-card', '6222021234567890127')).toBe(false);
    expect(isValidPii('email', 'a@b.cn')).toBe(true);
    expect(isValidPii('email', 'a@b')).toBe(false);
  });
});
