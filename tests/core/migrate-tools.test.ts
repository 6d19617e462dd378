import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { spanText } from '../../shared/domain/spans';
import { count, dumpDatabase, itemByText, itemsOf, jsonl, MIGRATE_FIXTURES, runImport, setup, writeFile, brief } from './helpers';

describe('import: doccano', () => {
  it('sequence labeling: UTF-16 offsets become code points', async () => {
    const { core, project } = await setup();
    const s = await runImport(core, project.id, path.join(MIGRATE_FIXTURES, 'doccano-sequence.jsonl'), 'doccano');
    expect(s).toMatchObject({ state: 'committed', imported: 4, badLines: 0 });

    const t12 = '😡😡我买的小米手环8一直没发货，订单号DD20240428007，电话13812345678';
    const d = await itemByText(core, project.id, t12);
    expect(d.item.externalId).toBe('12');
    expect(d.annotations).toHaveLength(1);
    expect(d.annotations[0]?.entities).toEqual([
      { start: 5, end: 10, label: '商品' },
      { start: 19, end: 32, label: '订单号' },
      { start: 35, end: 46, label: '手机号' },
    ]);
    expect(d.annotations[0]!.entities.map((e) => spanText(t12, e))).toEqual(['小米手环8', 'DD20240428007', '13812345678']);

    const t11 = '🙏你好，帮我查一下订单DD20240501123到哪了？';
    expect((await itemByText(core, project.id, t11)).annotations[0]?.entities).toEqual([{ start: 11, end: 24, label: '订单号' }]);
    const t13 = '👍🏻 收到了，华为MatePad很好用！';
    const e13 = (await itemByText(core, project.id, t13)).annotations[0]?.entities ?? [];
    expect(e13).toEqual([{ start: 7, end: 16, label: '商品' }]);
    expect(spanText(t13, e13[0]!)).toBe('华为MatePad');
  });

  it('entities with start_offset/end_offset, relations ignored', async () => {
    const { core, project } = await setup();
    const s = await runImport(core, project.id, path.join(MIGRATE_FIXTURES, 'doccano-entities.jsonl'), 'doccano');
    expect(s).toMatchObject({ state: 'committed', imported: 3, badLines: 0 });
    const texts = itemsOf(core.db, project.id).map((i) => i.text);
    const expected: Record<string, string[]> = {
      '📦订单DD20240501123里的AirPods Pro少发了一个耳机': ['DD20240501123', 'AirPods Pro'],
      '😡😡客服电话13800001111一直打不通，订单DD20240428007要退款': ['13800001111', 'DD20240428007'],
      '🙏麻烦把小米手环8换成黑色，订单号DD20240502318': ['小米手环8', 'DD20240502318'],
    };
    expect(texts.sort()).toEqual(Object.keys(expected).sort());
    for (const [text, mentions] of Object.entries(expected)) {
      const d = await itemByText(core, project.id, text);
      expect(d.annotations[0]!.entities.map((e) => spanText(text, e))).toEqual(mentions);
      expect(d.item.meta).toEqual({});
    }
    expect((await itemByText(core, project.id, '📦订单DD20240501123里的AirPods Pro少发了一个耳机')).annotations[0]?.entities).toEqual([
      { start: 3, end: 16, label: '订单号' },
      { start: 18, end: 29, label: '商品' },
    ]);
  });

  it('classification: labels become intents, unknown ones are added, extra fields are meta', async () => {
    const { core, project } = await setup();
    const s = await runImport(core, project.id, path.join(MIGRATE_FIXTURES, 'doccano-classification.jsonl'), 'doccano');
    expect(s).toMatchObject({ state: 'committed', imported: 4, badLines: 0, newLabels: ['intents:退款'] });
    const d1 = await itemByText(core, project.id, '🙏你好，帮我查一下订单DD20240501123到哪了？');
    expect(d1.item.meta).toEqual({ session_id: 'S20240501-0007' });
    expect(d1.annotations.map((a) => a.intents)).toEqual([['查询订单']]);
    const d3 = await itemByText(core, project.id, '📦收到的耳机有杂音，申请退货退款，顺便投诉一下质检。');
    expect(d3.annotations.map((a) => a.intents)).toEqual([['投诉', '退款']]);
  });
});

describe('import: Label Studio', () => {
  async function importLabelStudio() {
    const t = await setup();
    const s = await runImport(t.core, t.project.id, path.join(MIGRATE_FIXTURES, 'labelstudio-export.json'), 'labelstudio');
    expect(t.internalErrors).toEqual([]);
    return { ...t, s };
  }

  it('annotations per annotator, user ids resolved to e-mails, cancelled annotations dropped', async () => {
    const { core, project, s } = await importLabelStudio();
    expect(s).toMatchObject({ state: 'committed', imported: 3, badLines: 0, errors: [], annotations: 5 });

    const t1 = await itemByText(core, project.id, '😊您好，我的订单DD20240501123显示已签收，但我没收到AirPods Pro');
    expect(t1.item).toMatchObject({ externalId: '1', meta: { channel: 'app', labelstudio_task_id: 1 } });
    expect(t1.annotations.map(brief)).toEqual([
      {
        annotator: 'li.na@example.com',
        intents: ['投诉'],
        entities: [{ start: 8, end: 21, label: '订单号' }],
        sentiment: '中性',
        status: 'submitted',
      },
      {
        annotator: 'zhang.wei@example.com',
        intents: ['查询订单'],
        entities: [
          { start: 8, end: 21, label: '订单号' },
          { start: 32, end: 43, label: '商品' },
        ],
        sentiment: '消极',
        status: 'submitted',
      },
    ]);
    expect(spanText(t1.item.text, { start: 32, end: 43 })).toBe('AirPods Pro');

    // task 2: user 1 is a bare id here, an object with an e-mail in task 1
    const t2 = await itemByText(core, project.id, '😡😡小米手环8用了两天就坏了，我要退款！联系电话13812345678');
    expect(t2.annotations.map((a) => a.annotator)).toEqual(['li.na@example.com', 'zhang.wei@example.com']);
    for (const a of t2.annotations) {
      expect(brief(a)).toMatchObject({
        intents: ['退款'],
        sentiment: '消极',
        entities: [
          { start: 2, end: 7, label: '商品' },
          { start: 24, end: 35, label: '手机号' },
        ],
      });
    }

    // task 3: the second annotation was cancelled
    const t3 = await itemByText(core, project.id, '👍🏻 谢谢客服，订单DD20240428007的华为MatePad已经收到了');
    expect(t3.annotations.map(brief)).toEqual([
      {
        annotator: 'li.na@example.com',
        intents: ['表扬'],
        entities: [
          { start: 10, end: 23, label: '订单号' },
          { start: 24, end: 33, label: '商品' },
        ],
        sentiment: '积极',
        status: 'submitted',
      },
    ]);

    const annotators = (core.db.prepare('SELECT name FROM annotators ORDER BY name').all() as { name: string }[]).map((r) => r.name);
    expect(annotators).toEqual(['li.na@example.com', 'zhang.wei@example.com']);
    expect(s.newLabels).toEqual(['intents:退款', 'intents:表扬']);
  });

  it('keeps the annotation times: ended at updated_at, started lead_time before', async () => {
    const { core, project } = await importLabelStudio();
    const t1 = await itemByText(core, project.id, '😊您好，我的订单DD20240501123显示已签收，但我没收到AirPods Pro');
    const zhang = t1.annotations.find((a) => a.annotator === 'zhang.wei@example.com')!;
    expect(zhang.updatedAt).toBe('2024-05-06T02:14:31.482Z');
    const times = core.db
      .prepare('SELECT DISTINCT started_at, ended_at FROM annotation_events WHERE item_id = ? AND annotator_id = ?')
      .all(t1.item.id, zhang.annotatorId);
    expect(times).toEqual([{ started_at: '2024-05-06T02:13:53.267Z', ended_at: '2024-05-06T02:14:31.482Z' }]);
  });

  it('predictions become suggestions with the model version', async () => {
    const { core, project } = await importLabelStudio();
    const t2 = await itemByText(core, project.id, '😡😡小米手环8用了两天就坏了，我要退款！联系电话13812345678');
    const byKind = Object.fromEntries(t2.suggestions.map((x) => [x.kind, x]));
    expect(Object.keys(byKind).sort()).toEqual(['entities', 'intents']);
    expect(byKind.entities).toMatchObject({
      value: [{ start: 2, end: 7, label: '商品' }],
      score: 0.87,
      modelVersion: 'labelstudio:cs-intent-ner-v0.3',
    });
    expect(byKind.intents).toMatchObject({ value: ['退款'], score: 0.87, modelVersion: 'labelstudio:cs-intent-ner-v0.3' });
    expect(count(core.db, 'suggestions')).toBe(2);
  });
});

describe('migrating from doccano: odd exports', () => {
  it('an offset that splits an emoji is a bad line (the file is not in UTF-16 units)', async () => {
    const { core, dir, project } = await setup();
    const before = dumpDatabase(core.db);
    const file = writeFile(dir, 'split.jsonl', jsonl([{ id: 1, text: '😡订单DD1', label: [[1, 3, '订单号']] }]));
    const s = await runImport(core, project.id, file, 'doccano');
    expect(s.state).toBe('failed');
    expect(s.errors).toEqual([{ line: 1, reason: expect.stringMatching(/offset 1 splits an emoji/) }]);
    expect(dumpDatabase(core.db)).toEqual(before);
  });

  it('an offset past the text is a bad line', async () => {
    const { core, dir, project } = await setup();
    const file = writeFile(
      dir,
      'past.jsonl',
      jsonl([
        { id: 1, text: '订单DD1', label: [[2, 40, '订单号']] },
        { id: 2, text: '好的', label: [] },
      ]),
    );
    const s = await runImport(core, project.id, file, 'doccano', { onBadLines: 'skip' });
    expect(s).toMatchObject({ state: 'committed', imported: 1, badLines: 1 });
    expect(s.errors[0]).toMatchObject({ line: 1, reason: expect.stringMatching(/offset 40 is outside the text/) });
  });

  it('legacy exports (text under "data") count code points, and a numeric user becomes the annotator', async () => {
    const { core, dir, project } = await setup();
    const text = '😡😡小米手环8坏了';
    const file = writeFile(dir, 'legacy.jsonl', jsonl([{ id: 7, data: text, label: [[2, 7, '商品']], user: 3, extra: 'x' }]));
    const s = await runImport(core, project.id, file, 'doccano');
    expect(s).toMatchObject({ state: 'committed', imported: 1 });
    const d = await itemByText(core, project.id, text);
    expect(d.annotations.map(brief)).toEqual([
      { annotator: 'doccano user 3', intents: [], entities: [{ start: 2, end: 7, label: '商品' }], sentiment: null, status: 'submitted' },
    ]);
    expect(spanText(text, { start: 2, end: 7 })).toBe('小米手环8');
    expect(d.item.meta).toEqual({ extra: 'x' });
  });

  it('a classification label naming a sentiment level becomes the sentiment', async () => {
    const { core, dir, project } = await setup();
    const file = writeFile(dir, 'senti.jsonl', jsonl([{ id: 1, text: '太慢了，我要投诉', label: ['投诉', '消极'], username: 'zhao' }]));
    expect((await runImport(core, project.id, file, 'doccano')).state).toBe('committed');
    const d = await itemByText(core, project.id, '太慢了，我要投诉');
    expect(d.annotations.map(brief)).toEqual([{ annotator: 'zhao', intents: ['投诉'], entities: [], sentiment: '消极', status: 'submitted' }]);
  });

  it('numeric label ids are refused with a hint', async () => {
    const { core, dir, project } = await setup();
    const file = writeFile(dir, 'ids.jsonl', jsonl([{ id: 1, text: '在吗', label: [{ label: 3 }] }]));
    const s = await runImport(core, project.id, file, 'doccano');
    expect(s.errors).toEqual([{ line: 1, reason: expect.stringMatching(/numeric ids/) }]);
    expect(count(core.db, 'items')).toBe(0);
  });
});

describe('migrating from Label Studio: odd exports', () => {
  const task = (value: Record<string, unknown>, text: string) => ({
    id: 9,
    data: { text },
    annotations: [{ completed_by: { id: 5, email: 'a@example.com' }, result: [{ type: 'labels', from_name: 'label', value }] }],
  });

  it('an old export with UTF-16 offsets is recognised by the mention text and converted', async () => {
    const { core, dir, project } = await setup();
    const text = '😊订单DD1到了';
    // code points: 😊 0, 订 1, 单 2, D 3, D 4, 1 5; in UTF-16 units DD1 is 4..7
    const file = writeFile(dir, 'old.json', JSON.stringify([task({ start: 4, end: 7, text: 'DD1', labels: ['订单号'] }, text)]));
    const s = await runImport(core, project.id, file, 'labelstudio');
    expect(s.state).toBe('committed');
    const d = await itemByText(core, project.id, text);
    expect(d.annotations[0]?.entities).toEqual([{ start: 3, end: 6, label: '订单号' }]);
    expect(d.annotations[0]?.annotator).toBe('a@example.com');
  });

  it('a span whose mention matches neither way is a bad task naming what it covers', async () => {
    const { core, dir, project } = await setup();
    const file = writeFile(
      dir,
      'bad.json',
      JSON.stringify([task({ start: 0, end: 2, text: '退款', labels: ['商品'] }, '订单DD1到了'), { id: 10, data: { text: '第二个任务' } }]),
    );
    const s = await runImport(core, project.id, file, 'labelstudio', { onBadLines: 'skip' });
    expect(s).toMatchObject({ state: 'committed', imported: 1, badLines: 1 });
    expect(s.errors).toEqual([{ line: 1, reason: 'task 1: span [0, 2) of "商品" covers "订单", but the export says "退款"' }]);
    expect(itemsOf(core.db, project.id).map((i) => i.text)).toEqual(['第二个任务']);
  });

  it.each([
    ['UTF-8 with a BOM', (t: string) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(t)]), 'utf-8'],
    ['UTF-16LE with a BOM', (t: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(t, 'utf16le')]), 'utf-16le'],
    [
      'UTF-16LE with a BOM, starting with a blank line',
      (t: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`\r\n${t}`, 'utf16le')]),
      'utf-16le',
    ],
    ['UTF-16BE with a BOM', (t: string) => Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(t, 'utf16le').swap16()]), 'utf-16be'],
  ])('the fixture saved as %s imports the same', async (_name, encode, encoding) => {
    const { core, dir, project } = await setup();
    const original = fs.readFileSync(path.join(MIGRATE_FIXTURES, 'labelstudio-export.json'), 'utf8');
    const file = writeFile(dir, 'export.json', encode(original));
    const s = await runImport(core, project.id, file, 'labelstudio');
    expect(s).toMatchObject({ state: 'committed', encoding, imported: 3, annotations: 5, fatal: null });
    const t1 = await itemByText(core, project.id, '😊您好，我的订单DD20240501123显示已签收，但我没收到AirPods Pro');
    expect(t1.annotations.map((a) => a.annotator)).toEqual(['li.na@example.com', 'zhang.wei@example.com']);
  });

  it('a user known only by id gets a readable name', async () => {
    const { core, dir, project } = await setup();
    const file = writeFile(
      dir,
      'ids.json',
      JSON.stringify([
        {
          id: 1,
          data: { text: '在吗' },
          annotations: [{ completed_by: 42, result: [{ type: 'choices', from_name: 'intent', value: { choices: ['咨询活动'] } }] }],
        },
      ]),
    );
    expect((await runImport(core, project.id, file, 'labelstudio')).state).toBe('committed');
    expect((await itemByText(core, project.id, '在吗')).annotations.map((a) => [a.annotator, a.intents])).toEqual([
      ['Label Studio user 42', ['咨询活动']],
    ]);
  });
});
