import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { parquetMetadata, parquetReadObjects, parquetSchema as readSchema } from 'hyparquet';
import { afterAll, describe, expect, it } from 'vitest';
import { codePointLength } from '../../../shared/domain/spans';
import type { ChatTurn, ExportFeatures, ExportFormat, ExportRecord, ExportSpan, WriterOptions } from '../../../electron/core/export/types';
import { createWriter } from '../../../electron/core/export/formats';
import { hfFeatures, hfFeaturesYaml, huggingfaceMetadata } from '../../../electron/core/export/formats/features';
import { conllBlock, decodeConll } from '../../../electron/core/export/formats/conll';
import { chatTurns, datasetInfo } from '../../../electron/core/export/formats/chat';
import { SPACY_SCRIPT_NAME, SPACY_TO_DOCBIN_PY, writeSpacyScript } from '../../../electron/core/export/formats/spacy';

const dir = mkdtempSync(join(tmpdir(), 'export-formats-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileNo = 0;
const tmp = (suffix: string): string => join(dir, `f${fileNo++}${suffix}`);

const FEATURES: ExportFeatures = {
  multiLabel: false,
  intents: ['查询订单', '投诉', '咨询活动', '退换货'],
  sentiments: ['积极', '中性', '消极'],
  entityTypes: ['订单号', '日期', '产品', '电话'],
  meta: [
    { name: 'channel', type: 'string' },
    { name: 'score', type: 'number' },
    { name: 'vip', type: 'boolean' },
  ],
  dialogue: true,
};
const MULTI: ExportFeatures = { ...FEATURES, multiLabel: true, dialogue: false, meta: [] };
const options = (features: ExportFeatures = FEATURES, more: Partial<WriterOptions> = {}): WriterOptions => ({
  features,
  systemPrompt: '你是客服意图标注助手。',
  ...more,
});

/** The span over the `nth` occurrence of `sub` in `text`, in code points. */
function span(text: string, sub: string, label: string, nth = 0): ExportSpan {
  let at = -1;
  for (let k = 0; k <= nth; k++) at = text.indexOf(sub, at + 1);
  if (at < 0) throw new Error(`${sub} not in ${text}`);
  const start = codePointLength(text.slice(0, at));
  return { start, end: start + codePointLength(sub), label, text: sub };
}

function record(id: string, text: string, more: Partial<ExportRecord> = {}): ExportRecord {
  return { id, text, intent: null, sentiment: null, entities: [], dialogue_id: null, turn: null, context: [], meta: {}, ...more };
}

const EMOJI_TEXT = '我是𠮷田😀，订单号A123明天到吗？';
const SAMPLE: ExportRecord[] = [
  record('it-1', EMOJI_TEXT, {
    intent: '查询订单',
    sentiment: '中性',
    entities: [span(EMOJI_TEXT, '明天', '日期'), span(EMOJI_TEXT, 'A123', '订单号'), span(EMOJI_TEXT, '𠮷田', '产品')],
    dialogue_id: 'd-1',
    turn: 2,
    meta: { channel: 'app', score: 0.75, vip: true },
  }),
  record('it-2', '我要投诉！👨‍👩‍👧 太慢了', { intent: '投诉', sentiment: '消极', meta: { channel: 'web' } }),
  record('it-3', '有什么活动', { dialogue_id: 'd-2', turn: 0, meta: { score: 3, vip: false } }),
];

async function writeAll(
  format: ExportFormat,
  records: Iterable<ExportRecord>,
  opts: WriterOptions = options(),
): Promise<{ path: string; rows: number }> {
  const path = tmp(`.${format}`);
  const writer = createWriter(format, path, opts);
  for (const r of records) await writer.write(r);
  return { path, rows: await writer.close() };
}

const lines = (path: string): unknown[] =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as unknown);

describe('hfFeatures', () => {
  it('describes class labels, a list of span structs, dialogue and metadata values', () => {
    expect(hfFeatures(FEATURES)).toEqual({
      id: { dtype: 'string', _type: 'Value' },
      text: { dtype: 'string', _type: 'Value' },
      intent: { names: FEATURES.intents, _type: 'ClassLabel' },
      sentiment: { names: FEATURES.sentiments, _type: 'ClassLabel' },
      entities: [
        {
          start: { dtype: 'int32', _type: 'Value' },
          end: { dtype: 'int32', _type: 'Value' },
          label: { names: FEATURES.entityTypes, _type: 'ClassLabel' },
          text: { dtype: 'string', _type: 'Value' },
        },
      ],
      dialogue_id: { dtype: 'string', _type: 'Value' },
      turn: { dtype: 'int32', _type: 'Value' },
      channel: { dtype: 'string', _type: 'Value' },
      score: { dtype: 'float64', _type: 'Value' },
      vip: { dtype: 'bool', _type: 'Value' },
    });
    const multi = hfFeatures(MULTI);
    expect(multi.intents).toEqual({ feature: { names: MULTI.intents, _type: 'ClassLabel' }, _type: 'Sequence' });
    expect(Object.keys(multi)).toEqual(['id', 'text', 'intents', 'sentiment', 'entities']);
  });

  it('has the card YAML shape of datasets 3.x', () => {
    const yaml = hfFeaturesYaml(MULTI);
    expect(yaml).toEqual([
      { name: 'id', dtype: 'string' },
      { name: 'text', dtype: 'string' },
      { name: 'intents', sequence: { class_label: { names: { '0': '查询订单', '1': '投诉', '2': '咨询活动', '3': '退换货' } } } },
      { name: 'sentiment', dtype: { class_label: { names: { '0': '积极', '1': '中性', '2': '消极' } } } },
      {
        name: 'entities',
        list: [
          { name: 'start', dtype: 'int32' },
          { name: 'end', dtype: 'int32' },
          { name: 'label', dtype: { class_label: { names: { '0': '订单号', '1': '日期', '2': '产品', '3': '电话' } } } },
          { name: 'text', dtype: 'string' },
        ],
      },
    ]);
  });

  it('rejects a metadata field named like a column and duplicate labels', () => {
    expect(() => hfFeatures({ ...FEATURES, meta: [{ name: 'text', type: 'string' }] })).toThrow(/metadata field "text"/);
    expect(() => hfFeatures({ ...FEATURES, intents: ['a', 'a'] })).toThrow(/appears twice/);
  });
});

describe('hf-jsonl', () => {
  it('writes one object per item with code-point offsets (emoji, 𠮷)', async () => {
    const { path, rows } = await writeAll('hf-jsonl', SAMPLE);
    expect(rows).toBe(3);
    const out = lines(path) as Record<string, unknown>[];
    expect(Object.keys(out[0]!)).toEqual(['id', 'text', 'intent', 'sentiment', 'entities', 'dialogue_id', 'turn', 'channel', 'score', 'vip']);
    expect(out[0]).toMatchObject({
      id: 'it-1',
      intent: '查询订单',
      sentiment: '中性',
      dialogue_id: 'd-1',
      turn: 2,
      channel: 'app',
      score: 0.75,
      vip: true,
    });
    const entities = out[0]!.entities as ExportSpan[];
    // Sorted by start; offsets index the code points (as Python's str does).
    expect(entities.map((e) => e.text)).toEqual(['𠮷田', 'A123', '明天']);
    expect(entities[0]).toEqual({ start: 2, end: 4, label: '产品', text: '𠮷田' });
    expect(entities[1]).toEqual({ start: 9, end: 13, label: '订单号', text: 'A123' });
    for (const e of entities) expect(Array.from(EMOJI_TEXT).slice(e.start, e.end).join('')).toBe(e.text);
    // UTF-16 offsets would differ: 𠮷 and 😀 are two code units each.
    expect(EMOJI_TEXT.indexOf('A123')).toBe(11);
    expect(out[1]).toMatchObject({ intent: '投诉', entities: [], dialogue_id: null, turn: null, channel: 'web', score: null, vip: null });
    expect(out[2]).toMatchObject({ intent: null, sentiment: null });
  });

  it('writes intents for multi-label schemas and checks labels against the schema', async () => {
    const { path } = await writeAll('hf-jsonl', [record('m', '退货并投诉', { intents: ['退换货', '投诉'] })], options(MULTI));
    expect(lines(path)[0]).toEqual({ id: 'm', text: '退货并投诉', intents: ['退换货', '投诉'], sentiment: null, entities: [] });
    const writer = createWriter('hf-jsonl', tmp('.jsonl'), options());
    expect(() => writer.write(record('bad', 'x', { intent: '不存在' }))).toThrow(/bad: intent "不存在"/);
    expect(() => writer.write(record('bad2', 'abc', { entities: [{ start: 1, end: 4, label: '日期', text: 'bc' }] }))).toThrow(/not inside the text/);
    await writer.abort();
  });

  it('refuses to write after close and closes the handle on abort', async () => {
    const path = tmp('.jsonl');
    const writer = createWriter('hf-jsonl', path, options());
    await writer.write(SAMPLE[0]!);
    await writer.abort();
    expect(() => writer.write(SAMPLE[1]!)).toThrow(/after abort/);
    const w2 = createWriter('hf-jsonl', tmp('.jsonl'), options());
    expect(await w2.close()).toBe(0);
    expect(() => w2.write(SAMPLE[0]!)).toThrow(/after close/);
  });

  it('rejects when the file cannot be opened', async () => {
    const writer = createWriter('hf-jsonl', join(dir, 'no-such-dir', 'x.jsonl'), options());
    await expect(writer.close()).rejects.toThrow(/ENOENT/);
    await writer.abort();
  });
});

describe('parquet', () => {
  const many = Array.from({ length: 25 }, (_, i) => {
    const r = SAMPLE[i % SAMPLE.length]!;
    return { ...r, id: `${r.id}-${i}` };
  });

  it('reads back with hyparquet: list of structs, class ids, huggingface metadata, snappy, bounded row groups', async () => {
    const { path, rows } = await writeAll('parquet', many, options(FEATURES, { rowGroupSize: 10 }));
    expect(rows).toBe(25);
    const buf = readFileSync(path);
    const file = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
    const meta = parquetMetadata(file);

    const hf = meta.key_value_metadata?.find((kv) => kv.key === 'huggingface');
    expect(JSON.parse(hf!.value!)).toEqual({ info: { features: hfFeatures(FEATURES) } });
    expect(hf!.value).toBe(huggingfaceMetadata(FEATURES));

    expect(meta.row_groups.map((g) => Number(g.num_rows))).toEqual([10, 10, 5]);
    for (const g of meta.row_groups) for (const c of g.columns) expect(c.meta_data?.codec).toBe('SNAPPY');

    const tree = readSchema(meta);
    const col = (name: string) => tree.children.find((c) => c.element.name === name)!;
    expect(tree.children.map((c) => c.element.name)).toEqual(Object.keys(hfFeatures(FEATURES)));
    expect(col('intent').element.type).toBe('INT64');
    expect(col('turn').element.type).toBe('INT32');
    expect(col('score').element.type).toBe('DOUBLE');
    expect(col('vip').element.type).toBe('BOOLEAN');
    const entities = col('entities');
    expect(entities.element.converted_type).toBe('LIST');
    const element = entities.children[0]!.children[0]!;
    expect(element.children.map((c) => [c.element.name, c.element.type])).toEqual([
      ['start', 'INT32'],
      ['end', 'INT32'],
      ['label', 'INT64'],
      ['text', 'BYTE_ARRAY'],
    ]);

    const back = (await parquetReadObjects({ file })) as Record<string, unknown>[];
    expect(back).toHaveLength(25);
    expect(back[0]).toEqual({
      id: 'it-1-0',
      text: EMOJI_TEXT,
      intent: 0n,
      sentiment: 1n,
      entities: [
        { start: 2, end: 4, label: 2n, text: '𠮷田' },
        { start: 9, end: 13, label: 0n, text: 'A123' },
        { start: 13, end: 15, label: 1n, text: '明天' },
      ],
      dialogue_id: 'd-1',
      turn: 2,
      channel: 'app',
      score: 0.75,
      vip: true,
    });
    expect(back[1]).toMatchObject({ intent: 1n, sentiment: 2n, entities: [], dialogue_id: null, turn: null, score: null });
    expect(back[2]).toMatchObject({ intent: null, sentiment: null, vip: false, score: 3 });
    // Class ids name the labels of the metadata (what datasets does with ClassLabel).
    const names = (hfFeatures(FEATURES).intent as { names: string[] }).names;
    expect(names[Number(back[1]!.intent)]).toBe('投诉');
  });

  it('writes multi-label intents as a list of class ids, and an empty file for no rows', async () => {
    const { path } = await writeAll('parquet', [record('m', '退货并投诉', { intents: ['退换货', '投诉'] }), record('n', '嗯')], options(MULTI));
    const buf = readFileSync(path);
    const file = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
    const back = (await parquetReadObjects({ file })) as Record<string, unknown>[];
    expect(back.map((r) => r.intents)).toEqual([[3n, 1n], []]);

    const empty = await writeAll('parquet', [], options(MULTI));
    expect(empty.rows).toBe(0);
    const eb = readFileSync(empty.path);
    const emeta = parquetMetadata(eb.buffer.slice(eb.byteOffset, eb.byteOffset + eb.byteLength));
    expect(Number(emeta.num_rows)).toBe(0);
    expect(emeta.key_value_metadata?.[0]?.key).toBe('huggingface');
  });
});

describe('conll', () => {
  const T1 = 'iPhone 15 Pro 明天\u3000到货';
  const T2 = '𠮷田😀 A123\tB456 ';
  const T3 = ' 电话:13812345678 ';
  const items = [
    record('c1', T1, { entities: [span(T1, 'iPhone 15 Pro', '产品'), span(T1, '明天', '日期')] }),
    // Two spans separated only by a tab; an emoji and an Extension B character as one line each.
    record('c2', T2, { entities: [span(T2, '𠮷田', '产品'), span(T2, 'A123', '订单号'), span(T2, 'B456', '订单号')] }),
    record('c3', T3, { entities: [span(T3, '13812345678', '电话')] }),
    record('c4', ' \n\t'),
  ];

  it('writes IOB2, one code point per line, no line for whitespace, blank line between items', async () => {
    const { path, rows } = await writeAll('conll', items);
    expect(rows).toBe(3); // the whitespace-only item has no lines
    const file = readFileSync(path, 'utf8');
    const blocks = file.split('\n\n').filter(Boolean);
    expect(blocks).toHaveLength(3);
    const first = blocks[0]!.split('\n');
    expect(first.slice(0, 12)).toEqual([
      'i B-产品',
      'P I-产品',
      'h I-产品',
      'o I-产品',
      'n I-产品',
      'e I-产品',
      '1 I-产品',
      '5 I-产品',
      'P I-产品',
      'r I-产品',
      'o I-产品',
      '明 B-日期',
    ]);
    const second = blocks[1]!.split('\n');
    expect(second.slice(0, 3)).toEqual(['𠮷 B-产品', '田 I-产品', '😀 O']);
    expect(second).toContain('A B-订单号');
    expect(second).toContain('B B-订单号');
    for (const line of file.split('\n').filter(Boolean)) expect(line.split(/\s+/)).toHaveLength(2);
  });

  it('decodes back to the same spans, with and without the original texts', async () => {
    const { path } = await writeAll('conll', items);
    const file = readFileSync(path, 'utf8');
    const kept = items.slice(0, 3);
    const back = decodeConll(
      file,
      kept.map((r) => r.text),
    );
    expect(back.map((b) => b.text)).toEqual(kept.map((r) => r.text));
    back.forEach((b, i) => expect(b.entities).toEqual([...kept[i]!.entities].sort((x, y) => x.start - y.start)));
    const bare = decodeConll(file);
    expect(bare[1]!.text).toBe('𠮷田😀A123B456');
    expect(bare[1]!.entities).toEqual([
      { start: 0, end: 2, label: '产品', text: '𠮷田' },
      { start: 3, end: 7, label: '订单号', text: 'A123' },
      { start: 7, end: 11, label: '订单号', text: 'B456' },
    ]);
  });

  it('skips exactly what Python str.split() or JavaScript \\s split on; other invisible characters keep a line', () => {
    // Python: ''.join(c for c in map(chr, range(0x110000)) if c.isspace()), plus U+FEFF (JavaScript \\s).
    const ws = [
      0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007,
      0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff,
    ]
      .map((c) => String.fromCodePoint(c))
      .join('');
    const text = `订${ws}单\u200b号`;
    const block = conllBlock(text, [{ start: 0, end: codePointLength(text), label: '订单号', text }]);
    expect(block).toBe('订 B-订单号\n单 I-订单号\n\u200b I-订单号\n号 I-订单号\n\n');
    expect(decodeConll(block, [text])[0]!.entities).toEqual([{ start: 0, end: codePointLength(text), label: '订单号', text }]);
    expect(conllBlock('a b', [{ start: 0, end: 1, label: 'order no', text: 'a' }])).toBe('a B-order_no\nb O\n\n');
  });

  it('trims spans at whitespace edges and keeps the first of overlapping spans', () => {
    const text = '买 手机壳';
    const block = conllBlock(text, [{ start: 1, end: 5, label: '产品', text: ' 手机壳' }]);
    expect(decodeConll(block, [text])[0]!.entities).toEqual([{ start: 2, end: 5, label: '产品', text: '手机壳' }]);
  });

  it('drops overlapping spans (IOB2 is flat) and counts them', async () => {
    const text = '苹果手机壳';
    const path = tmp('.conll');
    const writer = createWriter('conll', path, options()) as ReturnType<typeof createWriter> & { droppedSpans: number };
    await writer.write(record('o', text, { entities: [span(text, '苹果手机', '产品'), span(text, '手机壳', '产品')] }));
    await writer.close();
    expect(writer.droppedSpans).toBe(1);
    expect(decodeConll(readFileSync(path, 'utf8'), [text])[0]!.entities).toEqual([span(text, '苹果手机', '产品')]);
  });
});

describe('chat formats', () => {
  const context: ChatTurn[] = [
    { role: 'assistant', content: '您好，请问有什么可以帮您？' },
    { role: 'user', content: '我的订单' },
    { role: 'user', content: '还没到' },
    { role: 'assistant', content: '请提供订单号' },
    { role: 'assistant', content: '谢谢' },
    { role: 'user', content: '稍等' },
  ];
  const text = '订单号A123，明天能到吗';
  const item = record('chat-1', text, {
    intent: '查询订单',
    sentiment: '中性',
    entities: [span(text, 'A123', '订单号'), span(text, '明天', '日期')],
    dialogue_id: 'd',
    turn: 6,
    context,
  });
  const answer = {
    intent: '查询订单',
    sentiment: '中性',
    entities: [
      { text: 'A123', label: '订单号' },
      { text: '明天', label: '日期' },
    ],
  };

  it('merges consecutive turns of one speaker so roles alternate, starting with the user', () => {
    expect(chatTurns(item)).toEqual([
      { role: 'user', content: '我的订单\n还没到' },
      { role: 'assistant', content: '请提供订单号\n谢谢' },
      { role: 'user', content: `稍等\n${text}` },
    ]);
  });

  it('chat-openai: system prompt, alternating roles, labels as JSON, context answers not trained', async () => {
    const { path } = await writeAll('chat-openai', [item]);
    const { messages } = lines(path)[0] as { messages: { role: string; content: string; weight?: number }[] };
    expect(messages[0]).toEqual({ role: 'system', content: '你是客服意图标注助手。' });
    const roles = messages.slice(1).map((m) => m.role);
    expect(roles).toEqual(['user', 'assistant', 'user', 'assistant']);
    expect(messages[2]!.weight).toBe(0);
    expect(messages[4]!.weight).toBeUndefined();
    expect(JSON.parse(messages[4]!.content)).toEqual(answer);
  });

  it('sharegpt and alpaca', async () => {
    const share = lines((await writeAll('sharegpt', [item])).path)[0] as {
      id: string;
      system: string;
      conversations: { from: string; value: string }[];
    };
    expect(share.system).toBe('你是客服意图标注助手。');
    expect(share.conversations.map((c) => c.from)).toEqual(['human', 'gpt', 'human', 'gpt']);
    expect(JSON.parse(share.conversations[3]!.value)).toEqual(answer);

    const alpaca = lines((await writeAll('alpaca', [item])).path)[0] as Record<string, unknown>;
    expect(alpaca).toMatchObject({
      id: 'chat-1',
      instruction: `稍等\n${text}`,
      input: '',
      system: '你是客服意图标注助手。',
      history: [['我的订单\n还没到', '请提供订单号\n谢谢']],
    });
    expect(JSON.parse(alpaca.output as string)).toEqual(answer);

    const multi = lines(
      (await writeAll('chat-openai', [record('m', '退货并投诉', { intents: ['退换货', '投诉'] })], options(MULTI, { systemPrompt: '' }))).path,
    )[0] as {
      messages: { role: string; content: string }[];
    };
    expect(multi.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(JSON.parse(multi.messages[1]!.content)).toEqual({ intents: ['退换货', '投诉'], sentiment: null, entities: [] });
  });

  it('datasetInfo builds LLaMA-Factory entries', () => {
    const info = datasetInfo([
      { format: 'alpaca', fileName: 'train.alpaca.jsonl' },
      { format: 'sharegpt', fileName: 'train.sharegpt.jsonl' },
      { format: 'chat-openai', fileName: 'train.chat.jsonl', name: 'cs_train_openai' },
    ]);
    expect(info).toEqual({
      train_alpaca: {
        file_name: 'train.alpaca.jsonl',
        formatting: 'alpaca',
        columns: { prompt: 'instruction', query: 'input', response: 'output', system: 'system', history: 'history' },
      },
      train_sharegpt: {
        file_name: 'train.sharegpt.jsonl',
        formatting: 'sharegpt',
        columns: { messages: 'conversations', system: 'system' },
        tags: { role_tag: 'from', content_tag: 'value', user_tag: 'human', assistant_tag: 'gpt' },
      },
      cs_train_openai: {
        file_name: 'train.chat.jsonl',
        formatting: 'sharegpt',
        columns: { messages: 'messages' },
        tags: { role_tag: 'role', content_tag: 'content', user_tag: 'user', assistant_tag: 'assistant', system_tag: 'system' },
      },
    });
    expect(() =>
      datasetInfo([
        { format: 'alpaca', fileName: 'a.jsonl' },
        { format: 'sharegpt', fileName: 'a.jsonl' },
      ]),
    ).toThrow(/two datasets/);
  });
});

describe('csv', () => {
  it('has a BOM, a header, and neutralised formula cells', async () => {
    const evil = '=HYPERLINK("http://x","y")';
    const { path, rows } = await writeAll('csv', [
      record('x1', evil, { intent: '投诉', meta: { channel: '+86', score: -1.5, vip: true } }),
      SAMPLE[0]!,
    ]);
    expect(rows).toBe(2);
    const raw = readFileSync(path);
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const table = parse(raw.toString('utf8'), { bom: true }) as string[][];
    expect(table[0]).toEqual(['id', 'text', 'intent', 'sentiment', 'entities', 'dialogue_id', 'turn', 'channel', 'score', 'vip']);
    expect(table[1]).toEqual(['x1', `'${evil}`, '投诉', '', '', '', '', "'+86", '-1.5', 'true']);
    expect(table[2]![4]).toBe('产品: 𠮷田; 订单号: A123; 日期: 明天');
    expect(raw.toString('utf8')).toContain('\r\n');
  });
});

describe('spacy-jsonl', () => {
  it('writes text, code-point entities and cats over every intent', async () => {
    const { path } = await writeAll('spacy-jsonl', SAMPLE.slice(0, 3));
    const [a, , c] = lines(path) as Record<string, unknown>[];
    expect(a).toMatchObject({ id: 'it-1', text: EMOJI_TEXT, sentiment: '中性', cats: { 查询订单: 1, 投诉: 0, 咨询活动: 0, 退换货: 0 } });
    expect((a!.entities as ExportSpan[])[1]).toEqual({ start: 9, end: 13, label: '订单号', text: 'A123' });
    expect(a!.meta).toEqual({ channel: 'app', score: 0.75, vip: true, dialogue_id: 'd-1', turn: 2 });
    expect(c!.cats).toEqual({});
  });

  it('ships a Python script that is valid syntax', async () => {
    const out = mkdtempSync(join(dir, 'bundle-'));
    const path = await writeSpacyScript(out);
    expect(path).toBe(join(out, SPACY_SCRIPT_NAME));
    expect(readFileSync(path, 'utf8')).toBe(SPACY_TO_DOCBIN_PY);
    const check = spawnSync('python3', ['-c', 'import ast,sys; ast.parse(open(sys.argv[1], encoding="utf-8").read())', path], { encoding: 'utf8' });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
  });
});

describe('streaming', () => {
  it('writes 200k records to hf-jsonl, parquet and conll with bounded memory', async () => {
    const N = 200_000;
    const paths = { jsonl: tmp('.jsonl'), parquet: tmp('.parquet'), conll: tmp('.conll') };
    const writers = [
      createWriter('hf-jsonl', paths.jsonl, options()),
      createWriter('parquet', paths.parquet, options()),
      createWriter('conll', paths.conll, options()),
    ];
    const intents = FEATURES.intents;
    const rss: number[] = [];
    let waits = 0;
    const started = performance.now();
    for (let i = 0; i < N; i++) {
      const text = `第${i}号订单A${i}明天能到吗？我的电话1381234${String(i % 10000).padStart(4, '0')} 😀`;
      const r = record(`s-${i}`, text, {
        intent: intents[i % intents.length]!,
        sentiment: FEATURES.sentiments[i % 3]!,
        entities: [span(text, `A${i}`, '订单号'), span(text, '明天', '日期')],
        dialogue_id: `d-${Math.floor(i / 5)}`,
        turn: i % 5,
        meta: { channel: i % 2 ? 'app' : 'web', score: i / N, vip: i % 7 === 0 },
      });
      for (const w of writers) {
        const p = w.write(r);
        if (p) {
          waits++;
          await p;
        }
      }
      if (i % 20_000 === 0) rss.push(process.memoryUsage().rss);
    }
    const rows = await Promise.all(writers.map((w) => w.close()));
    const seconds = (performance.now() - started) / 1000;
    rss.push(process.memoryUsage().rss);
    expect(rows).toEqual([N, N, N]);
    expect(waits).toBeGreaterThan(0); // backpressure reached the caller
    const mb = (n: number): string => (n / 2 ** 20).toFixed(0);
    console.log(
      `streaming ${N} records x 3 formats: ${seconds.toFixed(1)} s (${Math.round(N / seconds)} records/s); ${waits} waits for drain; ` +
        `RSS MiB ${rss.map(mb).join(' ')}; files MiB jsonl ${mb(statSync(paths.jsonl).size)}, parquet ${mb(statSync(paths.parquet).size)}, conll ${mb(statSync(paths.conll).size)}`,
    );
    const buf = readFileSync(paths.parquet);
    const meta = parquetMetadata(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
    expect(Number(meta.num_rows)).toBe(N);
    expect(Math.max(...meta.row_groups.map((g) => Number(g.num_rows)))).toBe(10_000);
  }, 300_000);
});
