import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runExport, toYaml, type ExportOptions } from '../../../electron/core/export/pipeline';
import type { ProjectDetail } from '../../../shared/contract/schemas';
import { createProject, freshDir, jsonl, openCore, REPO_ROOT, runImport, writeFile, type TestCore } from '../helpers';

const SCHEMA = {
  intents: { labels: ['退款', '物流', '投诉'].map((name) => ({ name })) },
  sentiment: { levels: ['积极', '中性', '消极'].map((name, value) => ({ name, value })) },
  entities: { types: [{ name: '商品' }, { name: '日期' }, { name: '手机号' }] },
};

interface Line {
  text: string;
  intent?: string;
  sentiment?: string;
  entities?: { start: number; end: number; label: string }[];
  annotator?: string;
  [k: string]: unknown;
}

async function project(t: TestCore, name: string, lines: Line[]): Promise<ProjectDetail> {
  const p = await createProject(t.core, name, SCHEMA as never);
  const file = writeFile(t.dir, `${name}.jsonl`, jsonl(lines));
  const status = await runImport(t.core, p.id, file, 'jsonl');
  expect(status.state, JSON.stringify(status)).toBe('committed');
  return p;
}

function options(p: ProjectDetail, outDir: string, extra: Partial<ExportOptions> = {}): ExportOptions {
  return { projectId: p.id, outDir, formats: ['hf-jsonl'], labels: 'consensus', minAnnotators: 1, seed: 7, dedup: 'none', redact: 'none', includeGold: false, ...extra };
}

interface Rec {
  id: string;
  text: string;
  intent: string | null;
  sentiment: string | null;
  entities: { start: number; end: number; label: string; text: string }[];
  dialogue_id?: string | null;
}

function readJsonl(file: string): Rec[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Rec);
}

const cps = (s: string, a: number, b: number) => Array.from(s).slice(a, b).join('');
/** The code-point span of the first occurrence of `sub` in `text`. */
function span(text: string, sub: string, label: string) {
  const start = Array.from(text.slice(0, text.indexOf(sub))).length;
  return { start, end: start + Array.from(sub).length, label };
}

describe('runExport', () => {
  it('round trip: hf-jsonl of a single-annotator project imports into a new project with the same labels', async () => {
    const t = openCore();
    const lines: Line[] = [
      { text: '我要退款', intent: '退款', sentiment: '消极', annotator: '甲' },
      { text: '😀吸尘器昨天坏了', intent: '退款', sentiment: '消极', entities: [{ start: 1, end: 4, label: '商品' }, { start: 4, end: 6, label: '日期' }], annotator: '甲' },
      { text: '𠮷野家的快递到哪了', intent: '物流', sentiment: '中性', entities: [{ start: 0, end: 3, label: '商品' }], annotator: '甲' },
      { text: '太差了', intent: '投诉', sentiment: '消极', annotator: '甲' },
      { text: '还没标注的句子' },
    ];
    const p = await project(t, '单人', lines);
    t.core.db
      .prepare('INSERT INTO guidelines (project_id, version, markdown, created_at) VALUES (?, 3, ?, ?)')
      .run(p.id, '# 标注规范\n退款优先。', new Date().toISOString());
    const out = freshDir();
    const r = await runExport(t.core.db, options(p, out));
    expect(r.items).toBe(4);
    expect(fs.readFileSync(path.join(r.dir, 'GUIDELINE.md'), 'utf8')).toBe('# 标注规范\n退款优先。');
    expect(r.excluded.unlabeled).toBe(1);
    const records = readJsonl(path.join(r.dir, 'data.jsonl'));
    expect(records).toHaveLength(4);
    for (const rec of records) for (const e of rec.entities) expect(cps(rec.text, e.start, e.end)).toBe(e.text);

    const p2 = await createProject(t.core, '回读', SCHEMA as never);
    expect((await runImport(t.core, p2.id, path.join(r.dir, 'data.jsonl'), 'jsonl')).state).toBe('committed');
    const again = await runExport(t.core.db, options(p2, out));
    const strip = (rs: Rec[]) => rs.map(({ text, intent, sentiment, entities }) => ({ text, intent, sentiment, entities })).sort((a, b) => a.text.localeCompare(b.text));
    expect(strip(readJsonl(path.join(again.dir, 'data.jsonl')))).toEqual(strip(records));
    expect(strip(records)).toEqual(
      strip(
        lines
          .filter((l) => l.intent)
          .map((l) => ({ id: '', text: l.text, intent: l.intent!, sentiment: l.sentiment!, entities: (l.entities ?? []).map((e) => ({ ...e, text: cps(l.text, e.start, e.end) })) })),
      ),
    );
    // The bundle: card, manifest, no partial folder left.
    expect(fs.readdirSync(out).filter((f) => f.includes('.partial'))).toEqual([]);
    const card = fs.readFileSync(path.join(r.dir, 'README.md'), 'utf8');
    expect(card).toMatch(/^---\nlanguage:\n {2}- zh\nlicense: other\n/);
    expect(card).toContain('data_files:');
    expect(card).toContain('path: data.jsonl');
    expect(card).toContain('class_label:');
    expect(card).toContain('Guideline version: 3');
    expect(card).toContain('Annotators who labelled the exported items: 1');
    expect(card).not.toContain('甲');
  });

  it('splits keep a dialogue in one split; manifest sha256 and rows match the files', async () => {
    const t = openCore();
    const intents = ['退款', '物流', '投诉'];
    const lines: Line[] = [];
    for (let d = 0; d < 30; d++) {
      for (let turn = 0; turn < 4; turn++) {
        lines.push({ text: `对话${d}的第${turn}句话`, intent: intents[(d + turn) % 3], sentiment: '中性', dialogue_id: `d${d}`, turn, speaker: turn % 2 ? 'agent' : 'customer', annotator: '甲' });
      }
    }
    const p = await project(t, '对话', lines);
    const r = await runExport(t.core.db, options(p, freshDir(), { formats: ['hf-jsonl', 'parquet', 'conll', 'chat-openai', 'sharegpt', 'spacy-jsonl', 'csv'], splits: [0.6, 0.2, 0.2], groupBy: 'dialogue_id' }));
    expect(r.items).toBe(120);
    const bySplit = new Map<string, Set<string>>();
    for (const s of ['train', 'validation', 'test']) {
      const recs = readJsonl(path.join(r.dir, `${s}.jsonl`));
      expect(recs.length).toBeGreaterThan(0);
      bySplit.set(s, new Set(recs.map((x) => x.dialogue_id!)));
    }
    const all = [...bySplit.values()].flatMap((s) => [...s]);
    expect(new Set(all).size).toBe(all.length); // no dialogue in two splits
    expect(new Set(all).size).toBe(30);

    const manifest = JSON.parse(fs.readFileSync(path.join(r.dir, 'manifest.json'), 'utf8')) as {
      items: number;
      files: { path: string; rows: number | null; bytes: number; sha256: string }[];
      seed: number;
    };
    expect(manifest.items).toBe(120);
    expect(manifest.seed).toBe(7);
    for (const f of manifest.files) {
      const bytes = fs.readFileSync(path.join(r.dir, f.path));
      expect(createHash('sha256').update(bytes).digest('hex'), f.path).toBe(f.sha256);
      expect(bytes.length).toBe(f.bytes);
    }
    const rows = manifest.files.filter((f) => f.path.endsWith('.jsonl') && !f.path.includes('.')).length;
    expect(rows).toBe(0);
    expect(manifest.files.filter((f) => /^(train|validation|test)\.jsonl$/.test(f.path)).reduce((a, f) => a + f.rows!, 0)).toBe(120);
    const names = manifest.files.map((f) => f.path);
    expect(names).toEqual(expect.arrayContaining(['train.parquet', 'test.conll', 'validation.chat.jsonl', 'train.sharegpt.jsonl', 'train.spacy.jsonl', 'train.csv', 'dataset_info.json', 'spacy_to_docbin.py', 'README.md']));
    // The chat file of a later turn carries the dialogue's earlier turns.
    const chat = fs.readFileSync(path.join(r.dir, 'train.chat.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { messages: { role: string }[] });
    expect(Math.max(...chat.map((c) => c.messages.length))).toBeGreaterThan(2);
  });

  it('exact dedup: one survivor per cluster, counts in the manifest; kept duplicates never cross splits', async () => {
    const t = openCore();
    const lines: Line[] = [];
    for (let i = 0; i < 40; i++) lines.push({ text: `第${i}个普通问题，请问怎么办`, intent: ['退款', '物流', '投诉'][i % 3], annotator: '甲' });
    for (const v of ['我要退款！', '我要退款!', '我要 退款。']) lines.push({ text: v, intent: '退款', annotator: '甲' });
    for (const v of ['快递到哪了？', '快递到哪了']) lines.push({ text: v, intent: '物流', annotator: '甲' });
    const p = await project(t, '去重', lines);

    const exact = await runExport(t.core.db, options(p, freshDir(), { dedup: 'exact', splits: [0.5, 0.25, 0.25] }));
    expect(exact.items).toBe(42);
    expect(exact.dedup.exact_removed).toBe(3);
    expect(exact.dedup.exact_clusters).toBe(2);
    const manifest = JSON.parse(fs.readFileSync(path.join(exact.dir, 'manifest.json'), 'utf8')) as { dedup: { exact_removed: number; removed: number } };
    expect(manifest.dedup.exact_removed).toBe(3);
    expect(manifest.dedup.removed).toBe(3);
    const texts = ['train', 'validation', 'test'].flatMap((s) => readJsonl(path.join(exact.dir, `${s}.jsonl`)).map((x) => x.text));
    expect(texts.filter((x) => x.includes('我要'))).toHaveLength(1);

    const none = await runExport(t.core.db, options(p, freshDir(), { dedup: 'none', splits: [0.5, 0.25, 0.25] }));
    expect(none.items).toBe(45);
    const splitOf = new Map<string, string>();
    for (const s of ['train', 'validation', 'test']) for (const x of readJsonl(path.join(none.dir, `${s}.jsonl`))) splitOf.set(x.text, s);
    expect(new Set(['我要退款！', '我要退款!', '我要 退款。'].map((x) => splitOf.get(x))).size).toBe(1);
    expect(new Set(['快递到哪了？', '快递到哪了'].map((x) => splitOf.get(x))).size).toBe(1);
  });

  it('redaction: phone numbers replaced, every exported span equals its text (emoji, 𠮷)', async () => {
    const t = openCore();
    const lines: Line[] = [
      { text: '😀电话13812345678吸尘器坏了', intent: '退款', entities: [span('😀电话13812345678吸尘器坏了', '13812345678', '手机号'), span('😀电话13812345678吸尘器坏了', '吸尘器', '商品')], annotator: '甲' },
      { text: '𠮷野家，联系我13912345678或者邮箱abc@qq.com😀订单', intent: '物流', entities: [span('𠮷野家，联系我13912345678或者邮箱abc@qq.com😀订单', '𠮷野家', '商品'), span('𠮷野家，联系我13912345678或者邮箱abc@qq.com😀订单', '订单', '商品')], annotator: '甲' },
      { text: '身份证11010519491231002X😀𠮷', intent: '投诉', entities: [span('身份证11010519491231002X😀𠮷', '𠮷', '商品')], annotator: '甲' },
    ];
    for (const l of lines) for (const e of l.entities ?? []) expect(cps(l.text, e.start, e.end).length).toBeGreaterThan(0);
    const p = await project(t, '脱敏', lines);
    for (const mode of ['placeholder', 'mask', 'pseudonym'] as const) {
      const r = await runExport(t.core.db, options(p, freshDir(), { redact: mode, formats: ['hf-jsonl', 'conll', 'parquet'] }));
      const recs = readJsonl(path.join(r.dir, 'data.jsonl'));
      expect(recs).toHaveLength(3);
      for (const rec of recs) {
        expect(rec.text).not.toContain('13812345678');
        expect(rec.text).not.toContain('13912345678');
        expect(rec.text).not.toContain('abc@qq.com');
        for (const e of rec.entities) expect(cps(rec.text, e.start, e.end), `${mode} ${rec.text}`).toBe(e.text);
      }
      expect(r.redaction.mobile).toBe(2);
      const manifest = JSON.parse(fs.readFileSync(path.join(r.dir, 'manifest.json'), 'utf8')) as { redaction: Record<string, number> };
      expect(manifest.redaction).toEqual(r.redaction);
      const product = recs.find((x) => x.text.startsWith('😀'))!.entities.find((e) => e.label === '商品')!;
      expect(product.text).toBe('吸尘器');
    }
    // The pseudonym key is created once per project.
    const key = t.core.db.prepare('SELECT value_json FROM app_settings WHERE key = ?').get(`redaction-key:${p.id}`) as { value_json: string } | undefined;
    expect(key).toBeDefined();
  });

  it('redaction: spans of an entity type marked personal are replaced too, keep their label and count under the type', async () => {
    const t = openCore();
    const schema = { ...SCHEMA, entities: { types: [{ name: '商品' }, { name: '姓名', personal: true }, { name: '手机号' }] } };
    const p = await createProject(t.core, '个人信息', schema as never);
    const texts = ['我是张三丰，吸尘器坏了', '收件人欧阳娜娜电话13812345678', '客服：好的，张三丰先生'];
    const lines: Line[] = [
      { text: texts[0]!, intent: '退款', entities: [span(texts[0]!, '张三丰', '姓名'), span(texts[0]!, '吸尘器', '商品')], annotator: '甲', dialogue_id: 'd1', turn: 0 },
      { text: texts[1]!, intent: '物流', entities: [span(texts[1]!, '欧阳娜娜', '姓名'), span(texts[1]!, '13812345678', '手机号')], annotator: '甲', dialogue_id: 'd2', turn: 0 },
      { text: texts[2]!, intent: '投诉', entities: [span(texts[2]!, '张三丰', '姓名')], annotator: '甲', dialogue_id: 'd1', turn: 1, speaker: 'agent' },
    ];
    const file = writeFile(t.dir, 'personal.jsonl', jsonl(lines));
    expect((await runImport(t.core, p.id, file, 'jsonl')).state).toBe('committed');
    const names = ['张三丰', '欧阳娜娜'];
    const seen: Record<string, string[]> = {};
    for (const mode of ['placeholder', 'mask', 'pseudonym'] as const) {
      const r = await runExport(t.core.db, options(p, freshDir(), { redact: mode, formats: ['hf-jsonl', 'conll', 'parquet', 'chat-openai'] }));
      expect(r.redaction).toEqual({ 姓名: 3, mobile: 1 });
      const recs = readJsonl(path.join(r.dir, 'data.jsonl'));
      expect(recs.map((x) => x.entities.map((e) => e.label))).toEqual([['姓名', '商品'], ['姓名', '手机号'], ['姓名']]);
      seen[mode] = recs.map((x) => x.entities.find((e) => e.label === '姓名')!.text);
      for (const rec of recs) {
        for (const n of names) expect(rec.text, `${mode}: ${rec.text}`).not.toContain(n);
        for (const e of rec.entities) expect(cps(rec.text, e.start, e.end), mode).toBe(e.text);
        expect(rec.entities.find((e) => e.label === '商品')?.text ?? '吸尘器').toBe('吸尘器');
      }
      // The chat context carries the earlier turn redacted the same way.
      const chat = fs.readFileSync(path.join(r.dir, 'data.chat.jsonl'), 'utf8');
      for (const n of names) expect(chat).not.toContain(n);
      const manifest = JSON.parse(fs.readFileSync(path.join(r.dir, 'manifest.json'), 'utf8')) as { redaction: Record<string, number> };
      expect(manifest.redaction).toEqual(r.redaction);
      expect(fs.readFileSync(path.join(r.dir, 'README.md'), 'utf8')).toContain('姓名 3');
    }
    expect(seen.placeholder).toEqual(['[姓名]', '[姓名]', '[姓名]']);
    expect(seen.mask).toEqual(['张*丰', '欧**娜', '张*丰']);
    // Pseudonyms: as long as the name, the same for the same name, never the name.
    expect(seen.pseudonym!.map((x) => Array.from(x).length)).toEqual([3, 4, 3]);
    expect(seen.pseudonym![0]).toBe(seen.pseudonym![2]);
    expect(seen.pseudonym![0]).toMatch(/^\p{Script=Han}{3}$/u);
    // Without redaction the names stay.
    const plain = await runExport(t.core.db, options(p, freshDir(), { redact: 'none' }));
    expect(readJsonl(path.join(plain.dir, 'data.jsonl')).map((x) => x.entities[0]!.text)).toEqual(['张三丰', '欧阳娜娜', '张三丰']);
  });

  it('a bad span fails the export naming the item and leaves no bundle; cancel removes the partial folder', async () => {
    const t = openCore();
    const p = await project(t, '坏跨度', [
      { text: '我要退款', intent: '退款', annotator: '甲' },
      { text: '吸尘器坏了', intent: '退款', entities: [{ start: 0, end: 3, label: '商品' }], annotator: '甲' },
    ]);
    const item = t.core.db.prepare("SELECT id FROM items WHERE text = '吸尘器坏了'").get() as { id: string };
    t.core.db.prepare('UPDATE annotations SET entities_json = ? WHERE item_id = ?').run(JSON.stringify([{ start: 2, end: 40, label: '商品' }]), item.id);
    const out = freshDir();
    await expect(runExport(t.core.db, options(p, out, { formats: ['hf-jsonl', 'parquet'] }))).rejects.toThrow(item.id);
    expect(fs.readdirSync(out)).toEqual([]);

    t.core.db.prepare('UPDATE annotations SET entities_json = ? WHERE item_id = ?').run('[]', item.id);
    const controller = new AbortController();
    controller.abort();
    await expect(runExport(t.core.db, options(p, out), undefined, controller.signal)).rejects.toThrow(/cancel/);
    expect(fs.readdirSync(out)).toEqual([]);
  });

  it('label policies on a team project: consensus needs agreement and enough annotators; adjudicated needs a decision', async () => {
    const t = openCore();
    const lines: Line[] = [
      ...['甲', '乙', '丙'].map((a) => ({ text: '我要退款', intent: '退款', sentiment: '消极', annotator: a })),
      ...['甲', '乙'].map((a) => ({ text: '快递到哪了', intent: '物流', annotator: a })),
      { text: '快递到哪了', intent: '投诉', annotator: '丙' },
      { text: '太差了', intent: '投诉', annotator: '甲' },
    ];
    const p = await project(t, '团队', lines);
    const c2 = await runExport(t.core.db, options(p, freshDir(), { minAnnotators: 2 }));
    expect(c2.items).toBe(1);
    expect(c2.excluded).toMatchObject({ 'no-consensus': 1, 'too-few-annotators': 1 });
    const c1 = await runExport(t.core.db, options(p, freshDir(), { minAnnotators: 1 }));
    expect(c1.items).toBe(2);
    const adj = await runExport(t.core.db, options(p, freshDir(), { labels: 'adjudicated' }));
    expect(adj.items).toBe(0);
    expect(adj.excluded.unresolved).toBe(3);
  });

  it('toYaml writes block YAML with quoted strings', () => {
    expect(toYaml({ a: ['zh'], b: [{ name: 'x', v: { names: ['退款', 'yes'] } }], c: 'a b' })).toBe(
      'a:\n  - zh\nb:\n  - name: x\n    v:\n      names:\n        - "退款"\n        - "yes"\nc: "a b"\n',
    );
  });
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function annot(...args: string[]): Promise<Run> {
  const tsx = path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
  return new Promise((resolve, reject) => {
    execFile(tsx, ['electron/cli/index.ts', ...args], { cwd: REPO_ROOT, timeout: 60_000, maxBuffer: 10 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') return reject(error);
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

describe('annot export / annot redact', () => {
  it('prints the --json shape and writes the bundle; redact remaps offsets', async () => {
    const t = openCore();
    await project(t, '命令行', [
      { text: '我要退款', intent: '退款', annotator: '甲' },
      { text: '电话13812345678吸尘器', intent: '退款', entities: [{ start: 13, end: 16, label: '商品' }], annotator: '甲' },
      { text: '没标' },
    ]);
    t.core.close();
    const out = freshDir();
    const r = await annot('export', '--db', t.dbPath, '--project', '命令行', '--out', out, '--format', 'hf-jsonl,parquet', '--splits', '1,0,0', '--redact', 'placeholder', '--json');
    expect(r.code, r.stderr).toBe(0);
    const res = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { items: number; excluded: Record<string, number>; files: { path: string; rows: number | null; sha256: string }[]; dir: string };
    expect(res.items).toBe(2);
    expect(res.excluded.unlabeled).toBe(1);
    expect(res.files.find((f) => f.path === 'train.jsonl')).toEqual({ path: 'train.jsonl', rows: 2, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    // The CLI names the app version of package.json in the manifest and the card.
    const version = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    expect((JSON.parse(fs.readFileSync(path.join(res.dir, 'manifest.json'), 'utf8')) as { app_version: string }).app_version).toBe(version);
    expect(fs.readFileSync(path.join(res.dir, 'README.md'), 'utf8')).toContain(`app version: ${version}`);

    const bad = await annot('export', '--db', t.dbPath, '--project', '命令行', '--out', out, '--format', 'xml');
    expect(bad.code).toBe(2);

    const dir = freshDir();
    const input = writeFile(dir, 'in.jsonl', jsonl([{ text: '😀电话13812345678吸尘器', entities: [{ start: 14, end: 17, label: '商品' }] }, { text: '无' }]));
    const red = await annot('redact', '--in', input, '--out', path.join(dir, 'out.jsonl'), '--json');
    expect(red.code, red.stderr).toBe(0);
    expect(JSON.parse(red.stdout.trim().split('\n').at(-1)!)).toEqual({ lines: 2, redacted: 1, counts: { mobile: 1 } });
    const [first] = readJsonl(path.join(dir, 'out.jsonl'));
    expect(first!.text).toBe('😀电话[手机号]吸尘器');
    expect(cps(first!.text, first!.entities[0]!.start, first!.entities[0]!.end)).toBe('吸尘器');
  }, 120_000);
});
