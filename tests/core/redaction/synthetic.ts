/**
 * Seeded generator of labelled synthetic customer-service texts for the PII recognisers.
 *
 * The generator deliberately does not import the recognisers' code: it has its own checksum
 * implementations, its own (real) operator prefixes, area codes, region codes and card BINs, and
 * its own notion of how people write numbers. Besides the positives it plants look-alikes that
 * must be kept: order numbers (including 11-digit ones with a mobile prefix, 18-digit ones shaped
 * like an ID with a wrong check digit, and Luhn-valid 62… numbers), tracking numbers, amounts,
 * dates and timestamps, hotlines, IMEIs, QQ numbers, coupon codes, masked values and URLs.
 *
 * Gold spans follow the recognisers' documented convention: separators, a `+86` country code, a
 * parenthesised area code and a trailing `X` are inside the span.
 */

export type GoldType = 'mobile' | 'landline' | 'resident-id' | 'bank-card' | 'email';
export const GOLD_TYPES: readonly GoldType[] = ['mobile', 'landline', 'resident-id', 'bank-card', 'email'];

export interface GoldSpan {
  start: number;
  end: number;
  type: GoldType;
}

export interface LabelledText {
  text: string;
  pii: GoldSpan[];
}

// ---------------------------------------------------------------- randomness

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Rng {
  constructor(private readonly next: () => number) {}
  float(): number {
    return this.next();
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  digits(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String(this.int(0, 9));
    return s;
  }
  /** Weighted choice: [weight, value][] */
  weighted<T>(items: readonly (readonly [number, T])[]): T {
    const total = items.reduce((a, [w]) => a + w, 0);
    let r = this.next() * total;
    for (const [w, v] of items) {
      r -= w;
      if (r < 0) return v;
    }
    return items[items.length - 1]![1];
  }
}

// ---------------------------------------------------------------- independent checksums

export function idCheck(first17: string): string {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let s = 0;
  for (let i = 0; i < 17; i++) s += Number(first17[i]) * w[i]!;
  return '10X98765432'[s % 11]!;
}

export function luhnOk(num: string): boolean {
  let sum = 0;
  let dbl = false;
  for (let i = num.length - 1; i >= 0; i--) {
    let d = Number(num[i]);
    if (dbl) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
    dbl = !dbl;
  }
  return sum % 10 === 0;
}

function withLuhn(body: string): string {
  for (let c = 0; c < 10; c++) if (luhnOk(body + c)) return body + c;
  throw new Error('unreachable');
}

function withoutLuhn(body: string, rng: Rng): string {
  for (;;) {
    const c = String(rng.int(0, 9));
    if (!luhnOk(body + c)) return body + c;
  }
}

// ---------------------------------------------------------------- surface forms

const FW_DIGIT = (s: string): string => s.replace(/[0-9]/g, (d) => String.fromCharCode(0xff10 + Number(d)));
const FW_ALL = (s: string): string => s.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).replace(/ /g, '\u3000');

function groupDigits(digits: string, sizes: number[], sep: string): string {
  const parts: string[] = [];
  let i = 0;
  for (const n of sizes) {
    if (i >= digits.length) break;
    parts.push(digits.slice(i, i + n));
    i += n;
  }
  if (i < digits.length) parts.push(digits.slice(i));
  return parts.join(sep);
}

// Real mobile prefixes (three digits) in use.
const MOBILE_PREFIXES = [
  '134',
  '135',
  '136',
  '137',
  '138',
  '139',
  '147',
  '150',
  '151',
  '152',
  '157',
  '158',
  '159',
  '172',
  '178',
  '182',
  '183',
  '184',
  '187',
  '188',
  '195',
  '197',
  '198',
  '130',
  '131',
  '132',
  '145',
  '155',
  '156',
  '166',
  '175',
  '176',
  '185',
  '186',
  '196',
  '133',
  '149',
  '153',
  '173',
  '177',
  '180',
  '181',
  '189',
  '190',
  '191',
  '193',
  '199',
  '170',
  '171',
  '162',
  '165',
  '167',
  '192',
];
// Prefixes that look like a mobile number but are not allocated to phones.
const NOT_MOBILE_PREFIXES = [
  '100',
  '101',
  '106',
  '110',
  '111',
  '112',
  '120',
  '121',
  '123',
  '125',
  '128',
  '140',
  '141',
  '144',
  '154',
  '160',
  '161',
  '163',
  '164',
  '168',
  '169',
  '179',
  '194',
];

const AREA3 = ['010', '020', '021', '022', '023', '024', '025', '027', '028', '029'];
const AREA4 = [
  '0311',
  '0312',
  '0315',
  '0351',
  '0371',
  '0379',
  '0373',
  '0391',
  '0411',
  '0412',
  '0431',
  '0451',
  '0459',
  '0471',
  '0472',
  '0510',
  '0512',
  '0513',
  '0516',
  '0519',
  '0531',
  '0532',
  '0535',
  '0536',
  '0539',
  '0551',
  '0553',
  '0571',
  '0573',
  '0574',
  '0575',
  '0577',
  '0579',
  '0591',
  '0592',
  '0595',
  '0597',
  '0663',
  '0668',
  '0731',
  '0734',
  '0746',
  '0752',
  '0755',
  '0756',
  '0757',
  '0760',
  '0769',
  '0771',
  '0772',
  '0773',
  '0791',
  '0797',
  '0714',
  '0717',
  '0812',
  '0816',
  '0838',
  '0851',
  '0871',
  '0898',
  '0913',
  '0917',
  '0931',
  '0937',
  '0951',
  '0971',
  '0991',
  '0993',
  '0997',
  '0635',
  '0631',
];

const REGIONS = [
  '110102',
  '110106',
  '110108',
  '120103',
  '120104',
  '130104',
  '130602',
  '140106',
  '150203',
  '210211',
  '210103',
  '220104',
  '230103',
  '230602',
  '310105',
  '310112',
  '310115',
  '320106',
  '320582',
  '320211',
  '330102',
  '330302',
  '330681',
  '340102',
  '340321',
  '350102',
  '350503',
  '360103',
  '360721',
  '370203',
  '370305',
  '370881',
  '410102',
  '410302',
  '411302',
  '420111',
  '420602',
  '430102',
  '430521',
  '440104',
  '440304',
  '440604',
  '441900',
  '442000',
  '450102',
  '450305',
  '460105',
  '500105',
  '500234',
  '510105',
  '510704',
  '511323',
  '520103',
  '522422',
  '530103',
  '532901',
  '540102',
  '610103',
  '610502',
  '620103',
  '620502',
  '630104',
  '640105',
  '650103',
  '652201',
  '654002',
  '810000',
  '820000',
  '830000',
];

// Issuer BINs with the lengths their cards come in.
const CARD_BINS: [string, number[]][] = [
  ['622202', [19]],
  ['621226', [19]],
  ['621558', [19]],
  ['622848', [19]],
  ['622845', [19]],
  ['621700', [19]],
  ['622700', [19]],
  ['623668', [19]],
  ['621661', [19]],
  ['621785', [19]],
  ['622588', [16]],
  ['621483', [16]],
  ['621286', [16]],
  ['622262', [19]],
  ['622260', [19]],
  ['621799', [19]],
  ['622188', [19]],
  ['622150', [19]],
  ['622630', [16]],
  ['622908', [18]],
  ['623058', [19]],
  ['622689', [16]],
  ['621691', [19]],
  ['622155', [16]],
  ['625955', [16]],
  ['628288', [16]],
  ['620522', [17, 19]],
  ['622609', [17]],
  ['601382', [19]],
  ['436742', [19]],
  ['456351', [16]],
  ['403391', [16]],
  ['427020', [16]],
  ['518710', [16]],
  ['552599', [16]],
  ['524047', [16]],
  ['356833', [16]],
  ['356889', [16]],
];

function mobileDigits(rng: Rng): string {
  return rng.pick(MOBILE_PREFIXES) + rng.digits(8);
}

function mobileSurface(rng: Rng, d: string): string {
  return rng.weighted<() => string>([
    [52, () => d],
    [9, () => groupDigits(d, [3, 4, 4], ' ')],
    [7, () => groupDigits(d, [3, 4, 4], '-')],
    [2, () => groupDigits(d, [3, 8], '-')],
    [4, () => '+86' + d],
    [5, () => '+86 ' + d],
    [3, () => '+86 ' + groupDigits(d, [3, 4, 4], ' ')],
    [2, () => '+86-' + groupDigits(d, [3, 4, 4], '-')],
    [2, () => '86-' + d],
    [1, () => '0086 ' + d],
    [8, () => FW_DIGIT(d)],
    [3, () => FW_ALL(groupDigits(d, [3, 4, 4], ' '))],
    [2, () => FW_DIGIT(groupDigits(d, [3, 4, 4], '－'))],
  ])();
}

function landlineParts(rng: Rng): [string, string] {
  if (rng.chance(0.35)) return [rng.pick(AREA3), String(rng.int(2, 8)) + rng.digits(7)];
  return [rng.pick(AREA4), String(rng.int(2, 8)) + rng.digits(rng.chance(0.7) ? 7 : 6)];
}

function landlineSurface(rng: Rng, [a, s]: [string, string]): string {
  return rng.weighted<() => string>([
    [45, () => `${a}-${s}`],
    [18, () => a + s],
    [8, () => `(${a})${s}`],
    [4, () => `（${a}）${s}`],
    [3, () => `(${a}) ${s}`],
    [8, () => `${a} ${s}`],
    [5, () => `${a}-${s.slice(0, s.length - 4)}-${s.slice(-4)}`],
    [5, () => FW_DIGIT(`${a}-${s}`)],
    [2, () => `+86-${a.slice(1)}-${s}`],
    [2, () => `+86 ${a.slice(1)} ${s}`],
  ])();
}

function birthDate(rng: Rng): string {
  const y = rng.int(1940, 2012);
  const m = rng.int(1, 12);
  const days = [31, y % 4 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
  const d = rng.int(1, days);
  return `${y}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}`;
}

function residentId(rng: Rng): string {
  const first17 = rng.pick(REGIONS) + birthDate(rng) + rng.digits(3);
  return first17 + idCheck(first17);
}

/** Shaped like an ID (region, birth date) but with a wrong check character. */
function idLikeWrongCheck(rng: Rng): string {
  const first17 = rng.pick(REGIONS) + birthDate(rng) + rng.digits(3);
  const good = idCheck(first17);
  let c = good;
  while (c === good) c = rng.pick('0123456789X'.split(''));
  return first17 + c;
}

function idSurface(rng: Rng, id: string): string {
  const lower = id.endsWith('X') && rng.chance(0.3) ? id.slice(0, 17) + 'x' : id;
  return rng.weighted<() => string>([
    [68, () => lower],
    [9, () => groupDigits(lower, [6, 8, 4], ' ')],
    [4, () => groupDigits(lower, [6, 8, 4], '-')],
    [3, () => groupDigits(lower, [6, 4, 4, 4], ' ')],
    [9, () => FW_DIGIT(lower)],
    [4, () => FW_ALL(lower)],
  ])();
}

function bankCard(rng: Rng): string {
  const [bin, lens] = rng.pick(CARD_BINS);
  const len = rng.pick(lens);
  return withLuhn(bin + rng.digits(len - bin.length - 1));
}

function cardSurface(rng: Rng, d: string): string {
  return rng.weighted<() => string>([
    [55, () => d],
    [25, () => groupDigits(d, [4, 4, 4, 4, 4], ' ')],
    [4, () => groupDigits(d, [4, 4, 4, 4, 4], '-')],
    [3, () => groupDigits(d, [6, 13], ' ')],
    [8, () => FW_DIGIT(d)],
    [5, () => FW_ALL(groupDigits(d, [4, 4, 4, 4, 4], ' '))],
  ])();
}

const PINYIN = [
  'zhang',
  'wang',
  'li',
  'liu',
  'chen',
  'yang',
  'huang',
  'zhao',
  'wu',
  'zhou',
  'xu',
  'sun',
  'ma',
  'zhu',
  'hu',
  'guo',
  'he',
  'lin',
  'luo',
  'zheng',
  'liang',
  'xie',
  'song',
  'tang',
];
const GIVEN_PINYIN = [
  'wei',
  'fang',
  'na',
  'min',
  'jing',
  'li',
  'qiang',
  'lei',
  'jun',
  'yang',
  'yong',
  'yan',
  'jie',
  'juan',
  'tao',
  'ming',
  'chao',
  'xiaoming',
  'xiaohong',
  'haoran',
  'zihan',
  'yuxuan',
];
const EN_WORDS = ['sunny', 'happy', 'cat', 'tiger', 'moon', 'star', 'apple', 'coffee', 'river', 'cloud', 'lucky', 'dream', 'panda'];
const DOMAINS = [
  'qq.com',
  'qq.com',
  'qq.com',
  '163.com',
  '163.com',
  '126.com',
  'sina.com',
  'sina.cn',
  'sohu.com',
  'foxmail.com',
  'gmail.com',
  'outlook.com',
  'hotmail.com',
  'yeah.net',
  '139.com',
  'aliyun.com',
  'huawei.com',
  'xx-tech.com.cn',
  'mail.ustc.edu.cn',
  'vip.163.com',
  'example-shop.cn',
  'corp.alibaba-inc.com',
  'yahoo.com.cn',
];

function email(rng: Rng): string {
  const local = rng.weighted<() => string>([
    [20, () => rng.pick(PINYIN) + rng.pick(GIVEN_PINYIN)],
    [10, () => rng.pick(PINYIN) + '.' + rng.pick(GIVEN_PINYIN)],
    [8, () => rng.pick(PINYIN) + '_' + rng.pick(GIVEN_PINYIN) + rng.digits(rng.int(1, 4))],
    [18, () => String(rng.int(1, 9)) + rng.digits(rng.int(4, 10))],
    [6, () => mobileDigits(rng)],
    [8, () => rng.pick(EN_WORDS) + rng.digits(rng.int(0, 4))],
    [3, () => rng.pick(EN_WORDS) + '+' + rng.pick(['shop', 'jd', 'tb'])],
    [4, () => (rng.pick(PINYIN) + rng.pick(GIVEN_PINYIN)).toUpperCase()],
    [3, () => rng.pick(PINYIN).slice(0, 1) + rng.pick(GIVEN_PINYIN) + '-' + rng.digits(2)],
  ])();
  return `${local}@${rng.pick(DOMAINS)}`;
}

function emailSurface(rng: Rng, e: string): string {
  if (rng.chance(0.06)) return e.replace('@', '＠');
  if (rng.chance(0.03)) return FW_ALL(e);
  return e;
}

// ---------------------------------------------------------------- look-alikes (kept)

type Lookalike = () => string;

function lookalikes(rng: Rng): Record<string, Lookalike> {
  const orderNum = (): string =>
    rng.weighted<() => string>([
      [10, () => mobileDigits(rng)], // 11 digits with a mobile prefix: only the context says "order"
      [8, () => idLikeWrongCheck(rng)],
      [6, () => withLuhn('62' + rng.digits(rng.pick([14, 16]))) + ''],
      [6, () => String(rng.int(1, 9)) + rng.digits(rng.pick([10, 11, 12, 13, 15, 16, 17, 18, 19]))],
      [
        6,
        () =>
          '20' +
          String(rng.int(20, 25)) +
          String(rng.int(1, 12)).padStart(2, '0') +
          String(rng.int(1, 28)).padStart(2, '0') +
          rng.digits(rng.int(6, 12)),
      ],
      [4, () => String(rng.int(1, 4)) + rng.digits(18)], // Taobao-style 19 digits
      [3, () => `${String(rng.int(23, 25))}${String(rng.int(1, 12)).padStart(2, '0')}${String(rng.int(10, 28))}-${rng.digits(15)}`], // PDD-style
      [3, () => FW_DIGIT(mobileDigits(rng))],
      [2, () => groupDigits(rng.digits(16), [4, 4, 4, 4], ' ')],
    ])();
  const tracking = (): string =>
    rng.weighted<() => string>([
      [6, () => 'SF' + rng.digits(13)],
      [4, () => 'YT' + rng.digits(13)],
      [4, () => 'JDVA' + rng.digits(11)],
      [3, () => 'JD' + rng.digits(13)],
      [5, () => '75' + rng.digits(12)],
      [4, () => '43' + rng.digits(11)],
      [3, () => '77' + rng.digits(13)],
      [3, () => 'E' + rng.digits(9) + 'CN'],
      [3, () => '9' + rng.digits(12)],
      [2, () => 'ZT' + rng.digits(12)],
      [3, () => mobileDigits(rng)], // 11-digit parcel numbers exist too
    ])();
  const amount = (): string =>
    rng.weighted<() => string>([
      [5, () => `${rng.int(1, 9999)}.${rng.digits(2)}`],
      [4, () => String(rng.int(1, 99999))],
      [2, () => `${rng.int(1, 99)},${rng.digits(3)}.${rng.digits(2)}`],
      [2, () => `${rng.int(1, 9)},${rng.digits(3)},${rng.digits(3)}.00`],
    ])();
  const date = (): string => {
    const y = rng.int(2019, 2025);
    const m = rng.int(1, 12);
    const d = rng.int(1, 28);
    const mm = String(m).padStart(2, '0');
    const dd = String(d).padStart(2, '0');
    return rng.weighted<() => string>([
      [4, () => `${y}-${mm}-${dd}`],
      [4, () => `${y}年${m}月${d}日`],
      [3, () => `${y}${mm}${dd}`],
      [3, () => `${y}/${mm}/${dd} ${String(rng.int(0, 23)).padStart(2, '0')}:${rng.int(10, 59)}`],
      [2, () => `${y}-${mm}-${dd} ${rng.int(10, 23)}:${rng.int(10, 59)}:${rng.int(10, 59)}`],
      [2, () => `${y}${mm}${dd}${rng.digits(6)}`],
      [2, () => String(rng.int(1600000000, 1760000000))],
      [2, () => String(rng.int(1600000000, 1760000000)) + rng.digits(3)],
    ])();
  };
  return {
    order: orderNum,
    tracking,
    amount,
    date,
    notMobile: () => rng.pick(NOT_MOBILE_PREFIXES) + rng.digits(8),
    badCard: () => withoutLuhn(rng.pick(CARD_BINS)[0] + rng.digits(rng.pick([9, 12])), rng),
    idLike: () => idLikeWrongCheck(rng),
    hotline: () =>
      rng.pick(['400-820-8820', '4008208820', '400-610-1360', '800-810-8888', '95588', '95533', '10086', '10010', '12315', '400 888 6666', '95017']),
    imei: () => withLuhn('86' + rng.digits(12)),
    qq: () => String(rng.int(1, 9)) + rng.digits(rng.int(5, 9)),
    coupon: () => groupDigits(rng.digits(16), [4, 4, 4, 4], rng.pick([' ', '-'])),
    code: () => rng.digits(rng.pick([4, 6])),
    masked: () =>
      rng.pick([
        mobileDigits(rng).slice(0, 3) + '****' + rng.digits(4),
        '6222 **** **** ' + rng.digits(4),
        rng.pick(REGIONS).slice(0, 3) + '***********' + rng.digits(3) + 'X',
        rng.pick(PINYIN) + '***@qq.com',
      ]),
    tail: () => rng.digits(4),
    url: () =>
      rng.pick([
        `https://item.jd.com/${rng.digits(12)}.html`,
        `https://detail.tmall.com/item.htm?id=${mobileDigits(rng)}`,
        `https://m.tb.cn/h.${rng.digits(6)}?tk=${rng.digits(11)}`,
        `www.example-shop.cn/order/${idLikeWrongCheck(rng)}`,
      ]),
    model: () =>
      rng.pick(['iPhone 15 Pro Max 256G', 'RTX4090', 'XQG100-14B', 'BCD-470WDPG', 'Mate60 Pro', 'KFR-35GW/N8', 'MI 13 Ultra', 'P50-1234567']),
    file: () => rng.pick(['logo@2x.png', 'icon@3x.jpg', 'banner@2x.webp']),
    handle: () => rng.pick(['@客服小美', '@售后专员', '@店长', '@全体成员']),
    tax: () => '91' + rng.digits(6) + 'MA' + rng.digits(5) + rng.pick(['X', 'Y', 'K']) + rng.digits(3),
    version: () => `v${rng.int(1, 9)}.${rng.int(0, 20)}.${rng.int(0, 99)}`,
  };
}

// ---------------------------------------------------------------- templates

/** `{v}` is the PII value (or look-alike). */
const POSITIVE: Record<GoldType, string[]> = {
  mobile: [
    '我的手机号是{v}',
    '手机：{v}',
    '手机号{v}',
    '联系电话{v}',
    '麻烦打我电话{v}',
    '有问题请联系{v}',
    '收货人张先生，{v}',
    '{v}这个是我的手机号',
    '{v}（微信同号）',
    '号码换成{v}了',
    '回拨{v}就行',
    '客户留的电话：{v}',
    '请发短信到{v}',
    '备用号码{v}',
    '我叫李华，{v}',
    '{v}',
    'Tel: {v}',
    '注册手机号{v}收不到验证码',
    '帮我查下{v}这个号绑定的订单',
    '电话{v}，地址在朝阳区',
    '收件人：王芳 {v}',
    '联系人刘先生{v}',
    '打{v}找我',
    '可以加我微信{v}',
    '我老公的电话{v}',
    '来电显示{v}',
    '换绑到新手机{v}',
    '{v}是我的号码，有事打给我',
    '送货前请先打电话给我 {v}',
    'phone: {v}',
    '我的号{v}',
    '明天到了打{v}',
    '{v} 王女士',
    '骑手电话{v}一直打不通',
    '账号是{v}',
    '用{v}登录的',
    '你们的快递员电话{v}态度很差',
    '我的联系方式：{v}',
    '麻烦让师傅联系这个号码{v}',
    '收件信息：李四，{v}，浙江省杭州市',
    '{v}（本人）',
    '快递到了给我打电话，{v}',
    '您好，我是{v}的机主',
    '这是我手机{v}，不是订单号',
    '短信验证码发到{v}了吗',
    '我的新号码：{v}',
    '老号码{v}不用了',
    '紧急联系人 {v}',
    '有事call我 {v}',
    '客户电话：{v}（已核实）',
    '对方电话是{v}',
    '配送员的手机{v}',
    '叫外卖留的{v}',
    '我的电话是{v}',
    '微信：{v}',
  ],
  landline: [
    '座机：{v}',
    '公司电话{v}',
    '办公室电话是{v}',
    '家里座机{v}，白天没人',
    '固话{v}转分机8021',
    '联系我们：{v}',
    '{v}（工作日9:00-18:00）',
    '打{v}找前台',
    '门店电话{v}',
    '固定电话{v}',
    '电话：{v}',
    '单位电话{v}，找财务',
    '{v}',
    '请拨打{v}',
    '也可以打我家电话{v}',
    '宅电{v}',
    '前台座机是{v}',
    'Tel {v}',
    '传真同号{v}',
    '总机{v}',
    '医院电话{v}',
    '店里的电话{v}',
    '{v}转8001',
    '电话(办公){v}',
    '售后网点电话：{v}',
    '我在公司，打{v}',
    '联系方式 {v}（座机）',
  ],
  'resident-id': [
    '身份证号{v}',
    '我的身份证是{v}',
    '证件号码：{v}',
    '实名认证用的{v}',
    '{v}是我身份证号',
    '身份证号码{v}，姓名王芳',
    '请核对一下身份信息：{v}',
    '办卡时登记的证件{v}',
    '{v}',
    'ID: {v}',
    '身份证：{v}',
    '我的证件号是{v}，帮我查下',
    '公民身份号码{v}',
    '开发票用的身份证号 {v}',
    '{v}这是我老婆的身份证',
    '实名信息填的{v}',
    '身份证{v}认证不了',
    '身份证后面是X的，{v}',
    '证件类型身份证，号码{v}',
    '护照没有，身份证{v}',
    '持证人身份证号 {v}',
    '身份证号：{v}（本人）',
    '我的证件是{v}',
    '给我老妈买的，她身份证{v}',
  ],
  'bank-card': [
    '卡号{v}',
    '退款退到这张卡{v}',
    '银行卡：{v}',
    '我的工行卡{v}',
    '储蓄卡号码{v}',
    '信用卡{v}被扣款了',
    '收款账号{v}',
    '{v}（招商银行）',
    '打款到{v}',
    '{v}',
    '卡号是{v}，开户行建设银行',
    '绑定的银行卡{v}',
    '退到我的借记卡{v}上',
    '银行卡号 {v}',
    '转账到{v}',
    '我用的是{v}这张卡付的',
    '{v} 农业银行 张三',
    '这张卡 {v} 扣了两次',
    '卡号：{v}（工商银行）',
    '请把钱打到{v}',
    '银行账号 {v} 户名张三',
    '开户行：中国银行 账号：{v}',
    '尾号不对，完整卡号{v}',
    '信用卡号码{v}',
    'visa卡{v}',
    '我的建行储蓄卡{v}',
    '退款账户{v}',
  ],
  email: [
    '邮箱{v}',
    '发到我邮箱：{v}',
    '{v}',
    'Email: {v}',
    '电子发票请发送至{v}',
    '我的邮箱是{v}，谢谢',
    '联系邮箱 {v}',
    '{v}收不到邮件',
    '麻烦发{v}',
    '或者发邮件到{v}吧',
    'mail:{v}',
    '邮件地址是{v}',
    '请回复到{v}',
    '邮箱地址：{v}',
    '用{v}注册的',
    '发送到 {v} 即可',
    'PayPal账号{v}',
  ],
};

/** `{n}` is a look-alike; its generator is named by the key before the colon. */
const NEGATIVE: string[] = [
  'order:订单号{n}',
  'order:订单号：{n}',
  'order:订单编号{n}',
  'order:我的订单{n}还没发货',
  'order:单号{n}',
  'order:{n}这个订单什么时候发',
  'order:交易号{n}',
  'order:售后单号{n}',
  'order:退款单号：{n}',
  'order:订单号是{n}',
  'order:工单号{n}',
  'order:流水号{n}',
  'order:商户订单号 {n}',
  'order:订单号码{n}',
  'order:查一下订单 {n}',
  'order:{n}是订单号',
  'tracking:快递单号{n}',
  'tracking:运单号{n}',
  'tracking:物流单号：{n}',
  'tracking:顺丰{n}',
  'tracking:中通快递{n}',
  'tracking:快递{n}一直没更新',
  'tracking:运单号码 {n}',
  'amount:¥{n}',
  'amount:{n}元',
  'amount:退款{n}元',
  'amount:金额：{n}',
  'amount:共计{n}元',
  'amount:实付￥{n}',
  'amount:优惠了{n}块',
  'amount:差价{n}元什么时候退',
  'date:{n}下的单',
  'date:{n}签收的',
  'date:预约{n}上门',
  'date:时间：{n}',
  'date:{n}付款',
  'notMobile:会员号{n}',
  'notMobile:编号{n}',
  'notMobile:{n}',
  'notMobile:工号{n}的客服',
  'notMobile:商品编码{n}',
  'hotline:客服热线{n}',
  'hotline:打{n}也没人接',
  'hotline:拨打{n}转人工',
  'imei:IMEI：{n}',
  'imei:串号{n}',
  'imei:设备号{n}',
  'qq:QQ：{n}',
  'qq:qq号{n}',
  'qq:群号{n}',
  'coupon:券码{n}',
  'coupon:兑换码 {n}',
  'coupon:礼品卡卡号{n}',
  'coupon:激活码{n}',
  'code:验证码{n}',
  'code:取件码{n}',
  'code:尾号{n}的卡',
  'masked:手机号{n}',
  'masked:{n}',
  'masked:卡号{n}',
  'tail:手机尾号{n}',
  'tail:银行卡尾号{n}',
  'order:这是我的订单：{n}',
  'tracking:物流信息显示{n}',
  'tracking:包裹{n}',
  'order:我的单子{n}',
  'order:商品ID {n}',
  'order:退款编号{n}',
  'order:订单{n}申请退款',
  'order:拼单号{n}',
  'order:采购单号{n}',
  'order:订单号为：{n}',
  'order:order id {n}',
  'order:发票号码{n}',
  'order:批次号 {n}',
  'imei:SN码{n}',
  'imei:序列号：{n}',
  'coupon:会员卡号{n}',
  'amount:余额{n}元',
  'amount:单价{n}',
  'amount:价格{n}元',
  'badCard:{n}',
  'badCard:单号{n}',
  'idLike:{n}',
  'idLike:编号{n}',
  'notMobile:{n}，麻烦查一下',
  'url:商品链接{n}',
  'url:{n}',
  'model:型号{n}',
  'model:买的是{n}',
  'file:图片{n}打不开',
  'handle:{n} 请处理一下',
  'tax:税号{n}',
  'version:app版本{n}',
];

const FILLERS = [
  '一直没发货',
  '东西收到了但是坏了',
  '我要退货',
  '麻烦尽快处理',
  '等了三天了',
  '怎么还没到',
  '客服在吗',
  '这个怎么申请售后',
  '发票开错了',
  '能不能改地址',
  '包装破损了',
  '少发了一件',
  '颜色不对',
  '尺码偏小',
  '想换货',
  '物流一直不更新',
  '已经签收了',
  '退款什么时候到账',
  '优惠券用不了',
  '为什么扣了两次钱',
];
const OPENERS = ['', '', '', '您好，', '你好，', '在吗？', '客服你好，', '亲，', '麻烦帮我看一下，', '急！', 'hi，', '我想问一下，'];
const CLOSERS = ['', '', '。', '，谢谢！', '，尽快处理', '！！', '~', '😭', '🙏', '，谢谢', '?'];
const JOINERS = ['，', '，', '，', '。', '；', ' ', '\n', '！'];
const NOISE = ['😊', '𠮷', '👍🏻', '🙏', '😡', '𠀋', '👨‍👩‍👧'];

class Builder {
  private parts: string[] = [];
  private pos = 0;
  readonly pii: GoldSpan[] = [];

  lit(s: string): void {
    this.parts.push(s);
    this.pos += Array.from(s).length;
  }

  value(s: string, type: GoldType): void {
    const len = Array.from(s).length;
    this.pii.push({ start: this.pos, end: this.pos + len, type });
    this.parts.push(s);
    this.pos += len;
  }

  text(): string {
    return this.parts.join('');
  }
}

function fillTemplate(b: Builder, template: string, slot: string, put: () => void, rng: Rng): void {
  const [before, after] = template.split(slot) as [string, string];
  // Emoji may sit anywhere; a CJK Extension B character only where a word boundary is plausible.
  const noise = (edge: boolean): string => rng.pick(edge ? NOISE : NOISE.filter((n) => !/\p{Script=Han}/u.test(n)));
  b.lit(before);
  if (rng.chance(0.06)) b.lit(noise(before === ''));
  put();
  if (rng.chance(0.06)) b.lit(noise(after === ''));
  b.lit(after);
}

function positiveValue(rng: Rng, type: GoldType): string {
  switch (type) {
    case 'mobile':
      return mobileSurface(rng, mobileDigits(rng));
    case 'landline':
      return landlineSurface(rng, landlineParts(rng));
    case 'resident-id':
      return idSurface(rng, residentId(rng));
    case 'bank-card':
      return cardSurface(rng, bankCard(rng));
    case 'email':
      return emailSurface(rng, email(rng));
  }
}

export interface SyntheticOptions {
  seed: number;
  /** Positive values per type (at least). */
  perType: number;
}

export function generateSyntheticSet({ seed, perType }: SyntheticOptions): LabelledText[] {
  const rng = new Rng(mulberry32(seed));
  const look = lookalikes(rng);
  const counts: Record<GoldType, number> = { mobile: 0, landline: 0, 'resident-id': 0, 'bank-card': 0, email: 0 };
  const out: LabelledText[] = [];
  while (GOLD_TYPES.some((t) => counts[t] < perType)) {
    const b = new Builder();
    b.lit(rng.pick(OPENERS));
    const nClauses = rng.weighted([
      [3, 1],
      [4, 2],
      [2, 3],
      [1, 4],
    ] as const);
    for (let c = 0; c < nClauses; c++) {
      if (c > 0) b.lit(rng.pick(JOINERS));
      const kind = rng.weighted([
        [55, 'pos'],
        [33, 'neg'],
        [12, 'filler'],
      ] as const);
      if (kind === 'pos') {
        const pending = GOLD_TYPES.filter((t) => counts[t] < perType);
        const type = rng.pick(pending.length > 0 ? pending : GOLD_TYPES);
        counts[type]++;
        fillTemplate(b, rng.pick(POSITIVE[type]), '{v}', () => b.value(positiveValue(rng, type), type), rng);
      } else if (kind === 'neg') {
        const spec = rng.pick(NEGATIVE);
        const colon = spec.indexOf(':');
        const gen = look[spec.slice(0, colon)]!;
        fillTemplate(b, spec.slice(colon + 1), '{n}', () => b.lit(gen()), rng);
      } else b.lit(rng.pick(FILLERS));
    }
    b.lit(rng.pick(CLOSERS));
    out.push({ text: b.text(), pii: b.pii });
  }
  return out;
}

// ---------------------------------------------------------------- scoring

export interface TypeScore {
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
}

export interface Predicted {
  start: number;
  end: number;
  type: string;
}

/** Exact-span, exact-type scoring per type. */
export function score(
  items: readonly LabelledText[],
  predict: (text: string) => Predicted[],
): { perType: Record<GoldType, TypeScore>; errors: { text: string; kind: 'fp' | 'fn'; span: Predicted; surface: string }[] } {
  const perType = Object.fromEntries(GOLD_TYPES.map((t) => [t, { tp: 0, fp: 0, fn: 0, precision: 1, recall: 1 }])) as Record<GoldType, TypeScore>;
  const errors: { text: string; kind: 'fp' | 'fn'; span: Predicted; surface: string }[] = [];
  const surface = (text: string, s: Predicted): string => Array.from(text).slice(s.start, s.end).join('');
  for (const item of items) {
    const pred = predict(item.text).filter((p) => (GOLD_TYPES as readonly string[]).includes(p.type));
    const key = (s: Predicted): string => `${s.start}:${s.end}:${s.type}`;
    const gold = new Set(item.pii.map(key));
    const got = new Set(pred.map(key));
    for (const p of pred) {
      const t = p.type as GoldType;
      if (gold.has(key(p))) perType[t].tp++;
      else {
        perType[t].fp++;
        errors.push({ text: item.text, kind: 'fp', span: p, surface: surface(item.text, p) });
      }
    }
    for (const g of item.pii) {
      if (!got.has(key(g))) {
        perType[g.type].fn++;
        errors.push({ text: item.text, kind: 'fn', span: g, surface: surface(item.text, g) });
      }
    }
  }
  for (const t of GOLD_TYPES) {
    const s = perType[t];
    s.precision = s.tp + s.fp === 0 ? 1 : s.tp / (s.tp + s.fp);
    s.recall = s.tp + s.fn === 0 ? 1 : s.tp / (s.tp + s.fn);
  }
  return { perType, errors };
}
