import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { annotatorColumnsInfo } from '../../electron/core/importers/annotatorColumns';
import { openDatabase } from '../../electron/core/db/open';
import type { Core } from '../../electron/core';
import type { ColumnMapping, FileInspection, ProjectDetail } from '../../shared/contract/schemas';
import type { LabelSchemaInput } from '../../shared/domain/labelSchema';
import {
  REPO_ROOT,
  brief,
  call,
  count,
  createProject,
  dumpDatabase,
  freshDir,
  itemByText,
  itemsOf,
  jsonl,
  openCore,
  runImport,
  tempTables,
  writeFile,
  fileToken,
} from './helpers';

const FIXTURE = path.join(REPO_ROOT, 'tests', 'fixtures', 'annotator-columns', 'convabuse-sample.csv');
const CONVABUSE = path.resolve(REPO_ROOT, '..', 'shared', 'datasets', 'convabuse', 'ConvAbuseEMNLPtrain.csv');

const ABUSE_TYPES = ['ableist', 'homophobic', 'intellectual', 'racist', 'sexist', 'sex_harassment', 'transphobic'];
const LEVELS = ['1', '0', '-1', '-2', '-3'];
const FLAGS = [...ABUSE_TYPES, 'explicit', 'implicit'];
const MAPPING: ColumnMapping = { text: 'user', sentimentField: 'is_abuse', intentFlags: ABUSE_TYPES };

/** ConvAbuse's labels: the 5-level abuse scale as sentiment, the abuse types as (multi-label) intents. */
const CONVABUSE_SCHEMA: LabelSchemaInput = {
  intents: { multiLabel: true, labels: ABUSE_TYPES.map((name) => ({ name })) },
  sentiment: { levels: LEVELS.map((name) => ({ name, value: Number(name) })) },
};

async function convAbuseProject() {
  const t = openCore();
  const project = await createProject(t.core, 'ConvAbuse', CONVABUSE_SCHEMA);
  return { ...t, project };
}

/** Each item's annotations as annotator -> [sentiment, intents]. */
async function judgements(core: Core, projectId: string, text: string): Promise<Record<string, [string | null, string[]]>> {
  const detail = await itemByText(core, projectId, text);
  for (const a of detail.annotations) expect(brief(a)).toMatchObject({ entities: [], status: 'submitted' });
  return Object.fromEntries(detail.annotations.map((a) => [a.annotator, [a.sentiment, a.intents]]));
}

/**
 * An independent reading of a ConvAbuse-shaped file with a plain CSV parse: after the 7 item
 * columns, 17 columns per annotator in order (by position, whatever the header calls them).
 */
function plainCount(file: string) {
  const [header, ...rows] = parseCsv(fs.readFileSync(file, 'utf8'), { relax_column_count: false }) as string[][];
  const annotators = (header!.length - 7) / 17;
  const fieldOf = (j: number) => header![7 + j]!.slice(header![7 + j]!.indexOf('_') + 1);
  const used = (j: number) => fieldOf(j).startsWith('is_abuse.') || ABUSE_TYPES.includes(fieldOf(j));
  const badLines: number[] = [];
  const groups: { line: number; text: string; annotator: string; value: string }[] = [];
  rows.forEach((row, n) => {
    const line = n + 2;
    const judged: typeof groups = [];
    let conflict = false;
    for (let a = 0; a < annotators; a++) {
      const cells = row.slice(7 + 17 * a, 7 + 17 * (a + 1));
      if (cells.every((c) => c === '')) continue;
      const first = cells.map((c, j) => {
        const parts = new Set(c.split(',').map((p) => p.trim()));
        if (parts.size > 1 && used(j)) conflict = true;
        return [...parts][0];
      });
      const level = LEVELS.filter((_, k) => first[k] === '1');
      const types = ABUSE_TYPES.filter((_, k) => first[5 + k] === '1');
      judged.push({ line, text: row[5]!, annotator: `Annotator${a + 1}`, value: JSON.stringify([level, types]) });
    }
    if (conflict) badLines.push(line);
    else groups.push(...judged);
  });
  const good = rows.filter((_, n) => !badLines.includes(n + 2));
  // The import appends an annotation when it differs from what that annotator has for the text so far.
  const last = new Map<string, string>();
  let changes = 0;
  for (const g of groups) {
    const key = `${g.annotator}\u0000${g.text}`;
    if (last.get(key) !== g.value) changes++;
    last.set(key, g.value);
  }
  return {
    rows: rows.length,
    badLines,
    goodRows: good.length,
    items: new Set(good.map((r) => r[5])).size,
    groups: groups.length,
    annotations: last.size,
    changes,
    annotators: new Set(groups.map((g) => g.annotator)).size,
  };
}

/** The fixture with one cell replaced (every field re-quoted). */
function withCell(dir: string, line: number, column: string, value: string): string {
  const [header, ...rows] = parseCsv(fs.readFileSync(FIXTURE, 'utf8')) as string[][];
  rows[line - 2]![header!.indexOf(column)] = value;
  const quote = (f: string) => `"${f.replace(/"/g, '""')}"`;
  return writeFile(dir, 'edited.csv', [header!, ...rows].map((r) => r.map(quote).join(',')).join('\n') + '\n');
}

describe('annotator-columns: the header', () => {
  it('finds the annotators and their fields, and reads the misnamed columns of ConvAbuse as their block', () => {
    const [header] = parseCsv(fs.readFileSync(FIXTURE, 'utf8'), { to_line: 1 }) as string[][];
    const info = annotatorColumnsInfo(header!);
    expect(info.annotators).toEqual(['Annotator1', 'Annotator2', 'Annotator3', 'Annotator4', 'Annotator5', 'Annotator6', 'Annotator7', 'Annotator8']);
    expect(info.oneHotFields).toEqual([
      { name: 'is_abuse', values: LEVELS },
      { name: 'target', values: ['generalised', 'individual', 'system'] },
    ]);
    expect(info.flagFields).toEqual(FLAGS);
    expect(info.otherColumns).toEqual(['example_id', 'conv_id', 'prev_agent', 'prev_user', 'agent', 'user', 'bot']);
    expect(info.defaults).toEqual({ text: 'user', id: 'example_id', sentimentField: 'is_abuse', intentField: null, intentFlags: FLAGS });
    // ConvAbuse's header names Annotator7's and Annotator8's transphobic columns "Annotator6_transphobic".
    expect(header!.filter((h) => h === 'Annotator6_transphobic')).toHaveLength(3);
    expect(info.warnings).toEqual([
      expect.stringMatching(/^column 121 is named "Annotator6_transphobic" again but sits among Annotator7's columns.*read as Annotator7's$/),
      expect.stringMatching(/^column 138 is named "Annotator6_transphobic" again but sits among Annotator8's columns.*read as Annotator8's$/),
    ]);
  });

  it('plain prefixes that share no fields are not annotators; a pattern names them explicitly', () => {
    const plain = annotatorColumnsInfo([
      'id',
      'text',
      'prev_agent',
      'prev_user',
      'ann_a_label.pos',
      'ann_a_label.neg',
      'ann_a_rude',
      'ann_b_label.pos',
    ]);
    expect(plain.annotators).toEqual([]);
    const header = [
      'id',
      'text',
      'prev_agent',
      'prev_user',
      'ann_a_label.pos',
      'ann_a_label.neg',
      'ann_a_rude',
      'ann_b_label.pos',
      'ann_b_label.neg',
      'ann_b_rude',
    ];
    const info = annotatorColumnsInfo(header, /^ann_([a-z]+)_(.+)$/u);
    expect(info).toMatchObject({
      annotators: ['a', 'b'],
      oneHotFields: [{ name: 'label', values: ['pos', 'neg'] }],
      flagFields: ['rude'],
      otherColumns: ['id', 'text', 'prev_agent', 'prev_user'],
      defaults: { text: 'text', id: 'id', sentimentField: null, intentField: null, intentFlags: ['rude'] },
      warnings: [],
    });
  });

  it('imports.inspect recognises a ConvAbuse-style CSV and reports its annotators', async () => {
    const { core } = openCore();
    const inspection = await call<FileInspection>(core, 'imports.inspect', { fileToken: fileToken(core, FIXTURE) });
    expect(inspection.format).toBe('annotator-columns');
    expect(inspection.annotatorColumns?.annotators).toHaveLength(8);
    expect(inspection.annotatorColumns?.defaults.sentimentField).toBe('is_abuse');
    // A plain CSV stays CSV and carries no annotator report.
    const { dir } = openCore();
    const plain = writeFile(dir, 'plain.csv', 'text,intent,sentiment\n在吗,其他/转人工,中性\n');
    const p = await call<FileInspection>(core, 'imports.inspect', { fileToken: fileToken(core, plain) });
    expect(p.format).toBe('csv');
    expect(p.annotatorColumns).toBeUndefined();
  });
});

describe('annotator-columns: import', () => {
  it('creates the items with text, id and metadata, and one annotation per annotator who judged the row', async () => {
    const { core, project, internalErrors } = await convAbuseProject();
    const s = await runImport(core, project.id, FIXTURE, 'annotator-columns', { mapping: MAPPING });
    const expected = plainCount(FIXTURE);
    expect(expected).toMatchObject({ rows: 32, badLines: [], items: 29 });
    expect(s).toMatchObject({
      state: 'committed',
      goodRows: 32,
      imported: 29,
      duplicates: 3,
      badLines: 0,
      errors: [],
      fatal: null,
      newLabels: [],
      annotations: expected.changes,
    });
    expect(internalErrors).toEqual([]);
    expect(count(core.db, 'annotations')).toBe(expected.annotations);
    expect(count(core.db, 'annotators')).toBe(8);

    const items = itemsOf(core.db, project.id);
    expect(items).toHaveLength(29);
    expect(items[2]).toMatchObject({
      ord: 3,
      text: 'yea',
      source_line: 4,
      meta: {
        conv_id: '288277.0',
        prev_agent: 'You are being a bit negative.',
        prev_user: 'I hate you',
        agent: 'Do you wish to hate me?',
        bot: 'E.L.I.Z.A.',
      },
    });
    const yea = await itemByText(core, project.id, 'yea');
    expect(yea.item).toMatchObject({ externalId: '1843.0', sourceFile: 'convabuse-sample.csv', annotationCount: 2 });
    // Only Annotator1 and Annotator7 judged it; "explicit" is not mapped, so Annotator1 has no intent.
    expect(await judgements(core, project.id, 'yea')).toEqual({ Annotator1: ['-1', []], Annotator7: ['1', []] });

    // Annotator3's cells read "1, 1" / "0, 0" (a repeated judgement that agrees).
    expect(await judgements(core, project.id, 'yes I am hard')).toEqual({
      Annotator3: ['1', []],
      Annotator4: ['-1', ['sex_harassment']],
      Annotator6: ['-1', ['sex_harassment']],
      Annotator8: ['-2', ['sex_harassment']],
    });
    expect(await judgements(core, project.id, 'fuck off')).toEqual({
      Annotator2: ['-2', []],
      Annotator3: ['-1', []],
      Annotator4: ['-2', []],
    });
    // Annotator8's "transphobic" column is the one the header calls "Annotator6_transphobic"; Annotator6 did not judge the row.
    expect(await judgements(core, project.id, 'you are a boy')).toEqual({
      Annotator3: ['1', []],
      Annotator5: ['1', []],
      Annotator8: ['-2', ['transphobic']],
    });
    const p = await call<ProjectDetail>(core, 'projects.get', { projectId: project.id });
    expect(p).toMatchObject({ itemCount: 29, annotatedCount: 29, schemaVersion: 1 });
    expect(tempTables(core.db)).toEqual([]);
  });

  it('same text on several rows is one item; the annotators of every row are merged; a second import adds nothing', async () => {
    const { core, project } = await convAbuseProject();
    const first = await runImport(core, project.id, FIXTURE, 'annotator-columns', { mapping: MAPPING });
    expect(first.state).toBe('committed');
    // "yes" is on lines 2 (Annotator2, 3, 7), 25 (4, 5, 8) and 32 (4, 5, 7, 8).
    const yes = itemsOf(core.db, project.id).find((i) => i.text === 'yes')!;
    expect(yes).toMatchObject({ ord: 1, source_line: 2, meta: { conv_id: '164070.0' } });
    expect(Object.keys(await judgements(core, project.id, 'yes')).sort()).toEqual([
      'Annotator2',
      'Annotator3',
      'Annotator4',
      'Annotator5',
      'Annotator7',
      'Annotator8',
    ]);
    expect(Object.keys(await judgements(core, project.id, 'ok')).sort()).toEqual(['Annotator1', 'Annotator2', 'Annotator7']);

    const snapshot = dumpDatabase(core.db);
    const again = await runImport(core, project.id, FIXTURE, 'annotator-columns', { mapping: MAPPING });
    expect(again).toMatchObject({ state: 'committed', imported: 0, duplicates: 32, annotations: 0, newLabels: [] });
    const after = dumpDatabase(core.db);
    for (const table of Object.keys(snapshot).filter((k) => k !== 'table:imports')) expect(after[table], table).toEqual(snapshot[table]);
  });

  it('without a mapping: text "user", id "example_id", sentiment from is_abuse, every yes/no field an intent; unknown labels join the schema', async () => {
    const { core } = openCore();
    const project = await createProject(core, '默认标签');
    const s = await runImport(core, project.id, FIXTURE, 'annotator-columns');
    expect(s).toMatchObject({ state: 'committed', imported: 29, badLines: 0 });
    // As with every other format, labels the schema lacks are added to it as a new version.
    // (the sample has no "-3")
    expect(s.newLabels.filter((l) => l.startsWith('sentiment:')).sort()).toEqual(['sentiment:-1', 'sentiment:-2', 'sentiment:0', 'sentiment:1']);
    expect(s.newLabels.filter((l) => l.startsWith('intents:')).sort()).toEqual(
      ['explicit', 'implicit', 'sex_harassment', 'transphobic'].map((l) => `intents:${l}`).sort(),
    );
    expect((await itemByText(core, project.id, 'yea')).item.externalId).toBe('1843.0');
    expect(await judgements(core, project.id, 'yea')).toEqual({ Annotator1: ['-1', ['explicit']], Annotator7: ['1', []] });
    expect(await judgements(core, project.id, 'yes I am hard')).toMatchObject({ Annotator6: ['-1', ['sex_harassment', 'explicit']] });
  });

  it('an intent from a one-hot field; a custom annotator pattern; "" maps nothing', async () => {
    const { core, dir } = openCore();
    const project = await createProject(core, 'pattern');
    const file = writeFile(
      dir,
      'two.csv',
      'uid,msg,rater-A:topic.refund,rater-A:topic.delivery,rater-A:urgent,rater-B:topic.refund,rater-B:topic.delivery,rater-B:urgent\n' +
        'u1,我要退款,1,0,1,0,1,0\n' +
        'u2,快递到哪了,,,,0,1,true\n',
    );
    const mapping: ColumnMapping = {
      text: 'msg',
      id: 'uid',
      annotatorPattern: '^rater-([A-Z]):(.+)$',
      sentimentField: '',
      intentField: 'topic',
      intentFlags: ['urgent'],
    };
    const s = await runImport(core, project.id, file, 'annotator-columns', { mapping });
    expect(s).toMatchObject({ state: 'committed', imported: 2, annotations: 3, badLines: 0 });
    expect(await judgements(core, project.id, '我要退款')).toEqual({ A: [null, ['refund', 'urgent']], B: [null, ['delivery']] });
    expect(await judgements(core, project.id, '快递到哪了')).toEqual({ B: [null, ['delivery', 'urgent']] });
    expect((await itemByText(core, project.id, '快递到哪了')).item).toMatchObject({ externalId: 'u2', meta: {} });
  });
});

describe('annotator-columns: bad input', () => {
  /** A ConvAbuse project that already holds an import, so "unchanged" means something. */
  async function populated() {
    const t = await convAbuseProject();
    const seed = writeFile(t.dir, 'seed.jsonl', jsonl([{ text: 'hello bot', sentiment: '1', intents: ['sexist'], annotator: 'seed' }]));
    expect((await runImport(t.core, t.project.id, seed, 'jsonl')).state).toBe('committed');
    const before = dumpDatabase(t.core.db);
    const expectUnchanged = () => {
      expect(dumpDatabase(t.core.db)).toEqual(before);
      expect(tempTables(t.core.db)).toEqual([]);
    };
    return { ...t, expectUnchanged };
  }

  it('a "2" in a one-hot column is a bad line with its line and reason; with abort the database is unchanged', async () => {
    const { core, dir, project, expectUnchanged } = await populated();
    const file = withCell(dir, 5, 'Annotator3_is_abuse.1', '2');
    const s = await runImport(core, project.id, file, 'annotator-columns', { mapping: MAPPING, onBadLines: 'abort' });
    expect(s).toMatchObject({ state: 'failed', file, badLines: 1, goodRows: 31, imported: 0, fatal: null });
    expect(s.errors).toEqual([{ line: 5, reason: 'column "Annotator3_is_abuse.1": "2" is not 0, 1 or empty' }]);
    expectUnchanged();

    const skipped = await runImport(core, project.id, file, 'annotator-columns', { mapping: MAPPING, onBadLines: 'skip' });
    expect(skipped).toMatchObject({ state: 'committed', badLines: 1, imported: 28, errors: [{ line: 5 }] });
    expect(count(core.db, 'items', 'text = ?', 'Ibadan')).toBe(0);
  });

  it('two values of one field, and repeated judgements that differ, are bad lines', async () => {
    const { core, dir, project, expectUnchanged } = await populated();
    const two = withCell(dir, 5, 'Annotator3_is_abuse.0', '1');
    const s = await runImport(core, project.id, two, 'annotator-columns', { mapping: MAPPING });
    expect(s.errors).toEqual([{ line: 5, reason: 'Annotator3: more than one is_abuse (1, 0)' }]);
    expectUnchanged();

    const differ = withCell(dir, 16, 'Annotator3_sexist', '0, 1');
    const d = await runImport(core, project.id, differ, 'annotator-columns', { mapping: MAPPING });
    expect(d.errors).toEqual([{ line: 16, reason: 'Annotator3 judged this row more than once, differently: column "Annotator3_sexist" is "0, 1"' }]);
    // A column the mapping does not use may differ between repeats.
    const unused = withCell(dir, 16, 'Annotator3_explicit', '0, 1');
    expect(await runImport(core, project.id, unused, 'annotator-columns', { mapping: MAPPING })).toMatchObject({ state: 'committed', badLines: 0 });
  });

  it('a mapped field or column the header lacks, or a header without annotators, refuses the file at line 1', async () => {
    const { core, dir, project, expectUnchanged } = await populated();
    const noField = await runImport(core, project.id, FIXTURE, 'annotator-columns', { mapping: { ...MAPPING, sentimentField: 'toxicity' } });
    expect(noField).toMatchObject({ state: 'failed', imported: 0, fatal: { line: 1, kind: 'missing-column' } });
    expect(noField.fatal?.reason).toMatch(/no one-hot field "toxicity".*one-hot fields: is_abuse, target/);
    const noFlag = await runImport(core, project.id, FIXTURE, 'annotator-columns', { mapping: { ...MAPPING, intentFlags: ['spam'] } });
    expect(noFlag.fatal?.reason).toMatch(/no yes\/no field "spam"/);
    const noText = await runImport(core, project.id, FIXTURE, 'annotator-columns', { mapping: { text: 'Annotator1_racist' } });
    expect(noText.fatal?.reason).toMatch(/no column "Annotator1_racist" for the text outside the annotators' columns/);
    const plain = writeFile(dir, 'plain.csv', 'text,intent\n在吗,其他/转人工\n');
    const none = await runImport(core, project.id, plain, 'annotator-columns');
    expect(none.fatal?.reason).toMatch(/no annotator column groups/);
    const badPattern = await runImport(core, project.id, FIXTURE, 'annotator-columns', {
      mapping: { ...MAPPING, annotatorPattern: '^Annotator\\d+_.+$' },
    });
    expect(badPattern.fatal).toMatchObject({ kind: 'bad-mapping', reason: expect.stringMatching(/needs two groups/) });
    expectUnchanged();
  });
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function annot(...args: string[]): Promise<Run> {
  const tsx = path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
  return new Promise((resolve, reject) => {
    execFile(tsx, ['electron/cli/index.ts', ...args], { cwd: REPO_ROOT, timeout: 60_000, maxBuffer: 10 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') return reject(error);
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

describe('annotator-columns: the CLI', () => {
  it('annot import --format annotator-columns with --sentiment-field and --intent-flags', async () => {
    const dir = freshDir();
    const db = path.join(dir, 'cli.db');
    const r = await annot(
      'import',
      '--db',
      db,
      '--project',
      'ConvAbuse',
      '--file',
      FIXTURE,
      '--format',
      'annotator-columns',
      '--sentiment-field',
      'is_abuse',
      '--intent-flags',
      ABUSE_TYPES.join(','),
      '--json',
    );
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
    expect(out).toMatchObject({ state: 'committed', imported: 29, duplicates: 3, errors: [], annotations: plainCount(FIXTURE).changes });
    const d = openDatabase(db);
    try {
      const names = (d.prepare('SELECT name FROM annotators ORDER BY name').all() as { name: string }[]).map((x) => x.name);
      expect(names).toEqual(['Annotator1', 'Annotator2', 'Annotator3', 'Annotator4', 'Annotator5', 'Annotator6', 'Annotator7', 'Annotator8']);
      const row = d
        .prepare(
          `SELECT a.sentiment, a.intents_json FROM annotations a JOIN annotators n ON n.id = a.annotator_id JOIN items i ON i.id = a.item_id
           WHERE n.name = 'Annotator8' AND i.text = 'you are a boy'`,
        )
        .get();
      expect(row).toEqual({ sentiment: '-2', intents_json: '["transphobic"]' });
      // The text column was detected; example_id is the item's id.
      expect(d.prepare("SELECT external_id FROM items WHERE text = 'yea'").get()).toEqual({ external_id: '1843.0' });
    } finally {
      d.close();
    }

    const bad = await annot(
      'import',
      '--db',
      db,
      '--project',
      'other',
      '--file',
      FIXTURE,
      '--format',
      'annotator-columns',
      '--sentiment-field',
      'nope',
      '--json',
    );
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout.trim().split('\n').at(-1)!)).toMatchObject({
      imported: 0,
      errors: [{ line: 1, reason: expect.stringMatching(/no one-hot field "nope"/) }],
    });
  });
});

describe('annotator-columns: the full ConvAbuse train split', () => {
  it.skipIf(!fs.existsSync(CONVABUSE))('imports every judgement of every annotator', async () => {
    const expected = plainCount(CONVABUSE);
    // Measured on 2_splits/ConvAbuseEMNLPtrain.csv: in 19 rows an annotator's repeated judgements
    // disagree on is_abuse or an abuse type; the 2,482 others hold 1,814 distinct texts and 7,344
    // judgements, 5,732 distinct (text, annotator) once the same text on several rows is one item.
    expect(expected).toMatchObject({ rows: 2501, goodRows: 2482, items: 1814, groups: 7344, annotations: 5732, changes: 5858, annotators: 8 });
    expect(expected.badLines).toHaveLength(19);

    const { core, project, internalErrors } = await convAbuseProject();
    const before = dumpDatabase(core.db);
    const aborted = await runImport(core, project.id, CONVABUSE, 'annotator-columns', { mapping: MAPPING });
    expect(aborted).toMatchObject({ state: 'failed', badLines: 19, imported: 0 });
    expect(aborted.errors.map((e) => e.line)).toEqual(expected.badLines);
    for (const e of aborted.errors)
      expect(e.reason).toMatch(/^Annotator\d judged this row more than once, differently: column "Annotator\d_[a-z_]+(\.-?\d)?" is "[01](, [01])+"$/);
    expect(dumpDatabase(core.db)).toEqual(before);

    const s = await runImport(core, project.id, CONVABUSE, 'annotator-columns', { mapping: MAPPING, onBadLines: 'skip' });
    expect(s).toMatchObject({
      state: 'committed',
      linesRead: 2502,
      goodRows: expected.goodRows,
      imported: expected.items,
      duplicates: expected.goodRows - expected.items,
      badLines: expected.badLines.length,
      annotations: expected.changes,
      newLabels: [],
    });
    expect(internalErrors).toEqual([]);
    expect(count(core.db, 'items')).toBe(expected.items);
    expect(count(core.db, 'annotations')).toBe(expected.annotations);
    expect(count(core.db, 'annotators')).toBe(expected.annotators);
  });
});
