import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assignmentAnnotators, writeAssignment } from '../../../electron/core/packs/assign';
import { reissuePack, topUpDisputed } from '../../../electron/core/packs/followUp';
import { mergeResultPacks } from '../../../electron/core/packs/merge';
import { openPack } from '../../../electron/core/packs/open';
import { returnWork } from '../../../electron/core/packs/returnPack';
import { writeTransaction } from '../../../electron/core/db/write';
import { call, freshDir } from '../helpers';
import { leadProject, workstation, zipEntries, type Workstation } from './helpers';

/** On an annotator's workstation: opens the pack, gives `intent` to its first `n` items, returns the result pack. */
async function work(name: string, pack: string, n: number, intent: (text: string) => string) {
  const w = workstation(name);
  const opened = openPack(w.core.db, w.rt, fs.readFileSync(pack), name);
  const me = w.core.db.prepare('SELECT id FROM annotators WHERE name = ?').pluck().get(name) as string;
  const items = w.core.db.prepare('SELECT i.id, i.text FROM received_pack_items r JOIN items i ON i.id = r.item_id ORDER BY r.local_id LIMIT ?').all(n) as { id: string; text: string }[];
  for (const it of items) {
    await call(w.core, 'labeling.apply', { projectId: opened.projectId, itemId: it.id, annotatorId: me, changes: [{ kind: 'intents', value: [intent(it.text)] }, { kind: 'status', value: 'submitted' }] });
  }
  return { name, bytes: returnWork(w.core.db, w.rt, w.signer, opened.projectId, name).bytes };
}

function assign(lead: Workstation, projectId: string, names: string[], overlap: number, expiresDays = 14) {
  const ids = writeTransaction(lead.core.db, () => assignmentAnnotators(lead.core.db, lead.rt, names));
  return { ids, result: writeAssignment(lead.core.db, lead.rt, lead.signer, { projectId, annotatorIds: ids, overlap, goldShare: 0, filter: 'all', seed: 2, expiresDays }, freshDir('annot-packs-')) };
}

describe('packs: reissue and top-up', () => {
  it('the unreturned items of an expired pack go to another annotator who has not seen them', async () => {
    const lead = workstation('lead');
    const projectId = await leadProject(lead, 12, 0);
    const { ids, result } = assign(lead, projectId, ['甲', '乙', '丙'], 1, 2);
    const [a, , c] = ids;
    const jia = await work('甲', result.packs[0]!.file, 2, () => '投诉');
    expect(mergeResultPacks(lead.core.db, lead.rt, [jia]).refused).toEqual([]);
    const packId = lead.core.db.prepare('SELECT id FROM packs WHERE annotator_id = ?').pluck().get(a) as string;
    expect(() => reissuePack(lead.core.db, lead.rt, lead.signer, { packId, annotatorId: c!, expiresDays: 7 }, freshDir())).toThrow(/not expired/);
    lead.rt.advanceDays(3);
    const out = freshDir('annot-reissue-');
    const reissued = reissuePack(lead.core.db, lead.rt, lead.signer, { packId, annotatorId: c!, expiresDays: 7 }, out);
    expect(reissued).toMatchObject({ annotator: '丙', items: 2, gold: 0 });
    const texts = zipEntries(fs.readFileSync(reissued.file))['items.jsonl']!.trim().split('\n').map((l) => (JSON.parse(l) as { text: string }).text);
    const unreturned = lead.core.db
      .prepare(
        `SELECT i.text FROM pack_items pi JOIN items i ON i.id = pi.item_id WHERE pi.pack_id = ?
           AND NOT EXISTS (SELECT 1 FROM annotations n WHERE n.item_id = pi.item_id AND n.annotator_id = ? AND n.status = 'submitted')`,
      )
      .pluck()
      .all(packId, a) as string[];
    expect(texts.sort()).toEqual(unreturned.sort());
    expect(lead.core.db.prepare('SELECT reissue_of FROM packs WHERE annotator_id = ? ORDER BY issued_at DESC LIMIT 1').pluck().get(c)).toBe(packId);
  });

  it('items the annotators disagree on go to one more annotator who has not seen them', async () => {
    const lead = workstation('lead');
    const projectId = await leadProject(lead, 9, 0);
    const { ids, result } = assign(lead, projectId, ['甲', '乙', '丙'], 2);
    // 甲 always says 投诉; 乙 and 丙 say 投诉 only for texts of even length: they disagree with 甲 elsewhere.
    const rule = (name: string) => (text: string) => (name === '甲' || text.length % 2 === 0 ? '投诉' : '发票');
    const results = await Promise.all(result.packs.map((p) => work(p.annotator, p.file, 100, rule(p.annotator))));
    expect(mergeResultPacks(lead.core.db, lead.rt, results).refused).toEqual([]);
    const disputed = lead.core.db
      .prepare("SELECT item_id FROM annotations WHERE status = 'submitted' GROUP BY item_id HAVING count(DISTINCT intents_json) > 1")
      .pluck()
      .all() as string[];
    expect(disputed.length).toBeGreaterThan(0);
    const packs = topUpDisputed(lead.core.db, lead.rt, lead.signer, { assignmentId: result.assignment, annotatorIds: ids, expiresDays: 7 }, freshDir('annot-topup-'));
    expect(packs.reduce((s, p) => s + p.items, 0)).toBe(disputed.length);
    // Each disputed item went to the one annotator of the three who had not had it.
    for (const item of disputed) {
      const holders = lead.core.db.prepare('SELECT p.annotator_id FROM pack_items pi JOIN packs p ON p.id = pi.pack_id WHERE pi.item_id = ?').pluck().all(item) as string[];
      expect(new Set(holders).size).toBe(3);
    }
  });
});
