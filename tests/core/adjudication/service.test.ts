import { describe, expect, it } from 'vitest';
import type { AdjudicationItem, AdjudicationQueue, AutoResult, CommitResult } from '../../../shared/contract/adjudication';
import type { Annotator, ProjectDetail } from '../../../shared/contract/schemas';
import { call, createProject, runImport, setup, writeFile } from '../helpers';

const SCHEMA = {
  intents: { labels: ['退款', '物流', '投诉'].map((name) => ({ name })) },
  sentiment: { levels: ['积极', '中性', '消极'].map((name, value) => ({ name, value })) },
  entities: { types: [{ name: '商品' }, { name: '日期' }] },
};

/** Three annotators: agreed items, a 2–1 split, a three-way split, spans that overlap. */
const LINES = [
  ...['甲', '乙', '丙'].map((a) => ({ text: '我要退款', intent: '退款', sentiment: '消极', annotator: a })),
  { text: '快递到哪了', intent: '物流', sentiment: '中性', annotator: '甲' },
  { text: '快递到哪了', intent: '物流', sentiment: '中性', annotator: '乙' },
  { text: '快递到哪了', intent: '投诉', sentiment: '中性', annotator: '丙' },
  { text: '太差了', intent: '退款', sentiment: '消极', annotator: '甲' },
  { text: '太差了', intent: '物流', sentiment: '消极', annotator: '乙' },
  { text: '太差了', intent: '投诉', sentiment: '消极', annotator: '丙' },
  { text: '吸尘器昨天坏了', intent: '退款', entities: [{ start: 0, end: 3, label: '商品' }], annotator: '甲' },
  { text: '吸尘器昨天坏了', intent: '退款', entities: [{ start: 1, end: 3, label: '商品' }, { start: 3, end: 5, label: '日期' }], annotator: '乙' },
  { text: '吸尘器昨天坏了', intent: '退款', entities: [{ start: 0, end: 3, label: '商品' }, { start: 3, end: 5, label: '日期' }], annotator: '丙' },
];

async function team() {
  const t = await setup();
  const project = await createProject(t.core, '审核', SCHEMA as never);
  const file = writeFile(t.dir, 'team.jsonl', LINES.map((l) => JSON.stringify(l)).join('\n'));
  expect((await runImport(t.core, project.id, file, 'jsonl')).state).toBe('committed');
  const reviewer = await call<Annotator>(t.core, 'annotators.create', { name: '审核员' });
  await call(t.core, 'annotators.setRoles', { annotatorId: reviewer.id, roles: ['annotator', 'reviewer'] });
  return { ...t, project: project as ProjectDetail, reviewer };
}

describe('adjudication', () => {
  it('queues items with two or more submissions, disagreement first, with counts per state', async () => {
    const { core, project } = await team();
    const q = await call<AdjudicationQueue>(core, 'adjudication.queue', { projectId: project.id });
    expect(q.total).toBe(4);
    expect(q.counts).toEqual({ disputed: 4, auto: 0, human: 0, flagged: 0 });
    expect(q.rows[0]!.text).toBe('太差了');
    expect(q.rows.at(-1)!.text).toBe('我要退款');
    const intentsOnly = await call<AdjudicationQueue>(core, 'adjudication.queue', { projectId: project.id, filter: { task: 'entities' } });
    expect(intentsOnly.rows.map((r) => r.text)).toEqual(['吸尘器昨天坏了']);
    const byLabel = await call<AdjudicationQueue>(core, 'adjudication.queue', { projectId: project.id, filter: { label: '投诉' } });
    expect(byLabel.rows.map((r) => r.text).sort()).toEqual(['太差了', '快递到哪了']);
  });

  it('a profile without the reviewer role is refused', async () => {
    const { core, project } = await team();
    const plain = await call<Annotator>(core, 'annotators.create', { name: '新人' });
    const r = await core.dispatch('adjudication.next', { projectId: project.id, reviewerId: plain.id });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('FORBIDDEN');
  });

  it('blind mode: versions carry tags only, no annotator names or ids anywhere in the payload', async () => {
    const { core, project, reviewer } = await team();
    await call(core, 'adjudication.queue', { projectId: project.id });
    const item = await call<AdjudicationItem>(core, 'adjudication.next', { projectId: project.id, reviewerId: reviewer.id });
    const annotators = await call<Annotator[]>(core, 'annotators.list', {});
    const payload = JSON.stringify(item);
    for (const a of annotators.filter((x) => x.name !== '审核员')) {
      expect(payload).not.toContain(a.id);
      expect(payload).not.toContain(a.name);
    }
    expect(item.blind).toBe(true);
    expect(item.versions.map((v) => v.tag)).toEqual(['A', 'B', 'C']);
    // Not blind: names shown.
    const settings = await call<{ blind: boolean }>(core, 'adjudication.settings', { projectId: project.id });
    await call(core, 'adjudication.saveSettings', { projectId: project.id, actorId: reviewer.id, settings: { ...settings, blind: false } });
    const open = await call<AdjudicationItem>(core, 'adjudication.item', { projectId: project.id, reviewerId: reviewer.id, itemId: item.itemId });
    expect(open.versions.map((v) => v.annotator!.name).sort()).toEqual(['丙', '乙', '甲']);
  });

  it('span clusters are fields; overriding the majority needs a reason code; commit and undo', async () => {
    const { core, project, reviewer } = await team();
    const q = await call<AdjudicationQueue>(core, 'adjudication.queue', { projectId: project.id, filter: { task: 'entities' } });
    const item = await call<AdjudicationItem>(core, 'adjudication.item', { projectId: project.id, reviewerId: reviewer.id, itemId: q.rows[0]!.itemId });
    expect(item.fields.map((f) => f.field)).toEqual(['intents', 'sentiment', 'entities:0-3', 'entities:3-5']);
    const goods = item.fields.find((f) => f.field === 'entities:0-3')!;
    expect(goods.majority).toEqual([{ start: 0, end: 3, label: '商品' }]);
    expect(goods.agreement).toBeCloseTo(2 / 3);
    const against = await core.dispatch('adjudication.commit', {
      projectId: project.id,
      itemId: item.itemId,
      reviewerId: reviewer.id,
      decisions: [{ field: 'entities:0-3', value: [{ start: 1, end: 3, label: '商品' }] }],
    });
    expect(against.ok).toBe(false);
    if (!against.ok) expect(against.error.details).toMatchObject({ reasonRequired: true });
    const done = await call<CommitResult>(core, 'adjudication.commit', {
      projectId: project.id,
      itemId: item.itemId,
      reviewerId: reviewer.id,
      decisions: [
        { field: 'intents', value: '退款' },
        { field: 'entities:0-3', value: [{ start: 1, end: 3, label: '商品' }], reasonCode: 'guideline', note: '3.2: 量词不算' },
        { field: 'entities:3-5', value: [] , reasonCode: 'annotator-error' },
      ],
    });
    expect(done).toMatchObject({ state: 'human', events: 4 });
    const after = await call<AdjudicationItem>(core, 'adjudication.item', { projectId: project.id, reviewerId: reviewer.id, itemId: item.itemId });
    expect(after.fields.find((f) => f.field === 'entities:3-5')!.decided).toMatchObject({ value: [], source: 'adjudication', reasonCode: 'annotator-error' });
    expect((await call<AdjudicationQueue>(core, 'adjudication.queue', { projectId: project.id })).counts.human).toBe(1);
    const undone = await call<{ state: string }>(core, 'adjudication.undo', { projectId: project.id, reviewerId: reviewer.id });
    expect(undone.state).toBe('disputed');
    const again = await call<AdjudicationItem>(core, 'adjudication.item', { projectId: project.id, reviewerId: reviewer.id, itemId: item.itemId });
    expect(again.fields.every((f) => f.decided === null)).toBe(true);
    // The events stay: append-only.
    expect(core.db.prepare('SELECT count(*) FROM adjudication_events WHERE item_id = ?').pluck().get(item.itemId)).toBe(8);
  });

  it('automatic resolution: dry run first, unanimous, majority (a tie stays disputed), idempotent reruns, a person decision kept', async () => {
    const { core, project, reviewer } = await team();
    const dry = await call<AutoResult>(core, 'adjudication.auto', { projectId: project.id, policy: 'unanimous', dryRun: true });
    expect(dry).toMatchObject({ resolved: 1, disputed: 3, kept_human: 0, written: 0 });
    const unanimous = await call<AutoResult>(core, 'adjudication.auto', { projectId: project.id, policy: 'unanimous' });
    expect(unanimous).toMatchObject({ resolved: 1, disputed: 3, kept_human: 0 });
    expect(unanimous.written).toBeGreaterThan(0);
    const rerun = await call<AutoResult>(core, 'adjudication.auto', { projectId: project.id, policy: 'unanimous' });
    expect(rerun).toMatchObject({ resolved: 1, written: 0 });
    // A reviewer resolves the three-way split by hand; majority then never touches it.
    const q = await call<AdjudicationQueue>(core, 'adjudication.queue', { projectId: project.id });
    const split = q.rows.find((r) => r.text === '太差了')!;
    await call(core, 'adjudication.commit', {
      projectId: project.id,
      itemId: split.itemId,
      reviewerId: reviewer.id,
      decisions: [{ field: 'intents', value: '投诉' }, { field: 'sentiment', value: '消极' }],
    });
    const majority = await call<AutoResult>(core, 'adjudication.auto', { projectId: project.id, policy: 'majority', minShare: 0.6 });
    // 快递到哪了 (2 of 3) and 吸尘器 (2 of 3 on each cluster) resolve; 太差了 is a person's.
    expect(majority).toMatchObject({ resolved: 3, disputed: 0, kept_human: 1 });
    const item = await call<AdjudicationItem>(core, 'adjudication.item', { projectId: project.id, reviewerId: reviewer.id, itemId: split.itemId });
    expect(item.fields.find((f) => f.field === 'intents')!.decided).toMatchObject({ value: '投诉', source: 'adjudication' });
    const strict = await call<AutoResult>(core, 'adjudication.auto', { projectId: project.id, policy: 'majority', minShare: 0.7, dryRun: true });
    expect(strict).toMatchObject({ resolved: 1, disputed: 2 });
  });

  it('feedback: an annotator sees where the adjudication differs from their submission, with the reason', async () => {
    const { core, project, reviewer } = await team();
    const q = await call<AdjudicationQueue>(core, 'adjudication.queue', { projectId: project.id });
    const split = q.rows.find((r) => r.text === '快递到哪了')!;
    await call(core, 'adjudication.commit', {
      projectId: project.id,
      itemId: split.itemId,
      reviewerId: reviewer.id,
      decisions: [{ field: 'intents', value: '物流' }, { field: 'sentiment', value: '中性' }],
    });
    const annotators = await call<Annotator[]>(core, 'annotators.list', {});
    const bing = annotators.find((a) => a.name === '丙')!;
    const fb = await call<{ rows: { field: string; yours: unknown; adjudicated: unknown }[]; accuracy: { fields: number; agreed: number }[] }>(
      core,
      'adjudication.feedback',
      { projectId: project.id, annotatorId: bing.id },
    );
    expect(fb.rows).toEqual([expect.objectContaining({ field: 'intents', yours: '投诉', adjudicated: '物流' })]);
    expect(fb.accuracy[0]).toMatchObject({ fields: 2, agreed: 1 });
  });

  it('an automatic value replaced by a later run never comes back when the field stops resolving', async () => {
    const { core, project } = await team();
    const q = await call<AdjudicationQueue>(core, 'adjudication.queue', { projectId: project.id });
    const itemId = q.rows.find((r) => r.text === '快递到哪了')!.itemId;
    const annotators = await call<Annotator[]>(core, 'annotators.list', {});
    const id = (name: string) => annotators.find((a) => a.name === name)!.id;
    const relabel = (name: string, intent: string) =>
      call(core, 'labeling.apply', { projectId: project.id, annotatorId: id(name), itemId, changes: [{ kind: 'intents', value: [intent] }] });
    const intentOf = () => core.db.prepare("SELECT value_json FROM adjudications WHERE item_id = ? AND field = 'intents'").pluck().get(itemId);
    await call(core, 'adjudication.auto', { projectId: project.id, policy: 'majority', minShare: 0.6 });
    expect(intentOf()).toBe('"物流"');
    await relabel('甲', '投诉'); // 投诉 2 of 3 now
    await call(core, 'adjudication.auto', { projectId: project.id, policy: 'majority', minShare: 0.6 });
    expect(intentOf()).toBe('"投诉"');
    await relabel('甲', '退款'); // 退款, 物流, 投诉: no majority
    const third = await call<AutoResult>(core, 'adjudication.auto', { projectId: project.id, policy: 'majority', minShare: 0.6 });
    expect(intentOf()).toBeUndefined();
    expect(third.written).toBeGreaterThan(0);
    const again = await call<AutoResult>(core, 'adjudication.auto', { projectId: project.id, policy: 'majority', minShare: 0.6 });
    expect(again.written).toBe(0);
  });

  it('--task intents resolves on intents alone when the other fields are settled (unanimous)', async () => {
    const { core, project } = await team();
    const r = await call<AutoResult>(core, 'adjudication.auto', { projectId: project.id, policy: 'majority', task: 'intents', minShare: 0.6 });
    // 我要退款 and 快递到哪了 (sentiment unanimous on both); 吸尘器 has open span clusters, 太差了 a three-way intent split.
    expect(r).toMatchObject({ resolved: 2, disputed: 2 });
  });
});

describe('adjudication.auto: who may run it', () => {
  it('a plain annotator is refused; a reviewer may; without an actor (the CLI) it runs', async () => {
    const { core, project } = await setup('谁能自动裁决');
    const annotator = await call<{ id: string }>(core, 'annotators.create', { name: '普通标注员' });
    const reviewer = await call<{ id: string }>(core, 'annotators.create', { name: '审核员' });
    await call(core, 'annotators.setRoles', { annotatorId: reviewer.id, roles: ['reviewer'] });
    const refused = await core.dispatch('adjudication.auto', { projectId: project.id, policy: 'unanimous', actorId: annotator.id });
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await core.dispatch('adjudication.auto', { projectId: project.id, policy: 'unanimous', actorId: reviewer.id })).toMatchObject({ ok: true });
    expect(await core.dispatch('adjudication.auto', { projectId: project.id, policy: 'unanimous' })).toMatchObject({ ok: true });
  });
});
