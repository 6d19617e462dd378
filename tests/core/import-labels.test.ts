import { describe, expect, it } from 'vitest';
import type { ImportStatus, ProjectDetail } from '../../shared/contract/schemas';
import { call, jsonl, runImport, setup, writeFile } from './helpers';

describe('imported label names take the form the label schema stores', () => {
  it('trims them, so " 积极" is the schema\'s 积极 and not a second level', async () => {
    const { core, dir, project } = await setup();
    const file = writeFile(dir, 'spaces.jsonl', jsonl([{ text: '好评', sentiment: ' 积极 ', annotator: 'a' }, { text: '差评', sentiment: '消极\t', annotator: 'a' }]));
    const s = await runImport(core, project.id, file, 'jsonl');
    expect(s).toMatchObject({ state: 'committed', imported: 2, newLabels: [] });
    expect(core.db.prepare('SELECT sentiment FROM annotations ORDER BY sentiment').pluck(true).all()).toEqual(['消极', '积极']);
  });

  it('reports a name no schema can take (too long) as a bad line with its reason', async () => {
    const { core, dir, project } = await setup();
    const file = writeFile(dir, 'long.jsonl', jsonl([{ text: '一', intent: '长'.repeat(150) }, { text: '二', intent: '查询订单' }]));
    const s = await runImport(core, project.id, file, 'jsonl', { onBadLines: 'skip' });
    expect(s).toMatchObject({ state: 'committed', imported: 1, badLines: 1 });
    expect(s.errors).toEqual([{ line: 1, reason: expect.stringMatching(/longer than a label name can be/) }]);
  });

  it('adds only the labels the schema still lacks when someone edited it while the file was read', async () => {
    const { core, dir, project } = await setup();
    const file = writeFile(dir, 'new.jsonl', `${jsonl([{ text: '一', intent: '新意图', annotator: 'a' }])}{"text": \n`);
    const s = await runImport(core, project.id, file, 'jsonl', { onBadLines: 'ask' });
    expect(s).toMatchObject({ state: 'needs-decision', newLabels: ['intents:新意图'] });
    // Meanwhile the lead adds the same intent by hand.
    const detail = await call<ProjectDetail>(core, 'projects.get', { projectId: project.id });
    const schema = { ...detail.schema, intents: { ...detail.schema.intents, labels: [{ name: '新意图' }, ...detail.schema.intents.labels] } };
    await call(core, 'projects.updateSchema', { projectId: project.id, schema });
    await call<ImportStatus>(core, 'imports.decide', { importId: s.id, decision: 'import-good' });
    expect(await core.imports.waitFor(s.id)).toMatchObject({ state: 'committed', imported: 1, annotations: 1 });
    const after = await call<ProjectDetail>(core, 'projects.get', { projectId: project.id });
    expect(after.schema.intents.labels.filter((l) => l.name === '新意图')).toHaveLength(1);
  });
});
