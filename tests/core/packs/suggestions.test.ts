import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assignmentAnnotators, writeAssignment } from '../../../electron/core/packs/assign';
import { openPack } from '../../../electron/core/packs/open';
import { writeTransaction } from '../../../electron/core/db/write';
import { freshDir } from '../helpers';
import { leadProject, workstation, zipEntries } from './helpers';

describe('packs: model suggestions', () => {
  it('only from head versions whose training set held no gold item, on gold and other items alike', async () => {
    const lead = workstation('lead');
    const before = new Date(lead.rt.now().getTime() - 60_000).toISOString();
    const projectId = await leadProject(lead, 6, 2);
    const after = new Date(lead.rt.now().getTime() + 60_000).toISOString();
    const version = lead.core.db.prepare(
      "INSERT INTO model_versions (id, project_id, task, version, kind, embedder, params_json, trained_on, created_at) VALUES (?, ?, 'intents', ?, 'logreg', 'test', '{}', 0, ?)",
    );
    version.run(lead.rt.newId(), projectId, 1, before); // trained before the gold answers came in
    version.run(lead.rt.newId(), projectId, 2, after); // trained on them
    const suggest = lead.core.db.prepare("INSERT INTO suggestions (id, item_id, kind, value_json, score, model_version, created_at) VALUES (?, ?, 'intents', ?, 0.9, ?, ?)");
    for (const id of lead.core.db.prepare('SELECT id FROM items WHERE project_id = ?').pluck().all(projectId) as string[]) {
      suggest.run(lead.rt.newId(), id, '["投诉"]', 'intents@v1', after);
      suggest.run(lead.rt.newId(), id, '["发票"]', 'intents@v2', after);
    }
    const ids = writeTransaction(lead.core.db, () => assignmentAnnotators(lead.core.db, lead.rt, ['小王']));
    const result = writeAssignment(
      lead.core.db,
      lead.rt,
      lead.signer,
      { projectId, annotatorIds: ids, overlap: 1, goldShare: 0.25, filter: 'all', seed: 1, expiresDays: 7, suggestions: true },
      freshDir('annot-packs-'),
    );
    const pack = result.packs[0]!;
    expect(pack.gold).toBe(2);
    const lines = zipEntries(fs.readFileSync(pack.file))['suggestions.jsonl']!.trim().split('\n').map((l) => JSON.parse(l) as { item: number; model: string; value: unknown });
    expect(lines).toHaveLength(pack.items);
    expect(new Set(lines.map((l) => l.model))).toEqual(new Set(['intents@v1']));
    expect(new Set(lines.map((l) => l.item)).size).toBe(pack.items);

    const w = workstation('wang');
    openPack(w.core.db, w.rt, fs.readFileSync(pack.file), '小王');
    const shown = w.core.db.prepare("SELECT count(*) FROM suggestions WHERE model_version = 'lead:intents@v1' AND value_json = '[\"投诉\"]'").pluck().get();
    expect(shown).toBe(pack.items);
  });
});
