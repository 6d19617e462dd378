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

const NAME_LABEL = /姓名|人名|名字|称呼|联系人|收件人|收货人|客户名|^name$|person|^per$/i;
const ADDRESS_LABEL = /地址|住址|address|^addr$|^loc$/i;
/** Characters that give an address its structure: kept, so a surrogate address still reads as one. */
const ADDRESS_KEEP = new Set(Array.from('省市区县旗镇乡村路街道巷弄里号栋幢楼单元室层座院小园苑期组'));
/** Common characters a surrogate draws its Han characters from. */
const HAN_POOL = Array.from(
  '安白北长城春达大东方丰福光广国海和红华辉佳嘉建江金锦京景静康乐力丽良林龙美明南宁平奇千庆秋荣瑞山盛石顺泰天田文西祥新兴星阳益永玉元云泽正中州',
);
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';

function isHan(ch: string): boolean {
  return /\p{Script=Han}/u.test(ch);
}

/**
 * The same length and shape: each Han character another one, each digit another digit, each ASCII
 * letter another letter of the same case; everything else (punctuation, spaces, emoji) and the
 * characters in `keep` stay.
 */
function sameShape(stream: HmacStream, cps: string[], keep?: ReadonlySet<string>): string {
  return cps
    .map((ch) => {
      if (keep?.has(ch)) return ch;
      if (ch >= '0' && ch <= '9') return stream.digit();
      if (ch >= 'A' && ch <= 'Z') return stream.pick(Array.from(UPPER));
      if (ch >= 'a' && ch <= 'z') return stream.pick(Array.from(LOWER));
      if (isHan(ch)) return stream.pick(HAN_POOL);
      return ch;
    })
    .join('');
}

/**
 * Surrogate for the text of an entity span the schema marks personal, the same for the same text
 * under the same key and as long as the original: a Chinese name (a surname, then given-name
 * characters) for a name-like label on Han text; otherwise the original's shape (Han characters,
 * digits and letters replaced one for one), keeping the structure characters of an address
 * (省市区路号…) for an address-like label.
 */
export function pseudonymForLabel(key: Buffer, label: string, original: string): string {
  const stream = new HmacStream(key, `label\u0000${label}\u0000${original}`);
  const cps = Array.from(original);
  let out: string;
  if (NAME_LABEL.test(label) && cps.length > 0 && cps.every(isHan)) {
    const surnames = Array.from(SURNAMES);
    const given = Array.from(GIVEN);
    out = surnames[stream.int(surnames.length)]!;
    for (let i = 1; i < cps.length; i++) out += stream.pick(given);
  } else out = sameShape(stream, cps, ADDRESS_LABEL.test(label) ? ADDRESS_KEEP : undefined);
  // Never the original itself (a short name or a text of kept characters can come out unchanged).
  if (out !== original || !cps.length) return out;
  return cps.slice(0, -1).join('') + (cps[cps.length - 1] === '某' ? '甲' : '某');
}
