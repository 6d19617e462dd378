/**
 * Rule-based entity pre-labels for Chinese e-commerce customer-service text: phone numbers, order
 * numbers, dates and times, amounts of money, e-mail addresses and ID card numbers, written the way
 * people write them in chats. Offsets are Unicode code points, end-exclusive (DESIGN.md §4).
 *
 * Candidates from every rule are resolved into non-overlapping hits: the longest candidate wins, and
 * between equally long ones the kind earlier in PATTERN_PRIORITY (idcard > phone > order > email >
 * amount > date > time). Numbers are only taken when their edges are not glued to other digits or
 * Latin letters, so a phone number is never found inside an order number, and a bare number is an
 * amount only with a currency sign or unit (¥199, 59元, 三百块), after a money cue (满199减30,
 * 充500送100, 只要1999, 退款二百六) or as a charm price ending in .9/.99 (39.9).
 * Full-width digits and Latin letters (１３８…, ＤＤ…) are matched like ASCII ones.
 */
export type PatternKind = 'phone' | 'order' | 'date' | 'time' | 'amount' | 'email' | 'idcard';

export interface PatternHit {
  /** Code-point offsets, end-exclusive. */
  start: number;
  end: number;
  kind: PatternKind;
  /** The covered text, as written. */
  text: string;
}

/** Earlier wins between equally long overlapping candidates. */
export const PATTERN_PRIORITY: readonly PatternKind[] = ['idcard', 'phone', 'order', 'email', 'amount', 'date', 'time'];

/**
 * Entity types of the default schema (shared/domain/labelSchema.ts) for each kind; null = not
 * labeled. A date with a time of day ("昨天下午三点") is one 'date' hit; a time alone is 'time'.
 */
export const defaultPatternLabels: Readonly<Record<PatternKind, string | null>> = {
  phone: '手机号',
  order: '订单号',
  date: '日期',
  time: '日期',
  amount: '金额',
  email: null,
  idcard: null,
};

export type LabelFor = (kind: PatternKind) => string | null;

export const defaultLabelFor: LabelFor = (kind) => defaultPatternLabels[kind];

/** A LabelFor that maps to the default names only when the project's schema has that entity type. */
export function labelForSchema(
  entityTypeNames: Iterable<string>,
  mapping: Readonly<Record<PatternKind, string | null>> = defaultPatternLabels,
): LabelFor {
  const names = new Set(entityTypeNames);
  return (kind) => {
    const label = mapping[kind];
    return label !== null && names.has(label) ? label : null;
  };
}

export interface PatternSpan {
  start: number;
  end: number;
  label: string;
  kind: PatternKind;
}

/** Pattern hits as labeled spans; kinds for which `labelFor` returns null are left out. */
export function findPatternSpans(text: string, labelFor: LabelFor = defaultLabelFor): PatternSpan[] {
  const out: PatternSpan[] = [];
  for (const hit of findPatternEntities(text)) {
    const label = labelFor(hit.kind);
    if (label) out.push({ start: hit.start, end: hit.end, label, kind: hit.kind });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Building blocks (regex sources). Matching runs on a copy of the text in which full-width digits,
// Latin letters and ＋＠－＄ are folded to ASCII and U+3000 to a space: same UTF-16 length, same offsets.

const CN_DIGIT = '零〇一二两三四五六七八九';
const CN_NUM_CHARS = `${CN_DIGIT}十百千万亿`;
/** Not glued to a preceding digit/letter (numbers must start at a number boundary). */
const NB = '(?<![0-9A-Za-z])';
/** Not glued to a following digit/letter. */
const NA = '(?![0-9A-Za-z])';

const YEAR = '(?:19|20)\\d{2}';
const M_AR = '(?:1[0-2]|0?[1-9])';
const D_AR = '(?:3[01]|[12]\\d|0?[1-9])';
const M_CN = '(?:十[一二]?|[一二三四五六七八九])';
const D_CN = '(?:三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九])';
const MONTH = `(?:${M_AR}|${M_CN})`;
const DAY = `(?:${D_AR}|${D_CN})`;
/** Start of a numeral: not after a digit, a Chinese numeral or a Latin letter. */
const NUM_START = `(?<![0-9A-Za-z.${CN_NUM_CHARS}])`;

const HOUR_AR = '(?:[01]?\\d|2[0-4])';
const HOUR_CN = '(?:二十[一二三四]?|十[一二]?|[零一二两三四五六七八九])';
const MINUTES = '(?:半|一刻|三刻|整|[0-5]?\\d分?|[一二三四五]?十[一二三四五六七八九]?分?|零?[一二三四五六七八九]分)';
/** 8点 / 八点半 / 15:30; a Chinese hour is not "一点都…" / "一点儿". */
const CLOCK_POINT = `(?:(?<![0-9.])${HOUR_AR}[点时]|${HOUR_CN}点)(?:${MINUTES}|钟)?多?(?![都也儿些滴点])`;
const CLOCK_COLON = `(?<![0-9:])(?:[01]?\\d|2[0-3])[:：][0-5]\\d(?:[:：][0-5]\\d)?(?![0-9])`;
const CLOCK = `(?:${CLOCK_COLON}|${CLOCK_POINT})`;
const TIME_OF_DAY = '(?:凌晨|清晨|早上|早晨|上午|中午|下午|傍晚|晚上|夜里|夜间|半夜|深夜|晚间|白天|午后)';
/** What may follow a date to make it one span: 那天, a time of day and/or a clock time. */
const DATE_TAIL = `(?:那天|当天|当日)?(?:\\s?(?:${TIME_OF_DAY}(?:${CLOCK})?|[早晚夜]${CLOCK}|${CLOCK}))?`;

const DATE_CORES: string[] = [
  // 2024-11-05, 2024/11/5, 2024.11.5
  `${NB}${YEAR}(?<sep>[-/.])${M_AR}\\k<sep>${D_AR}(?:[日号])?${NA}`,
  // 2024年11月5日, 2024年11月, 2024年 (not 2024年款), 24年11月5号
  `${NB}(?:${YEAR}年(?:${MONTH}月(?:${DAY}[日号])?|(?![款版型]))|\\d{2}年${MONTH}月(?:${DAY}[日号])?)`,
  // 11月5号, 十一月五日, 6月16, 10月份, 11月初, 3月
  `${NUM_START}${MONTH}月(?:${DAY}[日号]|${D_AR}(?![0-9件个次天单笔元块%.])|份|初|上旬|中旬|下旬|底|末)?(?![饼光亮球嫂季票])`,
  // 昨天 今天 明天 … 上个月 去年底
  '(?:大前天|大后天|(?<![之以提目从眼面跟门当空])前天|昨天|今天|明天|(?<![售最然之以落先背延滞靠])后天|昨日|今日|明日|昨晚|今晚|明晚|今早|明早|昨早|今夜|昨夜|(?:今|明|昨)儿个?|' +
    '(?:今年|去年|明年|前年)(?:年?底|年?初|年?末)?|(?:上上|上|下|这|本)个?月(?:初|底|末)?(?![饼光亮球嫂季票])|本月|当月|月初|月底|月末|年初|年底|上半年|下半年)',
  // 上周五 下周一 周三 星期三 这个礼拜天 下周 周末
  '(?:(?:上上|下下|上|下|这|本)个?)?(?:周|星期|礼拜)(?:[一二三四五六日天]|[1-7](?![0-9]))|(?:上上|下下|上|下|这|本)个?(?:周|星期|礼拜)末?(?![边围年全期一二三四五六日天])|周末',
  // 三天前 两周后 3个月以前
  `${NUM_START}(?:\\d{1,3}|[${CN_NUM_CHARS}半]{1,4})个?(?:天|日|周|星期|礼拜|月|年)(?:以前|以后|之前|之后|前|后)(?![台端])`,
  // shopping festivals and holidays
  '双十一|双11(?![0-9])|双十二|双12(?![0-9])|双旦|黑色星期五|黑五|元旦|春节|除夕|元宵节|清明节?|劳动节|端午节?|七夕节?|中秋节?|国庆节?|重阳节|圣诞(?:节|夜)|平安夜|情人节|跨年夜?|妇女节|女神节|儿童节|母亲节|父亲节|感恩节',
  `(?<![0-9A-Za-z.])(?:618|6\\.18|11\\.11|12\\.12)(?![0-9.%号元块路])`,
];

/** Bare "5号": a day of the month unless it is a house/line/room number. */
const BARE_DAY = `${NUM_START}(?<![第路街道巷弄里村楼栋幢层室区镇乡县市省园苑院座门号段场厦组])${DAY}号(?![楼线院门店房床位室栋机码球车台柜窗仓库厅馆口桌座电池键])`;
/** 11.5 / 11/5: a date only when a date word follows or precedes. */
const MONTH_DOT_DAY = `(?<![0-9./])${M_AR}[./]${D_AR}(?<mdDay>[号日])?(?![0-9./%])`;
const MD_AFTER = /^(?:那天|当天|前|后|之前|之后|以前|以后|上午|下午|晚上|早上|中午|凌晨|下单|下的|发货|发的|到货|签收|买|购买|付款|支付|左右)/;
const MD_BEFORE = /(?:在|于|从|截至|截止|等到|定在|约在)$/;

const TIME_ALONE = [
  `${TIME_OF_DAY}${CLOCK}`,
  `[早晚夜](?:${CLOCK})`,
  CLOCK_COLON,
  // 8点 / 8点半 (a Chinese hour alone needs minutes or 钟: "三点半", "十点钟")
  `(?<![0-9.第])${HOUR_AR}[点时](?:${MINUTES}|钟)?多?(?![0-9都也儿些滴点])`,
  `(?<![第${CN_NUM_CHARS}])${HOUR_CN}点(?:${MINUTES}|钟)`,
];

const NUM_AR = '(?:\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?|\\d+(?:\\.\\d+)?)';
const NUM_CN = `(?:[${CN_DIGIT}十][${CN_NUM_CHARS}]*|几[十百千万])`;
const UNIT = '(?:元钱|块钱|元(?![旦宵素])|块|圆|毛钱|角钱|人民币|RMB|rmb|CNY|美元|美金|港币|港元|日元|欧元|英镑)';
const AMOUNT_PATTERNS = [
  // ¥199 ￥59.9 RMB 99 $20
  `(?<![A-Za-z])(?:[¥￥$]|US\\$|HK\\$|RMB|rmb|CNY|cny|人民币)\\s?${NUM_AR}(?:[千万])?(?:元|块)?(?![0-9])`,
  // 59元 12.5元 1千元 200块钱 两百多块 三百来块 五块五
  `(?<![0-9A-Za-z.,])(?:${NUM_AR}[千万亿]?)(?:多|来|余)?\\s?${UNIT}`,
  `${NUM_START}${NUM_CN}(?:多|来|余)?${UNIT}(?:[一二三四五六七八九](?:[毛角]|(?![\\u3400-\\u9fff])))?`,
];

/** A spoken amount without unit after a cue: 四十, 一千二, 二百六, 三百多 (not a lone 一). */
const CN_MONEY = `[${CN_DIGIT}十]*[十百千万][${CN_NUM_CHARS}]*`;
const CN_MONEY_END = '(?=$|[的了呢吧啊吗嘛哦呀，。！？、；,.!?;~…\\s]|就|才|都|还|也)';

/** Words right before a bare number that make it money. */
const MONEY_CUE =
  '(?:满\\d{1,6}[-—~]|满|减|充值?|送|定金|订金|尾款|抵|只要|只需|仅需|仅售|仅要|才|就|价格|售价|原价|现价|到手价?|活动价|券后价?|实付(?:金额)?|付了|付款|支付了?|花了|扣了|扣款|退款|退了|退回|到账|少了|多了|差价|运费|邮费|余额|降了|降价|便宜了|涨了|涨到|贵了|赔了?|补了|返现|返了|一共|总共|合计|总价|共计|卖|价)';
/** After a cued bare number: the end, a non-ideograph (punctuation, emoji) or a particle, never a measure word. */
const CUE_NUM_END = `(?![0-9A-Za-z%‰]|[.,][0-9])(?=$|[^\\u3400-\\u9fff]|[的了呢吧啊吗嘛哦呀就才都还也啦喔是能可减送赠抵返]|包邮)`;
const CUED_AMOUNT = [
  `(?<=${MONEY_CUE}(?:了|是|为|[:：])?\\s?)(?:\\d{1,9}(?:\\.\\d{1,2})?(?:多|来|余)?${CUE_NUM_END}|${CN_MONEY}(?:多|来|余)?${CN_MONEY_END})`,
  // charm prices: 39.9, 9.99
  `(?<![0-9A-Za-z.])\\d{1,6}\\.(?:9|99)${CUE_NUM_END}`,
];
const NOT_PRICE_BEFORE = /(?:版本|评分|分数|得分|系统|版|分|iOS|ios|v|V)\s?$/;

const PHONE = `(?<![0-9+])(?:(?:\\+|00)86[\\s-]?|86[\\s-]|\\(\\+?86\\)\\s?)?1[3-9]\\d(?:[ \\u00a0-]?\\d{4}){2}${NA}`;

const ORDER_PATTERNS = [
  // a long digit run, unless it is a mistyped phone or ID number (手机号码189571642496)
  `(?<!(?:手机|电话|号码|手机号|联系方式|身份证|身份证号)(?:是|为|[:：])?\\s?)${NB}\\d{12,20}${NA}`,
  // DD20241105001, E20241101554433, JD…, SF… (not QQ/微信/TEL numbers)
  `${NB}(?![Qq]{2}|[VvWw][Xx]|[Tt][Ee][Ll])[A-Za-z]{1,4}[-_]?\\d{8,20}[A-Za-z]?${NA}`,
  // after 订单号/单号: shorter forms too
  `(?<=(?:订单|单号|订单号|运单号|快递单号|订单编号)(?:是|为|[:：])?\\s?)[A-Za-z]{0,4}[-_]?\\d{6,20}[A-Za-z]{0,2}${NA}`,
];

const IDCARD = `${NB}\\d{17}[0-9Xx]${NA}`;

const EMAIL =
  '(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}))*\\.[A-Za-z]{2,24}(?![A-Za-z0-9-])';

const re = (source: string): RegExp => new RegExp(source, 'gu');

const DATE_RES = DATE_CORES.map((core) => re(`(?:${core})${DATE_TAIL}`));
const BARE_DAY_RE = re(`${BARE_DAY}${DATE_TAIL}`);
const MONTH_DOT_DAY_RE = re(MONTH_DOT_DAY);
const TIME_RES = TIME_ALONE.map(re);
const AMOUNT_RES = AMOUNT_PATTERNS.map(re);
const CUED_AMOUNT_RES = CUED_AMOUNT.map(re);
const PHONE_RE = re(PHONE);
const ORDER_RES = ORDER_PATTERNS.map(re);
const IDCARD_RE = re(IDCARD);
const EMAIL_RE = re(EMAIL);

// ---------------------------------------------------------------------------------------------

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';
/** First two digits of valid province-level codes (GB/T 2260). */
const ID_PROVINCES = new Set([
  11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83, 91,
]);

/** GB 11643 check character (0-9 or X) of the first 17 digits. */
export function idCardCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new Error('need 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i]!;
  return ID_CHECK[sum % 11]!;
}

/** An 18-character resident ID number: known province, real birth date (1900–today) and GB 11643 checksum. */
export function isValidIdCard(id: string, today: Date = new Date()): boolean {
  if (!/^\d{17}[0-9Xx]$/.test(id)) return false;
  if (!ID_PROVINCES.has(Number(id.slice(0, 2)))) return false;
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  if (y < 1900 || m < 1 || m > 12 || d < 1) return false;
  const birth = new Date(Date.UTC(y, m - 1, d));
  if (birth.getUTCMonth() !== m - 1 || birth.getUTCDate() !== d || birth.getTime() > today.getTime()) return false;
  return idCardCheckChar(id.slice(0, 17)) === id[17]!.toUpperCase();
}

// ---------------------------------------------------------------------------------------------

interface Candidate {
  start: number; // UTF-16
  end: number;
  kind: PatternKind;
}

/** Full-width digits, Latin letters and ＋ ＠ － ＄ become ASCII (same length); punctuation like ，。 stays. */
function foldWidth(text: string): string {
  return text.replace(/[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\uff0b\uff20\uff0d\uff04\u3000]/g, (c) =>
    c === '\u3000' ? ' ' : String.fromCharCode(c.charCodeAt(0) - 0xfee0),
  );
}

function collect(regex: RegExp, text: string, kind: PatternKind, out: Candidate[], accept?: (m: RegExpExecArray) => Candidate | null): void {
  regex.lastIndex = 0;
  for (const m of text.matchAll(regex)) {
    if (m[0].length === 0) continue;
    const candidate = accept ? accept(m) : { start: m.index, end: m.index + m[0].length, kind };
    if (candidate) out.push(candidate);
  }
}

const AFTER_SMALL_KUAI_OK = /^(?:[的了呢吧啊吗嘛哦呀噢哈多钱左，。！？、,.!?~）)\s]|$)/u;
const MONEY_CUE_BEFORE = new RegExp(`(?:${MONEY_CUE}|值|要|收|给|找|赚|省)(?:了|我|是|为|[:：])?\\s?$`, 'u');

/**
 * 块 after a small number is often a measure word ("两块蛋糕", "好大一块", "五六块牛筋", "7块红烧肉"):
 * below ten (or an approximate 五六/两三), 块 must not be followed by a noun, and with Chinese
 * numerals it also needs a money cue before it ("只值一块", "收四块？").
 */
function moneyKuaiOk(match: string, before: string, after: string): boolean {
  const m = /^(\d+(?:\.\d+)?|[零〇一二两三四五六七八九]+)(?:多|来|余)?\s?块(?!钱)(.*)$/u.exec(match);
  if (!m) return true;
  if (m[2]) return true; // 七块五
  const n = m[1]!;
  const chinese = /^[零〇一二两三四五六七八九]+$/u.test(n);
  if (!chinese && (Number(n) >= 10 || n.includes('.'))) return true;
  if (after.startsWith('儿')) return false;
  const next = after.slice(0, 1);
  const noNoun = AFTER_SMALL_KUAI_OK.test(next) || !/^[\u3400-\u9fff]/u.test(next);
  return noNoun && (!chinese || MONEY_CUE_BEFORE.test(before));
}

/**
 * All pattern entities in `text`, longest first among overlapping candidates (ties by
 * PATTERN_PRIORITY), sorted by start. Offsets are code points.
 */
export function findPatternEntities(text: string): PatternHit[] {
  const norm = foldWidth(text);
  const cands: Candidate[] = [];

  collect(IDCARD_RE, norm, 'idcard', cands, (m) => (isValidIdCard(m[0]) ? { start: m.index, end: m.index + m[0].length, kind: 'idcard' } : null));
  collect(PHONE_RE, norm, 'phone', cands);
  for (const r of ORDER_RES) collect(r, norm, 'order', cands);
  collect(EMAIL_RE, norm, 'email', cands);

  for (const r of AMOUNT_RES)
    collect(r, norm, 'amount', cands, (m) => {
      const end = m.index + m[0].length;
      return moneyKuaiOk(m[0], norm.slice(Math.max(0, m.index - 6), m.index), norm.slice(end, end + 2))
        ? { start: m.index, end, kind: 'amount' }
        : null;
    });
  CUED_AMOUNT_RES.forEach((r, i) =>
    collect(r, norm, 'amount', cands, (m) => {
      if (i === 1 && NOT_PRICE_BEFORE.test(norm.slice(Math.max(0, m.index - 4), m.index))) return null;
      return { start: m.index, end: m.index + m[0].length, kind: 'amount' };
    }),
  );

  for (const r of DATE_RES) collect(r, norm, 'date', cands);
  collect(BARE_DAY_RE, norm, 'date', cands);
  collect(MONTH_DOT_DAY_RE, norm, 'date', cands, (m) => {
    const end = m.index + m[0].length;
    const dated = m.groups?.mdDay || MD_AFTER.test(norm.slice(end, end + 4)) || MD_BEFORE.test(norm.slice(Math.max(0, m.index - 4), m.index));
    return dated ? { start: m.index, end, kind: 'date' } : null;
  });
  for (const r of TIME_RES) collect(r, norm, 'time', cands);

  return resolve(text, cands);
}

function resolve(text: string, cands: Candidate[]): PatternHit[] {
  // Code-point index of every UTF-16 boundary we need.
  const toCp = utf16ToCpMap(text);
  const rank = (k: PatternKind): number => PATTERN_PRIORITY.indexOf(k);
  const withCp = cands.map((c) => ({ ...c, cpStart: toCp[c.start]!, cpEnd: toCp[c.end]! }));
  withCp.sort((a, b) => b.cpEnd - b.cpStart - (a.cpEnd - a.cpStart) || rank(a.kind) - rank(b.kind) || a.cpStart - b.cpStart);
  const taken: { start: number; end: number }[] = [];
  const hits: PatternHit[] = [];
  for (const c of withCp) {
    if (taken.some((t) => c.cpStart < t.end && c.cpEnd > t.start)) continue;
    taken.push({ start: c.cpStart, end: c.cpEnd });
    hits.push({ start: c.cpStart, end: c.cpEnd, kind: c.kind, text: text.slice(c.start, c.end) });
  }
  return hits.sort((a, b) => a.start - b.start);
}

function utf16ToCpMap(text: string): number[] {
  const map = new Array<number>(text.length + 1);
  let cp = 0;
  for (let i = 0; i < text.length; i++) {
    map[i] = cp;
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        map[i + 1] = cp;
        i++;
      }
    }
    cp++;
  }
  map[text.length] = cp;
  return map;
}
