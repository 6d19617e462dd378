import { describe, expect, it } from 'vitest';
import { freshDir, jsonl, writeFile } from './helpers';
import { annot, decisionsIn, INTENTS, labelingDb, lastJson } from './db-helpers';

const json = lastJson;

/**
 * The CLI next to the running app (WAL: readers never wait for the writer, writers wait their
 * turn): the app labels through core.dispatch without a pause while `annot import`, `stats` and
 * `report` run as separate processes on the same file. Everyone succeeds and no decision is lost.
 */
describe('annot next to a running app', () => {
  it('imports, stats and reports while the app labels; both sides succeed and nothing is lost', async () => {
    const dir = freshDir();
    const app = await labelingDb(dir, 400);
    const before = decisionsIn(app.dbPath).length;
    const rows = Array.from({ length: 3000 }, (_, i) => ({
      text: `外部导入第${i}条：发票怎么开`,
      intent: INTENTS[i % INTENTS.length],
      annotator: '外包',
    }));
    const file = writeFile(dir, 'cli.jsonl', jsonl(rows));

    let applied = 0;
    let importEvents = 0;
    const failures: unknown[] = [];
    let labeling = true;
    const labeler = (async () => {
      for (let i = 0; labeling; i++) {
        const r = await app.core.dispatch('labeling.apply', {
          projectId: app.project.id,
          itemId: app.itemIds[i % app.itemIds.length],
          annotatorId: app.annotator.id,
          changes: [{ kind: 'intents', value: [INTENTS[i % INTENTS.length]] }],
        });
        if (r.ok) applied++;
        else failures.push(r.error);
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    })();

    try {
      const imported = await annot('import', '--db', app.dbPath, '--project', '外部', '--file', file, '--json');
      expect(imported.code, imported.stderr).toBe(0);
      expect(json(imported)).toMatchObject({ state: 'committed', imported: 3000, annotations: 3000, errors: [] });
      const appliedDuringImport = applied;
      const [stats, report] = await Promise.all([
        annot('stats', '--db', app.dbPath, '--project', '外部', '--json'),
        annot('report', '--db', app.dbPath, '--project', '售后', '--json'),
      ]);
      expect(stats.code, stats.stderr).toBe(0);
      expect(json(stats)).toMatchObject({ items: 3000, annotations: 3000, annotators: 1 });
      importEvents = json<{ events: number }>(stats).events;
      expect(report.code, report.stderr).toBe(0);
      expect(json<{ totals: { annotations: number } }>(report).totals.annotations).toBeGreaterThan(0);
      expect(appliedDuringImport).toBeGreaterThan(20);
    } finally {
      labeling = false;
      await labeler;
    }
    expect(failures).toEqual([]);
    // Every acknowledged decision is in the file, one event each, and the import with it.
    expect(importEvents).toBeGreaterThanOrEqual(3000);
    expect(decisionsIn(app.dbPath).length).toBe(before + applied + importEvents);
    const after = await annot('stats', '--db', app.dbPath, '--project', '售后', '--json');
    expect(after.code, after.stderr).toBe(0);
    expect(json(after)).toMatchObject({ items: 400, annotations: Math.min(applied, 400), events: before + applied });
  });
});
