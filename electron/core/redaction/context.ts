import { isAsciiDigit, isAsciiLetter } from './normalize';

/**
 * Context words around a candidate number. A structurally valid number is only a guess: an
 * 11-digit string starting 138 is a mobile number after 手机 and an order number after 订单号. The
 * nearest cue word before the number decides most cases; a cue right after it ("……是我的手机号")
 * is used when nothing is attached in front.
 */

export type Cue = 'phone' | 'id' | 'card' | 'email' | 'notPersonal' | 'amount';
export type NumericType = 'mobile' | 'landline' | 'resident-id' | 'bank-card';

const CUE_FOR_TYPE: Record<NumericType, Cue> = {
  mobile: 'phone',
  landline: 'phone',
  'resident-id': 'id',
  'bank-card': 'card',
};

/** word -> cues. Lower-case; ASCII words only match as whole words. */
const WORDS: [string, Cue[]][] = [];
function add(cues: Cue[], words: string): void {
  for (const w of words.split(/\s+/).filter(Boolean)) WORDS.push([w.toLowerCase(), cues]);
}

// Personal: phone numbers.
add(
  ['phone'],
  `手机 手机号 手机号码 手机卡 手机是 电话 电话号 电话号码 联系电话 号码 联系 联系我 联系方式 联系人 致电 回电 来电 去电 打给 拨打 打我 呼叫
   短信 收件人 收货人 寄件人 收件电话 收货电话 预留电话 预留号码 预留手机 本机 我的号 新号 旧号 换号 座机 固话 固定电话 办公电话 家里电话 宅电 单位电话
   快递员 快递小哥 配送员 送货员 骑手 师傅 司机 微信 微信号 加微 vx wx tel phone mobile cell 绑定手机 注册手机 登录手机 接听 回拨`,
);
// Personal: account-ish words that are either a login phone number or a bank account.
add(['phone', 'card'], '账号 帐号 绑定 注册 登录 打到 发到');
// Personal: resident ID.
add(['id'], `身份证 身份证号 身份证号码 身份证件 证件号 证件号码 证件 身份号 身份号码 公民身份号码 实名 实名认证 身份信息 身份 证号 id号 id`);
// Personal: bank card.
add(
  ['card'],
  `卡号 卡号码 银行卡 银行卡号 银行卡号码 储蓄卡号 储蓄卡号码 信用卡号 信用卡号码 借记卡号 储蓄卡 信用卡 借记卡 账户 帐户 银行账号 银行账户 收款 收款账号 打款 转账 汇款 退到 退回 退款到 退至 开户 开户行 银行 工行 建行 农行 中行 招行
   交行 邮储 浦发 民生 兴业 光大 中信 平安银行 银联 卡 这张卡 那张卡 绑的卡 visa card`,
);
add(['email'], '邮箱 邮件 电子邮件 email e-mail mail 邮箱地址');
// Not personal: identifiers of orders, parcels, payments, products, devices, accounts of a shop.
add(
  ['notPersonal'],
  `订单 订单号 订单号码 订单编号 单号 单号码 运单 运单号 运单号码 快递 快递单 快递单号 快递号 物流 物流单号 物流号 包裹 包裹号 取件码 提货码 取货码 流水 流水号 交易号 交易单号
   交易流水 支付单号 商户单号 商户订单号 退款单 退款单号 售后单 售后单号 工单 工单号 服务单 服务单号 编号 序号 批次 批次号 批号 货号 型号 条码 条形码 串号 序列号 sn s/n imei meid 设备号
   会员号 会员卡 会员卡号 积分卡 礼品卡 购物卡 加油卡 储值卡 优惠券 券码 兑换码 激活码 验证码 校验码 发票 发票号 发票号码 发票代码 税号 合同号 保单 保单号 车牌 车架号 房号 工号 版本
   qq qq号 群号 单据 票号 航班 车次 座位 预约号 挂号 排队号 追踪号 tracking order 报价 order-id orderid 订单id 物流信息 物流详情 快递信息 库存 尾号 密码 邮编 邮政编码 商品 商品编码 商品id sku 链接 店铺 门店 卡券 券号 申请号
   受理号 案件号 顺丰 中通 圆通 申通 韵达 百世 极兔 德邦 天天快递 邮政 ems 菜鸟 驿站 投诉单 投诉编号 退货单 换货单 出库单 入库单 配送单 提单 面单 单子`,
);
// Multi-word English cues.
for (const w of ['order id', 'order no', 'order number', 'tracking no', 'tracking number', 'item id', 'product id']) WORDS.push([w, ['notPersonal']]);
// Not personal: money.
add(
  ['amount'],
  `¥ ￥ $ rmb 人民币 金额 价格 价钱 总价 单价 合计 共计 总计 实付 应付 付了 花了 余额 额度 积分 运费 差价 补偿 赔偿 退款金额 销售额 营业额 预算`,
);

const ASCII_WORD = /^[a-z0-9/-]+$/;

/** Sentence-level breaks: a cue never reaches across these. */
const TERMINATORS = new Set(['。', '！', '？', '!', '?', '\n', '\r', ';', '；', '…']);
/** Clause-level breaks: a cue separated from the number by one of these is not attached. */
const CLAUSE = new Set([',', '，', '、', '。', '！', '？', '!', '?', ';', '；']);
const UNITS_AFTER = /^\s?(?:元|块钱|块|圆|美元|美金|港币|日元|欧元|rmb|cny|usd|%|％|‰|积分)/i;
const CURRENCY_BEFORE = /(?:[¥￥$]|rmb|cny|usd)\s?$/i;

/** Order and parcel words that still speak for a number a few words later (物流信息显示…). */
const CLOSE_NEGATIVE = /订单|单号|运单|快递|物流|包裹|流水|交易号|order|tracking|顺丰|中通|圆通|申通|韵达|极兔|德邦/;

const PRE_WINDOW = 24;
const POST_WINDOW = 16;
const ATTACHED_GAP = 6;

interface CueHit {
  cues: Cue[];
  word: string;
  /** code points between the cue word and the number */
  gap: string;
}

function windowBefore(folded: string[], start: number): string {
  let i = start;
  while (i > 0 && start - i < PRE_WINDOW && !TERMINATORS.has(folded[i - 1]!)) i--;
  return folded.slice(i, start).join('').toLowerCase();
}

function windowAfter(folded: string[], end: number): string {
  let i = end;
  while (i < folded.length && i - end < POST_WINDOW && !TERMINATORS.has(folded[i]!)) i++;
  return folded.slice(end, i).join('').toLowerCase();
}

function asciiWordBoundary(s: string, idx: number, len: number): boolean {
  const before = s[idx - 1];
  const after = s[idx + len];
  return !isAsciiLetter(before) && !isAsciiLetter(after) && !isAsciiDigit(after);
}

interface IndexedWord {
  word: string;
  cues: Cue[];
  /** Position in WORDS: the earlier word wins a full tie. */
  order: number;
  ascii: boolean;
}

/** WORDS by their first UTF-16 unit, so a window is matched position by position, not word by word. */
let byFirst: Map<string, IndexedWord[]> | null = null;

function wordsStartingWith(unit: string): IndexedWord[] | undefined {
  if (!byFirst) {
    byFirst = new Map();
    WORDS.forEach(([word, cues], order) => {
      const list = byFirst!.get(word[0]!) ?? [];
      list.push({ word, cues, order, ascii: ASCII_WORD.test(word) });
      byFirst!.set(word[0]!, list);
    });
  }
  return byFirst.get(unit);
}

/** The cue word whose end is nearest the end of `win` (longest on ties). */
function nearestBefore(win: string): CueHit | null {
  let best: { end: number; len: number; word: string; cues: Cue[]; order: number } | null = null;
  for (let idx = 0; idx < win.length; idx++) {
    const candidates = wordsStartingWith(win[idx]!);
    if (!candidates) continue;
    for (const w of candidates) {
      if (!win.startsWith(w.word, idx)) continue;
      if (w.ascii && !asciiWordBoundary(win, idx, w.word.length)) continue;
      const end = idx + w.word.length;
      const len = w.word.length;
      if (!best || end > best.end || (end === best.end && (len > best.len || (len === best.len && w.order < best.order)))) {
        best = { end, len, word: w.word, cues: w.cues, order: w.order };
      }
    }
  }
  if (!best) return null;
  // 礼品卡卡号 / 会员卡号: a card cue right after a not-personal word is that thing's number.
  if (best.word.startsWith('卡')) {
    const cueStart = best.end - best.len;
    for (const [word, cues] of WORDS) {
      if (!cues.includes('notPersonal')) continue;
      for (let idx = win.indexOf(word); idx >= 0; idx = win.indexOf(word, idx + 1)) {
        const end = idx + word.length;
        if (idx < cueStart && end >= cueStart && end <= best.end) return { cues, word: word + '…' + best.word, gap: win.slice(best.end) };
      }
    }
  }
  return { cues: best.cues, word: best.word, gap: win.slice(best.end) };
}

/** The first cue word after the number that is not itself the label of a following number. */
function firstAfter(win: string): CueHit | null {
  let best: { start: number; len: number; word: string; cues: Cue[]; order: number } | null = null;
  // An ASCII word counts at its first occurrence only; one that fails its word boundary there is out.
  let out: Set<number> | null = null;
  for (let idx = 0; idx < win.length && !best; idx++) {
    const candidates = wordsStartingWith(win[idx]!);
    if (!candidates) continue;
    for (const w of candidates) {
      if (!win.startsWith(w.word, idx) || out?.has(w.order)) continue;
      if (w.ascii && !asciiWordBoundary(win, idx, w.word.length)) {
        (out ??= new Set()).add(w.order);
        continue;
      }
      const len = w.word.length;
      if (!best || len > best.len || (len === best.len && w.order < best.order))
        best = { start: idx, len, word: w.word, cues: w.cues, order: w.order };
    }
  }
  if (!best) return null;
  const gap = win.slice(0, best.start);
  if (/\d/.test(gap)) return null;
  // "13812345678 订单号 2024…": the cue introduces the next number, not this one.
  const toDigit = /^(.{0,6}?)\d/u.exec(win.slice(best.start + best.len));
  if (toDigit && isAttached(toDigit[1]!)) return null;
  return { cues: best.cues, word: best.word, gap };
}

const EMOJI = '\\p{Extended_Pictographic}|\\p{Emoji_Modifier}|\\u200d|\\ufe0f';
/** What may stand between a cue word and the number after it: punctuation and a few filler words. */
const FILLER_BEFORE = new RegExp(
  `^(?:[\\s:：是为號号码碼的#＃()（）\\-=~～]|${EMOJI}|如下|改为|改成|换成|变更为|更换为|留的|填的|写的|就是|应该是|我的|本人|绑定的|预留的|都是|这个|这笔|这张|那个|那笔|那张|此)*$`,
  'u',
);
/** What may stand between a number and a cue word after it ("……是我的手机号", "……这个订单"). */
const FILLER_AFTER = new RegExp(`^(?:[:：是为的()（）]|${EMOJI}|是我的|是我|的是|这个|这笔|这张|那个|那笔|那张|此|就是)*$`, 'u');

function isAttached(gap: string, filler: RegExp = FILLER_BEFORE): boolean {
  return Array.from(gap).length <= ATTACHED_GAP + 2 && filler.test(gap);
}

function sameClause(gap: string): boolean {
  return !Array.from(gap).some((c) => CLAUSE.has(c));
}

export interface ContextVerdict {
  /** Added to the recogniser's prior. */
  delta: number;
  /** Human-readable explanation, for tests and debugging. */
  reason: string;
}

/**
 * How the words around `[start, end)` (code points of the folded copy) change the confidence that
 * the number there is a `type`.
 */
export function contextVerdict(folded: string[], start: number, end: number, type: NumericType): ContextVerdict {
  const own = CUE_FOR_TYPE[type];
  const before = windowBefore(folded, start);
  const after = windowAfter(folded, end);

  if (UNITS_AFTER.test(after)) return { delta: -0.8, reason: `unit after: ${after.slice(0, 3)}` };
  if (CURRENCY_BEFORE.test(before)) return { delta: -0.8, reason: 'currency sign before' };

  const pre = nearestBefore(before);
  const post = firstAfter(after);
  const postAttached = post !== null && isAttached(post.gap, FILLER_AFTER);
  // "……是订单号" says outright what the number is.
  if (postAttached && post.gap.includes('是') && post.cues.includes('notPersonal') && !post.cues.includes(own)) {
    return { delta: type === 'resident-id' ? -0.35 : -0.7, reason: `followed by ${post.gap}${post.word} (not personal)` };
  }
  if (pre && isAttached(pre.gap)) {
    if (pre.cues.includes(own)) return { delta: 0.35, reason: `attached ${pre.word}` };
    // A valid GB 11643 check digit is strong evidence on its own: an order number passes it by chance
    // (1 in 11, and only with a real region code and birth date), so the cue only halves the prior.
    if (pre.cues.includes('notPersonal')) return { delta: type === 'resident-id' ? -0.35 : -0.7, reason: `attached ${pre.word} (not personal)` };
    if (pre.cues.includes('amount')) return { delta: -0.8, reason: `attached ${pre.word} (amount)` };
    // Attached to another kind of personal number: slightly odd, still personal.
    return { delta: -0.1, reason: `attached ${pre.word} (other personal type)` };
  }

  if (postAttached) {
    if (post.cues.includes(own)) return { delta: 0.2, reason: `followed by ${post.word}` };
    if (post.cues.includes('notPersonal')) return { delta: -0.45, reason: `followed by ${post.word} (not personal)` };
    if (post.cues.includes('amount')) return { delta: -0.45, reason: `followed by ${post.word} (amount)` };
  }

  if (pre) {
    if (pre.cues.includes(own)) return { delta: 0.15, reason: `near ${pre.word}` };
    // 物流信息显示 13812345678 / 订单一直没到 13812345678: a few words away, same clause.
    const close = sameClause(pre.gap) && Array.from(pre.gap).length <= ATTACHED_GAP && !/\d/.test(pre.gap);
    if (close && CLOSE_NEGATIVE.test(pre.word)) return { delta: -0.3, reason: `close to ${pre.word} (not personal)` };
    if (pre.cues.includes('notPersonal') && sameClause(pre.gap)) return { delta: -0.15, reason: `near ${pre.word} (not personal)` };
    if (pre.cues.includes('amount') && sameClause(pre.gap)) return { delta: -0.15, reason: `near ${pre.word} (amount)` };
  }
  return { delta: 0, reason: 'no cue' };
}
