import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { Worker } from 'node:worker_threads';
import { createCore } from '../../../electron/core';
import { WriteGate } from '../../../electron/core/db/writeGate';
import { JobPool } from '../../../electron/core/jobs/jobPool';
import { CoreClient } from '../../../electron/core/threads/coreClient';
import { fillProject } from '../../bench/million';
import type { Result } from '../../../shared/contract/errors';
import type { ImportStatus, ItemPage } from '../../../shared/contract/schemas';
import type { ProjectReport } from '../../../shared/contract/reports';
import { freshDir, jsonl } from '../helpers';

function value<T>(r: Result<unknown>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

async function started(dir: string): Promise<CoreClient> {
  const client = await CoreClient.start({ dbPath: join(dir, 'app.db') });
  onTestFinished(() => client.close());
  return client;
}

async function importThrough(client: CoreClient, projectId: string, file: string): Promise<ImportStatus> {
  const token = await client.grant(file, 'import');
  let s = value<ImportStatus>(await client.dispatch('imports.start', { projectId, fileToken: token, format: 'jsonl', onBadLines: 'abort' }));
  while (s.state === 'running') {
    await new Promise((resolve) => setTimeout(resolve, 20));
    s = value<ImportStatus>(await client.dispatch('imports.get', { importId: s.id }));
  }
  return s;
}

describe('the core on its own thread, long channels on job threads (the app boundary)', () => {
  it('imports, searches and reports through job threads while the core thread keeps answering', async () => {
    const dir = freshDir();
    const client = await started(dir);
    const project = value<{ id: string }>(await client.dispatch('projects.create', { name: '线程' }));
    const file = join(dir, 'team.jsonl');
    const rows = Array.from({ length: 400 }, (_, i) => [
      { text: `第${i}条：订单到哪了`, intent: i % 3 ? '查询订单' : '投诉', annotator: '甲' },
      { text: `第${i}条：订单到哪了`, intent: i % 4 ? '查询订单' : '投诉', annotator: '乙' },
    ]).flat();
    writeFileSync(file, jsonl(rows));
    const imported = await importThrough(client, project.id, file);
    expect(imported).toMatchObject({ state: 'committed', imported: 400, duplicates: 400, annotations: 800 });

    const page = value<ItemPage>(await client.dispatch('items.list', { projectId: project.id, search: '第12' }));
    expect(page.total).toBe(11);
    const report = value<ProjectReport>(await client.dispatch('reports.project', { projectId: project.id }));
    expect(report.totals.annotations).toBe(800);
    // The token was spent by the import.
    const again = await client.dispatch('imports.inspect', { fileToken: await client.grant(file, 'model-folder') });
    expect(again).toMatchObject({ ok: false, error: { code: 'FILE_NOT_GRANTED' } });
  });

  it('a job thread that dies mid-call fails that call clearly, frees the write gate, and the next call starts a new one', async () => {
    const dir = freshDir();
    const dbPath = join(dir, 'jobs.db');
    const setup = createCore({ dbPath });
    const project = value<{ id: string }>(await setup.dispatch('projects.create', { name: '中断' }));
    fillProject(setup.db, project.id, 200_000);
    setup.close();
    const gate = new WriteGate();
    const pool = new JobPool({ dbPath, gate, onEvent: () => {}, onInternalError: () => {} });
    onTestFinished(() => pool.close());
    const thread = (pool as unknown as { thread(lane: string): { worker: Worker | null } }).thread('reader');
    await pool.wake('reader');
    // A search over 200,000 items runs for a while on the reader thread: stop the thread in the middle of it.
    const search = pool.forward('reader', 'items.list', { projectId: project.id, offset: 0, limit: 10, search: '没有这个词' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    await thread.worker!.terminate();
    await expect(search).rejects.toMatchObject({ code: 'INTERNAL', message: expect.stringMatching(/the reader job thread stopped/) });
    expect(gate.interactiveWaiting()).toBe(false);
    const page = await pool.call('reader', 'items.list', { projectId: project.id, offset: 0, limit: 10, search: '#7' });
    expect(page.total).toBeGreaterThan(0);
  });

  it('a core thread that stops fails its pending calls with a clear error and starts again on the next call', async () => {
    const dir = freshDir();
    const client = await started(dir);
    value(await client.dispatch('projects.create', { name: '重启' }));
    const internals = client as unknown as { worker: Worker };
    const pending = client.dispatch('projects.list', {});
    await internals.worker.terminate();
    const failed = await pending;
    expect(failed.ok).toBe(false);
    if (!failed.ok) expect(failed.error.message).toMatch(/the core stopped/);
    const after = value<{ name: string }[]>(await client.dispatch('projects.list', {}));
    expect(after.map((p) => p.name)).toEqual(['重启']);
  });

  it('refuses a forged or reused token with FILE_NOT_GRANTED before touching the file', async () => {
    const dir = freshDir();
    const client = await started(dir);
    const project = value<{ id: string }>(await client.dispatch('projects.create', { name: '伪造' }));
    const file = join(dir, 'a.jsonl');
    writeFileSync(file, jsonl([{ text: '一' }]));
    for (const input of [
      { fileToken: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' },
      { fileToken: await client.grant(file, 'model-folder') },
    ]) {
      expect(await client.dispatch('imports.inspect', input)).toMatchObject({ ok: false, error: { code: 'FILE_NOT_GRANTED' } });
    }
    expect(await client.dispatch('imports.start', { projectId: project.id, filePath: file, format: 'jsonl' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' },
    });
    expect(value<ItemPage>(await client.dispatch('items.list', { projectId: project.id })).total).toBe(0);
  });
});
