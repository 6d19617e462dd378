import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

const INTENTS = ['查询订单', '物流进度', '退换货', '投诉', '咨询活动', '支付问题', '账户问题'];
const PHRASES = [
  '你好，我的订单{order}怎么还没发货？',
  '快递显示{date}已签收，但我没收到😡',
  '买的{product}有质量问题，想退货',
  '双十一的满减活动还有吗？{product}能用券吗',
  '付款{amount}显示失败，但是钱扣了',
  '手机号{phone}收不到验证码，登不上账号',
  '客服一直不回复，我要投诉！订单{order}',
  '请问{product}什么时候补货？👍',
];
const PRODUCTS = ['羽绒服', 'iPhone 15 手机壳', '小米手环8', '洗发水', '扫地机器人', '蓝牙耳机'];

/** A deterministic customer-service utterance; every index gives a different text. */
export function utterance(i: number): string {
  const phrase = PHRASES[i % PHRASES.length]!;
  return `${phrase
    .replace('{order}', String(2024110000000000 + i))
    .replace('{date}', `${(i % 12) + 1}月${(i % 28) + 1}号`)
    .replace('{product}', PRODUCTS[i % PRODUCTS.length]!)
    .replace('{amount}', `${(i % 500) + 9}元`)
    .replace('{phone}', `13${String(100000000 + (i % 899999999)).padStart(9, '0')}`)} #${i}`;
}

/** Writes `rows` JSONL lines of items with metadata (a tenth with an intent label). */
export async function writeImportFile(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  for (let i = 0; i < rows; i++) {
    const row: Record<string, unknown> = { text: utterance(i), meta: { channel: i % 3 ? 'app' : 'wechat', session: `s${i >> 4}` } };
    if (!out.write(`${JSON.stringify(row)}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

export { INTENTS };
