import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { ProjectReport, RenderedReport } from '../../shared/contract/reports';
import { call, jsonl, runImport, setup, writeFile } from './helpers';

/** Texts a spreadsheet would run as formulas: each must come out with one leading quote, the rest untouched. */
const FORMULAS = ['=HYPERLINK("http://x","y")', '+1', '-2+3', '@SUM(A1)', '\tleading tab', '\rleading CR'];
/** Texts that must come out byte for byte as they went in. */
const PLAIN = ['你好，请问我的订单到哪了？', '好评👍🏽 全家👨‍👩‍👧 都喜欢', 'he said "refund" twice', 'one, two, three', 'first line\nsecond line', 'crlf\r\ninside', 'x=1 is not a formula'];
/** Annotator names and labels are text too. */
const PEOPLE = ['@evil', '张三'];
const LABELS = ['+加急', '查询订单'];

const FORMULA_START = /^[=+\-@\t\r]/;
const NUMBER = /^-?\d+(\.\d+)?$/;

async function renderedCsv() {
  const { core, dir, project } = await setup();
  // Every item twice, the two annotators always on different intents: each is a disagreement, and κ is below zero.
  const lines = [...FORMULAS, ...PLAIN].flatMap((text) => PEOPLE.map((annotator, i) => ({ text, intent: LABELS[i], annotator })));
  const file = writeFile(dir, 'items.jsonl', jsonl(lines));
  expect((await runImport(core, project.id, file, 'jsonl')).state).toBe('committed');
  const report = await call<ProjectReport>(core, 'reports.project', { projectId: project.id });
  const rendered = await call<RenderedReport>(core, 'reports.render', { projectId: project.id, format: 'csv', language: 'en' });
  return { report, rendered };
}

/** The rows of the table under `title` (after its header), up to the empty line that ends it. */
function table(rows: string[][], title: string): { header: string[]; rows: string[][] } {
  const at = rows.findIndex((r) => r.length === 1 && r[0] === title);
  expect(at, `table "${title}"`).toBeGreaterThanOrEqual(0);
  const end = rows.findIndex((r, i) => i > at && r.length === 1 && r[0] === '');
  return { header: rows[at + 1]!, rows: rows.slice(at + 2, end < 0 ? undefined : end) };
}

describe('the quality report as CSV is safe to open in a spreadsheet', () => {
  it('neutralises formula-like item texts, names and labels, keeps every other text byte for byte and numbers as numbers', async () => {
    const { report, rendered } = await renderedCsv();
    expect(rendered.mime).toBe('text/csv');
    expect(rendered.content.startsWith('\uFEFF')).toBe(true);
    const rows = parse(rendered.content, { bom: true, relax_column_count: true, skip_empty_lines: false }) as string[][];

    // The disagreement table holds every item: dangerous texts with one quote in front, the others exactly.
    const disagreements = table(rows, 'Items with the most disagreement');
    expect(report.disagreements).toHaveLength(FORMULAS.length + PLAIN.length);
    expect(disagreements.header).toEqual(['#', 'Text', 'Disagreement', "'@evil", '张三']);
    const texts = disagreements.rows.map((r) => r[1]);
    expect(texts.sort()).toEqual([...FORMULAS.map((t) => `'${t}`), ...PLAIN].sort());
    expect(disagreements.rows.map((r) => [r[0], r[2], ...r.slice(3)])).toEqual(
      report.disagreements.map((d) => [String(d.ord), d.disagreement.toFixed(3), "'+加急 / 0 spans", '查询订单 / 0 spans']),
    );

    // Agreement: κ is a number below zero and is written as one, without a quote.
    const intents = table(rows, 'Agreement per task').rows.find((r) => r[0] === 'Intents')!;
    const kappa = report.agreement.find((a) => a.task === 'intents')!.fleiss!.value!;
    expect(kappa).toBeLessThan(0);
    expect(intents[4]).toBe(kappa.toFixed(3));
    expect(rendered.content).toContain(`,${kappa.toFixed(3)},`);

    // Per label: the label names are neutralised where they start a formula.
    expect(table(rows, 'Agreement per label').rows.map((r) => r[1])).toEqual(expect.arrayContaining(["'+加急", '查询订单']));

    // Nowhere in the file does a text cell start a formula; a cell that starts with '-' is a number the app computed.
    for (const cell of rows.flat()) if (FORMULA_START.test(cell)) expect(cell, JSON.stringify(cell)).toMatch(NUMBER);
  });

});
