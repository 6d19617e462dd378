import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { spanText } from '../../shared/domain/spans';
import { createProject, jsonl, openCore, runImport, writeFile } from './helpers';

const SCHEMA = {
  intents: { labels: [{ name: '查询订单' }] },
  entities: {
    types: [
      { name: '客户姓名', personal: true },
      { name: '订单号' },
    ],
  },
};

// An emoji and a CJK Extension B character before the values, so UTF-16 and code-point offsets differ.
const TEXT = '😀𠀀我叫张三，电话13812345678，订单DD20261203001到哪了';
const cp = (s: string, sub: string) => [...s.slice(0, s.indexOf(sub))].length;
const span = (sub: string, label: string) => ({ start: cp(TEXT, sub), end: cp(TEXT, sub) + [...sub].length, label });

describe('import --redact: personal data never stored', () => {
  for (const mode of ['placeholder', 'mask', 'pseudonym'] as const) {
    it(`${mode}: phone and personal spans replaced before storing, every span still on its text`, async () => {
      const { core, dir, dbPath } = openCore();
      const project = await createProject(core, '脱敏', SCHEMA);
      const file = writeFile(
        dir,
        'items.jsonl',
        jsonl([
          {
            text: TEXT,
            intent: '查询订单',
            annotator: 'a',
            entities: [span('张三', '客户姓名'), span('DD20261203001', '订单号')],
          },
          { text: '没有个人信息的一句话', intent: '查询订单', annotator: 'a' },
        ]),
      );
      const status = await runImport(core, project.id, file, 'jsonl', { redact: mode });
      expect(status.state).toBe('committed');
      expect(status.redacted).toEqual({ mobile: 1, 客户姓名: 1 });

      const rows = core.db
        .prepare('SELECT i.text, a.entities_json FROM items i JOIN annotations a ON a.item_id = i.id WHERE i.project_id = ? ORDER BY i.ord')
        .all(project.id) as { text: string; entities_json: string }[];
      expect(rows).toHaveLength(2);
      const [first, second] = rows;
      expect(first!.text).not.toContain('13812345678');
      expect(first!.text).not.toContain('张三');
      expect(first!.text.startsWith('😀𠀀我叫')).toBe(true);
      expect(first!.text).toContain('DD20261203001'); // an order number is not personal data
      if (mode === 'placeholder') expect(first!.text).toBe('😀𠀀我叫[客户姓名]，电话[手机号]，订单DD20261203001到哪了');
      if (mode === 'mask') expect(first!.text).toContain('138****5678');
      const spans = JSON.parse(first!.entities_json) as { start: number; end: number; label: string }[];
      expect(spans.map((s) => s.label)).toEqual(['客户姓名', '订单号']);
      expect(spanText(first!.text, spans[1]!)).toBe('DD20261203001');
      const name = spanText(first!.text, spans[0]!);
      expect(name).not.toBe('张三');
      expect(name.length).toBeGreaterThan(0);
      expect(second!.text).toBe('没有个人信息的一句话');

      core.close();
      // Not in the database file, its WAL, or a staging file left behind.
      for (const f of fs.readdirSync(dir, { recursive: true }) as string[]) {
        if (f === 'items.jsonl' || fs.statSync(`${dir}/${f}`).isDirectory()) continue;
        const bytes = fs.readFileSync(`${dir}/${f}`, { flag: 'r' }).toString('utf8');
        expect(bytes.includes('13812345678'), `${f} holds the phone number`).toBe(false);
      }
      expect(fs.existsSync(dbPath)).toBe(true);
    });
  }

  it('pseudonym: the same value gets the same surrogate in every item of the project', async () => {
    const { core, dir } = openCore();
    const project = await createProject(core, '一致', SCHEMA);
    const file = writeFile(
      dir,
      'items.jsonl',
      jsonl([{ text: '电话13812345678，请回电' }, { text: '我的手机是13812345678' }, { text: '换个号码13987654321' }]),
    );
    const status = await runImport(core, project.id, file, 'jsonl', { redact: 'pseudonym' });
    expect(status.redacted).toEqual({ mobile: 3 });
    const texts = (core.db.prepare('SELECT text FROM items WHERE project_id = ? ORDER BY ord').all(project.id) as { text: string }[]).map((r) => r.text);
    const phone = (t: string) => /1\d{10}/.exec(t)?.[0];
    expect(phone(texts[0]!)).toBeDefined();
    expect(phone(texts[0]!)).toBe(phone(texts[1]!));
    expect(phone(texts[2]!)).not.toBe(phone(texts[0]!));
    expect(texts.join()).not.toContain('13812345678');
  });
});
