import { createHmac, randomBytes } from 'node:crypto';
import { isMobile, luhnCheckDigit, residentIdCheckChar } from './checks';

/**
 * Consistent pseudonyms. A surrogate is derived from HMAC-SHA256(projectKey, type + value), so the
 * same original under the same key always gives the same surrogate, across texts, packs and
 * exports, while nobody without the key can go back (or even test a guess). Surrogates are
 * format-valid: a mobile number with a real operator prefix, a resident ID with a real region code,
 * a plausible birth date and a correct check digit, a Luhn-valid card with the original's issuer
 * prefix, an address at an RFC 2606 example domain.
 */

export type PseudonymKey = string | Uint8Array;

/** A fresh random per-project key (hex, 256 bits). Store it with the project, never in packs. */
export function generatePseudonymKey(): string {
  return randomBytes(32).toString('hex');
}

export function keyBytes(key: PseudonymKey | undefined): Buffer {
  if (key === undefined) throw new Error('pseudonym mode needs a per-project key');
  const b = typeof key === 'string' ? Buffer.from(key, 'utf8') : Buffer.from(key);
  if (b.length < 16) throw new Error('the pseudonym key must be at least 16 bytes');
  return b;
}

/** Deterministic stream of uniform choices from HMAC blocks. */
export class HmacStream {
  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;
  private block = 0;

  constructor(
    private readonly key: Buffer,
    private readonly label: string,
  ) {}

  private byte(): number {
    if (this.pos >= this.buf.length) {
      this.buf = createHmac('sha256', this.key).update(`${this.label}\u0000${this.block++}`).digest();
      this.pos = 0;
    }
    return this.buf[this.pos++]!;
  }

  /** Uniform integer in [0, n), n <= 65536. */
  int(n: number): number {
    if (n <= 1) return 0;
    const range = n <= 256 ? 256 : 65536;
    const limit = range - (range % n);
    for (;;) {
      const v = range === 256 ? this.byte() : this.byte() * 256 + this.byte();
      if (v < limit) return v % n;
    }
  }

  digit(): string {
    return String(this.int(10));
  }

  digits(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += this.digit();
    return s;
  }

  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)]!;
  }

  hex(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += this.int(16).toString(16);
    return s;
  }
}

const MOBILE_PREFIXES: string[] = [];
for (let p = 130; p <= 199; p++) if (isMobile(`${p}00000000`)) MOBILE_PREFIXES.push(String(p));

/** Real county-level region codes (GB/T 2260) from all over the country. */
const REGION_CODES = [
  '110101',
  '110105',
  '110108',
  '120101',
  '130102',
  '140105',
  '150102',
  '210102',
  '220102',
  '230102',
  '310101',
  '310104',
  '310115',
  '320102',
  '320505',
  '330106',
  '330212',
  '340104',
  '350203',
  '360102',
  '370102',
  '370202',
  '410105',
  '420106',
  '430104',
  '440103',
  '440106',
  '440305',
  '450103',
  '460106',
  '500103',
  '510104',
  '510107',
  '520102',
  '530102',
  '540102',
  '610113',
  '620102',
  '630102',
  '640104',
  '650102',
];

function surrogateFor(type: string, value: string, stream: HmacStream, areaCodeLength?: number): string {
  switch (type) {
    case 'mobile':
      return stream.pick(MOBILE_PREFIXES) + stream.digits(8);
    case 'landline': {
      const area = value.slice(0, areaCodeLength ?? 4);
      const len = value.length - area.length;
      return area + String(2 + stream.int(7)) + stream.digits(len - 1);
    }
    case 'resident-id': {
      const region = stream.pick(REGION_CODES);
      // a birth date between 1950-01-01 and 2005-12-31
      const base = Date.UTC(1950, 0, 1);
      const day = stream.int(20089);
      const d = new Date(base + day * 86_400_000);
      const date = `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}`;
      const first17 = region + date + stream.digits(3);
      return first17 + residentIdCheckChar(first17);
    }
    case 'bank-card': {
      const bin = value.slice(0, 6);
      const body = bin + stream.digits(value.length - 7);
      return body + luhnCheckDigit(body);
    }
    case 'email':
      return `user${stream.hex(10)}@${stream.pick(['example.com', 'example.net', 'example.org'])}`;
    default:
      throw new Error(`no surrogate for ${type}`);
  }
}

/** The surrogate value (canonical form, like `Detection.value`) for a PII value. */
export function pseudonymValue(key: Buffer, type: string, value: string, areaCodeLength?: number): string {
  for (let attempt = 0; ; attempt++) {
    const s = surrogateFor(type, value, new HmacStream(key, `pii\u0000${type}\u0000${value}\u0000${attempt}`), areaCodeLength);
    if (s !== value) return s;
  }
}

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN =
  '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉建红文斌宇浩凯俊帆晨欣怡婷雪琳佳颖子涵梓轩思雨博文一诺若曦家豪志远海燕春梅晓东';
const CITIES = [
  '北京市朝阳区',
  '上海市浦东新区',
  '广州市天河区',
  '深圳市南山区',
  '杭州市西湖区',
  '成都市武侯区',
  '武汉市洪山区',
  '南京市鼓楼区',
  '西安市雁塔区',
  '重庆市渝北区',
];
const ROADS = ['建设路', '人民路', '解放路', '中山路', '和平路', '新华路', '文化路', '幸福路', '光明路', '胜利路'];

const NAME_LABEL = /姓名|人名|名字|称呼|联系人|收件人|收货人|客户名|^name$|person|^per$/i;
const ADDRESS_LABEL = /地址|住址|address|^addr$|^loc$/i;

/**
 * Surrogate for the text of an entity span the schema marks personal: a Chinese name for name-like
 * labels, a fictitious address for address-like labels, otherwise `[label-xxxxxx]` (six hex digits,
 * the same for the same text).
 */
export function pseudonymForLabel(key: Buffer, label: string, original: string): string {
  const stream = new HmacStream(key, `label\u0000${label}\u0000${original}`);
  if (NAME_LABEL.test(label)) {
    const given = Array.from(GIVEN);
    const len = Array.from(original).length >= 3 ? 2 : 1;
    let name = Array.from(SURNAMES)[stream.int(Array.from(SURNAMES).length)]!;
    for (let i = 0; i < len; i++) name += stream.pick(given);
    return name;
  }
  if (ADDRESS_LABEL.test(label)) return `${stream.pick(CITIES)}${stream.pick(ROADS)}${1 + stream.int(300)}号`;
  return `[${label}-${stream.hex(6)}]`;
}
