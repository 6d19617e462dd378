import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createCore, type Core } from '../../electron/core';
import { systemRuntime } from '../../electron/core/runtime';
import { workHours } from '../../electron/core/services/reports/adjudication';
import type { AdjudicationQueue, AutoResult, CommitResult } from '../../shared/contract/adjudication';
import { ProjectReport, type AnnotatorReport, type RenderedReport } from '../../shared/contract/reports';
import type { Annotator } from '../../shared/contract/schemas';
import { call, createProject, freshDir, runImport, writeFile } from './helpers';

const SCHEMA = {
  intents: { labels: ['退款', '物流', '投诉'].map((name) => ({ name })) },
  sentiment: { levels: ['积极', '中性', '消极'].map((name, value) => ({ name, value })) },
  entities: { types: [{ name: '商品' }] },
};

const GOODS = [{ start: 0, end: 3, label: '商品' }];

/**
 * Three annotators on six items: unanimous (1), 2–1 splits on the intent (2, 4, 6) and on the
 * sentiment (4), a three-way split (3), and a span two of three marked (5).
 */
const LINES = [
  ...['甲', '乙', '丙'].map((annotator) => ({ text: '我要退款', intent: '退款', sentiment: '消极', annotator })),
  ...[
    ['甲', '物流'],
    ['乙', '物流'],
    ['丙', '投诉'],
  ].map(([annotator, intent]) => ({ text: '快递到哪了', intent, sentiment: '中性', annotator })),
  ...[
    ['甲', '退款'],
    ['乙', '物流'],
    ['丙', '投诉'],
  ].map(([annotator, intent]) => ({ text: '太差了', intent, sentiment: '消极', annotator })),
  ...[
    ['甲', '物流', '消极'],
    ['乙', '物流', '消极'],
    ['丙', '投诉', '中性'],
  ].map(([annotator, intent, sentiment]) => ({ text: '包裹丢了', intent, sentiment, annotator })),
  ...[
    ['甲', GOODS],
    ['乙', GOODS],
    ['丙', []],
  ].map(([annotator, entities]) => ({ text: '吸尘器坏了', intent: '退款', entities, annotator })),
  ...[
    ['甲', '投诉'],
    ['乙', '投诉'],
    ['丙', '物流'],
  ].map(([annotator, intent]) => ({ text: '怎么开发票', intent, annotator })),
];

const T0 = Date.parse('2026-12-01T09:00:00.000Z');
const MIN = 60_000;

/** A core whose clock the test sets: the import a day before T0, the reviewers' commits at chosen minutes after it. */
async function team() {
  const dir = freshDir();
  let clock = T0 - 24 * 60 * MIN;
  const ids = systemRuntime();
  const core = createCore({ dbPath: path.join(dir, 'team.db'), runtime: { now: () => new Date(clock), newId: ids.newId } });
  onTestFinished(() => core.close());
  const project = await createProject(core, '仲裁报告', SCHEMA as never);
  const file = writeFile(dir, 'team.jsonl', LINES.map((l) => JSON.stringify(l)).join('\n'));
  expect((await runImport(core, project.id, file, 'jsonl')).state).toBe('committed');
  const reviewer = async (name: string) => {
    const r = await call<Annotator>(core, 'annotators.create', { name });
    await call(core, 'annotators.setRoles', { annotatorId: r.id, roles: ['reviewer'] });
    return r;
  };
  const items = new Map(
    (core.db.prepare('SELECT text, id FROM items WHERE project_id = ?').raw(true).all(project.id) as [string, string][]).map(([t, id]) => [t, id]),
  );
  return {
    core,
    project,
    reviewers: [await reviewer('审核员'), await reviewer('复核员')],
    item: (text: string) => items.get(text)!,
    at: (minutes: number) => (clock = T0 + minutes * MIN),
  };
}

const report = (core: Core, projectId: string, filter = {}) => call<ProjectReport>(core, 'reports.project', { projectId, filter });
const byName = (r: ProjectReport): Map<string, AnnotatorReport> => new Map(r.perAnnotator.map((a) => [a.name, a]));
const intents = (r: ProjectReport, name: string) => byName(r).get(name)!.vsMajority.intents;

/** The team project through auto-resolution and two reviewers' commits (one undone), at known times. */
async function adjudicated() {
  const t = await team();
  const { core, project, reviewers, item, at } = t;
  const [lead, second] = reviewers as [Annotator, Annotator];
  const before = await report(core, project.id);
  const queue = await call<AdjudicationQueue>(core, 'adjudication.queue', { projectId: project.id });
  expect(queue.counts).toEqual({ disputed: 6, auto: 0, human: 0, flagged: 0 });
  const auto = await call<AutoResult>(core, 'adjudication.auto', { projectId: project.id, policy: 'majority', minShare: 0.6 });
  expect(auto).toMatchObject({ resolved: 5, disputed: 1, kept_human: 0 });
  const afterAuto = await report(core, project.id);
  const commit = (reviewer: Annotator, text: string, decisions: object[], flag = false) =>
    call<CommitResult>(core, 'adjudication.commit', { projectId: project.id, itemId: item(text), reviewerId: reviewer.id, decisions, flag });
  at(0);
  await commit(lead, '太差了', [
    { field: 'intents', value: '投诉', reasonCode: 'ambiguous-text' },
    { field: 'sentiment', value: '消极' },
  ]);
  at(2);
  // Against the majority (物流, which the automatic run chose): needs a reason.
  await commit(lead, '快递到哪了', [{ field: 'intents', value: '投诉', reasonCode: 'guideline' }]);
  at(5);
  await commit(lead, '包裹丢了', [
    { field: 'intents', value: '物流' },
    { field: 'sentiment', value: '中性', reasonCode: 'annotator-error' },
  ]);
  at(30);
  await commit(lead, '怎么开发票', [], true);
  at(31);
  await commit(second, '吸尘器坏了', [{ field: 'entities:0-3', value: [], reasonCode: 'annotator-error' }]);
  at(33);
  await commit(second, '我要退款', [{ field: 'intents', value: '退款' }]);
  at(34);
  expect(await call(core, 'adjudication.undo', { projectId: project.id, reviewerId: second.id })).toMatchObject({ state: 'auto' });
  return { ...t, lead, second, before, afterAuto, after: await report(core, project.id) };
}

describe('reports: accuracy against adjudicated values', () => {
  it('the reference is the adjudicated value where there is one; a person overriding the majority changes who is right', async () => {
    const { before, afterAuto, after } = await adjudicated();
    for (const r of [before, afterAuto, after]) expect(ProjectReport.parse(r)).toEqual(r);
    // Before any adjudication, the plurality of the others: a 2–1 split is a tie for the two in the majority.
    expect(intents(before, '甲')).toEqual({ n: 2, correct: 2, accuracy: 1 });
    expect(intents(before, '丙')).toEqual({ n: 5, correct: 2, accuracy: 0.4 });
    expect(byName(before).get('丙')!.vsAdjudicated.intents).toEqual({ n: 0, correct: 0, accuracy: null });
    // After the majority run: five items have an adjudicated intent (the three-way split has none: a tie for everyone).
    expect(intents(afterAuto, '甲')).toEqual({ n: 5, correct: 5, accuracy: 1 });
    expect(intents(afterAuto, '丙')).toEqual({ n: 5, correct: 2, accuracy: 0.4 });
    expect(byName(afterAuto).get('丙')!.vsAdjudicated.intents).toEqual({ n: 5, correct: 2, accuracy: 0.4 });
    // A person decided 快递到哪了 and 太差了 for 丙's 投诉: 甲 and 乙 lose two, 丙 gains two.
    for (const name of ['甲', '乙', '丙']) {
      expect(intents(after, name), name).toEqual({ n: 6, correct: 4, accuracy: 4 / 6 });
      expect(byName(after).get(name)!.vsAdjudicated.intents, name).toEqual({ n: 6, correct: 4, accuracy: 4 / 6 });
    }
    // Sentiment: 包裹丢了 adjudicated 中性 against the 消极 majority; items without a sentiment are not compared.
    expect(byName(after).get('甲')!.vsMajority.sentiment).toEqual({ n: 4, correct: 3, accuracy: 0.75 });
    expect(byName(after).get('丙')!.vsMajority.sentiment).toEqual({ n: 4, correct: 4, accuracy: 1 });
    // Per label against the reference: 丙's 投诉 is right on two items, wrong on one, missed on one (怎么开发票).
    expect(
      byName(after)
        .get('丙')!
        .perLabel.find((l) => l.label === '投诉'),
    ).toMatchObject({ precision: 2 / 3, recall: 2 / 3, support: 3 });
    // Gold items keep their gold reference; the per-day drift follows the adjudicated reference.
    expect(byName(after).get('甲')!.vsGold.intents.n).toBe(0);
    expect(byName(after).get('甲')!.drift).toEqual([{ day: '2026-11-30', n: 6, accuracy: 4 / 6 }]);
  });

  it('overrides per annotator, by reason code, and by the automatic policy', async () => {
    const { after } = await adjudicated();
    const people = byName(after);
    const reasons = (name: string) => people.get(name)!.overrides;
    // 甲 and 乙: 快递到哪了 (guideline), 太差了 (ambiguous-text), 包裹丢了's sentiment and 吸尘器坏了's span (annotator-error).
    for (const name of ['甲', '乙']) {
      expect(reasons(name), name).toEqual({
        adjudicated: 6,
        overridden: 4,
        auto: 0,
        byReason: [
          { code: 'annotator-error', count: 2 },
          { code: 'ambiguous-text', count: 1 },
          { code: 'guideline', count: 1 },
        ],
      });
    }
    // 丙: 包裹丢了's intent, decided for the majority without a reason; 怎么开发票 went to the majority automatically.
    expect(reasons('丙')).toEqual({ adjudicated: 6, overridden: 1, auto: 1, byReason: [{ code: null, count: 1 }] });
  });
});

describe('reports: the adjudication section', () => {
  it('progress by state, automatic resolutions by policy, decisions and reasons, reviewer throughput', async () => {
    const { core, project, lead, second, after, before } = await adjudicated();
    expect(before.adjudication).toMatchObject({ progress: { queued: 0 }, reviewers: [], reasons: [] });
    const a = after.adjudication;
    // The undone commit put 我要退款 back to its automatic resolution.
    expect(a.progress).toEqual({ queued: 6, disputed: 0, auto: 1, human: 4, flagged: 1 });
    expect(a.progress).toMatchObject((await call<AdjudicationQueue>(core, 'adjudication.queue', { projectId: project.id })).counts);
    expect(a.autoByPolicy).toEqual([{ policy: 'majority', items: 1 }]);
    expect(a.decisions).toEqual({ human: 6, auto: 7, withReason: 4, overridesMajority: 3 });
    expect(a.reasons.map((r) => [r.code, r.fields, r.items, r.overridesMajority, r.configured])).toEqual([
      ['guideline', 1, 1, 1, true],
      ['annotator-error', 2, 2, 2, true],
      ['ambiguous-text', 1, 1, 0, true],
      ['schema-gap', 0, 0, 0, true],
    ]);
    expect(a.reasons[0]!.label).toBe('违反标注规范 / guideline');
    // 审核员: commits at 0, 2, 5 and 30 minutes: 5 minutes of work (the 25-minute gap is a break), three items resolved, one set aside.
    const [first, next] = a.reviewers;
    expect(first).toMatchObject({ reviewerId: lead.id, name: '审核员', items: 3, flagged: 1, commits: 4, fields: 5, overridesMajority: 2 });
    expect(first!.hours).toBeCloseTo(5 / 60, 10);
    expect(first!.itemsPerHour).toBeCloseTo(36, 10);
    expect(first!.firstAt).toBe(new Date(T0).toISOString());
    expect(first!.lastAt).toBe(new Date(T0 + 30 * MIN).toISOString());
    // 复核员: two commits two minutes apart; the second was undone (work, not an item).
    expect(next).toMatchObject({ reviewerId: second.id, items: 1, flagged: 0, commits: 2, fields: 1, overridesMajority: 1 });
    expect(next!.itemsPerHour).toBeCloseTo(30, 10);
  });

  it('filters: labels narrow the items; the date range picks the commits of the throughput', async () => {
    const { core, project } = await adjudicated();
    const complaints = await report(core, project.id, { labels: ['投诉'] });
    expect(complaints.adjudication.progress).toEqual({ queued: 4, disputed: 0, auto: 0, human: 3, flagged: 1 });
    expect(complaints.adjudication.autoByPolicy).toEqual([]);
    expect(complaints.adjudication.decisions).toEqual({ human: 5, auto: 3, withReason: 3, overridesMajority: 2 });
    expect(complaints.adjudication.reasons.find((r) => r.code === 'annotator-error')).toMatchObject({ fields: 1, items: 1 });
    // The throughput is a reviewer's pace over all their work: the label filter leaves it alone.
    expect(complaints.adjudication.reviewers.map((r) => r.items)).toEqual([3, 1]);

    const annotators = await call<Annotator[]>(core, 'annotators.list', {});
    const bing = annotators.find((x) => x.name === '丙')!;
    const one = await report(core, project.id, { annotatorIds: [bing.id] });
    expect(one.perAnnotator.map((x) => [x.name, x.overrides.overridden, x.vsMajority.intents.correct])).toEqual([['丙', 1, 4]]);

    // From minute 20: the annotations (made the day before) are out of range, the later commits in it.
    const late = await report(core, project.id, { from: new Date(T0 + 20 * MIN).toISOString() });
    expect(late.totals.annotations).toBe(0);
    expect(late.adjudication.progress.queued).toBe(0);
    expect(late.adjudication.reviewers.map((r) => [r.name, r.commits, r.items, r.flagged, r.itemsPerHour])).toEqual([
      ['复核员', 2, 1, 0, 30],
      ['审核员', 1, 0, 1, null],
    ]);
    const early = await report(core, project.id, { to: new Date(T0 + 3 * MIN).toISOString() });
    expect(early.adjudication.reviewers.map((r) => [r.name, r.commits, r.items])).toEqual([['审核员', 2, 2]]);
  });

  it('is in the CSV, JSON and HTML renderings, in both languages', async () => {
    const { core, project } = await adjudicated();
    const csv = await call<RenderedReport>(core, 'reports.render', { projectId: project.id, format: 'csv', language: 'en' });
    const rows = parseCsv(csv.content, { bom: true, relax_column_count: true, skip_empty_lines: false }) as string[][];
    const table = (title: string) => {
      const at = rows.findIndex((r) => r.length === 1 && r[0] === title);
      expect(at, title).toBeGreaterThanOrEqual(0);
      const end = rows.findIndex((r, i) => i > at && r.length === 1 && r[0] === '');
      return { header: rows[at + 1]!, rows: rows.slice(at + 2, end < 0 ? undefined : end) };
    };
    expect(table('Adjudication progress').rows).toEqual([
      ['Disputed', '0'],
      ['Resolved automatically', '1'],
      ['Resolved by a person', '4'],
      ['Flagged for discussion', '1'],
      ['In the queue', '6'],
    ]);
    expect(table('Automatic resolution by policy').rows).toEqual([['majority', '1']]);
    const reviewers = table('Reviewer throughput');
    expect(reviewers.header.slice(0, 4)).toEqual(['Reviewer', 'Items resolved', 'Flagged', 'Commits']);
    expect(reviewers.rows[0]!.slice(0, 4)).toEqual(['审核员', '3', '1', '4']);
    expect(reviewers.rows[0]).toContain('36.0');
    const reasons = table('Reason codes');
    expect(reasons.rows[1]!.slice(0, 4)).toEqual(['annotator-error', '标注失误 / annotator error', '2', '2']);
    const overrides = table('Overrides per annotator');
    expect(overrides.header).toEqual([
      'Annotator',
      'Adjudicated',
      'Overridden by a person',
      'Overridden automatically',
      'guideline',
      'annotator-error',
      'ambiguous-text',
      'schema-gap',
      '(no reason code)',
    ]);
    expect(overrides.rows.find((r) => r[0] === '甲')).toEqual(['甲', '6', '4', '0', '1', '2', '1', '0', '0']);
    expect(overrides.rows.find((r) => r[0] === '丙')).toEqual(['丙', '6', '1', '1', '0', '0', '0', '0', '1']);
    expect(table('Annotators').header).toContain('Intent accuracy vs adjudicated');

    const json = await call<RenderedReport>(core, 'reports.render', { projectId: project.id, format: 'json', language: 'en' });
    const parsed = ProjectReport.parse(JSON.parse(json.content));
    expect(parsed.adjudication.progress.human).toBe(4);
    const html = await call<RenderedReport>(core, 'reports.render', { projectId: project.id, format: 'html', language: 'zh-CN' });
    expect(html.content).toContain('仲裁进度');
    expect(html.content).toContain('审核员');
    expect(html.content).not.toMatch(/<script|https?:\/\//);
  });

  it('a report made before adjudication existed still parses, with an empty section', async () => {
    const { after } = await adjudicated();
    const old = JSON.parse(JSON.stringify(after)) as Record<string, unknown>;
    delete old.adjudication;
    for (const a of old.perAnnotator as Record<string, unknown>[]) {
      delete a.vsAdjudicated;
      delete a.overrides;
    }
    const parsed = ProjectReport.parse(old);
    expect(parsed.adjudication).toEqual({
      progress: { queued: 0, disputed: 0, auto: 0, human: 0, flagged: 0 },
      autoByPolicy: [],
      decisions: { human: 0, auto: 0, withReason: 0, overridesMajority: 0 },
      reasons: [],
      reviewers: [],
    });
    expect(parsed.perAnnotator[0]!.overrides).toEqual({ adjudicated: 0, overridden: 0, auto: 0, byReason: [] });
  });
});

describe('work hours of a reviewer', () => {
  it('sum the gaps between consecutive commits under ten minutes, in any order', () => {
    expect(workHours([])).toBe(0);
    expect(workHours([T0])).toBe(0);
    expect(workHours([T0 + 5 * MIN, T0, T0 + 2 * MIN, T0 + 30 * MIN, T0 + 39 * MIN])).toBeCloseTo(14 / 60, 12);
    // Exactly ten minutes is a break.
    expect(workHours([T0, T0 + 10 * MIN])).toBe(0);
  });

  it('a pace needs a minute of work: commits seconds apart give none', async () => {
    const { core, project, reviewers, item, at } = await team();
    await call(core, 'adjudication.queue', { projectId: project.id });
    const [lead] = reviewers as [Annotator];
    for (const [i, text] of ['我要退款', '快递到哪了'].entries()) {
      at(i / 6); // ten seconds apart
      await call(core, 'adjudication.commit', { projectId: project.id, itemId: item(text), reviewerId: lead.id, decisions: [], flag: false });
    }
    const [r] = (await report(core, project.id)).adjudication.reviewers;
    expect(r).toMatchObject({ items: 2, commits: 2, itemsPerHour: null });
    expect(r!.hours).toBeCloseTo(10 / 3600, 12);
  });
});
