import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ItemPage, ProjectDetail } from '../../shared/contract/schemas';
import { call, count, dumpDatabase, itemsOf, jsonl, MIGRATE_FIXTURES, runImport, setup, writeFile } from './helpers';

describe('import: dedup by content', () => {
  it('the same text twice in one file is one item; the duplicate is counted', async () => {
    const { core, dir, project } = await setup();
    const file = writeFile(dir, 'dup.txt', '在吗\n我要退货\n在吗\n在吗\n发票\n');
    const s = await runImport(core, project.id, file, 'txt');
    expect(s).toMatchObject({ state: 'committed', goodRows: 5, imported: 3, duplicates: 2 });
    expect(itemsOf(core.db, project.id).map((i) => [i.ord, i.text, i.source_line])).toEqual([
      [1, '在吗', 1],
      [2, '我要退货', 2],
      [3, '发票', 5],
    ]);
  });

  it('texts that differ only in whitespace inside are different items; plain-text lines are trimmed', async () => {
    const { core, dir, project } = await setup();
    const file = writeFile(dir, 'ws.txt', '我要 退货\n我要退货\n  我要退货  \n');
    const s = await runImport(core, project.id, file, 'txt');
    expect(s).toMatchObject({ imported: 2, duplicates: 1 });
  });

  it('importing the same file twice adds nothing the second time: no items, no events, no annotators', async () => {
    const { core, dir, project } = await setup();
    const file = writeFile(
      dir,
      'labels.jsonl',
      jsonl([
        { text: '订单DD1到哪了', intent: '查询订单', entities: [{ start: 2, end: 5, label: '订单号' }], annotator: 'a' },
        { text: '订单DD1到哪了', intent: '物流进度', sentiment: '中性', annotator: 'b' },
        { text: '怎么开发票', intent: '支付问题' },
        { text: '我要投诉', gold: true, intent: '投诉', annotator: 'gold' },
      ]),
    );
    const first = await runImport(core, project.id, file, 'jsonl');
    expect(first).toMatchObject({ state: 'committed', imported: 3, duplicates: 1, annotations: 4 });
    const events = count(core.db, 'annotation_events');
    expect(events).toBe(10); // a: 3, b: 3, imported: 2, gold: 2
    const snapshot = dumpDatabase(core.db);

    const second = await runImport(core, project.id, file, 'jsonl');
    expect(second).toMatchObject({ state: 'committed', imported: 0, duplicates: 4, annotations: 0, newLabels: [] });
    const after = dumpDatabase(core.db);
    // Only the record of the second import run itself is new.
    for (const table of Object.keys(snapshot).filter((k) => k !== 'table:imports')) expect(after[table], table).toEqual(snapshot[table]);
    expect(count(core.db, 'imports')).toBe(2);
    expect(count(core.db, 'annotation_events')).toBe(events);
    const p = await call<ProjectDetail>(core, 'projects.get', { projectId: project.id });
    expect(p).toMatchObject({ itemCount: 3, schemaVersion: 1 });
  });

  it('the same Label Studio export twice: no new items, events or suggestions', async () => {
    const { core, project } = await setup();
    const file = path.join(MIGRATE_FIXTURES, 'labelstudio-export.json');
    expect((await runImport(core, project.id, file, 'labelstudio')).state).toBe('committed');
    const snapshot = dumpDatabase(core.db);
    const again = await runImport(core, project.id, file, 'labelstudio');
    expect(again).toMatchObject({ state: 'committed', imported: 0, duplicates: 3, annotations: 0 });
    const after = dumpDatabase(core.db);
    for (const table of Object.keys(snapshot).filter((k) => k !== 'table:imports')) expect(after[table], table).toEqual(snapshot[table]);
  });

  it('a later file with changed labels for a known item appends only the changed fields', async () => {
    const { core, dir, project } = await setup();
    const v1 = writeFile(dir, 'v1.jsonl', jsonl([{ text: '快递丢了', intent: '物流进度', sentiment: '消极', annotator: 'a' }]));
    const v2 = writeFile(dir, 'v2.jsonl', jsonl([{ text: '快递丢了', intent: '投诉', sentiment: '消极', annotator: 'a' }]));
    expect((await runImport(core, project.id, v1, 'jsonl')).annotations).toBe(1);
    expect(count(core.db, 'annotation_events')).toBe(3);
    const s = await runImport(core, project.id, v2, 'jsonl');
    expect(s).toMatchObject({ imported: 0, duplicates: 1, annotations: 1 });
    const kinds = (
      core.db.prepare('SELECT kind, value_json FROM annotation_events ORDER BY seq').all() as { kind: string; value_json: string }[]
    ).map((r) => [r.kind, JSON.parse(r.value_json)]);
    expect(kinds).toEqual([
      ['intents', ['物流进度']],
      ['sentiment', '消极'],
      ['status', 'submitted'],
      ['intents', ['投诉']],
    ]);
    const state = core.db.prepare('SELECT intents_json, sentiment, status FROM annotations').all();
    expect(state).toEqual([{ intents_json: '["投诉"]', sentiment: '消极', status: 'submitted' }]);
  });

  it('item ords run 1..n without gaps after several imports with overlapping content', async () => {
    const { core, dir, project } = await setup();
    const a = writeFile(dir, 'a.txt', 'A1\nA2\nA1\nA3\n');
    const b = writeFile(dir, 'b.jsonl', jsonl([{ text: 'A2' }, { text: 'B1' }, { text: 'A3' }, { text: 'B2' }, { text: 'B1' }]));
    const c = writeFile(dir, 'c.csv', 'text\nB2\nC1\nA1\nC2\n');
    const d = writeFile(dir, 'd.txt', 'A1\nB1\nC1\n');
    const results = [
      await runImport(core, project.id, a, 'txt'),
      await runImport(core, project.id, b, 'jsonl'),
      await runImport(core, project.id, c, 'csv'),
      await runImport(core, project.id, d, 'txt'),
    ];
    expect(results.map((r) => [r.imported, r.duplicates])).toEqual([
      [3, 1],
      [2, 3],
      [2, 2],
      [0, 3],
    ]);
    const items = itemsOf(core.db, project.id);
    expect(items.map((i) => i.ord)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(items.map((i) => i.text)).toEqual(['A1', 'A2', 'A3', 'B1', 'B2', 'C1', 'C2']);
    const p = await call<ProjectDetail>(core, 'projects.get', { projectId: project.id });
    expect(p.itemCount).toBe(7);
    expect(count(core.db, 'items', 'project_id = ?', project.id)).toBe(7);

    // pages are ord ranges
    const page = await call<ItemPage>(core, 'items.list', { projectId: project.id, offset: 2, limit: 3 });
    expect(page.total).toBe(7);
    expect(page.items.map((i) => [i.ord, i.text])).toEqual([
      [3, 'A3'],
      [4, 'B1'],
      [5, 'B2'],
    ]);
    const search = await call<ItemPage>(core, 'items.list', { projectId: project.id, search: 'b' });
    expect(search.items.map((i) => i.text)).toEqual(['B1', 'B2']);
  });

  it('the same text in two projects is two items; each project numbers its own ords', async () => {
    const { core, dir, project } = await setup();
    const other = await call<ProjectDetail>(core, 'projects.create', { name: '另一个项目' });
    const file = writeFile(dir, 'x.txt', '同一句话\n第二句\n');
    expect((await runImport(core, project.id, file, 'txt')).imported).toBe(2);
    expect((await runImport(core, other.id, file, 'txt')).imported).toBe(2);
    expect(itemsOf(core.db, other.id).map((i) => [i.ord, i.text])).toEqual([
      [1, '同一句话'],
      [2, '第二句'],
    ]);
    expect(count(core.db, 'items')).toBe(4);
  });

  it('a gold flag on a duplicate marks the existing item gold', async () => {
    const { core, dir, project } = await setup();
    const a = writeFile(dir, 'a.jsonl', jsonl([{ text: '普通一句' }]));
    const b = writeFile(dir, 'b.jsonl', jsonl([{ text: '普通一句', gold: true }]));
    await runImport(core, project.id, a, 'jsonl');
    expect(count(core.db, 'items', 'is_gold = 1')).toBe(0);
    expect((await runImport(core, project.id, b, 'jsonl')).imported).toBe(0);
    expect(count(core.db, 'items', 'is_gold = 1')).toBe(1);
  });
});
