import { describe, expect, it } from 'vitest';
import { ProjectReport, type RenderedReport } from '../../shared/contract/reports';
import type { Annotator, LabelingItem } from '../../shared/contract/schemas';
import path from 'node:path';
import { call, createProject, freshDir, runImport, setup, writeFile, openCore } from './helpers';

/** Fleiss (1971): 30 subjects × 6 raters, 5 diagnoses (R irr `diagnoses`). */
const DIAGNOSES =
  '444444 222555 233335 555555 222444 113333 333355 113334 114444 555555 144444 124444 222333 144444 224445 333335 111455 111112 224444 133555 555555 244444 224555 114444 144445 222224 111155 224444 133333 555555'.split(
    ' ',
  );

/** Krippendorff (2011): 4 coders × 12 units, values 1…5, '.' missing. */
const KRIPP_ROWS = ['1 2 3 3 2 1 4 1 2 . . .', '1 2 3 3 2 2 4 1 2 5 . 3', '. 3 3 3 2 3 4 2 2 5 1 .', '1 2 3 3 2 4 4 1 2 5 1 .'].map((r) =>
  r.split(' '),
);

const DIGITS = ['1', '2', '3', '4', '5'];

async function projectWith(lines: object[], schema: object) {
  const t = await setup();
  const project = await createProject(t.core, 'reference', schema as never);
  const file = writeFile(t.dir, 'ratings.jsonl', lines.map((l) => JSON.stringify(l)).join('\n'));
  expect((await runImport(t.core, project.id, file, 'jsonl')).state).toBe('committed');
  return { ...t, project };
}

const report = (core: Awaited<ReturnType<typeof setup>>['core'], projectId: string, filter = {}) =>
  call<ProjectReport>(core, 'reports.project', { projectId, filter });

describe('project report: agreement from the database matches published values', () => {
  it('Fleiss (1971) diagnoses imported as intents: Fleiss κ, nominal α, Cohen κ of raters 2 and 3', async () => {
    const lines = DIAGNOSES.flatMap((row, s) => [...row].map((d, r) => ({ text: `subject ${s + 1}`, intent: d, annotator: `rater ${r + 1}` })));
    const { core, project } = await projectWith(lines, { intents: { labels: DIGITS.map((name) => ({ name })) } });
    const r = await report(core, project.id);
    expect(ProjectReport.parse(r)).toEqual(r);
    const intents = r.agreement.find((a) => a.task === 'intents')!;
    expect(intents.items).toBe(30);
    expect(intents.annotators).toBe(6);
    expect(intents.fleiss!.value).toBeCloseTo(0.4302445, 6);
    expect(intents.alpha!.value).toBeCloseTo(0.4334098, 6);
    expect(intents.fleiss!.low!).toBeLessThan(intents.fleiss!.value!);
    expect(intents.fleiss!.high!).toBeGreaterThan(intents.fleiss!.value!);
    const pair = r.pairwise.find((p) => p.task === 'intents')!;
    const name = new Map(r.annotators.map((a) => [a.name, pair.annotatorIds.indexOf(a.id)]));
    expect(pair.matrix[name.get('rater 2')!]![name.get('rater 3')!]).toBeCloseTo(0.6311475, 6);
    expect(pair.shared[name.get('rater 2')!]![name.get('rater 3')!]).toBe(30);
    expect(r.totals).toMatchObject({ items: 30, annotatedItems: 30, overlapItems: 30, annotations: 180, annotators: 6 });
    // Every label's yes/no agreement and the most confused pair come from the same table.
    expect(r.perLabel.filter((l) => l.task === 'intents').map((l) => l.label)).toEqual(DIGITS);
    expect(r.confusions[0]).toMatchObject({ task: 'intents' });
    // Subjects where all six agree have no disagreement; the top item is one where they split.
    expect(r.disagreements.every((d) => d.disagreement > 0)).toBe(true);
    expect(r.disagreements[0]!.annotations).toHaveLength(6);
  });

  it('Krippendorff (2011) reliability data as sentiment with missing values: ordinal α', async () => {
    const lines = KRIPP_ROWS.flatMap((row, c) =>
      row.flatMap((v, u) => (v === '.' ? [] : [{ text: `unit ${u + 1}`, sentiment: v, annotator: `coder ${'ABCD'[c]}` }])),
    );
    const { core, project } = await projectWith(lines, { sentiment: { levels: DIGITS.map((name, i) => ({ name, value: i + 1 })) } });
    const r = await report(core, project.id);
    const sentiment = r.agreement.find((a) => a.task === 'sentiment')!;
    // Unit 12 has one value only: not pairable. Ordinal α on the 1…5 scale: 0.815 (Krippendorff 2011).
    expect(sentiment.items).toBe(11);
    expect(sentiment.alpha!.value).toBeCloseTo(0.8153875, 6);
  });
});

describe('per-annotator report', () => {
  it('scores annotators against gold items and each other, with speed, self-consistency and suggestion use', async () => {
    const { core, dir } = openCore();
    const project = await createProject(core, 'gold');
    const texts = Array.from({ length: 12 }, (_, i) => `我的订单${i}怎么还没到`);
    const gold = texts.slice(0, 4).map((text) => ({ text, intent: '物流进度', sentiment: '消极', annotator: 'gold', gold: true }));
    const file = writeFile(dir, 'items.jsonl', [...gold, ...texts.slice(4).map((text) => ({ text }))].map((l) => JSON.stringify(l)).join('\n'));
    expect((await runImport(core, project.id, file, 'jsonl')).state).toBe('committed');

    const people = await Promise.all(['甲', '乙', '丙'].map((name) => call<Annotator>(core, 'annotators.create', { name })));
    const label = async (annotator: Annotator, ord: number, intent: string, seconds: number, source?: 'accepted-suggestion') => {
      const item = (await call<LabelingItem>(core, 'labeling.at', { projectId: project.id, annotatorId: annotator.id, ord }))!;
      const started = new Date(Date.now() - seconds * 1000).toISOString();
      await call(core, 'labeling.apply', {
        projectId: project.id,
        itemId: item.item.id,
        annotatorId: annotator.id,
        startedAt: started,
        changes: [
          { kind: 'intents', value: [intent] },
          { kind: 'status', value: 'submitted' },
        ],
        ...(source ? { source } : {}),
      });
    };
    // 甲 and 乙 right on all gold items; 丙 wrong on two of the four, fast, and accepting suggestions.
    for (let ord = 1; ord <= 12; ord++) {
      await label(people[0]!, ord, '物流进度', 20);
      await label(people[1]!, ord, ord % 2 ? '物流进度' : '查询订单', 30);
      await label(people[2]!, ord, ord <= 2 ? '投诉' : '物流进度', 4, 'accepted-suggestion');
    }
    // 甲 revisits item 5 and changes its mind.
    await label(people[0]!, 5, '查询订单', 10);

    const r = await call<ProjectReport>(core, 'reports.project', { projectId: project.id, filter: {} });
    expect(r.annotators.map((a) => a.name).sort()).toEqual(['丙', '乙', '甲']);
    const by = new Map(r.perAnnotator.map((a) => [a.name, a]));
    expect(by.get('甲')!.vsGold.intents).toEqual({ n: 4, correct: 4, accuracy: 1 });
    expect(by.get('丙')!.vsGold.intents).toEqual({ n: 4, correct: 2, accuracy: 0.5 });
    expect(by.get('乙')!.vsGold.intents).toEqual({ n: 4, correct: 2, accuracy: 0.5 });
    // Items 5…12: the majority of the two others, where they agree: 7, 9 and 11 (on 5, 甲 changed to 查询订单;
    // on even items 乙 said 查询订单).
    expect(by.get('丙')!.vsMajority.intents).toEqual({ n: 3, correct: 3, accuracy: 1 });
    expect(by.get('甲')!.selfConsistency).toEqual({ items: 1, agreement: 0 });
    expect(by.get('乙')!.selfConsistency.items).toBe(0);
    expect(by.get('丙')!.suggestions).toMatchObject({ accepted: 12, acceptRate: 1, acceptedWrong: 2 });
    expect(by.get('甲')!.speed.medianSeconds).toBeCloseTo(20, 0);
    expect(by.get('丙')!.speed.itemsPerHour).toBeCloseTo(3600 / 4, -1);
    expect(by.get('甲')!.drift).toHaveLength(1);
    const perLabel = by.get('乙')!.perLabel.find((l) => l.label === '物流进度')!;
    expect(perLabel.precision).toBe(1);
    // Filters: one annotator's view, and a date range that excludes everything.
    const only = await call<ProjectReport>(core, 'reports.project', { projectId: project.id, filter: { annotatorIds: [people[0]!.id] } });
    expect(only.perAnnotator.map((a) => a.name)).toEqual(['甲']);
    const none = await call<ProjectReport>(core, 'reports.project', { projectId: project.id, filter: { to: '2000-01-01T00:00:00Z' } });
    expect(none.totals.annotations).toBe(0);
    expect(none.agreement.find((a) => a.task === 'intents')!.fleiss!.value).toBeNull();

    for (const format of ['json', 'csv', 'html'] as const) {
      const out = await call<RenderedReport>(core, 'reports.render', { projectId: project.id, filter: {}, format, language: 'en' });
      expect(out.fileName).toMatch(new RegExp(`\\.${format}$`));
      if (format === 'json') expect(JSON.parse(out.content)).toMatchObject({ projectId: project.id, totals: r.totals });
      if (format === 'csv') {
        expect(out.content.startsWith('\uFEFF')).toBe(true);
        expect(out.content).toContain('Annotators');
        expect(out.content).toContain('甲');
      }
      if (format === 'html') {
        expect(out.content).toMatch(/^<!doctype html>/);
        expect(out.content).not.toMatch(/<script|<link|https?:\/\//);
        expect(out.content).toContain('<svg');
      }
    }
  });
});

describe('entity-span agreement in the report', () => {
  it('equals the pairwise span agreement of the metrics library, pair by pair and in total', async () => {
    const { pairwiseSpanAgreement } = await import('../../shared/domain/agreement');
    const span = (start: number, end: number, label: string) => ({ start, end, label });
    // Items × annotators: identical lists, a boundary difference, a type difference, a missing span, empty lists, an escaped label.
    const table: Record<string, { start: number; end: number; label: string }[]>[] = [
      { A: [span(0, 4, '订单号')], B: [span(0, 4, '订单号')], C: [span(0, 4, '订单号')] },
      { A: [span(0, 4, '订单号'), span(6, 8, '日期')], B: [span(0, 3, '订单号'), span(6, 8, '日期')], C: [span(6, 8, '日期')] },
      { A: [span(2, 5, '商品')], B: [span(2, 5, '金额')], C: [] },
      { A: [], B: [], C: [] },
      { A: [span(1, 3, 'say "hi"')], B: [span(1, 3, 'say "hi"')], C: [span(1, 2, 'say "hi"')] },
    ];
    const lines = table.flatMap((row, i) =>
      // An intent too, so an empty span list is still an annotation.
      Object.entries(row).map(([annotator, entities]) => ({ text: `第${i + 1}条 订单20240101日期`, intent: '查询订单', entities, annotator })),
    );
    const { core, project } = await projectWith(lines, {
      entities: { types: ['订单号', '日期', '商品', '金额', 'say "hi"'].map((name) => ({ name })) },
    });
    const r = await report(core, project.id);
    const names = ['A', 'B', 'C'];
    const expected = pairwiseSpanAgreement({
      annotators: names,
      items: table.map((row, i) => ({ id: String(i), spans: names.map((n) => row[n]!) })),
    });
    const entities = r.agreement.find((a) => a.task === 'entities')!;
    let tp = 0;
    let spans = 0;
    let ov = 0;
    const kinds = { boundary: 0, type: 0, missing: 0 };
    for (const p of expected) {
      tp += p.agreement.exact.truePositives;
      ov += p.agreement.overlap.truePositives;
      spans += p.agreement.exact.reference + p.agreement.exact.candidate;
      kinds.boundary += p.agreement.counts.boundary;
      kinds.type += p.agreement.counts.type;
      kinds.missing += p.agreement.counts.missingInCandidate + p.agreement.counts.missingInReference;
    }
    expect(entities.spans!.exactF1).toBeCloseTo((2 * tp) / spans, 12);
    expect(entities.spans!.overlapF1).toBeCloseTo((2 * ov) / spans, 12);
    expect(entities.spans).toMatchObject(kinds);
    const matrix = r.pairwise.find((p) => p.task === 'entities')!;
    const col = new Map(r.annotators.map((a) => [a.name, matrix.annotatorIds.indexOf(a.id)]));
    for (const p of expected) {
      expect(matrix.matrix[col.get(p.first)!]![col.get(p.second)!]).toBeCloseTo(p.agreement.exact.f1!, 12);
    }
    // Per type: the escaped label is read like the others.
    expect(r.perLabel.find((l) => l.task === 'entities' && l.label === 'say "hi"')).toMatchObject({ uses: 3 });
  });
});

describe('median by selection', () => {
  it('equals the median of the sorted values, odd and even counts, with ties', async () => {
    const { medianInPlace } = await import('../../electron/core/services/reports/annotators');
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (const n of [1, 2, 3, 4, 5, 10, 11, 100, 101, 1000, 1001]) {
      const values = Float64Array.from({ length: n }, () => Math.floor(next() * 20));
      const sorted = Float64Array.from(values).sort();
      const expected = n % 2 ? sorted[n >> 1]! : (sorted[(n >> 1) - 1]! + sorted[n >> 1]!) / 2;
      expect(medianInPlace(values)).toBe(expected);
    }
  });
});

describe('a big project read by two threads', () => {
  it('gives the same report as one thread', async () => {
    const { writeReportsProject } = await import('../bench/reports-data');
    const { openDatabase } = await import('../../electron/core/db/open');
    const { buildProjectReport } = await import('../../electron/core/services/reports');
    const { PARALLEL_MIN_ITEMS } = await import('../../electron/core/services/reports/parallelRead');
    const dbPath = path.join(freshDir(), 'big.db');
    const { projectId, annotations } = await writeReportsProject(dbPath, PARALLEL_MIN_ITEMS + 2_000);
    const db = openDatabase(dbPath);
    try {
      const filter = { from: null, to: null, annotatorIds: [], labels: [] };
      const now = () => new Date('2026-11-26T00:00:00Z');
      const both = await buildProjectReport(db, projectId, filter, now);
      const one = await buildProjectReport(db, projectId, filter, now, { parallel: false });
      expect(both.totals.annotations).toBe(annotations);
      expect({ ...both, seconds: 0 }).toEqual({ ...one, seconds: 0 });
    } finally {
      db.close();
    }
  }, 120_000);
});
