import fs from 'node:fs';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { writeAssignment } from '../../../electron/core/packs/assign';
import { mergeResultPacks } from '../../../electron/core/packs/merge';
import { openPack } from '../../../electron/core/packs/open';
import { returnWork } from '../../../electron/core/packs/returnPack';
import { call, count, freshDir } from '../helpers';
import { entryDataRanges, leadProject, workstation, type Workstation } from './helpers';

async function issue(lead: Workstation, projectId: string, names: string[], expiresDays = 14) {
  const ids = names.map(
    (name) =>
      (lead.core.db.prepare('SELECT id FROM annotators WHERE name = ?').pluck().get(name) as string | undefined) ??
      (lead.core.db.prepare("INSERT INTO annotators (id, name, origin, created_at) VALUES (?, ?, 'import', ?) RETURNING id").pluck().get(lead.rt.newId(), name, lead.rt.now().toISOString()) as string),
  );
  return writeAssignment(lead.core.db, lead.rt, lead.signer, { projectId, annotatorIds: ids, overlap: 1, goldShare: 0, filter: 'all', seed: 3, expiresDays }, freshDir('annot-packs-'));
}

async function labelOne(w: Workstation, projectId: string, name: string): Promise<void> {
  const me = w.core.db.prepare('SELECT id FROM annotators WHERE name = ?').pluck().get(name) as string;
  const item = w.core.db.prepare('SELECT item_id FROM received_pack_items ORDER BY local_id LIMIT 1').pluck().get() as string;
  await call(w.core, 'labeling.apply', { projectId, itemId: item, annotatorId: me, changes: [{ kind: 'intents', value: ['投诉'] }, { kind: 'status', value: 'submitted' }] });
}

/** A lead, one pack for 小王 opened and labeled on their workstation, and the result pack. */
async function oneRound() {
  const lead = workstation('lead');
  const projectId = await leadProject(lead, 8, 0);
  const assignment = await issue(lead, projectId, ['小王']);
  const w = workstation('wang');
  openPack(w.core.db, w.rt, fs.readFileSync(assignment.packs[0]!.file), '小王');
  await labelOne(w, projectId, '小王');
  const result = returnWork(w.core.db, w.rt, w.signer, projectId, '小王').bytes;
  return { lead, projectId, assignment, w, result };
}

const events = (lead: Workstation) => count(lead.core.db, 'annotation_events');

describe('packs: what is refused, and nothing written when it is', () => {
  it('a byte changed anywhere in the manifest, the events, the states or the signature is refused; nothing is written', async () => {
    const { lead, result } = await oneRound();
    const before = events(lead);
    const ranges = entryDataRanges(result);
    expect(ranges.map((r) => r.name).sort()).toEqual(['events.jsonl', 'manifest.json', 'states.jsonl']);
    // The signature: the archive's comment, at the very end; and the ZIP directory before it.
    const comment = result.length - (JSON.stringify({ algorithm: 'ed25519' }).length + 140);
    ranges.push({ name: 'signature', start: comment, end: result.length }, { name: 'directory', start: ranges.at(-1)!.end, end: ranges.at(-1)!.end + 60 });
    for (const r of ranges) {
      for (const at of [r.start, Math.floor((r.start + r.end) / 2), r.end - 1]) {
        const bad = result.slice();
        bad[at] = bad[at]! ^ 0x20;
        const merged = mergeResultPacks(lead.core.db, lead.rt, [{ name: `${r.name}@${at}`, bytes: bad }]);
        expect(merged.refused, `${r.name} byte ${at}`).toHaveLength(1);
        expect(merged.merged_events).toBe(0);
      }
    }
    // Re-zipped with a changed event: unsigned now.
    const entries = unzipSync(result);
    const changed = new TextDecoder().decode(entries['events.jsonl']).replace('投诉', '发票');
    const forged = zipSync({ ...entries, 'events.jsonl': strToU8(changed) });
    expect(mergeResultPacks(lead.core.db, lead.rt, [{ name: 'forged', bytes: forged }]).refused[0]!.reason).toContain('does not end in a signed ZIP');
    // Truncated.
    expect(mergeResultPacks(lead.core.db, lead.rt, [{ name: 'cut', bytes: result.slice(0, result.length - 40) }]).refused[0]!.reason).toMatch(/ZIP|signature|changed/);
    expect(events(lead)).toBe(before);
    // The untouched file still merges.
    expect(mergeResultPacks(lead.core.db, lead.rt, [{ name: 'good', bytes: result }])).toMatchObject({ merged_events: 2, refused: [] });
  });

  it('a result pack for a pack another lead issued is foreign; one signed by another key than the annotator’s first is refused', async () => {
    const { lead, projectId, w, result } = await oneRound();
    const otherLead = workstation('other-lead');
    const otherProject = await leadProject(otherLead, 4, 0);
    const foreign = await issue(otherLead, otherProject, ['小王']);
    openPack(w.core.db, w.rt, fs.readFileSync(foreign.packs[0]!.file), '小王');
    const foreignResult = returnWork(w.core.db, w.rt, w.signer, otherProject, '小王').bytes;
    expect(mergeResultPacks(lead.core.db, lead.rt, [{ name: 'foreign', bytes: foreignResult }]).refused[0]!.reason).toContain('not issued from this workstation');
    expect(mergeResultPacks(lead.core.db, lead.rt, [{ name: 'good', bytes: result }]).refused).toEqual([]);
    // The same work signed with another key (another machine): 小王's key is bound now.
    const impostor = workstation('impostor');
    const signed = returnWork(w.core.db, w.rt, impostor.signer, projectId, '小王').bytes;
    const before = events(lead);
    const r = mergeResultPacks(lead.core.db, lead.rt, [{ name: 'impostor', bytes: signed }]);
    expect(r.refused[0]!.reason).toMatch(/signed by key .* but 小王's result packs are signed by key/);
    expect(events(lead)).toBe(before);
  });

  it('an expired pack cannot be opened; work signed after the expiry is refused; work made in time but merged late is kept and marked late', async () => {
    const lead = workstation('lead');
    const projectId = await leadProject(lead, 6, 0);
    const assignment = await issue(lead, projectId, ['小王', '小李'], 2);
    const late = workstation('late');
    late.rt.set(new Date(lead.rt.now().getTime() + 3 * 86_400_000));
    expect(() => openPack(late.core.db, late.rt, fs.readFileSync(assignment.packs[0]!.file), '小王')).toThrow(/expired/);

    const wang = workstation('wang');
    openPack(wang.core.db, wang.rt, fs.readFileSync(assignment.packs[0]!.file), '小王');
    await labelOne(wang, projectId, '小王');
    wang.rt.advanceDays(3);
    const tooLate = returnWork(wang.core.db, wang.rt, wang.signer, projectId, '小王').bytes;
    expect(mergeResultPacks(lead.core.db, lead.rt, [{ name: 'too-late', bytes: tooLate }]).refused[0]!.reason).toMatch(/after pack .* expired/);

    const li = workstation('li');
    openPack(li.core.db, li.rt, fs.readFileSync(assignment.packs[1]!.file), '小李');
    await labelOne(li, projectId, '小李');
    const inTime = returnWork(li.core.db, li.rt, li.signer, projectId, '小李').bytes;
    lead.rt.advanceDays(5);
    const merged = mergeResultPacks(lead.core.db, lead.rt, [{ name: 'in-time', bytes: inTime }]);
    expect(merged).toMatchObject({ merged_events: 2, refused: [], packs: [{ late: true }] });
    expect(lead.core.db.prepare('SELECT late FROM result_packs').pluck().all()).toEqual([1]);
  });

  it('a pack for someone else is refused; a pack of the same project signed by another key than the first is refused', async () => {
    const lead = workstation('lead');
    const projectId = await leadProject(lead, 6, 0);
    const assignment = await issue(lead, projectId, ['小王']);
    const w = workstation('wang');
    expect(() => openPack(w.core.db, w.rt, fs.readFileSync(assignment.packs[0]!.file), '小李')).toThrow(/made for 小王, not 小李/);
    openPack(w.core.db, w.rt, fs.readFileSync(assignment.packs[0]!.file), '小王');
    // Someone else's key signs a pack claiming the same project.
    const rogue = workstation('rogue');
    const rogueProject = await leadProject(rogue, 3, 0);
    rogue.core.db.prepare('PRAGMA foreign_keys = OFF').run();
    rogue.core.db.prepare('UPDATE items SET project_id = ? WHERE project_id = ?').run(projectId, rogueProject);
    rogue.core.db.prepare('UPDATE label_schemas SET project_id = ? WHERE project_id = ?').run(projectId, rogueProject);
    rogue.core.db.prepare('UPDATE projects SET id = ? WHERE id = ?').run(projectId, rogueProject);
    const fake = await issue(rogue, projectId, ['小王']);
    const itemsBefore = count(w.core.db, 'items');
    expect(() => openPack(w.core.db, w.rt, fs.readFileSync(fake.packs[0]!.file), '小王')).toThrow(/did not come from your lead/);
    expect(count(w.core.db, 'items')).toBe(itemsBefore);
  });
});
