import { createCore } from '../../electron/core';

export const INTENTS = ['查询订单', '物流进度', '退换货', '投诉', '咨询活动', '支付问题', '账户问题', '其他'];
export const LEVELS = ['消极', '中性', '积极'];
/** 姓名 is marked personal: redaction replaces the text under its spans. */
export const TYPES = ['订单号', '商品', '日期', '手机号', '姓名'];
const PRODUCTS = [
  '羽绒服',
  'iPhone 15 手机壳',
  '小米手环8',
  '洗发水',
  '扫地机器人',
  '蓝牙耳机',
  '😀表情包周边',
  '电饭煲',
  '运动鞋',
  '婴儿奶粉',
  '机械键盘',
  '空气净化器',
];
const NAMES = ['张伟', '王芳', '李娜', '刘强', '陈静', '欧阳娜娜', '赵磊', '𠮷田', '孙丽', '周杰', '吴敏', '郑浩'];
/** Clauses of customer messages; `{x}` marks a value with its entity type: o order, p product, d date, m mobile, n name. */
const CLAUSES = [
  '你好',
  '在吗',
  '亲',
  '客服您好',
  '我想问一下',
  '麻烦帮我看看',
  '急！',
  '谢谢',
  '辛苦了',
  '好的',
  '我的订单{o}怎么还没发货',
  '订单{o}显示已签收但我没收到',
  '{o}这个单子能退吗',
  '单号{o}物流三天没更新了',
  '快递显示{d}已签收',
  '说好{d}之前送到的',
  '{d}下的单到现在还没到',
  '能不能{d}前发出',
  '买的{p}有质量问题',
  '{p}收到就是坏的',
  '想把{p}换个颜色',
  '{p}什么时候补货',
  '{p}能用优惠券吗',
  '{p}和图片不一样',
  '电话{m}',
  '手机号{m}收不到验证码',
  '有问题打{m}找我',
  '换了新号{m}',
  '我是{n}',
  '收件人写的是{n}',
  '联系人{n}',
  '帮我查一下{n}的订单',
  '付款显示失败但是钱扣了',
  '退款到现在还没到账',
  '发票抬头开错了',
  '我要投诉',
  '你们的服务太差了😡',
  '满减活动还有吗',
  '为什么取消我的订单',
  '地址填错了想改一下',
  '能不能加急',
  '包装破损了',
  '少发了一件',
  '赠品没有收到',
  '账号登不上去',
  '积分怎么没有了',
  '会员到期了吗',
  '👍 非常满意',
  '下次还来',
  '价格能便宜点吗',
];
const LABEL_OF: Record<string, string> = { o: '订单号', p: '商品', d: '日期', m: '手机号', n: '姓名' };
/** Every this-many-th item repeats an earlier item's text (an exact duplicate), and the next one with other punctuation. */
const DUPLICATE_EVERY = 40;

type Span = { start: number; end: number; label: string };

/** Deterministic 32-bit hash of (i, k), for choosing clauses and values. */
function mix(i: number, k: number): number {
  let h = Math.imul(i ^ Math.imul(k + 1, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** The text of item i and its spans (code points): 2–4 clauses with values; every i gives a different text. */
export function labeledText(i: number): { text: string; spans: Span[] } {
  const clauses = 2 + (mix(i, 0) % 3);
  let text = '';
  let length = 0;
  const spans: Span[] = [];
  const add = (piece: string, label?: string): void => {
    const n = Array.from(piece).length;
    if (label) spans.push({ start: length, end: length + n, label });
    text += piece;
    length += n;
  };
  for (let c = 0; c < clauses; c++) {
    if (c > 0) add(mix(i, 10 + c) % 4 ? '，' : '。');
    const clause = CLAUSES[mix(i, c + 1) % CLAUSES.length]!;
    for (const part of clause.split(/(\{[a-z]\})/)) {
      const m = /^\{([a-z])\}$/.exec(part);
      if (!m) {
        if (part) add(part);
        continue;
      }
      const k = m[1]!;
      const r = mix(i, 20 + c);
      const value =
        k === 'o'
          ? String(2024110000000000 + i)
          : k === 'p'
            ? PRODUCTS[r % PRODUCTS.length]!
            : k === 'd'
              ? `${(r % 12) + 1}月${(r % 28) + 1}号`
              : k === 'm'
                ? `13${String(800000000 + (r % 199999999)).padStart(9, '0')}`
                : NAMES[r % NAMES.length]!;
      add(value, LABEL_OF[k]);
    }
  }
  add(` #${i}`);
  return { text, spans };
}

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A project of `items` items, each submitted by one annotator (intent, sentiment, spans including a
 * personal 姓名 type), written straight with SQL as an import leaves them (the event log is not read
 * by the export and is left empty). One item in DUPLICATE_EVERY repeats an earlier text exactly and
 * the next repeats it with other punctuation (both exact duplicates after normalisation).
 */
export async function writeExportProject(dbPath: string, items: number, seed = 20261220): Promise<{ projectId: string; items: number }> {
  const core = createCore({ dbPath, database: { autoBackup: false } });
  const db = core.db;
  const schema = {
    intents: { labels: INTENTS.map((name) => ({ name })) },
    sentiment: { levels: LEVELS.map((name, value) => ({ name, value })) },
    entities: { types: TYPES.map((name) => ({ name, personal: name === '姓名' })) },
  };
  const created = await core.dispatch('projects.create', { name: 'export-bench', schema });
  if (!created.ok) throw new Error(created.error.message);
  const projectId = (created.value as { id: string }).id;
  const now = '2026-12-01T08:00:00.000Z';
  const annotatorId = 'ANNOTATOR-EXPORT-BENCH-0';
  db.prepare("INSERT INTO annotators (id, name, origin, created_at) VALUES (?, '标注员甲', 'import', ?)").run(annotatorId, now);
  const item = db.prepare(
    'INSERT INTO items (id, project_id, ord, content_hash, text, meta_json, created_at) VALUES (?, ?, ?, randomblob(16), ?, ?, ?)',
  );
  const annotation = db.prepare(
    `INSERT INTO annotations (item_id, annotator_id, project_id, intents_json, entities_json, sentiment, status, last_event_id, updated_at, submits, first_submitted_at)
     VALUES (?, ?, ?, ?, ?, ?, 'submitted', 'bench', ?, 1, ?)`,
  );
  const random = rng(seed);
  db.transaction(() => {
    for (let i = 1; i <= items; i++) {
      const id = `ITEM${String(i).padStart(22, '0')}`;
      let { text, spans } = labeledText(i);
      if (i > DUPLICATE_EVERY && i % DUPLICATE_EVERY < 2) {
        ({ text, spans } = labeledText(i - DUPLICATE_EVERY - (i % DUPLICATE_EVERY)));
        if (i % DUPLICATE_EVERY === 1) text = text.replace('，', '。').replace('？', '?');
      }
      const meta = JSON.stringify({ channel: i % 3 ? 'app' : 'wechat', session: `s${i >> 4}` });
      item.run(id, projectId, i, text, meta, now);
      const intent = INTENTS[Math.floor(random() * INTENTS.length)]!;
      const level = LEVELS[Math.floor(random() * LEVELS.length)]!;
      annotation.run(id, annotatorId, projectId, JSON.stringify([intent]), JSON.stringify(spans), level, now, now);
    }
    db.prepare('UPDATE projects SET item_count = ?, annotated_count = ? WHERE id = ?').run(items, items, projectId);
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  core.close();
  return { projectId, items };
}
