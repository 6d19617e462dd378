import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  defaultLabelFor,
  defaultPatternLabels,
  findPatternEntities,
  findPatternSpans,
  idCardCheckChar,
  isValidIdCard,
  labelForSchema,
  type PatternKind,
} from '../../../../electron/core/ml/entities/patterns';
import { DEFAULT_SCHEMA, LabelSchema } from '../../../../shared/domain/labelSchema';
import { hasOverlap, spanText } from '../../../../shared/domain/spans';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const DEMO = path.join(REPO_ROOT, 'resources', 'demo', 'demo-items.jsonl');

/** kind:text of every hit, in order. */
const found = (text: string): string[] => findPatternEntities(text).map((h) => `${h.kind}:${h.text}`);

describe('patterns: how people write them', () => {
  const cases: [string, string[]][] = [
    // phones
    ['我的手机号是13812345678，麻烦回电', ['phone:13812345678']],
    ['你好，我姓王，手机号是138 1234 5678', ['phone:138 1234 5678']],
    ['电话138-1234-5678', ['phone:138-1234-5678']],
    ['联系方式+86 13912345678', ['phone:+86 13912345678']],
    ['+8615987654321', ['phone:+8615987654321']],
    ['手机号：１３８１２３４５６７８', ['phone:１３８１２３４５６７８']],
    // orders
    ['订单2024110167890123还是没动静', ['order:2024110167890123']],
    ['订单号DD20241112045，双十一那天买的', ['order:DD20241112045', 'date:双十一那天']],
    ['包裹📦E20241101554433显示被退回了', ['order:E20241101554433']],
    ['京东单JD202411050012345到哪了', ['order:JD202411050012345']],
    ['订单号：123456789', ['order:123456789']],
    ['订单202411051234567890，下单时填错了手机号，正确的是15987654321', ['order:202411051234567890', 'phone:15987654321']],
    // dates and times
    ['我想查一下2024-10-28那笔订单', ['date:2024-10-28']],
    ['2024/11/5下的单', ['date:2024/11/5']],
    ['2024年11月5日到货', ['date:2024年11月5日']],
    ['我11月5号寄回的', ['date:11月5号']],
    ['11.5下的单', ['date:11.5']],
    ['我5号下的单', ['date:5号']],
    ['昨天买的今天就降价了，明天还降吗', ['date:昨天', 'date:今天', 'date:明天']],
    ['前天下的单，后天能到吗', ['date:前天', 'date:后天']],
    ['上周五买的，下周一才在家', ['date:上周五', 'date:下周一']],
    ['说好周三到的，今天都星期五了', ['date:周三', 'date:今天', 'date:星期五']],
    ['双十一和双十二还有618都有活动吗', ['date:双十一', 'date:双十二', 'date:618']],
    ['下午三点之前能送到吗', ['time:下午三点']],
    ['晚上8点半有人在家', ['time:晚上8点半']],
    ['15:30以后再送', ['time:15:30']],
    ['我昨天下午三点就付款了', ['date:昨天下午三点']],
    ['那我今晚八点下单', ['date:今晚八点']],
    ['就是11月6号晚上下的', ['date:11月6号晚上']],
    ['快递三天前就显示到北京了', ['date:三天前']],
    ['2024-11-05 15:30:00 付的款', ['date:2024-11-05 15:30:00']],
    // amounts
    ['退款¥199说好三个工作日到账', ['amount:¥199']],
    ['活动价￥59.9太划算了', ['amount:￥59.9']],
    ['差价30元我补', ['amount:30元']],
    ['运费12.5元也能开发票吗', ['amount:12.5元']],
    ['说好退款三百块', ['amount:三百块']],
    ['两百多块的东西', ['amount:两百多块']],
    ['1千元以下的有吗', ['amount:1千元']],
    ['收了我200块钱', ['amount:200块钱']],
    ['总共RMB 99', ['amount:RMB 99']],
    ['满199减30能和店铺券一起用吗', ['amount:199', 'amount:30']],
    ['满199-30', ['amount:199', 'amount:30']],
    ['充500送100的活动还有没有', ['amount:500', 'amount:100']],
    ['秒杀只要1999🎉', ['amount:1999']],
    ['我付了一千二，钱扣了', ['amount:一千二']],
    ['结果只到账二百六，少了四十', ['amount:二百六', 'amount:四十']],
    ['昨天39.9😳今天就59.9了', ['date:昨天', 'amount:39.9', 'date:今天', 'amount:59.9']],
    // e-mail, ID card
    ['发票发到 zhang.san+fp@example.com.cn 谢谢', ['email:zhang.san+fp@example.com.cn']],
    ['身份证11010519491231002X', ['idcard:11010519491231002X']],
  ];
  it.each(cases)('%s', (text, expected) => {
    expect(found(text)).toEqual(expected);
  });
});

describe('patterns: precision', () => {
  it('no amount from a bare number, a measure word or a model number', () => {
    for (const text of [
      '分12期的话每期多少',
      '42换43',
      '页面写48小时内发货',
      '我拍的iPhone 15 手机壳是黑色',
      '我想把小米手环8换成小米手环8 NFC版',
      '买了3件只到了2件',
      '等了2天了',
      '签到满30天能换啥',
      '七天无理由退货',
      '两块蛋糕都压坏了',
      '好大一块啊',
      '排骨饭就2块排骨',
      '我们一块儿去',
      '就1.5公里的距离',
      '评分4.9',
      '版本2.9更新了',
      '第3点我不同意',
    ])
      expect(
        found(text).filter((h) => h.startsWith('amount')),
        text,
      ).toEqual([]);
  });

  it('no phone inside an order number, no order from a phone number', () => {
    expect(found('订单号1381234567890123')).toEqual(['order:1381234567890123']);
    expect(found('订单DD13812345678001')).toEqual(['order:DD13812345678001']);
    expect(found('单号13812345678901234567')).toEqual(['order:13812345678901234567']);
    expect(found('我的手机13812345678')).toEqual(['phone:13812345678']);
    // a phone number mistyped with 12 digits is not an order number
    expect(found('手机号码189571642496')).toEqual([]);
    // 11 digits not starting 13x-19x: neither
    expect(found('编号12012345678')).toEqual([]);
    // QQ and 微信 numbers are not orders; TEL before a phone does not hide it
    expect(found('QQ123456789')).toEqual([]);
    expect(found('TEL13812345678')).toEqual(['phone:13812345678']);
    expect(found('JD13812345678')).toEqual(['order:JD13812345678']);
  });

  it('no dates from look-alikes', () => {
    for (const text of [
      '服务很周到',
      '这个月饼好吃',
      '售后天天打电话',
      '目前天气很热',
      '比预计早了两天',
      '会员日是每个月几号',
      '快一点',
      '一点都不好',
      '北京路8号',
      '住在5号楼',
      '5号线地铁口',
      '圣诞礼盒还有货吗',
      '几点下班',
      '2024年款iPhone',
    ])
      expect(found(text), text).toEqual([]);
  });

  it('hits never overlap and are sorted', () => {
    const text = '订单DD20241105001，11月5号下午3点付了¥1,299.00，电话138 1234 5678，昨天又扣了59元';
    const hits = findPatternEntities(text);
    expect(hits.map((h) => `${h.kind}:${h.text}`)).toEqual([
      'order:DD20241105001',
      'date:11月5号下午3点',
      'amount:¥1,299.00',
      'phone:138 1234 5678',
      'date:昨天',
      'amount:59元',
    ]);
    expect(hasOverlap(hits.map((h) => ({ ...h, label: h.kind })))).toBe(false);
  });
});

describe('patterns: code-point offsets', () => {
  it('emoji and Extension B before the entity', () => {
    // 😡 (1) + 👨‍👩‍👧 (5 code points) + 𠮷 (1) + 订单 (2): the order number starts at code point 9
    const text = '😡👨‍👩‍👧𠮷订单DD20241105001，手机13812345678，￥59.9';
    const hits = findPatternEntities(text);
    expect(hits.map((h) => [h.kind, h.start, h.end])).toEqual([
      ['order', 9, 22],
      ['phone', 25, 36],
      ['amount', 37, 42],
    ]);
    for (const h of hits) expect(spanText(text, h)).toBe(h.text);
  });
});

describe('patterns: ID card checksum (GB 11643)', () => {
  it('valid numbers, including a final X', () => {
    expect(isValidIdCard('11010519491231002X')).toBe(true);
    expect(isValidIdCard('11010519491231002x')).toBe(true);
    expect(isValidIdCard('110101199003074477')).toBe(true);
    const body = '44030819990101234';
    expect(isValidIdCard(body + idCardCheckChar(body))).toBe(true);
  });

  it('invalid: checksum, birth date, province, length', () => {
    expect(isValidIdCard('110105194912310021')).toBe(false); // wrong check char
    expect(isValidIdCard('440308199901012345')).toBe(false);
    const badDate = '11010519490231001';
    expect(isValidIdCard(badDate + idCardCheckChar(badDate))).toBe(false); // 1949-02-31
    const future = '11010530000101001';
    expect(isValidIdCard(future + idCardCheckChar(future))).toBe(false);
    const noProvince = '99010519491231002';
    expect(isValidIdCard(noProvince + idCardCheckChar(noProvince))).toBe(false);
    expect(isValidIdCard('1101051949123100')).toBe(false);
    expect(() => idCardCheckChar('123')).toThrow();
  });

  it('an 18-digit run is an ID card only when it validates, else an order number', () => {
    expect(found('身份证号11010519491231002X')).toEqual(['idcard:11010519491231002X']);
    expect(found('我的号110101199003074477')).toEqual(['idcard:110101199003074477']);
    expect(found('订单202411051234567890')).toEqual(['order:202411051234567890']);
    expect(found('身份证110105194912310021')).toEqual([]);
  });
});

describe('patterns: labels', () => {
  it('default mapping onto the default schema', () => {
    const names = LabelSchema.parse(DEFAULT_SCHEMA).entities.types.map((t) => t.name);
    for (const kind of Object.keys(defaultPatternLabels) as PatternKind[]) {
      const label = defaultLabelFor(kind);
      if (label !== null) expect(names).toContain(label);
    }
    expect(defaultLabelFor('email')).toBeNull();
    expect(defaultLabelFor('idcard')).toBeNull();
    expect(findPatternSpans('昨天下午三点付了59元，手机13812345678，邮箱a@b.cn').map((s) => s.label)).toEqual(['日期', '金额', '手机号']);
  });

  it('configurable labelFor', () => {
    const text = '邮箱a@b.cn，身份证11010519491231002X';
    expect(findPatternSpans(text)).toEqual([]);
    const spans = findPatternSpans(text, (k) => (k === 'email' ? '邮箱' : k === 'idcard' ? '证件号' : null));
    expect(spans.map((s) => [s.label, spanText(text, s)])).toEqual([
      ['邮箱', 'a@b.cn'],
      ['证件号', '11010519491231002X'],
    ]);
    const onlyPhones = labelForSchema(['手机号', '商品']);
    expect(findPatternSpans('昨天付了59元，手机13812345678', onlyPhones).map((s) => s.label)).toEqual(['手机号']);
  });
});

describe('patterns: the demo file’s gold spans', () => {
  const LABELS = ['订单号', '手机号', '金额', '日期'];
  const items = fs
    .readFileSync(DEMO, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as { text: string; entities: { start: number; end: number; label: string }[]; annotator?: string })
    // The reference lines only: the lines with an annotator are the team's own (disagreeing) labels.
    .filter((l) => l.annotator === undefined);

  it('recall and precision per label (exact span match)', () => {
    const stats = Object.fromEntries(LABELS.map((l) => [l, { gold: 0, predicted: 0, correct: 0 }]));
    const misses: string[] = [];
    for (const item of items) {
      const key = (s: { start: number; end: number; label: string }): string => `${s.start}:${s.end}:${s.label}`;
      const gold = item.entities.filter((e) => LABELS.includes(e.label));
      const predicted = findPatternSpans(item.text).filter((s) => LABELS.includes(s.label));
      const goldKeys = new Set(gold.map(key));
      const predictedKeys = new Set(predicted.map(key));
      for (const g of gold) {
        stats[g.label]!.gold++;
        if (predictedKeys.has(key(g))) stats[g.label]!.correct++;
        else misses.push(`missed ${g.label} ${spanText(item.text, g)} in ${item.text}`);
      }
      for (const p of predicted) {
        stats[p.label]!.predicted++;
        if (!goldKeys.has(key(p))) misses.push(`extra ${p.label} ${spanText(item.text, p)} in ${item.text}`);
      }
    }
    const report = LABELS.map((l) => {
      const s = stats[l]!;
      return `${l}: recall ${s.correct}/${s.gold} = ${(s.correct / s.gold).toFixed(3)}, precision ${s.correct}/${s.predicted} = ${(s.correct / s.predicted).toFixed(3)}`;
    });
    console.log(['pattern recall/precision on demo gold spans:', ...report, ...misses].join('\n  '));
    for (const l of LABELS) {
      const s = stats[l]!;
      expect(s.gold).toBeGreaterThan(10);
      expect(s.correct / s.gold, `${l} recall`).toBeGreaterThanOrEqual(0.95);
      expect(s.correct / s.predicted, `${l} precision`).toBeGreaterThanOrEqual(0.95);
    }
  });
});
