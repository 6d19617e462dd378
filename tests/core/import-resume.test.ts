import { existsSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core';
import { stagingDir } from '../../electron/core/services/importStaging';
import type { ImportStatus } from '../../shared/contract/schemas';
import { count, freshDir, jsonl, writeFile } from './helpers';

const LINES = 6000;

function teamFile(dir: string, name = 'team.jsonl'): string {
  const rows = Array.from({ length: LINES }, (_, i) =>
    i % 2 ? { text: `第${i}行：快递到哪了`, intent: i % 3 ? '查询订单' : '投诉', annotator: `标注员${i % 3}` } : { text: `第${i}行：快递到哪了` },
  );
  return writeFile(dir, name, jsonl(rows));
}

/** Starts an import and stops the service after its first committed chunks, as closing the app would. */
async function interruptedCommit(dbPath: string, file: string): Promise<{ importId: string; projectId: string; itemsThen: number }> {
  let core: Core | null = null;
  let stopping: Promise<void> | null = null;
  core = createCore({
    dbPath,
    emit: (event, payload) => {
      const s = payload as ImportStatus;
      if (event === 'imports.progress' && s.phase === 'committing' && s.committedRows > 0 && !stopping) stopping = core!.imports.settle();
    },
  });
  const project = (await core.dispatch('projects.create', { name: '续传' })) as { ok: true; value: { id: string } };
  const started = core.imports.start({ projectId: project.value.id, filePath: file, format: 'jsonl', onBadLines: 'abort' });
  await core.imports.waitFor(started.id);
  await stopping;
  const itemsThen = count(core.db, 'items');
  core.close();
  return { importId: started.id, projectId: project.value.id, itemsThen };
}

describe('an import cut off while committing is finished at the next start', () => {
  it('resumes from its staging file: every item and label once, in file order, and the staging file goes', async () => {
    const dir = freshDir();
    const dbPath = join(dir, 'resume.db');
    const file = teamFile(dir);
    const { importId, projectId, itemsThen } = await interruptedCommit(dbPath, file);
    expect(itemsThen).toBeGreaterThan(0);
    expect(itemsThen).toBeLessThan(LINES);

    const core = createCore({ dbPath });
    try {
      expect(count(core.db, 'import_commits')).toBe(1);
      expect(await core.imports.resumeInterrupted()).toEqual([importId]);
      const status = core.imports.get(importId);
      expect(status).toMatchObject({ state: 'committed', imported: LINES, annotations: LINES / 2 });
      expect(count(core.db, 'items')).toBe(LINES);
      expect(count(core.db, 'import_commits')).toBe(0);
      const ords = core.db.prepare('SELECT ord, source_line FROM items WHERE project_id = ? ORDER BY ord').all(projectId) as { ord: number; source_line: number }[];
      expect(ords.every((r, i) => r.ord === i + 1 && r.source_line === i + 1)).toBe(true);
      expect(count(core.db, 'annotations')).toBe(LINES / 2);
      expect(readdirSync(stagingDir(dbPath))).toEqual([]);
      // Importing the same file again adds nothing.
      const again = await core.imports.run({ projectId, filePath: file, format: 'jsonl', onBadLines: 'abort' });
      expect(again).toMatchObject({ state: 'committed', imported: 0, duplicates: LINES, annotations: 0 });
    } finally {
      core.close();
    }
  });

  it('without its staging file it says how far it got, and importing the file again adds exactly the rest', async () => {
    const dir = freshDir();
    const dbPath = join(dir, 'lost.db');
    const file = teamFile(dir);
    const { importId, projectId, itemsThen } = await interruptedCommit(dbPath, file);
    for (const name of readdirSync(stagingDir(dbPath))) renameSync(join(stagingDir(dbPath), name), join(dir, `moved-${name}`));

    const core = createCore({ dbPath });
    try {
      await core.imports.resumeInterrupted();
      const status = core.imports.get(importId);
      expect(status.state).toBe('failed');
      expect(status.fatal).toMatchObject({ kind: 'interrupted', reason: expect.stringMatching(new RegExp(`${itemsThen} new items were written`)) });
      expect(count(core.db, 'import_commits')).toBe(0);
      const rest = await core.imports.run({ projectId, filePath: file, format: 'jsonl', onBadLines: 'abort' });
      expect(rest).toMatchObject({ state: 'committed', imported: LINES - itemsThen, duplicates: itemsThen });
      expect(count(core.db, 'items')).toBe(LINES);
    } finally {
      core.close();
    }
  });

  it('removes staging files of dead processes that no commit refers to, and keeps a live one', async () => {
    const dir = freshDir();
    const dbPath = join(dir, 'orphans.db');
    const core = createCore({ dbPath });
    try {
      const staging = stagingDir(dbPath);
      const { mkdirSync } = await import('node:fs');
      mkdirSync(staging, { recursive: true });
      const dead = join(staging, '01JDEADDEADDEADDEADDEADDEA.999999.db');
      const live = join(staging, `01JLIVELIVELIVELIVELIVELIV.${process.ppid}.db`);
      writeFileSync(dead, 'partial');
      writeFileSync(live, 'another process is reading this one');
      await core.imports.resumeInterrupted();
      expect(existsSync(dead)).toBe(false);
      expect(existsSync(live)).toBe(true);
    } finally {
      core.close();
    }
  });

  it('two imports of overlapping files into one project commit one after the other: no item twice', async () => {
    const dir = freshDir();
    const core = createCore({ dbPath: join(dir, 'two.db') });
    try {
      const project = (await core.dispatch('projects.create', { name: '并发' })) as { ok: true; value: { id: string } };
      const a = writeFile(dir, 'a.jsonl', jsonl(Array.from({ length: 3000 }, (_, i) => ({ text: `文本${i}` }))));
      const b = writeFile(dir, 'b.jsonl', jsonl(Array.from({ length: 3000 }, (_, i) => ({ text: `文本${i + 1500}` }))));
      const [sa, sb] = await Promise.all([
        core.imports.run({ projectId: project.value.id, filePath: a, format: 'jsonl', onBadLines: 'abort' }),
        core.imports.run({ projectId: project.value.id, filePath: b, format: 'jsonl', onBadLines: 'abort' }),
      ]);
      expect(sa.state).toBe('committed');
      expect(sb.state).toBe('committed');
      expect(sa.imported + sb.imported).toBe(4500);
      expect(count(core.db, 'items')).toBe(4500);
      expect(core.db.prepare('SELECT count(DISTINCT text) FROM items').pluck(true).get()).toBe(4500);
      const ords = core.db.prepare('SELECT ord FROM items ORDER BY ord').pluck(true).all() as number[];
      expect(ords).toEqual(Array.from({ length: 4500 }, (_, i) => i + 1));
    } finally {
      core.close();
    }
  });
});
