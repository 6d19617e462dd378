import { describe, expect, it } from 'vitest';
import type { Guideline } from '../../../shared/contract/adjudication';
import type { Annotator, LabelingItem } from '../../../shared/contract/schemas';
import { call, createProject, runImport, setup, writeFile } from '../helpers';

async function project() {
  const t = await setup();
  const p = await createProject(t.core, '规范', { intents: { labels: [{ name: '退款' }, { name: '物流' }] } } as never);
  const file = writeFile(t.dir, 'items.jsonl', ['我要退款', '快递到哪了', '发票怎么开'].map((text) => JSON.stringify({ text })).join('\n'));
  expect((await runImport(t.core, p.id, file, 'jsonl')).state).toBe('committed');
  const lead = await call<Annotator>(t.core, 'annotators.create', { name: '组长' });
  await call(t.core, 'annotators.setRoles', { annotatorId: lead.id, roles: ['lead'] });
  const annotator = await call<Annotator>(t.core, 'annotators.create', { name: '标注员' });
  const label = async (ord: number, intent: string) => {
    const item = (await call<LabelingItem | null>(t.core, 'labeling.at', { projectId: p.id, annotatorId: annotator.id, ord }))!;
    await call(t.core, 'labeling.apply', {
      projectId: p.id,
      annotatorId: annotator.id,
      itemId: item.item.id,
      changes: [{ kind: 'intents', value: [intent] }, { kind: 'status', value: 'submitted' }],
    });
    return item.item.id;
  };
  return { ...t, projectId: p.id, lead, annotator, label };
}

describe('the labeling guideline', () => {
  it('is versioned; leads and reviewers write it, annotators cannot', async () => {
    const { core, projectId, lead, annotator } = await project();
    expect(await call<Guideline>(core, 'guidelines.get', { projectId })).toMatchObject({ version: 0, markdown: '' });
    const v1 = await call<Guideline>(core, 'guidelines.save', { projectId, authorId: lead.id, markdown: '### 1.1 退款\n定义：要求退钱' });
    expect(v1).toMatchObject({ version: 1, authorName: '组长' });
    const same = await call<Guideline>(core, 'guidelines.save', { projectId, authorId: lead.id, markdown: '### 1.1 退款\n定义：要求退钱' });
    expect(same.version).toBe(1);
    const v2 = await call<Guideline>(core, 'guidelines.save', { projectId, authorId: lead.id, markdown: '### 1.1 退款\n定义：要求退还货款' });
    expect(v2.version).toBe(2);
    expect((await call<Guideline>(core, 'guidelines.get', { projectId, version: 1 })).markdown).toContain('要求退钱');
    const refused = await core.dispatch('guidelines.save', { projectId, authorId: annotator.id, markdown: 'x' });
    expect(!refused.ok && refused.error.code).toBe('FORBIDDEN');
  });

  it('each annotation records the version it was made under; a re-check queues what was labeled under an older one', async () => {
    const { core, projectId, lead, annotator, label } = await project();
    const before = await label(1, '退款');
    await call(core, 'guidelines.save', { projectId, authorId: lead.id, markdown: 'v1' });
    const underV1 = await label(2, '物流');
    const versions = core.db
      .prepare("SELECT item_id, guideline_version FROM annotation_events WHERE kind = 'status' ORDER BY seq")
      .all() as { item_id: string; guideline_version: number | null }[];
    expect(versions).toEqual([
      { item_id: before, guideline_version: null },
      { item_id: underV1, guideline_version: 1 },
    ]);
    await call(core, 'guidelines.save', { projectId, authorId: lead.id, markdown: 'v2' });
    expect(await call(core, 'guidelines.queueRecheck', { projectId, leadId: lead.id })).toEqual({ queued: 2 });
    // The annotator's re-check queue: both items, until each is submitted again under v2.
    const next = (after: number) =>
      call<LabelingItem | null>(core, 'labeling.next', { projectId, annotatorId: annotator.id, afterOrd: after, filter: { status: 'recheck' } });
    expect((await next(0))!.item.id).toBe(before);
    await call(core, 'labeling.apply', { projectId, annotatorId: annotator.id, itemId: before, changes: [{ kind: 'status', value: 'submitted' }] });
    expect((await next(0))!.item.id).toBe(underV1);
    const notLead = await core.dispatch('guidelines.queueRecheck', { projectId, leadId: annotator.id });
    expect(!notLead.ok && notLead.error.code).toBe('FORBIDDEN');
  });
});
