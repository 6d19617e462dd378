import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/contract/errors';
import { mulberry32 } from '../../../shared/domain/agreement/prng';
import { DedupIndex, lshBanding, normalizeForDedup, survivorPriority } from '../../../electron/core/export/dedup';

const POOL =
  '的一是了我不人在他有这个上们来到时大地为子中你说生国年着就那和要她出也得里后自以会家可下而过天去能对小多然于心学么之都好看起发当没成只如事把还用第样道想作种开美总从无情己面最但现前些所同日手又行意动方期头经长回位分爱老因很给名法间知世什两次使身者被高已亲其进此话常与活正感见明问力理点文几定本公特做外相西果走将月十实向声车全信重三机工物气每并别真打太新比才便再书部水像眼等体却加电主界门利海受听表少代员许先口由安写性马光白或住难望教命花结乐色更东记处让应直字场平报友关放至张认接告入笑内军候民岁往何度山觉路带万边风解叫任金快原吃变通师立象数四失满远格士音轻目条呢病始达深完今提求清化空业思切怎非找片钱吗语元喜离飞科言干流欢约各即指合反题必该论交终林请医晚制球决传画保读运及则房早院量苦火布品近坐产答星精视五连司奇管类未朋且台夜青北队久越观落尽形影红百令周吧识步术留市半热送兴造谈容极随演收首根讲整式取照办强石古华拿计您装似足双转诉米称客南领节衣站黑刻统断福城故历惊脸选包紧争另建维绝树系伤示愿持千史谁准联基买志静诗独复痛消社算义确酒需单治卡幸念举仅钟怕共毛句息功官待究跟穿室易游程号居考突皮哪费倒价图具刚脑永歌响商礼细专黄块脚味灵改据般破引食仍存众注笔甚某沉血备习校默务土微须试怀料调广显赛查密议底列富梦错座参八除跑亮假印设线温虽掉京初养香停际致阳纸验助激够严证饭忘趣支春集木研班普导顿睡展跳获艺六波察群段急庭创区器谢弟店否害草排背止组州朝封板角况曲馆育忙质河续哥呼若推境遇雨标姐充围案护冷警著雪索剧船险烟依斗值帮汉慢肯闻唱沙局族低玩资屋击速顾泪团旁堂兵七露园牛哭旅街劳型烈姑莫鱼异抱宝权简态级票怪寻律胜份汽右洋范床舞秘午登楼贵吸责例追较职属渐左录丝牙继托赶章智冲叶吉卖坚喝肉遗救修松临藏担戏善卫药悲敢靠村戴词耳差短云规窗散迷油旧适乡架恩投铁博府压超负杂醒洗采毫嘴毕九冰既状乱景席童顶派素脱农疑练野按犯拍征坏骨余承置彩灯巨琴免环暗换技翻束增忍餐塞缺忆判层付阵批岛项狗休懂武革良恶恋委拥妙探营退摇弄桌熟诺宣银势奖宫忽套康供优课鸟喊降夏困罪亡鞋健模败伴守挥鲜财孤禁恐伙迹妹遍盖副坦牌江顺秋菜划授归浪凡预奶雄升编典袋含盛济蒙棋端腿招释介烧误';

function sentence(rand: () => number, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += POOL[Math.floor(rand() * POOL.length)]!;
  return s;
}

/** The same sentence with the character at `pos` replaced by a different one. */
function changeOne(rand: () => number, s: string, pos: number): string {
  let c = s[pos]!;
  while (c === s[pos]) c = POOL[Math.floor(rand() * POOL.length)]!;
  return s.slice(0, pos) + c + s.slice(pos + 1);
}

function exactJaccard(a: string, b: string, n: number): number {
  const grams = (s: string): Set<string> => {
    const cps = Array.from(normalizeForDedup(s));
    const out = new Set<string>();
    if (cps.length < n) out.add(cps.join(''));
    for (let i = 0; i + n <= cps.length; i++) out.add(cps.slice(i, i + n).join(''));
    return out;
  };
  const A = grams(a);
  const B = grams(b);
  let inter = 0;
  for (const g of A) if (B.has(g)) inter++;
  return inter / (A.size + B.size - inter);
}

function clustered(texts: string[], options: ConstructorParameters<typeof DedupIndex>[0] = {}): DedupIndex {
  const index = new DedupIndex(options);
  texts.forEach((t, i) => index.add(i, t));
  return index.finish();
}

describe('normalizeForDedup', () => {
  it('folds width and case (NFKC, then lower case)', () => {
    expect(normalizeForDedup('ＡＢＣ１２３ｘｙｚ')).toBe('abc123xyz');
    expect(normalizeForDedup('ＷｉＦｉ连不上')).toBe('wifi连不上');
    expect(normalizeForDedup('iPhone 15 Pro')).toBe('iphone15pro');
    expect(normalizeForDedup('ｶﾀｶﾅ')).toBe('カタカナ'); // half-width katakana become full-width, as NFKC does
  });

  it('removes white space of every kind, including the ideographic space and zero-width characters', () => {
    expect(normalizeForDedup('  我要\t退货\n')).toBe('我要退货');
    expect(normalizeForDedup('我要\u3000退货')).toBe('我要退货');
    expect(normalizeForDedup('我要\u200b退\ufeff货\u00a0')).toBe('我要退货');
  });

  it('removes Chinese and ASCII punctuation', () => {
    expect(normalizeForDedup('。，！？、；：“”‘’（）【】《》…—～·')).toBe('');
    expect(normalizeForDedup('你好，请问“订单”（123）什么时候发货？！')).toBe('你好请问订单123什么时候发货');
    expect(normalizeForDedup('【通知】《用户协议》已更新……')).toBe('通知用户协议已更新');
    expect(normalizeForDedup('退款~~~怎么办???')).toBe('退款怎么办');
    expect(normalizeForDedup('a-b_c.d,e!f?g\'h"i(j)k[l]m{n}o:p;q/r\\s@t#u%v&w*x+y=z<>|^`$')).toBe('abcdefghijklmnopqrstuvwxyz');
    expect(normalizeForDedup('価格・数量〜')).toBe('価格数量');
  });

  it('keeps letters, digits, CJK characters, currency signs and emoji', () => {
    expect(normalizeForDedup('￥100元 👍')).toBe('¥100元👍');
    expect(normalizeForDedup('温度25℃')).toBe('温度25°c'); // NFKC unfolds ℃
  });

  it('works on a copy', () => {
    const text = 'ＡＢＣ，你好！';
    normalizeForDedup(text);
    expect(text).toBe('ＡＢＣ，你好！');
  });
});

describe('DedupIndex: exact duplicates', () => {
  it('texts equal after normalisation are one cluster; the first item survives by default', () => {
    const texts = ['我要退货！', '请问怎么退款', '我要退货', '  我要 退货。', 'ＷＩＦＩ连不上', 'wifi连不上？', '我要换货'];
    const index = clustered(texts, { near: false });
    expect(Array.from(index.clusterIds('exact'))).toEqual([0, 1, 0, 0, 4, 4, 6]);
    expect(index.isSurvivor(0)).toBe(true);
    expect(index.isSurvivor(2)).toBe(false);
    expect(index.survivorOf(3)).toBe(0);
    expect(index.counts()).toMatchObject({ items: 7, exact_groups: 4, exact_clusters: 2, exact_removed: 3, near_removed: 3, clusters: 2 });
    expect([...index.clusters('exact')]).toEqual([
      { survivor: 0, members: [0, 2, 3] },
      { survivor: 4, members: [4, 5] },
    ]);
  });

  it('texts that normalise to nothing stay apart unless clusterEmpty', () => {
    const texts = ['？？？', '。', '   ', '好的'];
    expect(Array.from(clustered(texts).clusterIds())).toEqual([0, 1, 2, 3]);
    expect(clustered(texts).counts()).toMatchObject({ empty: 3, exact_removed: 0, near_removed: 0 });
    expect(Array.from(clustered(texts, { clusterEmpty: true }).clusterIds())).toEqual([0, 0, 0, 3]);
  });

  it('item indices need not arrive in order or be dense', () => {
    const index = new DedupIndex();
    index.add(10, '在吗');
    index.add(3, '在吗？');
    index.add(7, '发票怎么开');
    index.finish();
    expect(index.clusterOf(10)).toBe(3);
    expect(index.clusterOf(3)).toBe(3);
    expect(index.clusterOf(5)).toBe(-1);
    expect(index.clusterOf(-1)).toBe(-1);
    expect(index.clusterOf(99)).toBe(-1);
    expect(index.clusterIds().length).toBe(11);
  });
});

describe('DedupIndex: near duplicates', () => {
  const sentences = [
    '您好我在贵店买的这款空气净化器用了三天就不能开机了请问怎么处理',
    '请问我上周五下的订单到现在还没有发货能不能帮我查一下物流信息呢',
    '我想把收货地址从北京市朝阳区改到海淀区中关村大街请问还来得及吗',
    '衣服收到了但是尺码偏小一号想换大一号的颜色不变需要我先寄回去吗',
    '昨天申请的退款显示已经同意了但是钱一直没有到账麻烦帮我催一下吧',
  ];

  it('one character changed in a 30-character sentence is a near duplicate at 0.8; unrelated sentences are not', () => {
    for (const s of sentences) expect(Array.from(s).length).toBeGreaterThanOrEqual(30);
    const rand = mulberry32(1);
    const texts: string[] = [];
    for (const s of sentences) texts.push(s, changeOne(rand, s, 15));
    const index = new DedupIndex({ threshold: 0.8 });
    texts.forEach((t, i) => index.add(i, t));
    for (let k = 0; k < sentences.length; k++) {
      expect(exactJaccard(texts[2 * k]!, texts[2 * k + 1]!, 2)).toBeGreaterThan(0.85);
      expect(index.estimatedSimilarity(2 * k, 2 * k + 1)).toBeGreaterThan(0.8);
      expect(index.estimatedSimilarity(2 * k, 2 * ((k + 1) % sentences.length))).toBeLessThan(0.3);
    }
    index.finish();
    expect(Array.from(index.clusterIds())).toEqual([0, 0, 2, 2, 4, 4, 6, 6, 8, 8]);
    expect(Array.from(index.clusterIds('exact'))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(index.counts()).toMatchObject({ items: 10, exact_removed: 0, near_removed: 5, near_clusters: 5, clusters: 5 });
  });

  it('finds nearly all of 500 random one-character edits of 30-character sentences, and no false pair among 1 000 random sentences', () => {
    const rand = mulberry32(2);
    const index = new DedupIndex();
    const pairs = 500;
    for (let k = 0; k < pairs; k++) {
      const s = sentence(rand, 30);
      index.add(2 * k, s);
      index.add(2 * k + 1, changeOne(rand, s, 1 + Math.floor(rand() * 28)));
    }
    for (let k = 0; k < 1000; k++) index.add(2 * pairs + k, sentence(rand, 8 + Math.floor(rand() * 30)));
    const ids = index.finish().clusterIds();
    let found = 0;
    for (let k = 0; k < pairs; k++) if (ids[2 * k] === ids[2 * k + 1]) found++;
    expect(found / pairs).toBeGreaterThanOrEqual(0.95);
    for (let k = 0; k < 1000; k++) expect(ids[2 * pairs + k]).toBe(2 * pairs + k);
    for (let k = 0; k < 2 * pairs; k++) expect(ids[k]).toBeLessThan(2 * pairs);
  });

  it('the estimate tracks the exact Jaccard similarity of the n-gram sets', () => {
    const rand = mulberry32(3);
    for (const ngram of [2, 3]) {
      const index = new DedupIndex({ ngram });
      const texts: string[] = [];
      for (let k = 0; k < 200; k++) {
        const s = sentence(rand, 20 + Math.floor(rand() * 20));
        const keep = Math.floor(s.length * (0.4 + 0.6 * rand()));
        texts.push(s, s.slice(0, keep) + sentence(rand, s.length - keep));
      }
      texts.forEach((t, i) => index.add(i, t));
      let sq = 0;
      for (let k = 0; k < 200; k++) {
        const err = index.estimatedSimilarity(2 * k, 2 * k + 1) - exactJaccard(texts[2 * k]!, texts[2 * k + 1]!, ngram);
        expect(Math.abs(err)).toBeLessThan(0.2);
        sq += err * err;
      }
      expect(Math.sqrt(sq / 200)).toBeLessThan(0.06);
    }
  });

  it('the threshold is a setting', () => {
    // Half of the second sentence differs: Jaccard of bigrams ≈ 0.3–0.5.
    const a = '请问我上周五下的订单到现在还没有发货能不能帮我查一下物流信息呢';
    const b = '请问我上周五下的订单到现在还没有发货你们到底什么时候能够发出来';
    const j = exactJaccard(a, b, 2);
    expect(j).toBeGreaterThan(0.3);
    expect(j).toBeLessThan(0.6);
    expect(clustered([a, b], { threshold: 0.8 }).clusterOf(1)).toBe(1);
    expect(clustered([a, b], { threshold: 0.3 }).clusterOf(1)).toBe(0);
  });

  it('the LSH banding follows the threshold so pairs at the threshold are found; a lower threshold finds looser pairs', () => {
    expect(lshBanding(0.8, 128)).toEqual({ rows: 8, bands: 16 });
    expect(lshBanding(0.7, 128)).toEqual({ rows: 6, bands: 21 });
    expect(lshBanding(0.5, 128)).toEqual({ rows: 4, bands: 32 });
    expect(new DedupIndex({ threshold: 0.6 }).lsh).toEqual({ rows: 4, bands: 32 });
    // 200 pairs sharing ~70% of their bigrams: at 0.6 nearly all are found, at 0.8 nearly none.
    const rand = mulberry32(6);
    const texts: string[] = [];
    const js: number[] = [];
    for (let k = 0; k < 200; k++) {
      const s = sentence(rand, 40);
      const t = `${s.slice(0, 34)}${sentence(rand, 6)}`;
      texts.push(s, t);
      js.push(exactJaccard(s, t, 2));
    }
    const found = (threshold: number): number => {
      const ids = clustered(texts, { threshold }).clusterIds();
      let n = 0;
      for (let k = 0; k < 200; k++) if (ids[2 * k] === ids[2 * k + 1]) n++;
      return n;
    };
    expect(Math.min(...js)).toBeGreaterThan(0.68);
    expect(Math.max(...js)).toBeLessThan(0.78);
    expect(found(0.6)).toBeGreaterThanOrEqual(190);
    expect(found(0.8)).toBeLessThanOrEqual(10);
  });

  it('short texts: shorter than n is one shingle; tiny edits of short texts are not near duplicates at 0.8', () => {
    const index = clustered(['好', '好', '好的', '好滴', '在吗', '在吗亲', '可以退吗', '可以退嘛']);
    expect(Array.from(index.clusterIds())).toEqual([0, 0, 2, 3, 4, 5, 6, 7]);
    const loose = clustered(['可以退货吗亲', '可以退货吗'], { threshold: 0.5 });
    expect(loose.clusterOf(1)).toBe(0);
  });

  it('near includes exact: exact groups stay whole inside near clusters', () => {
    const s = '昨天申请的退款显示已经同意了但是钱一直没有到账麻烦帮我催一下吧';
    const t = '昨天申请的退款显示已经同意了但是钱一直没有到帐麻烦帮我催一下吧';
    const index = clustered([s, '无关的问题', `${s}！`, t, `${t}。`]);
    expect(Array.from(index.clusterIds('exact'))).toEqual([0, 1, 0, 3, 3]);
    expect(Array.from(index.clusterIds('near'))).toEqual([0, 1, 0, 0, 0]);
    expect(index.counts()).toMatchObject({ exact_removed: 2, exact_clusters: 2, near_removed: 3, near_clusters: 1, near_groups: 2 });
  });

  it('near: false keeps only exact groups and no signatures', () => {
    const s = '昨天申请的退款显示已经同意了但是钱一直没有到账麻烦帮我催一下吧';
    const t = '昨天申请的退款显示已经同意了但是钱一直没有到帐麻烦帮我催一下吧';
    const index = clustered([s, t, `${s}。`], { near: false });
    expect(index.defaultMode).toBe('exact');
    expect(Array.from(index.clusterIds('near'))).toEqual([0, 1, 0]);
    expect(index.counts()).toMatchObject({ exact_removed: 1, near_removed: 1, clusters: 1 });
  });
});

describe('DedupIndex: survivors', () => {
  const texts = ['我要退货', '我要退货！', '我要退货。', '发票怎么开', '发票怎么开？'];

  it('the highest priority survives; ties go to the smallest item index', () => {
    const priority = [
      survivorPriority(false, 1),
      survivorPriority(false, 3),
      survivorPriority(false, 3),
      survivorPriority(false, 5),
      survivorPriority(true, 0),
    ];
    const index = new DedupIndex();
    texts.forEach((t, i) => index.add(i, t));
    index.finish({ priority });
    expect(Array.from(index.clusterIds())).toEqual([1, 1, 1, 4, 4]);
    expect([...index.clusters()].map((c) => c.survivor)).toEqual([1, 4]);
  });

  it('survivors do not depend on the order items are added', () => {
    const forward = new DedupIndex();
    texts.forEach((t, i) => forward.add(i, t));
    const backward = new DedupIndex();
    for (let i = texts.length - 1; i >= 0; i--) backward.add(i, texts[i]!);
    expect(Array.from(backward.finish().clusterIds())).toEqual(Array.from(forward.finish().clusterIds()));
  });

  it('the same input gives the same clusters and survivors', () => {
    const rand = mulberry32(4);
    const items: string[] = [];
    for (let k = 0; k < 3000; k++) {
      const r = rand();
      items.push(
        r < 0.2 && k > 0
          ? changeOne(rand, items[k - 1]!.padEnd(12, '的'), 5)
          : r < 0.3 && k > 0
            ? `${items[k - 1]!}。`
            : sentence(rand, 10 + Math.floor(rand() * 20)),
      );
    }
    const a = clustered(items);
    const b = clustered(items);
    expect(Array.from(a.clusterIds())).toEqual(Array.from(b.clusterIds()));
    expect(a.counts()).toEqual(b.counts());
    expect(a.counts().near_removed).toBeGreaterThan(a.counts().exact_removed);
  });
});

describe('DedupIndex: misuse', () => {
  it('rejects bad settings as VALIDATION errors', () => {
    for (const options of [
      { threshold: 0 },
      { threshold: 1.2 },
      { threshold: Number.NaN },
      { ngram: 0 },
      { ngram: 2.5 },
      { permutations: 100 },
      { permutations: 8 },
    ]) {
      expect(() => new DedupIndex(options)).toThrow(AppError);
    }
  });

  it('an item may be added once, and not after finish', () => {
    const index = new DedupIndex();
    index.add(0, 'a');
    expect(() => index.add(0, 'b')).toThrow(/twice/);
    expect(() => index.add(-1, 'b')).toThrow(/bad item/);
    index.finish();
    expect(() => index.add(1, 'c')).toThrow(/after finish/);
    expect(() => index.finish()).toThrow(/twice/);
  });
});

describe('DedupIndex: scale', () => {
  it('100 000 short Chinese texts (10% exact and 5% near duplicates): time and memory', () => {
    const rand = mulberry32(5);
    const n = 100_000;
    const rss0 = process.memoryUsage().rss;
    const t0 = performance.now();
    const index = new DedupIndex();
    let prev = '';
    for (let i = 0; i < n; i++) {
      const r = rand();
      const text =
        r < 0.1 && prev ? `${prev}？` : r < 0.15 && prev.length > 20 ? changeOne(rand, prev, 10) : sentence(rand, 6 + Math.floor(rand() * 30));
      index.add(i, text);
      prev = text;
    }
    const t1 = performance.now();
    const rss1 = process.memoryUsage().rss;
    index.finish();
    const t2 = performance.now();
    const counts = index.counts();
    console.log(
      `[dedup] ${n} items: add ${Math.round(t1 - t0)} ms, finish ${Math.round(t2 - t1)} ms, RSS +${Math.round((rss1 - rss0) / 1e6)} MB (total ${Math.round(process.memoryUsage().rss / 1e6)} MB); ${JSON.stringify(counts)}`,
    );
    expect(counts.items).toBe(n);
    expect(counts.exact_removed).toBeGreaterThan(0.09 * n);
    expect(counts.near_removed).toBeGreaterThan(counts.exact_removed + 0.015 * n);
  });
});
