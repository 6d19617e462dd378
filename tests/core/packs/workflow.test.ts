import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../electron/core';
import { writeAssignment, type AssignmentResult } from '../../../electron/core/packs/assign';
import { mergeResultPacks, type MergeFile } from '../../../electron/core/packs/merge';
import { openPack } from '../../../electron/core/packs/open';
import { returnWork } from '../../../electron/core/packs/returnPack';
import type { ProjectReport } from '../../../shared/contract/reports';
import { saveQualitySettings } from '../../../electron/core/services/reports/qualitySettings';
import { call, freshDir } from '../helpers';
import { INTENTS, leadProject, workstation, zipEntries, type Workstation } from './helpers';

const TEAM = ['小王', '小李', '小张'];

/** What an annotator answers: the right intent for gold items, except `wrongOnGold`; a fixed rule for the rest. */
async function labelAll(w: Workstation, projectId: string, annotator: string, wrongOnGold: boolean, limit = Infinity): Promise<number> {
  const me = w.core.db.prepare('SELECT id FROM annotators WHERE name = ?').pluck().get(annotator) as string;
  const items = w.core.db
    .prepare('SELECT i.id, i.text FROM received_pack_items r JOIN items i ON i.id = r.item_id ORDER BY r.local_id')
    .all() as { id: string; text: string }[];
  let n = 0;
  for (const item of items) {
    if (n >= limit) break;
    const already = w.core.db.prepare("SELECT 1 FROM annotations WHERE item_id = ? AND annotator_id = ? AND status = 'submitted'").pluck().get(item.id, me);
    if (already) continue;
    const gold = /^考核题(\d+)/.exec(item.text);
    const right = gold ? INTENTS[(Number(gold[1]) - 1) % INTENTS.length]! : INTENTS[item.text.length % INTENTS.length]!;
    const intent = gold && wrongOnGold ? INTENTS[(INTENTS.indexOf(right) + 1) % INTENTS.length]! : right;
    w.rt.advanceDays(0.001);
    await call(w.core, 'labeling.apply', { projectId, itemId: item.id, annotatorId: me, changes: [{ kind: 'intents', value: [intent] }, { kind: 'status', value: 'submitted' }] });
    n++;
  }
  return n;
}

/** The lead's database as logical rows: what must be equal whatever the order of merges. */
function logicalState(core: Core): unknown {
  const all = (sql: string) => core.db.prepare(sql).all();
  return {
    events: all(
      'SELECT id, item_id, annotator_id, kind, value_json, source, schema_version, started_at, ended_at, action_id, prev_value_json, reverts_action_id, prev_source FROM annotation_events ORDER BY id',
    ),
    annotations: all('SELECT * FROM annotations ORDER BY item_id, annotator_id'),
    progress: all('SELECT * FROM annotator_progress ORDER BY project_id, annotator_id'),
    keys: all('SELECT annotator_id, public_key FROM annotator_keys ORDER BY annotator_id'),
    results: all('SELECT sha256, pack_id, annotator_id, signed_at, events FROM result_packs ORDER BY sha256'),
    projects: all('SELECT id, item_count, annotated_count FROM projects ORDER BY id'),
  };
}

function permutations<T>(xs: T[]): T[][] {
  if (xs.length <= 1) return [xs];
  return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((rest) => [x, ...rest]));
}

async function setUp() {
  const lead = workstation('lead');
  const projectId = await leadProject(lead, 30, 6);
  const annotatorIds = TEAM.map(
    (name) => (lead.core.db.prepare("INSERT INTO annotators (id, name, origin, created_at) VALUES (?, ?, 'import', ?) RETURNING id").pluck().get(lead.rt.newId(), name, lead.rt.now().toISOString()) as string),
  );
  const out = freshDir('annot-packs-out-');
  const assignment = writeAssignment(
    lead.core.db,
    lead.rt,
    lead.signer,
    { projectId, annotatorIds, overlap: 2, goldShare: 0.2, filter: 'unlabeled', seed: 7, expiresDays: 14, metaFields: ['channel', 'gold'], redact: 'placeholder' },
    out,
  );
  return { lead, projectId, annotatorIds, assignment, out };
}

describe('packs: assign, open, label, return, merge', () => {
  it('every item goes to exactly k annotators, gold is drawn per annotator and hidden, packs carry no ULID and no gold marker', async () => {
    const { lead, projectId, assignment } = await setUp();
    expect(assignment.packs.map((p) => p.annotator)).toEqual(TEAM);
    const rows = lead.core.db.prepare('SELECT p.annotator_id, pi.item_id, pi.is_gold FROM pack_items pi JOIN packs p ON p.id = pi.pack_id').all() as {
      annotator_id: string;
      item_id: string;
      is_gold: number;
    }[];
    const perItem = new Map<string, Set<string>>();
    for (const r of rows.filter((r) => !r.is_gold)) perItem.set(r.item_id, (perItem.get(r.item_id) ?? new Set()).add(r.annotator_id));
    expect(perItem.size).toBe(30);
    for (const owners of perItem.values()) expect(owners.size).toBe(2);
    for (const p of assignment.packs) {
      expect(p.items - p.gold).toBe(20);
      expect(p.gold).toBe(5); // 0.2 of the pack: 5 of 25
    }
    const itemIds = lead.core.db.prepare('SELECT id FROM items WHERE project_id = ?').pluck().all(projectId) as string[];
    for (const p of assignment.packs) {
      const entries = zipEntries(fs.readFileSync(p.file));
      expect(Object.keys(entries).sort()).toEqual(['feedback.jsonl', 'guideline.md', 'items.jsonl', 'manifest.json', 'schema.json']);
      const everything = Object.values(entries).join('\n');
      expect(everything.toLowerCase()).not.toContain('gold');
      for (const id of itemIds) expect(everything).not.toContain(id);
      expect(everything).not.toContain('13812345678');
      expect(everything).not.toContain('internal'); // metadata not chosen stays home
      const lines = entries['items.jsonl']!.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      // Gold and other items have the same fields.
      expect(new Set(lines.map((l) => Object.keys(l).filter((k) => k !== 'context').sort().join()))).toEqual(new Set(['id,meta,text']));
      expect(lines.map((l) => l.id)).toEqual(lines.map((_, i) => i + 1));
      // Gold is spread through the pack, never two in a row.
      const goldAt = lines.flatMap((l, i) => (/^考核题/.test(l.text as string) ? [i] : []));
      expect(goldAt).toHaveLength(5);
      for (let i = 1; i < goldAt.length; i++) expect(goldAt[i]! - goldAt[i - 1]!).toBeGreaterThan(1);
      const manifest = JSON.parse(entries['manifest.json']!) as { signer: string; counts: { items: number } };
      expect(manifest.signer).toBe(lead.signer.publicKey);
      expect(manifest.counts.items).toBe(25);
    }
  });

  it('three annotators label offline; merges of their result packs in every order give the same state; merging twice adds nothing; gold is scored', async () => {
    const { lead, projectId, assignment } = await setUp();
    const results: MergeFile[] = [];
    for (const [i, name] of TEAM.entries()) {
      const w = workstation(`annotator${i}`);
      const pack = assignment.packs.find((p) => p.annotator === name)!;
      const opened = openPack(w.core.db, w.rt, fs.readFileSync(pack.file), name);
      expect(opened).toMatchObject({ projectId, items: 25, added: true });
      expect(openPack(w.core.db, w.rt, fs.readFileSync(pack.file), name).added).toBe(false);
      expect(await labelAll(w, projectId, name, name === '小李')).toBe(25);
      const work = returnWork(w.core.db, w.rt, w.signer, projectId, name);
      expect(work.events).toBe(50);
      results.push({ name: `${name}.result.zip`, bytes: work.bytes });
    }
    lead.close();
    const states: unknown[] = [];
    for (const order of permutations([0, 1, 2])) {
      const copy = path.join(freshDir('annot-merge-'), 'lead.db');
      fs.copyFileSync(lead.dbPath, copy);
      const core = createCore({ dbPath: copy, runtime: lead.rt });
      // Five gold answers are enough here (the project's setting; 10 by default).
      saveQualitySettings(core.db, projectId, { goldThreshold: 0.7, goldMinimum: 5 }, lead.rt.now().toISOString());
      try {
        const merged = mergeResultPacks(core.db, lead.rt, order.map((i) => results[i]!));
        expect(merged).toMatchObject({ merged_events: 150, already_had: 0, refused: [] });
        const again = mergeResultPacks(core.db, lead.rt, results);
        expect(again).toMatchObject({ merged_events: 0, already_had: 150, refused: [] });
        states.push(logicalState(core));
        if (states.length === 1) {
          const report = await call<ProjectReport>(core, 'reports.project', { projectId });
          const byName = new Map(report.perAnnotator.map((a) => [a.name, a]));
          expect(byName.get('小王')!.vsGold.intents).toMatchObject({ n: 5, correct: 5 });
          expect(byName.get('小李')!.vsGold.intents).toMatchObject({ n: 5, correct: 0 });
          expect(byName.get('小李')!.outlier).toContain('low-gold-accuracy');
        }
      } finally {
        core.close();
      }
    }
    for (const s of states.slice(1)) expect(s).toEqual(states[0]);
  });

  it('merging an item at once gives exactly what merging event by event through appendEvent gives (undo, flags, skips, sentiment)', async () => {
    const { lead, projectId, assignment } = await setUp();
    const results: MergeFile[] = [];
    for (const [i, name] of TEAM.entries()) {
      const w = workstation(`annotator${i}`);
      openPack(w.core.db, w.rt, fs.readFileSync(assignment.packs.find((p) => p.annotator === name)!.file), name);
      const me = w.core.db.prepare('SELECT id FROM annotators WHERE name = ?').pluck().get(name) as string;
      const items = w.core.db.prepare('SELECT item_id FROM received_pack_items ORDER BY local_id').pluck().all() as string[];
      for (const [k, itemId] of items.entries()) {
        const apply = (changes: unknown[]) => call(w.core, 'labeling.apply', { projectId, itemId, annotatorId: me, changes, startedAt: new Date(w.rt.now().getTime() - 4000).toISOString() });
        w.rt.advanceDays(0.0001);
        await apply([{ kind: 'intents', value: [INTENTS[k % 4]] }, { kind: 'sentiment', value: k % 2 ? '消极' : '中性' }]);
        if (k % 3 === 0) await call(w.core, 'labeling.undo', { projectId, annotatorId: me });
        if (k % 4 === 1) await apply([{ kind: 'flag', value: { flagged: true, note: '看不懂' } }]);
        await apply([{ kind: 'status', value: k % 5 === 2 ? 'skipped' : 'submitted' }]);
        if (k % 6 === 5) await apply([{ kind: 'intents', value: [INTENTS[(k + 1) % 4]] }, { kind: 'status', value: 'submitted' }]);
      }
      results.push({ name, bytes: returnWork(w.core.db, w.rt, w.signer, projectId, name).bytes });
    }
    lead.close();
    const merged = (eventByEvent: boolean) => {
      const copy = path.join(freshDir('annot-merge-'), 'lead.db');
      fs.copyFileSync(lead.dbPath, copy);
      const core = createCore({ dbPath: copy, runtime: lead.rt });
      try {
        expect(mergeResultPacks(core.db, lead.rt, results, { eventByEvent }).refused).toEqual([]);
        return logicalState(core);
      } finally {
        core.close();
      }
    };
    expect(merged(false)).toEqual(merged(true));
  });

  it('a later result pack is a superset: merged before or after the earlier one, the state is the same', async () => {
    const { lead, projectId, assignment } = await setUp();
    const w = workstation('annotator');
    const pack = assignment.packs.find((p) => p.annotator === '小王')!;
    openPack(w.core.db, w.rt, fs.readFileSync(pack.file), '小王');
    await labelAll(w, projectId, '小王', false, 10);
    const first = { name: 'first.zip', bytes: returnWork(w.core.db, w.rt, w.signer, projectId, '小王').bytes };
    await labelAll(w, projectId, '小王', false);
    const second = { name: 'second.zip', bytes: returnWork(w.core.db, w.rt, w.signer, projectId, '小王').bytes };
    lead.close();
    const state = (files: MergeFile[]) => {
      const copy = path.join(freshDir('annot-merge-'), 'lead.db');
      fs.copyFileSync(lead.dbPath, copy);
      const core = createCore({ dbPath: copy, runtime: lead.rt });
      try {
        const r = mergeResultPacks(core.db, lead.rt, files);
        expect(r.refused).toEqual([]);
        expect(r.merged_events).toBe(50);
        return logicalState(core);
      } finally {
        core.close();
      }
    };
    expect(state([first, second])).toEqual(state([second, first]));
    // The record of which result packs came in differs; the annotations do not.
    const { results: _a, ...both } = state([first, second]) as Record<string, unknown>;
    const { results: _b, ...latest } = state([second]) as Record<string, unknown>;
    expect(latest).toEqual(both);
  });
});

export type { AssignmentResult };
