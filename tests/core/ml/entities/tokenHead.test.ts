/**
 * The token-level entity head with the REAL model (bge-small-zh-v1.5 under resources/models): it
 * learns spans from a small hand-written Chinese set and finds them in sentences with names,
 * places and products it has never seen; decoding never yields malformed spans; the head
 * survives JSON; evaluateEntities gives sane numbers. Model tests are skipped without the model
 * (`node scripts/fetch-model.mjs`). Nothing here reads /work/shared.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bioTagNames, encodeBio } from '../../../../electron/core/ml/entities/bio';
import { checkRows, tokenVectorsFor, type TextTokenVectors } from '../../../../electron/core/ml/entities/embedTokens';
import { bioToBioes, bioesAllowed, bioesTagNames, bioesToBio } from '../../../../electron/core/ml/entities/bioes';
import { entityHeadFromJson, entityHeadToJson } from '../../../../electron/core/ml/entities/headJson';
import { EntityHeadTrainer, defaultOKeep, trainEntityHead } from '../../../../electron/core/ml/entities/headTrainer';
import { predictEntities, predictEntitySpans, tagLogProbs } from '../../../../electron/core/ml/entities/predictSpans';
import type { EntityExample, EntityHead } from '../../../../electron/core/ml/entities/tokenHead';
import { viterbiBioes } from '../../../../electron/core/ml/entities/viterbi';
import { BertTokenAligner } from '../../../../electron/core/ml/entities/tokens';
import { evaluateEntities, perLabelSample, splitExamples } from '../../../../electron/core/ml/evaluateEntities';
import type { SpanExample } from '../../../../electron/core/ml/dataset';
import { mulberry32, spanScores } from '../../../../electron/core/ml/metrics';
import { ModelHost } from '../../../../electron/core/ml/modelHost';
import { codePointLength, spanText, type Span } from '../../../../shared/domain/spans';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const MODELS = path.join(REPO_ROOT, 'resources', 'models');
const MODEL_DIR = path.join(MODELS, 'BAAI', 'bge-small-zh-v1.5');
const LABELS = ['人名', '城市', '商品'];

// ---------------------------------------------------------------------------------------------
// A small hand-written set: templates × fillers. Train and test use DIFFERENT fillers, so the
// head has to recognise names, cities and products from context and form, not memorise them.
// ---------------------------------------------------------------------------------------------

const TEMPLATES = [
  '您好，我是{人名}，上周在{城市}买的{商品}到现在还没发货。',
  '{人名}你好，请问{商品}能送到{城市}吗？',
  '麻烦帮我查一下寄往{城市}的{商品}，收件人是{人名}。',
  '我叫{人名}，{商品}屏幕坏了，想在{城市}的门店换一个。',
  '{城市}这边的{商品}什么时候有货？我是老顾客{人名}。',
  '收货人{人名}，地址在{城市}，订的是{商品}。',
  '你们{城市}仓库发的{商品}少了配件，{人名}要求退款。',
  '请把{商品}改寄到{城市}，联系人{人名}，谢谢😊',
];
const FILL_TRAIN: Record<string, string[]> = {
  人名: [
    '张伟',
    '李娜',
    '王芳',
    '刘洋',
    '陈静',
    '杨磊',
    '赵敏',
    '黄晓明',
    '周杰',
    '吴倩',
    '欧阳明',
    '王小波',
    '李建国',
    '徐静蕾',
    '曹雪芹',
    '高圆圆',
  ],
  城市: ['北京', '上海', '广州', '深圳', '杭州', '成都', '武汉', '西安', '南京', '重庆', '哈尔滨', '石家庄', '郑州', '昆明'],
  商品: [
    '华为手机',
    '小米电视',
    '戴森吹风机',
    '联想笔记本',
    '美的空调',
    '苹果耳机',
    '索尼相机',
    '格力风扇',
    'vivo手机',
    '飞利浦电动牙刷',
    '苏泊尔电饭煲',
    '小天鹅洗衣机',
    '西门子冰箱',
    '雷蛇键盘',
    '惠普打印机',
    '格兰仕微波炉',
  ],
};
const FILL_TEST: Record<string, string[]> = {
  人名: ['孙丽', '郑浩', '马云飞', '林小红', '何军'],
  城市: ['天津', '苏州', '长沙', '青岛', '厦门'],
  商品: ['海尔冰箱', 'OPPO手机', '九阳豆浆机', '罗技鼠标', '松下剃须刀'],
};

/** Fills a template; spans in code points (the template's emoji counts as one). */
function fill(template: string, pick: (label: string) => string): SpanExample {
  let text = '';
  const entities: Span[] = [];
  for (const part of template.split(/(\{[^}]+\})/)) {
    const m = /^\{(.+)\}$/.exec(part);
    if (!m) {
      text += part;
      continue;
    }
    const value = pick(m[1]!);
    const start = codePointLength(text);
    text += value;
    entities.push({ start, end: start + codePointLength(value), label: m[1]! });
  }
  return { text, entities };
}

function makeSet(fillers: Record<string, string[]>, n: number, seed: number): SpanExample[] {
  const rng = mulberry32(seed);
  const choose = <T>(xs: T[]): T => xs[Math.floor(rng() * xs.length)]!;
  return Array.from({ length: n }, (_, i) => fill(TEMPLATES[i % TEMPLATES.length]!, (label) => choose(fillers[label]!)));
}

const TRAIN = makeSet(FILL_TRAIN, 160, 1);
/** Test texts: unseen fillers, plus the same sentences led by an emoji and a CJK Extension B character to shift offsets. */
const TEST = [
  ...makeSet(FILL_TEST, 24, 2),
  ...makeSet(FILL_TEST, 8, 3).map((e) => ({
    text: `😡𠮷${e.text}`,
    entities: e.entities.map((s) => ({ ...s, start: s.start + 2, end: s.end + 2 })),
  })),
];

// ---------------------------------------------------------------------------------------------
// Tags and decoding (no model needed)
// ---------------------------------------------------------------------------------------------

describe('entity head: BIOES tags', () => {
  it('names and BIO ↔ BIOES conversion', () => {
    expect(bioesTagNames(['a'])).toEqual(['O', 'B-a', 'I-a', 'E-a', 'S-a']);
    // BIO over labels [a, b]: O B-a I-a I-a B-b B-a O I-b
    const bio = [0, 1, 2, 2, 3, 1, 0, 4];
    const bioes = bioToBioes(bio);
    // O B-a I-a E-a S-b S-a O S-b (a lone I begins a span, as decodeBio reads it)
    expect(bioes).toEqual([0, 1, 2, 3, 8, 4, 0, 8]);
    expect(bioesToBio(bioes)).toEqual([0, 1, 2, 2, 3, 1, 0, 3]);
    // I-a I-a after O: B E
    expect(bioToBioes([0, 2, 2])).toEqual([0, 1, 3]);
    // B-a I-a I-a → B I E; a second span right after starts with B
    expect(bioToBioes([1, 2, 1, 2])).toEqual([1, 3, 1, 3]);
  });

  it('transitions: I/E only inside an open span of the same label', () => {
    const C = 1 + 4 * 2;
    const name = (t: number) => bioesTagNames(['a', 'b'])[t];
    const allowed: string[] = [];
    for (let a = -1; a < C; a++) for (let b = 0; b < C; b++) if (bioesAllowed(a, b)) allowed.push(`${a < 0 ? '^' : name(a)}>${name(b)}`);
    expect(allowed).toContain('B-a>I-a');
    expect(allowed).toContain('B-a>E-a');
    expect(allowed).toContain('E-a>B-b');
    expect(allowed).toContain('S-a>S-a');
    expect(allowed).toContain('^>S-b');
    expect(allowed).not.toContain('B-a>E-b');
    expect(allowed).not.toContain('O>I-a');
    expect(allowed).not.toContain('^>E-a');
    expect(allowed).not.toContain('B-a>O');
    expect(allowed).not.toContain('I-a>B-a');
  });

  it('Viterbi gives a well-formed tag sequence for any scores (random, -Infinity, ties)', () => {
    const rng = mulberry32(7);
    for (let trial = 0; trial < 300; trial++) {
      const L = 1 + Math.floor(rng() * 3);
      const C = 1 + 4 * L;
      const T = Math.floor(rng() * 12);
      const lp = new Float64Array(T * C);
      for (let i = 0; i < lp.length; i++) {
        const r = rng();
        lp[i] = r < 0.05 ? -Infinity : r < 0.1 ? 0 : Math.log(rng());
      }
      const tags = viterbiBioes(lp, T, C);
      expect(tags).toHaveLength(T);
      let prev = -1;
      for (const t of tags) {
        expect(bioesAllowed(prev, t)).toBe(true);
        prev = t;
      }
      if (T > 0) expect([0, 3, 4].includes(prev === 0 ? 0 : ((prev - 1) % 4) + 1)).toBe(true);
    }
    // All equal: everything O.
    expect(viterbiBioes(new Float64Array(3 * 5), 3, 5)).toEqual([0, 0, 0]);
    // A strong I in the middle with nothing before it becomes a valid span, not a dangling I.
    const lp = new Float64Array(3 * 5).fill(Math.log(0.01));
    lp[0] = Math.log(0.9);
    lp[5 + 2] = Math.log(0.9); // t=1: I-a
    lp[10] = Math.log(0.9);
    const tags = viterbiBioes(lp, 3, 5);
    expect(tags[0]).toBe(0);
    expect(tags[2]).toBe(0);
    expect([0, 4]).toContain(tags[1]); // O or S-a
  });

  it('defaultOKeep keeps every O token in small sets and about as many as entity tokens in big ones', () => {
    expect(defaultOKeep(5_000, 800)).toBe(1);
    expect(defaultOKeep(245_000, 73_000)).toBeCloseTo(73_000 / 245_000);
    expect(defaultOKeep(100_000, 1_000)).toBeCloseTo(0.2);
  });

  it('checkRows: [CLS] + tokens + [SEP], or maxTokens rows when truncated', () => {
    expect(() => checkRows(7, 5, false, 512)).not.toThrow();
    expect(() => checkRows(512, 510, true, 512)).not.toThrow();
    expect(() => checkRows(6, 5, false, 512)).toThrow(/aligner does not match/);
  });
});

describe('evaluateEntities helpers', () => {
  const examples: SpanExample[] = Array.from({ length: 50 }, (_, i) => ({
    text: `t${i}`,
    entities: i % 5 === 0 ? [] : [{ start: 0, end: 1, label: i % 2 ? 'a' : 'b' }],
  }));

  it('splitExamples: seeded, disjoint, 80/20, in file order', () => {
    const { train, test } = splitExamples(examples, 0.2, 1);
    expect(test).toHaveLength(10);
    expect(train).toHaveLength(40);
    expect(new Set([...train, ...test]).size).toBe(50);
    expect(splitExamples(examples, 0.2, 1).test).toEqual(test);
    expect(splitExamples(examples, 0.2, 2).test).not.toEqual(test);
    expect(examples.indexOf(test[1]!)).toBeGreaterThan(examples.indexOf(test[0]!));
  });

  it('perLabelSample: n sentences per label, seeded, never sentences without spans', () => {
    const picked = perLabelSample(examples, 3, 1);
    const count = (l: string) => picked.filter((i) => examples[i]!.entities.some((e) => e.label === l)).length;
    expect(count('a')).toBe(3);
    expect(count('b')).toBe(3);
    expect(picked.every((i) => examples[i]!.entities.length > 0)).toBe(true);
    expect(perLabelSample(examples, 3, 1)).toEqual(picked);
  });
});

// ---------------------------------------------------------------------------------------------
// With the real model
// ---------------------------------------------------------------------------------------------

describe('entity head with bge-small-zh-v1.5', () => {
  let host: ModelHost;
  let aligner: BertTokenAligner;
  let trainVectors: TextTokenVectors[];
  let testVectors: TextTokenVectors[];
  let head: EntityHead;
  const examples = (): EntityExample[] => TRAIN.map((e, i) => ({ ...trainVectors[i]!, spans: e.entities }));

  beforeAll(async () => {
    host = new ModelHost({ modelRoot: MODELS });
    aligner = BertTokenAligner.fromTokenizerJson(fs.readFileSync(path.join(MODEL_DIR, 'tokenizer.json'), 'utf8'));
    trainVectors = await tokenVectorsFor(
      host,
      aligner,
      TRAIN.map((e) => e.text),
    );
    testVectors = await tokenVectorsFor(
      host,
      aligner,
      TEST.map((e) => e.text),
    );
    const started = performance.now();
    head = trainEntityHead(examples(), LABELS);
    console.info(
      `entity head: ${head.trainedOn.rows} rows from ${head.trainedOn.sentences} sentences in ${(performance.now() - started).toFixed(0)} ms`,
    );
  }, 120_000);

  it('tokenVectorsFor: one vector per token plus [CLS] and [SEP], 512-dim', async () => {
    const progress: number[] = [];
    const out = await tokenVectorsFor(host, aligner, ['', '订单😡DD20241105001的iPhone 15', TEST[24]!.text], (done) => progress.push(done));
    expect(progress).toEqual([0, 1, 2, 3]);
    expect(out[0]!.tokens).toHaveLength(0);
    expect(out[0]!.vectors).toHaveLength(2);
    for (const x of out) {
      expect(x.vectors).toHaveLength(x.tokens.length + 2);
      expect(x.truncated).toBe(false);
      for (const v of x.vectors) expect(v).toHaveLength(512);
    }
  });

  it('learns names, cities and products and finds unseen ones exactly (span F1 > 0.85)', () => {
    const pred = testVectors.map((x, i) => predictEntities(head, x.vectors, x.tokens, TEST[i]!.text));
    const scores = spanScores(
      TEST.map((e) => e.entities),
      pred,
    );
    console.info(`held-out fillers: P ${scores.precision.toFixed(3)} R ${scores.recall.toFixed(3)} F1 ${scores.f1.toFixed(3)}`);
    expect(scores.f1).toBeGreaterThan(0.85);
    // The emoji/Extension B variants: offsets are code points, so the spans cover the right text.
    const shifted = TEST.length - 1;
    const got = pred[shifted]!.map((s) => `${s.label}:${spanText(TEST[shifted]!.text, s)}`);
    const want = TEST[shifted]!.entities.map((s) => `${s.label}:${spanText(TEST[shifted]!.text, s)}`);
    expect(got.filter((g) => want.includes(g)).length).toBeGreaterThanOrEqual(2);
    expect(want).toHaveLength(3);
  });

  it('never decodes malformed spans, on any text', async () => {
    const texts = [
      '',
      '。',
      '😡😡😡',
      '张伟北京华为手机',
      '𠮷'.repeat(5),
      'iPhone 15 Pro Max 到 上海 了吗',
      '订单DD20241105001的收件人是王芳，寄到成都',
    ];
    const xs = await tokenVectorsFor(host, aligner, texts);
    xs.forEach((x, i) => {
      const text = texts[i]!;
      const spans = predictEntitySpans(head, x.vectors, x.tokens, text);
      const length = codePointLength(text);
      let prevEnd = 0;
      for (const s of spans) {
        expect(LABELS).toContain(s.label);
        expect(s.start).toBeGreaterThanOrEqual(prevEnd);
        expect(s.end).toBeGreaterThan(s.start);
        expect(s.end).toBeLessThanOrEqual(length);
        expect(s.score).toBeGreaterThan(0);
        expect(s.score).toBeLessThanOrEqual(1);
        // On token boundaries.
        expect(x.tokens.some((t) => t.start === s.start)).toBe(true);
        expect(x.tokens.some((t) => t.end === s.end)).toBe(true);
        prevEnd = s.end;
      }
    });
  });

  it('tag probabilities are normalized and the training tags are mostly recovered', () => {
    const x = trainVectors[0]!;
    const lp = tagLogProbs(head, x.vectors, x.tokens);
    const C = head.tags.length;
    expect(head.tags).toEqual(bioesTagNames(LABELS));
    expect(bioTagNames(LABELS)).toHaveLength(1 + 2 * LABELS.length);
    for (let t = 0; t < x.tokens.length; t++) {
      let sum = 0;
      for (let c = 0; c < C; c++) sum += Math.exp(lp[t * C + c]!);
      expect(sum).toBeCloseTo(1, 5);
    }
    const gold = bioToBioes(encodeBio(x.tokens, TRAIN[0]!.entities, LABELS));
    const argmax = Array.from({ length: x.tokens.length }, (_, t) => {
      let best = 0;
      for (let c = 1; c < C; c++) if (lp[t * C + c]! > lp[t * C + best]!) best = c;
      return best;
    });
    expect(argmax.filter((t, i) => t === gold[i]).length / gold.length).toBeGreaterThan(0.9);
  });

  it('serialization round-trips: same weights, same spans, through JSON text', () => {
    const json = JSON.stringify(entityHeadToJson(head));
    const back = entityHeadFromJson(json);
    expect(back.labels).toEqual(head.labels);
    expect(back.tags).toEqual(head.tags);
    expect(back.weights).toEqual(head.weights);
    expect(back.mean).toEqual(head.mean);
    expect(back.invStd).toEqual(head.invStd);
    expect(back.trainedOn).toEqual(head.trainedOn);
    testVectors.forEach((x, i) =>
      expect(predictEntities(back, x.vectors, x.tokens, TEST[i]!.text)).toEqual(predictEntities(head, x.vectors, x.tokens, TEST[i]!.text)),
    );
    expect(() => entityHeadFromJson({ ...entityHeadToJson(head), weights: 'AAAA' })).toThrow(/weights/);
    expect(() => entityHeadFromJson('{"kind":"logreg"}')).toThrow(/not an entity head/);
  });

  it('worker threads give the same head as one thread; streaming gives the same head as all at once', () => {
    const opts = { maxIter: 15, oKeep: 0.5, seed: 3 };
    const one = trainEntityHead(examples(), LABELS, { ...opts, threads: 1 });
    const parallel = new EntityHeadTrainer(LABELS, { ...opts, threads: 2 });
    for (const e of examples()) parallel.add(e);
    const two = parallel.finish();
    // The worker really ran (no silent fallback to this thread) and summed to the same numbers.
    expect(parallel.report?.threads).toBe(2);
    expect(parallel.report?.iterations).toBe(15);
    // Same up to the order of floating-point sums.
    let diff = 0;
    let scale = 0;
    one.weights.forEach((w, i) => {
      diff = Math.max(diff, Math.abs(w - two.weights[i]!));
      scale = Math.max(scale, Math.abs(w));
    });
    expect(diff).toBeLessThan(1e-4 * scale);
    const trainer = new EntityHeadTrainer(LABELS, { ...opts, threads: 1, statsRows: 1e9 });
    for (const e of examples()) trainer.add(e);
    expect(trainer.finish().weights).toEqual(one.weights);
    expect(() => trainer.finish()).toThrow(/finished/);
    expect(() => trainer.add(examples()[0]!)).toThrow(/finished/);
  });

  it('without labels, or without any span, predicts nothing', () => {
    const none = trainEntityHead(examples().slice(0, 4), []);
    const x = testVectors[0]!;
    expect(predictEntities(none, x.vectors, x.tokens, TEST[0]!.text)).toEqual([]);
    const empty = trainEntityHead(
      examples()
        .slice(0, 8)
        .map((e) => ({ ...e, spans: [] })),
      LABELS,
    );
    expect(predictEntities(empty, x.vectors, x.tokens, TEST[0]!.text)).toEqual([]);
    expect(() => trainEntityHead([], LABELS)).toThrow(/no examples/);
  });

  it('evaluateEntities on a tiny train/test set: sane numbers, per label', async () => {
    const result = await evaluateEntities(TRAIN.slice(0, 48), TEST.slice(0, 16), host, { seed: 1 });
    expect(result.n).toBe(16);
    expect(result.train_texts).toBe(48);
    expect(result.labels).toEqual([...LABELS].sort());
    for (const v of [result.precision, result.recall, result.f1]) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
    }
    expect(result.f1).toBeGreaterThan(0.6);
    expect(result.tp + result.fn).toBe(TEST.slice(0, 16).reduce((n, e) => n + e.entities.length, 0));
    expect(Object.keys(result.per_label).sort()).toEqual([...LABELS].sort());
    for (const l of LABELS) expect(result.per_label[l]!.support).toBeGreaterThan(0);
    // Few-shot: 2 sentences per label.
    const few = await evaluateEntities(TRAIN, TEST.slice(0, 8), host, { perClass: 2, seed: 1 });
    expect(few.train_texts).toBeLessThanOrEqual(6);
    expect(few.train_texts).toBeGreaterThanOrEqual(2);
    expect(few.n).toBe(8);
  });
});
