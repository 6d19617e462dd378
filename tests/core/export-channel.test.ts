import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ExportOptionsInfo, ExportStatus, RedactionPreview } from '../../shared/contract/export';
import { call, createProject, fileToken, freshDir, jsonl, openCore, runImport, writeFile } from './helpers';

const ROWS = [
  { text: '我的订单到哪了，电话13812345678', intent: '查询订单', annotator: 'a', meta: { dialogue_id: 'd1', channel: 'app' } },
  { text: '怎么退货', intent: '退换货', annotator: 'a', meta: { dialogue_id: 'd2', channel: 'web' } },
  { text: '发票开错了', intent: '发票', annotator: 'a', meta: { dialogue_id: 'd3', channel: 'app' } },
];

async function project() {
  const t = openCore();
  const p = await createProject(t.core, '导出');
  const status = await runImport(t.core, p.id, writeFile(t.dir, 'items.jsonl', jsonl(ROWS)), 'jsonl');
  expect(status.state).toBe('committed');
  return { ...t, project: p };
}

describe('export channels', () => {
  it('export.start writes a bundle into the granted folder; progress, manifest and the system prompt setting come back', async () => {
    const { core, project: p } = await project();
    const out = freshDir('annot-export-out-');
    const started = await call<ExportStatus>(core, 'export.start', {
      projectId: p.id,
      folderToken: fileToken(core, out, 'export-folder'),
      formats: ['hf-jsonl', 'csv', 'chat-openai'],
      labels: 'consensus',
      redact: 'placeholder',
      systemPrompt: '你是客服意图识别助手',
      metaFields: ['channel'],
    });
    expect(started.state).toBe('running');
    const done = await core.exports.waitFor(started.id);
    expect(done.error).toBeNull();
    expect(done.state).toBe('done');
    expect(done.result!.items).toBe(3);
    expect(done.result!.redaction).toMatchObject({ mobile: 1 });
    const data = done.result!.files.find((f) => f.path === 'data.jsonl')!;
    expect(data.rows).toBe(3);
    const bundle = path.join(out, done.result!.folder);
    expect(fs.readdirSync(out)).toEqual([done.result!.folder]);
    const lines = fs.readFileSync(path.join(bundle, 'data.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { text: string; intent: string; channel?: string });
    expect(lines.map((l) => l.intent)).toEqual(['查询订单', '退换货', '发票']);
    expect(lines[0]!.text).toBe('我的订单到哪了，电话[手机号]');
    expect(lines[0]!.channel).toBe('app');
    const manifest = JSON.parse(fs.readFileSync(path.join(bundle, 'manifest.json'), 'utf8')) as { files: { path: string }[] };
    expect(manifest.files.map((f) => f.path)).toEqual(expect.arrayContaining(['data.jsonl', 'data.csv', 'README.md']));
    const chat = JSON.parse(fs.readFileSync(path.join(bundle, fs.readdirSync(bundle).find((f) => f.includes('chat'))!), 'utf8').split('\n')[0]!) as {
      messages: { role: string; content: string }[];
    };
    expect(chat.messages[0]).toEqual({ role: 'system', content: '你是客服意图识别助手' });

    const options = await call<ExportOptionsInfo>(core, 'export.options', { projectId: p.id });
    expect(options).toMatchObject({ systemPrompt: '你是客服意图识别助手', items: 3, gold: 0 });
    expect(options.metaFields).toEqual(expect.arrayContaining(['channel', 'dialogue_id']));
    expect((await call<ExportStatus>(core, 'export.get', { exportId: started.id })).state).toBe('done');
    // The token was spent: the same folder cannot be written again without the dialog.
    const again = await core.dispatch('export.start', { projectId: p.id, folderToken: 'x'.repeat(32), formats: ['hf-jsonl'] });
    expect(again).toMatchObject({ ok: false, error: { code: 'FILE_NOT_GRANTED' } });
  });

  it('export.cancel stops the export and leaves nothing in the folder', async () => {
    const { core, project: p } = await project();
    const out = freshDir('annot-export-out-');
    const started = await call<ExportStatus>(core, 'export.start', {
      projectId: p.id,
      folderToken: fileToken(core, out, 'export-folder'),
      formats: ['hf-jsonl', 'parquet', 'conll'],
      labels: 'consensus',
    });
    const cancelled = await call<ExportStatus>(core, 'export.cancel', { exportId: started.id });
    expect(cancelled.state).toBe('cancelled');
    expect(cancelled.result).toBeNull();
    expect(fs.readdirSync(out)).toEqual([]);
  });

  it('a folder token for another purpose is refused and nothing is written', async () => {
    const { core, project: p } = await project();
    const out = freshDir('annot-export-out-');
    const r = await core.dispatch('export.start', { projectId: p.id, folderToken: fileToken(core, out, 'model-folder'), formats: ['hf-jsonl'] });
    expect(r).toMatchObject({ ok: false, error: { code: 'FILE_NOT_GRANTED' } });
    expect(fs.readdirSync(out)).toEqual([]);
  });

  it('bad split shares are refused; the adjudicated policy with nothing adjudicated exports zero items, each counted', async () => {
    const { core, project: p } = await project();
    const out = freshDir('annot-export-out-');
    const bad = await core.dispatch('export.start', { projectId: p.id, folderToken: fileToken(core, out, 'export-folder'), formats: ['hf-jsonl'], splits: [0, 0, 0] });
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    const started = await call<ExportStatus>(core, 'export.start', {
      projectId: p.id,
      folderToken: fileToken(core, out, 'export-folder'),
      formats: ['hf-jsonl'],
      labels: 'adjudicated',
    });
    const done = await core.exports.waitFor(started.id);
    expect(done.state).toBe('done');
    expect(done.result!.items).toBe(0);
    expect(done.result!.excluded).toMatchObject({ unresolved: 3 });
  });

  it('export.preview shows real items with personal data before and after redaction', async () => {
    const { core, project: p } = await project();
    const preview = await call<RedactionPreview>(core, 'export.preview', { projectId: p.id, mode: 'mask' });
    expect(preview.scanned).toBe(3);
    expect(preview.items).toEqual([expect.objectContaining({ before: ROWS[0]!.text, after: '我的订单到哪了，电话138****5678', types: ['mobile'] })]);
  });
});
