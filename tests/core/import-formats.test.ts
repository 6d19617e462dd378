import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCore } from '../../electron/core';
import { ImportStatus, type ProjectDetail } from '../../shared/contract/schemas';
import { spanText } from '../../shared/domain/spans';
import {
  call,
  count,
  encodeGb18030,
  encodeUtf16le,
  freshDir,
  itemByText,
  itemsOf,
  jsonl,
  runImport,
  setup,
  tempTables,
  writeFile,
  brief,
  fileToken,
} from './helpers';

describe('import: the project JSONL', () => {
  it('imports text, id, meta, labels and annotators; one line per (item, annotator)', async () => {
    const { core, dir, project, internalErrors } = await setup();
    const file = writeFile(
      dir,
      'own.jsonl',
      jsonl([
        {
          text: '我的订单DD20240501123到哪了',
          id: 't1',
          meta: { channel: 'app' },
          intent: '查询订单',
          entities: [{ start: 4, end: 17, label: '订单号' }],
          sentiment: '中性',
          annotator: 'zhang',
        },
        { text: '我的订单DD20240501123到哪了', intents: ['查询订单', '物流进度'], sentiment: '消极', annotator: 'li' },
        { text: '你们的客服太慢了', source: 'weibo', gold: true },
        { text: '能开发票吗', intent: '支付问题' },
      ]),
    );
    const s = await runImport(core, project.id, file, 'jsonl');
    expect(s).toMatchObject({
      state: 'committed',
      encoding: 'utf-8',
      goodRows: 4,
      imported: 3,
      duplicates: 1,
      annotations: 3,
      badLines: 0,
      errors: [],
      fatal: null,
      newLabels: [],
    });
    expect(internalErrors).toEqual([]);

    const items = itemsOf(core.db, project.id);
    expect(items.map((i) => [i.ord, i.text, i.source_line])).toEqual([
      [1, '我的订单DD20240501123到哪了', 1],
      [2, '你们的客服太慢了', 3],
      [3, '能开发票吗', 4],
    ]);

    const first = await itemByText(core, project.id, '我的订单DD20240501123到哪了');
    expect(first.item).toMatchObject({
      externalId: 't1',
      meta: { channel: 'app' },
      gold: false,
      annotationCount: 2,
      sourceFile: 'own.jsonl',
      sourceLine: 1,
    });
    expect(first.annotations.map(brief)).toEqual([
      { annotator: 'li', intents: ['查询订单', '物流进度'], entities: [], sentiment: '消极', status: 'submitted' },
      { annotator: 'zhang', intents: ['查询订单'], entities: [{ start: 4, end: 17, label: '订单号' }], sentiment: '中性', status: 'submitted' },
    ]);
    expect(spanText(first.item.text, { start: 4, end: 17 })).toBe('DD20240501123');

    const second = await itemByText(core, project.id, '你们的客服太慢了');
    expect(second.item).toMatchObject({ meta: { source: 'weibo' }, gold: true, externalId: null, annotationCount: 0 });
    expect(second.annotations).toEqual([]);

    // a line with labels but no annotator: the default annotator
    const third = await itemByText(core, project.id, '能开发票吗');
    expect(third.annotations.map(brief)).toEqual([
      { annotator: 'imported', intents: ['支付问题'], entities: [], sentiment: null, status: 'submitted' },
    ]);

    // zhang: intents, entities, sentiment, status; li: intents, sentiment, status; imported: intents, status
    expect(count(core.db, 'annotation_events')).toBe(9);
    expect(count(core.db, 'annotation_events', "source = 'import' AND import_id = ?", s.id)).toBe(9);
    expect(count(core.db, 'annotators')).toBe(3);
    expect(count(core.db, 'imports', "state = 'committed'")).toBe(1);
    expect(tempTables(core.db)).toEqual([]);
    const p = await call<ProjectDetail>(core, 'projects.get', { projectId: project.id });
    expect(p).toMatchObject({ itemCount: 3, annotatedCount: 2 });
  });

  it('names the annotator of unattributed labels after the request', async () => {
    const { core, dir, project } = await setup();
    const file = writeFile(dir, 'a.jsonl', jsonl([{ text: '怎么退货', intent: '退换货' }]));
    const s = await core.imports.run({ projectId: project.id, filePath: file, format: 'jsonl', onBadLines: 'abort', annotator: 'wang' });
    expect(s.state).toBe('committed');
    expect((await itemByText(core, project.id, '怎么退货')).annotations.map((a) => a.annotator)).toEqual(['wang']);
  });

  it('adds labels the schema does not have as a new schema version', async () => {
    const { core, dir, project } = await setup();
    const file = writeFile(
      dir,
      'n.jsonl',
      jsonl([{ text: '发票抬头写错了', intent: '发票问题', entities: [{ start: 0, end: 2, label: '票据' }], sentiment: '焦虑', annotator: 'a' }]),
    );
    const s = await runImport(core, project.id, file, 'jsonl');
    expect(s.newLabels).toEqual(['intents:发票问题', 'entities:票据', 'sentiment:焦虑']);
    const p = await call<ProjectDetail>(core, 'projects.get', { projectId: project.id });
    expect(p.schemaVersion).toBe(2);
    expect(p.schema.intents.labels.map((l) => l.name)).toContain('发票问题');
    expect(p.schema.entities.types.map((t) => t.name)).toContain('票据');
    expect(p.schema.sentiment.levels.map((l) => l.name)).toContain('焦虑');
    expect(count(core.db, 'annotation_events', 'schema_version = 2')).toBe(4);
  });

  it('spans with emoji, skin tones, ZWJ sequences and Extension B round-trip unchanged', async () => {
    const { core, dir, project } = await setup();
    const text = '😡👍🏻👨‍👩‍👧𠮷野家订单DD123退款';
    // 😡 0, 👍 1, 🏻 2, 👨 3, ZWJ 4, 👩 5, ZWJ 6, 👧 7, 𠮷 8, 野 9, 家 10, 订 11, 单 12, D 13 … 3 17, 退 18, 款 19
    const entities = [
      { start: 0, end: 1, label: '情绪' },
      { start: 1, end: 3, label: '表情' },
      { start: 3, end: 8, label: '家庭' },
      { start: 8, end: 11, label: '商家' },
      { start: 13, end: 18, label: '订单号' },
    ];
    const file = writeFile(dir, 'emoji.jsonl', jsonl([{ text, entities, annotator: 'a' }]));
    expect((await runImport(core, project.id, file, 'jsonl')).state).toBe('committed');
    const d = await itemByText(core, project.id, text);
    expect(d.item.text).toBe(text);
    expect(d.annotations[0]?.entities).toEqual(entities);
    expect(entities.map((e) => spanText(d.item.text, e))).toEqual(['😡', '👍🏻', '👨‍👩‍👧', '𠮷野家', 'DD123']);
    const stored = JSON.parse(
      (core.db.prepare("SELECT value_json FROM annotation_events WHERE kind = 'entities'").get() as { value_json: string }).value_json,
    );
    expect(stored).toEqual(entities);
  });

  it('through the contract: imports.start, progress events, imports.get', async () => {
    const dir = freshDir();
    const events: unknown[] = [];
    const core = createCore({ dbPath: path.join(dir, 'c.db'), emit: (_e, s) => events.push(s) });
    try {
      const p = await call<ProjectDetail>(core, 'projects.create', { name: 'p' });
      const file = writeFile(dir, 'x.jsonl', jsonl(Array.from({ length: 50 }, (_, i) => ({ text: `第${i}句` }))));
      const started = await call<ImportStatus>(core, 'imports.start', { projectId: p.id, fileToken: fileToken(core, file), format: 'jsonl' });
      expect(started.state).toBe('running');
      const done = await core.imports.waitFor(started.id);
      expect(done).toMatchObject({ state: 'committed', imported: 50, linesRead: 50, bytesRead: done.totalBytes });
      expect(await call<ImportStatus>(core, 'imports.get', { importId: started.id })).toMatchObject({ state: 'committed', imported: 50 });
      expect(events.length).toBeGreaterThan(0);
      for (const e of events) expect(ImportStatus.safeParse(e).success).toBe(true);
      expect(events.at(-1)).toMatchObject({ id: started.id, state: 'committed', imported: 50 });
    } finally {
      core.close();
    }
  });
});

describe('import: CSV, TSV and plain text', () => {
  it('CSV with a header and a mapping: text, multi-label intents, sentiment; other columns become meta', async () => {
    const { core, dir, project } = await setup();
    const csv = [
      'id,review,intent,sentiment,channel,order_no',
      'c1,"我要退货，顺便投诉一下",退换货|投诉,消极,app,DD1',
      'c2,优惠券怎么用？,咨询活动,,web,',
      'c3,"他说""已发货""，但是\n物流没更新",物流进度 | 投诉 ,中性,app,DD3',
      'c4,只有文本,,,,',
      'c5,谢谢，问题解决了,,积极,app,DD5',
    ].join('\n');
    const file = writeFile(dir, 'reviews.csv', `${csv}\n`);
    const s = await core.imports.run({
      projectId: project.id,
      filePath: file,
      format: 'csv',
      mapping: { text: 'review', intent: 'intent', sentiment: 'sentiment' },
      onBadLines: 'abort',
      annotator: 'csv-annotator',
    });
    expect(s).toMatchObject({ state: 'committed', imported: 5, duplicates: 0, badLines: 0, annotations: 4 });
    const items = itemsOf(core.db, project.id);
    expect(items.map((i) => i.text)).toEqual([
      '我要退货，顺便投诉一下',
      '优惠券怎么用？',
      '他说"已发货"，但是\n物流没更新',
      '只有文本',
      '谢谢，问题解决了',
    ]);
    expect(items.map((i) => i.meta)).toEqual([
      { id: 'c1', channel: 'app', order_no: 'DD1' },
      { id: 'c2', channel: 'web', order_no: '' },
      { id: 'c3', channel: 'app', order_no: 'DD3' },
      { id: 'c4', channel: '', order_no: '' },
      { id: 'c5', channel: 'app', order_no: 'DD5' },
    ]);
    expect(items.map((i) => i.source_line)).toEqual([2, 3, expect.any(Number), 6, 7]);
    expect([4, 5]).toContain(items[2]?.source_line); // the quoted field spans lines 4-5

    const ann = async (text: string) => (await itemByText(core, project.id, text)).annotations.map(brief);
    expect(await ann('我要退货，顺便投诉一下')).toEqual([
      { annotator: 'csv-annotator', intents: ['退换货', '投诉'], entities: [], sentiment: '消极', status: 'submitted' },
    ]);
    expect(await ann('优惠券怎么用？')).toEqual([
      { annotator: 'csv-annotator', intents: ['咨询活动'], entities: [], sentiment: null, status: 'submitted' },
    ]);
    expect(await ann('他说"已发货"，但是\n物流没更新')).toEqual([
      { annotator: 'csv-annotator', intents: ['物流进度', '投诉'], entities: [], sentiment: '中性', status: 'submitted' },
    ]);
    expect(await ann('只有文本')).toEqual([]);
    expect(await ann('谢谢，问题解决了')).toEqual([
      { annotator: 'csv-annotator', intents: [], entities: [], sentiment: '积极', status: 'submitted' },
    ]);
  });

  it('CSV: id and annotator columns when mapped, meta limited to the listed columns', async () => {
    const { core, dir, project } = await setup();
    const file = writeFile(dir, 'm.csv', 'ext,who,内容,意图,x,y\nE1,zhang,退款多久到账,退换货,1,2\nE2,,在吗,,3,4\n');
    const s = await core.imports.run({
      projectId: project.id,
      filePath: file,
      format: 'csv',
      mapping: { text: '内容', id: 'ext', intent: '意图', annotator: 'who', meta: ['y'] },
      onBadLines: 'abort',
    });
    expect(s.state).toBe('committed');
    const a = await itemByText(core, project.id, '退款多久到账');
    expect(a.item).toMatchObject({ externalId: 'E1', meta: { y: '2' } });
    expect(a.annotations.map((x) => [x.annotator, x.intents])).toEqual([['zhang', ['退换货']]]);
    expect((await itemByText(core, project.id, '在吗')).item).toMatchObject({ externalId: 'E2', meta: { y: '4' }, annotationCount: 0 });
  });

  it('TSV: tabs separate, quotes are ordinary characters, columns guessed from the header', async () => {
    const { core, dir, project } = await setup();
    const file = writeFile(dir, 'a.tsv', 'text\tintent\tchannel\n我要退款\t退换货\tapp\n"引号"不特殊, 逗号也不\t\tweb\n');
    const s = await runImport(core, project.id, file, 'tsv');
    expect(s).toMatchObject({ state: 'committed', imported: 2, annotations: 1 });
    expect(itemsOf(core.db, project.id).map((i) => [i.text, i.meta])).toEqual([
      ['我要退款', { channel: 'app' }],
      ['"引号"不特殊, 逗号也不', { channel: 'web' }],
    ]);
    expect((await itemByText(core, project.id, '我要退款')).annotations.map((a) => a.intents)).toEqual([['退换货']]);
  });

  it('plain text: one item per line, trimmed, blank lines skipped, line numbers kept', async () => {
    const { core, dir, project } = await setup();
    const file = writeFile(dir, 'lines.txt', '第一行\n\n   \n  第二行  \n第三行\n\n');
    const s = await runImport(core, project.id, file, 'txt');
    expect(s).toMatchObject({ state: 'committed', imported: 3, badLines: 0, annotations: 0 });
    expect(itemsOf(core.db, project.id).map((i) => [i.ord, i.text, i.source_line])).toEqual([
      [1, '第一行', 1],
      [2, '第二行', 4],
      [3, '第三行', 5],
    ]);
  });
});

describe('import: encodings and line endings', () => {
  it('UTF-8 with a BOM (JSONL and CSV): the BOM is not part of the first text or header', async () => {
    const { core, dir, project } = await setup();
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const j = writeFile(dir, 'bom.jsonl', Buffer.concat([bom, Buffer.from(jsonl([{ text: '带BOM的第一行', intent: '投诉' }, { text: '第二行' }]))]));
    expect(await runImport(core, project.id, j, 'jsonl')).toMatchObject({ state: 'committed', imported: 2, encoding: 'utf-8' });
    const c = writeFile(dir, 'bom.csv', Buffer.concat([bom, Buffer.from('text,channel\nCSV第一行,app\n')]));
    expect(await runImport(core, project.id, c, 'csv')).toMatchObject({ state: 'committed', imported: 1, encoding: 'utf-8' });
    const items = itemsOf(core.db, project.id);
    expect(items.map((i) => i.text)).toEqual(['带BOM的第一行', '第二行', 'CSV第一行']);
    expect(items[2]?.meta).toEqual({ channel: 'app' });
  });

  it('GB18030 without a BOM (plain text and CSV)', async () => {
    const { core, dir, project } = await setup();
    // hand-written: 你好 = c4 e3 ba c3, 订单 = b6 a9 b5 a5
    const raw = Buffer.from([0xc4, 0xe3, 0xba, 0xc3, 0x0a, 0xb6, 0xa9, 0xb5, 0xa5, 0x0a]);
    expect(new TextDecoder('gb18030').decode(raw)).toBe('你好\n订单\n');
    const txt = writeFile(dir, 'gb.txt', raw);
    expect(await runImport(core, project.id, txt, 'txt')).toMatchObject({ state: 'committed', imported: 2, encoding: 'gb18030' });

    const csvText = 'text,intent\r\n我的快递到哪了？,物流进度\r\n"退款，什么时候到账",退换货\r\n';
    const csv = writeFile(dir, 'gb.csv', encodeGb18030(csvText));
    expect(new TextDecoder('gb18030').decode(encodeGb18030(csvText))).toBe(csvText);
    expect(await runImport(core, project.id, csv, 'csv')).toMatchObject({ state: 'committed', imported: 2, encoding: 'gb18030', annotations: 2 });
    expect(itemsOf(core.db, project.id).map((i) => i.text)).toEqual(['你好', '订单', '我的快递到哪了？', '退款，什么时候到账']);
    expect((await itemByText(core, project.id, '我的快递到哪了？')).annotations.map((a) => a.intents)).toEqual([['物流进度']]);
  });

  it('UTF-16LE with a BOM and CRLF (JSONL with emoji spans, and CSV)', async () => {
    const { core, dir, project } = await setup();
    const text = '😡𠮷订单DD1没到';
    const j = writeFile(
      dir,
      'u16.jsonl',
      encodeUtf16le(jsonl([{ text, entities: [{ start: 2, end: 7, label: '订单号' }], annotator: 'a' }, { text: '第二行👍🏻' }], '\r\n')),
    );
    expect(await runImport(core, project.id, j, 'jsonl')).toMatchObject({ state: 'committed', imported: 2, encoding: 'utf-16le', badLines: 0 });
    const c = writeFile(dir, 'u16.csv', encodeUtf16le('text,intent\r\n表格第一行,投诉\r\n'));
    expect(await runImport(core, project.id, c, 'csv')).toMatchObject({ state: 'committed', imported: 1, encoding: 'utf-16le' });
    expect(itemsOf(core.db, project.id).map((i) => i.text)).toEqual([text, '第二行👍🏻', '表格第一行']);
    const d = await itemByText(core, project.id, text);
    expect(d.annotations[0]?.entities).toEqual([{ start: 2, end: 7, label: '订单号' }]);
    expect(spanText(text, { start: 2, end: 7 })).toBe('订单DD1');
  });

  it('UTF-16BE with a BOM', async () => {
    const { core, dir, project } = await setup();
    const le = Buffer.from('大端序第一行\n😡大端序第二行\n', 'utf16le');
    const be = Buffer.alloc(le.length);
    for (let i = 0; i < le.length; i += 2) {
      be[i] = le[i + 1]!;
      be[i + 1] = le[i]!;
    }
    const file = writeFile(dir, 'be.txt', Buffer.concat([Buffer.from([0xfe, 0xff]), be]));
    expect(await runImport(core, project.id, file, 'txt')).toMatchObject({ state: 'committed', imported: 2, encoding: 'utf-16be' });
    expect(itemsOf(core.db, project.id).map((i) => i.text)).toEqual(['大端序第一行', '😡大端序第二行']);
  });

  it('UTF-16LE larger than one read chunk keeps every character (surrogate pairs across chunk edges)', async () => {
    const { core, dir, project } = await setup();
    const lines = Array.from({ length: 6000 }, (_, i) => `😡${i}号订单👍🏻还没到𠮷`.repeat(1 + (i % 3)));
    const file = writeFile(dir, 'big16.txt', encodeUtf16le(`${lines.join('\r\n')}\r\n`));
    const s = await runImport(core, project.id, file, 'txt');
    expect(s).toMatchObject({ state: 'committed', imported: 6000, badLines: 0 });
    const got = itemsOf(core.db, project.id).map((i) => i.text);
    expect(got).toEqual(lines);
  });

  it('CRLF line endings in JSONL, CSV, TSV and plain text leave no carriage return behind', async () => {
    const { core, dir, project } = await setup();
    const files = [
      writeFile(dir, 'crlf.jsonl', jsonl([{ text: 'JSONL一行', intent: '投诉' }, { text: 'JSONL二行' }], '\r\n')),
      writeFile(dir, 'crlf.csv', 'text,intent\r\nCSV一行,投诉\r\nCSV二行,\r\n'),
      writeFile(dir, 'crlf.tsv', 'text\tintent\r\nTSV一行\t投诉\r\n'),
      writeFile(dir, 'crlf.txt', 'TXT一行\r\n\r\nTXT二行\r\n'),
    ];
    const formats = ['jsonl', 'csv', 'tsv', 'txt'] as const;
    for (let i = 0; i < files.length; i++) expect((await runImport(core, project.id, files[i]!, formats[i]!)).state).toBe('committed');
    const rows = core.db.prepare('SELECT text, meta_json FROM items ORDER BY ord').all() as { text: string; meta_json: string }[];
    expect(rows.map((r) => r.text)).toEqual(['JSONL一行', 'JSONL二行', 'CSV一行', 'CSV二行', 'TSV一行', 'TXT一行', 'TXT二行']);
    for (const r of rows) expect(r.text + r.meta_json).not.toContain('\r');
    const intents = core.db.prepare('SELECT intents_json FROM annotations').all() as { intents_json: string }[];
    expect(intents.map((r) => JSON.parse(r.intents_json))).toEqual([['投诉'], ['投诉'], ['投诉']]);
  });
});
