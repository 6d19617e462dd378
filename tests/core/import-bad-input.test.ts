import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Core } from '../../electron/core';
import { MAX_LINE_BYTES } from '../../electron/core/importers/lines';
import type { ImportStatus } from '../../shared/contract/schemas';
import {
  call,
  count,
  dumpDatabase,
  encodeGb18030,
  encodeUtf16le,
  itemsOf,
  jsonl,
  peakRssGrowth,
  runImport,
  setup,
  tempTables,
  writeFile,
  fileToken,
} from './helpers';

/** A project that already holds items, annotations and a committed import, so "unchanged" means something. */
async function populated() {
  const t = await setup();
  const seed = writeFile(
    t.dir,
    'seed.jsonl',
    jsonl([
      { text: '已有的第一条', intent: '查询订单', sentiment: '中性', annotator: 'seed' },
      { text: '已有的第二条', entities: [{ start: 0, end: 2, label: '商品' }], annotator: 'seed' },
      { text: '已有的第三条' },
    ]),
  );
  expect((await runImport(t.core, t.project.id, seed, 'jsonl')).state).toBe('committed');
  const before = dumpDatabase(t.core.db);
  /** The database is exactly as it was after the seed import, and no staging table is left. */
  const expectUnchanged = (): void => {
    expect(dumpDatabase(t.core.db)).toEqual(before);
    expect(tempTables(t.core.db)).toEqual([]);
  };
  return { ...t, before, expectUnchanged };
}

const GOOD_AND_BAD =
  ['{"text": "好的第一行", "intent": "投诉"}', '{"text": "好的第二行"}', '{"text": "坏的一行", "intent": ', '{"text": "好的第三行"}'].join('\n') +
  '\n';

function expectFatal(s: ImportStatus, reason: RegExp, line: number | null = null): void {
  expect(s.state).toBe('failed');
  expect(s.fatal).not.toBeNull();
  expect(s.fatal?.line).toBe(line);
  expect(s.fatal?.reason).toMatch(reason);
  expect(s.imported).toBe(0);
}

describe('bad input: bad lines', () => {
  it("a malformed JSON line with 'abort' fails, names the line, and changes nothing", async () => {
    const { core, dir, project, expectUnchanged } = await populated();
    const file = writeFile(dir, 'bad.jsonl', GOOD_AND_BAD);
    const s = await runImport(core, project.id, file, 'jsonl', { onBadLines: 'abort' });
    expect(s).toMatchObject({ state: 'failed', badLines: 1, goodRows: 3, imported: 0, fatal: null, linesRead: 4 });
    expect(s.errors).toHaveLength(1);
    expect(s.errors[0]?.line).toBe(3);
    expect(s.errors[0]?.reason).toMatch(/malformed JSON/);
    expect(s.file).toBe(file);
    expectUnchanged();
    expect(await call<ImportStatus>(core, 'imports.get', { importId: s.id })).toMatchObject({ state: 'failed', errors: s.errors });
  });

  it("with 'ask' it waits for a decision; 'discard' leaves the database unchanged", async () => {
    const { core, dir, project, expectUnchanged, before } = await populated();
    const file = writeFile(dir, 'bad.jsonl', GOOD_AND_BAD);
    const s = await runImport(core, project.id, file, 'jsonl', { onBadLines: 'ask' });
    expect(s).toMatchObject({ state: 'needs-decision', badLines: 1, goodRows: 3, imported: 0 });
    expect(s.errors).toEqual([{ line: 3, reason: expect.stringMatching(/malformed JSON/) }]);
    expect(dumpDatabase(core.db)).toEqual(before);

    const d = await call<ImportStatus>(core, 'imports.decide', { importId: s.id, decision: 'discard' });
    expect(d.state).toBe('discarded');
    expectUnchanged();

    const again = await core.dispatch('imports.decide', { importId: s.id, decision: 'import-good' });
    expect(again.ok).toBe(false);
    if (!again.ok) expect(again.error.code).toBe('IMPORT_STATE');
    expectUnchanged();
  });

  it("with 'ask', 'import-good' imports the good lines only", async () => {
    const { core, dir, project } = await populated();
    const file = writeFile(dir, 'bad.jsonl', GOOD_AND_BAD);
    const s = await runImport(core, project.id, file, 'jsonl', { onBadLines: 'ask' });
    expect(s.state).toBe('needs-decision');
    // The decision starts the commit and answers at once; progress and the end arrive as events.
    expect(await call<ImportStatus>(core, 'imports.decide', { importId: s.id, decision: 'import-good' })).toMatchObject({ state: 'running' });
    const d = await core.imports.waitFor(s.id);
    expect(d).toMatchObject({ state: 'committed', imported: 3, badLines: 1, annotations: 1 });
    expect(itemsOf(core.db, project.id).map((i) => [i.ord, i.text])).toEqual([
      [1, '已有的第一条'],
      [2, '已有的第二条'],
      [3, '已有的第三条'],
      [4, '好的第一行'],
      [5, '好的第二行'],
      [6, '好的第三行'],
    ]);
    expect(count(core.db, 'items', "text LIKE '%坏%'")).toBe(0);
    expect(tempTables(core.db)).toEqual([]);
  });

  it("with 'skip' the good lines are imported and the bad ones reported", async () => {
    const { core, dir, project } = await populated();
    const file = writeFile(
      dir,
      'mixed.jsonl',
      [
        '{"text": "一"}',
        'not json at all',
        '[1, 2, 3]',
        '{"text": ""}',
        '{"no_text": "x"}',
        '{"text": "二", "entities": [{"start": 0, "end": 9, "label": "商品"}]}',
        '{"text": "三", "gold": "yes"}',
        '{"text": "四", "intents": {"a": 1}}',
        '{"text": "五"}',
      ].join('\n'),
    );
    const s = await runImport(core, project.id, file, 'jsonl', { onBadLines: 'skip' });
    expect(s).toMatchObject({ state: 'committed', imported: 2, badLines: 7 });
    expect(s.errors.map((e) => e.line)).toEqual([2, 3, 4, 5, 6, 7, 8]);
    expect(s.errors.map((e) => e.reason)).toEqual([
      expect.stringMatching(/malformed JSON/),
      'expected a JSON object',
      '"text" is empty',
      'no "text" field',
      'entity "商品" [0, 9): end 9 is past the end of the text (1 characters)',
      '"gold" must be true or false',
      '"intents" must be a label or a list of labels',
    ]);
    expect(
      itemsOf(core.db, project.id)
        .slice(3)
        .map((i) => i.text),
    ).toEqual(['一', '五']);
  });

  it('a span past the end of the text is a bad line naming the span and the text length (emoji counted as one)', async () => {
    const { core, dir, project, expectUnchanged } = await populated();
    const text = '😡订单DD123'; // 8 code points, 9 UTF-16 units
    const file = writeFile(
      dir,
      'span.jsonl',
      jsonl([
        { text: '正常的一行', annotator: 'a', intent: '投诉' },
        { text, entities: [{ start: 3, end: 9, label: '订单号' }], annotator: 'a' },
      ]),
    );
    const s = await runImport(core, project.id, file, 'jsonl', { onBadLines: 'abort' });
    expect(s.state).toBe('failed');
    expect(s.errors).toEqual([{ line: 2, reason: 'entity "订单号" [3, 9): end 9 is past the end of the text (8 characters)' }]);
    expectUnchanged();
  });

  it('an undecodable line in a UTF-8 file is a bad line, not a wrong guess of the encoding', async () => {
    const { core, dir, project, expectUnchanged } = await populated();
    const lines = Array.from({ length: 20 }, (_, i) => Buffer.from(`{"text": "第${i}行"}\n`));
    lines.splice(5, 0, Buffer.concat([Buffer.from('{"text": "'), Buffer.from([0xc4, 0xe3, 0xff]), Buffer.from('"}\n')]));
    const file = writeFile(dir, 'mixed-enc.jsonl', Buffer.concat(lines));
    const s = await runImport(core, project.id, file, 'jsonl', { onBadLines: 'abort' });
    expect(s).toMatchObject({ state: 'failed', encoding: 'utf-8', badLines: 1 });
    expect(s.errors).toEqual([{ line: 6, reason: 'not valid UTF-8 text' }]);
    expectUnchanged();
  });

  it('a GB18030 file: detected and read as Chinese; a line cut inside a character is a bad line; abort changes nothing', async () => {
    const { core, dir, project, expectUnchanged } = await populated();
    const good = (i: number) => encodeGb18030(`{"text": "订单第${i}行"}\n`);
    const cut = Buffer.concat([encodeGb18030('{"text": "你'), Buffer.from([0xba]), Buffer.from('"}\n')]);
    const file = writeFile(dir, 'gbk.jsonl', Buffer.concat([good(1), good(2), cut, good(3)]));
    const refused = await runImport(core, project.id, file, 'jsonl', { onBadLines: 'abort' });
    expect(refused).toMatchObject({ state: 'failed', encoding: 'gb18030', badLines: 1, goodRows: 3 });
    expect(refused.errors).toEqual([{ line: 3, reason: 'not valid GB18030 text' }]);
    expectUnchanged();
    const skipped = await runImport(core, project.id, file, 'jsonl', { onBadLines: 'skip' });
    expect(skipped).toMatchObject({ state: 'committed', imported: 3 });
    expect(
      itemsOf(core.db, project.id)
        .slice(-3)
        .map((i) => i.text),
    ).toEqual(['订单第1行', '订单第2行', '订单第3行']);
  });

  it('an undecodable line in a UTF-16LE file (a lone surrogate) is a bad line, not text with U+FFFD in it', async () => {
    const { core, dir, project, expectUnchanged } = await populated();
    const bytes = Buffer.concat([
      encodeUtf16le('好的一行\r\n'),
      Buffer.from([0x3d, 0xd8]), // a high surrogate with no low one after it
      Buffer.from('坏了\r\n好的二行\r\n', 'utf16le'),
    ]);
    const file = writeFile(dir, 'lone.txt', bytes);
    const s = await runImport(core, project.id, file, 'txt', { onBadLines: 'abort' });
    expect(s.encoding).toBe('utf-16le');
    expect(s.state).toBe('failed');
    expect(s.errors).toEqual([{ line: 2, reason: expect.stringMatching(/not valid UTF-16LE text/) }]);
    expect(count(core.db, 'items', "text LIKE '%' || char(65533) || '%'")).toBe(0);
    expectUnchanged();
  });

  it('reports at most 1000 bad lines but counts them all', async () => {
    const { core, dir, project, expectUnchanged } = await populated();
    const file = writeFile(dir, 'many-bad.jsonl', `${Array.from({ length: 1500 }, (_, i) => `{"text": "${i}"`).join('\n')}\n{"text": "ok"}\n`);
    const s = await runImport(core, project.id, file, 'jsonl', { onBadLines: 'abort' });
    expect(s).toMatchObject({ state: 'failed', badLines: 1500, goodRows: 1 });
    expect(s.errors).toHaveLength(1000);
    expect(s.errors[999]?.line).toBe(1000);
    expectUnchanged();
  });

  it('CSV: a record with the wrong number of fields and an unclosed quote are bad lines with their numbers', async () => {
    const { core, dir, project, expectUnchanged } = await populated();
    const file = writeFile(dir, 'bad.csv', 'text,intent\n好的,投诉\n多了,一个,字段\n也好的,\n"没有闭合的引号,投诉\n');
    const s = await runImport(core, project.id, file, 'csv', { onBadLines: 'abort' });
    expect(s.state).toBe('failed');
    expect(s.badLines).toBe(2);
    expect(s.errors[0]).toEqual({ line: 3, reason: 'has 3 fields, the header has 2' });
    expect(s.errors[1]?.reason).toMatch(/quoted field is never closed/);
    expectUnchanged();
  });
});

describe('bad input: files refused as a whole', () => {
  it('a CSV without the mapped text column: fatal at line 1, naming the column', async () => {
    const { core, dir, project, expectUnchanged } = await populated();
    const file = writeFile(dir, 'nocol.csv', 'review,intent\n很好,投诉\n');
    const s = await runImport(core, project.id, file, 'csv', { mapping: { text: 'content' } });
    expectFatal(s, /no column "content" for the text/, 1);
    expect(s.fatal?.reason).toContain(file);
    expect(s.fatal?.reason).toContain('review, intent');
    expectUnchanged();
  });

  it('a CSV whose text column cannot be guessed: fatal at line 1', async () => {
    const { core, dir, project, expectUnchanged } = await populated();
    const file = writeFile(dir, 'guess.csv', 'a,b\n1,2\n');
    const s = await runImport(core, project.id, file, 'csv');
    expectFatal(s, /line 1: no text column/, 1);
    expectUnchanged();
  });

  it('an empty file', async () => {
    const { core, dir, project, expectUnchanged } = await populated();
    const file = writeFile(dir, 'empty.jsonl', '');
    const s = await runImport(core, project.id, file, 'jsonl');
    expectFatal(s, /the file is empty/);
    expect(s.fatal?.reason).toContain(file);
    expectUnchanged();
  });

  it('a file of blank lines holds no items', async () => {
    const { core, dir, project, expectUnchanged } = await populated();
    const file = writeFile(dir, 'blank.txt', '\n   \r\n\t\n');
    const s = await runImport(core, project.id, file, 'txt');
    expectFatal(s, /holds no items/);
    expectUnchanged();
  });

  it('a file that is not text (PNG header and random bytes)', async () => {
    const { core, dir, project, expectUnchanged } = await populated();
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52]);
    const file = writeFile(dir, 'picture.jsonl', Buffer.concat([png, crypto.randomBytes(200_000)]));
    for (const format of ['jsonl', 'csv', 'txt', 'labelstudio'] as const) {
      const s = await runImport(core, project.id, file, format, { onBadLines: 'skip' });
      expectFatal(s, /not a text file/);
      expect(s.fatal?.reason).toContain(file);
    }
    expectUnchanged();
  });

  it('random bytes without NULs are still refused, not imported as mojibake', async () => {
    const { core, dir, project, expectUnchanged } = await populated();
    const bytes = crypto.randomBytes(100_000).map((b) => (b === 0 ? 0xff : b));
    const file = writeFile(dir, 'noise.txt', bytes);
    const s = await runImport(core, project.id, file, 'txt', { onBadLines: 'abort' });
    expect(s.state).toBe('failed');
    expect(s.imported).toBe(0);
    expectUnchanged();
  });

  it('a file that does not exist', async () => {
    const { core, dir, project, expectUnchanged, internalErrors } = await populated();
    const missing = path.join(dir, 'nope', 'missing.jsonl');
    const s = await runImport(core, project.id, missing, 'jsonl');
    expectFatal(s, /the file does not exist/);
    expect(s.fatal?.reason).toBe(`${missing}: the file does not exist`);
    expect(internalErrors).toEqual([]);
    expectUnchanged();
  });

  it('a folder instead of a file is a clear BAD_FILE reason, not an internal error', async () => {
    const { core, dir, project, expectUnchanged, internalErrors } = await populated();
    const folder = path.join(dir, 'a-folder.txt');
    fs.mkdirSync(folder);
    const s = await runImport(core, project.id, folder, 'txt');
    expectFatal(s, /this is a folder, not a file/);
    expect(s.fatal?.reason).not.toMatch(/internal error/);
    expect(internalErrors).toEqual([]);
    expectUnchanged();
  });

  it('a Label Studio file that is not a list, or whose JSON breaks off', async () => {
    const { core, dir, project, expectUnchanged } = await populated();
    const obj = writeFile(dir, 'obj.json', '{"id": 1, "data": {"text": "x"}}');
    expectFatal(await runImport(core, project.id, obj, 'labelstudio'), /list of tasks/);
    const cut = writeFile(dir, 'cut.json', '[{"id": 1, "data": {"text": "第一条"}}, {"id": 2, "data": {"text": "第二');
    expectFatal(await runImport(core, project.id, cut, 'labelstudio', { onBadLines: 'skip' }), /JSON ends before the list of tasks is closed/);
    const broken = writeFile(dir, 'broken.json', '[{"id": 1, "data": {"text": "第一条"}}, {"id": 2, "data": {"text": "第二条"}} } ]');
    expectFatal(await runImport(core, project.id, broken, 'labelstudio', { onBadLines: 'skip' }), /malformed JSON/);
    expectUnchanged();
  });

  it('an unknown project is NOT_FOUND and nothing starts', async () => {
    const { core, dir, expectUnchanged } = await populated();
    const file = writeFile(dir, 'x.txt', 'x\n');
    const r = await core.dispatch('imports.start', { projectId: '01NOPROJECT', fileToken: fileToken(core, file), format: 'txt' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('NOT_FOUND');
    expectUnchanged();
  });
});

describe('bad input: a 50 MB line', () => {
  const SIZE = 50 * 1024 * 1024;

  function writeHugeLine(file: string, prefix: string, suffix: string, after: string): void {
    const fd = fs.openSync(file, 'w');
    try {
      fs.writeSync(fd, prefix);
      const chunk = Buffer.alloc(1024 * 1024, 'a');
      for (let written = 0; written < SIZE; written += chunk.length) fs.writeSync(fd, chunk);
      fs.writeSync(fd, `${suffix}\n${after}`);
    } finally {
      fs.closeSync(fd);
    }
  }

  it('inside a JSON string: the line is reported as too long, the rest imports, memory stays flat', async () => {
    const { core, dir, project } = await populated();
    const file = path.join(dir, 'huge.jsonl');
    writeHugeLine(file, '{"text": "', '"}', '{"text": "短的一行"}\n');
    const { value: s, growth } = await peakRssGrowth(() => runImport(core, project.id, file, 'jsonl', { onBadLines: 'skip' }));
    expect(s).toMatchObject({ state: 'committed', imported: 1, badLines: 1 });
    expect(s.errors).toHaveLength(1);
    expect(s.errors[0]?.line).toBe(1);
    expect(s.errors[0]?.reason).toMatch(new RegExp(`line is longer than ${MAX_LINE_BYTES} bytes`));
    expect(s.errors[0]?.reason).toContain(`${SIZE + '{"text": "'.length + 2} bytes`);
    expect(itemsOf(core.db, project.id).at(-1)?.text).toBe('短的一行');
    expect(count(core.db, 'items', 'length(text) > 1000')).toBe(0);
    // holding the line (let alone decoding and parsing it) would take 100 MB and more
    expect(growth).toBeLessThan(80 * 1024 * 1024);
  });

  it('as one CSV record: one bad line, and the record after it still imports', async () => {
    const { core, dir, project } = await populated();
    const file = path.join(dir, 'huge.csv');
    writeHugeLine(file, 'text,intent\n', ',投诉', '之后的一行,投诉\n');
    const { value: s, growth } = await peakRssGrowth(() => runImport(core, project.id, file, 'csv', { onBadLines: 'skip' }));
    expect(s.state).toBe('committed');
    expect(s.errors[0]).toEqual({
      line: 2,
      reason: `record is longer than ${MAX_LINE_BYTES} bytes (${50 * 1024 * 1024 + Buffer.byteLength(',投诉')} bytes)`,
    });
    expect(s.badLines).toBe(1);
    expect(s.imported).toBe(1);
    expect(itemsOf(core.db, project.id).at(-1)?.text).toBe('之后的一行');
    expect(growth).toBeLessThan(80 * 1024 * 1024);
  });

  it('as plain text with abort: refused, nothing written', async () => {
    const { core, dir, project, expectUnchanged } = await populated();
    const file = path.join(dir, 'huge.txt');
    writeHugeLine(file, '', '', '');
    const { value: s, growth } = await peakRssGrowth(() => runImport(core, project.id, file, 'txt', { onBadLines: 'abort' }));
    expect(s.state).toBe('failed');
    expect(s.errors).toEqual([{ line: 1, reason: `line is longer than ${MAX_LINE_BYTES} bytes (${SIZE} bytes)` }]);
    // holding the line (let alone decoding and parsing it) would take 100 MB and more
    expect(growth).toBeLessThan(80 * 1024 * 1024);
    expectUnchanged();
  });
});

describe('bad input: cancel', () => {
  async function bigFile(dir: string): Promise<string> {
    const lines: string[] = [];
    for (let i = 0; i < 200_000; i++)
      lines.push(`{"text": "第${i}条消息：订单DD${20240000 + i}什么时候发货", "intent": "物流进度", "annotator": "a"}`);
    return writeFile(dir, 'big.jsonl', `${lines.join('\n')}\n`);
  }

  async function cancelled(core: Core, projectId: string, file: string): Promise<ImportStatus> {
    const started = await call<ImportStatus>(core, 'imports.start', { projectId, fileToken: fileToken(core, file), format: 'jsonl', onBadLines: 'skip' });
    const c = await call<ImportStatus>(core, 'imports.cancel', { importId: started.id });
    expect(['running', 'cancelled']).toContain(c.state);
    return core.imports.waitFor(started.id);
  }

  it('imports.cancel right after start leaves the database unchanged, state cancelled', async () => {
    const { core, dir, project, expectUnchanged } = await populated();
    const file = await bigFile(dir);
    const s = await cancelled(core, project.id, file);
    expect(s.state).toBe('cancelled');
    expect(s.imported).toBe(0);
    expect(s.finishedAt).not.toBeNull();
    expect(s.linesRead).toBeLessThan(200_000);
    expectUnchanged();
    expect(await call<ImportStatus>(core, 'imports.get', { importId: s.id })).toMatchObject({ state: 'cancelled' });
  });

  it('deciding on an import that is still running is IMPORT_STATE', async () => {
    const { core, dir, project } = await populated();
    const file = await bigFile(dir);
    const started = await call<ImportStatus>(core, 'imports.start', { projectId: project.id, fileToken: fileToken(core, file), format: 'jsonl', onBadLines: 'ask' });
    const r = await core.dispatch('imports.decide', { importId: started.id, decision: 'import-good' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ code: 'IMPORT_STATE', message: expect.stringMatching(/is running, not needs-decision/) });
    await call(core, 'imports.cancel', { importId: started.id });
    expect((await core.imports.waitFor(started.id)).state).toBe('cancelled');
  });

  it('cancelling an import that waits for a decision discards it', async () => {
    const { core, dir, project, expectUnchanged } = await populated();
    const file = writeFile(dir, 'bad.jsonl', GOOD_AND_BAD);
    const s = await runImport(core, project.id, file, 'jsonl', { onBadLines: 'ask' });
    expect(s.state).toBe('needs-decision');
    expect((await call<ImportStatus>(core, 'imports.cancel', { importId: s.id })).state).toBe('cancelled');
    expectUnchanged();
  });
});

describe('bad input: a row the database refuses while committing', () => {
  /** Makes SQLite itself refuse one row at commit time (as a constraint would). */
  function refuseSentiment(core: Core, value: string): void {
    core.db.exec(
      `CREATE TEMP TRIGGER refuse_row BEFORE INSERT ON main.annotations WHEN NEW.sentiment = '${value}' BEGIN SELECT RAISE(ABORT, 'refused by test trigger'); END`,
    );
  }
  function refuseItem(core: Core, text: string): void {
    core.db.exec(
      `CREATE TEMP TRIGGER refuse_item BEFORE INSERT ON main.items WHEN NEW.text = '${text}' BEGIN SELECT RAISE(ABORT, 'refused by test trigger'); END`,
    );
  }

  const FILE = jsonl([
    { text: '提交时第一行', intent: '投诉', annotator: 'a' },
    { text: '提交时第二行', intent: '新意图', annotator: 'a' },
    { text: '提交时第三行', sentiment: '爆炸', annotator: 'a' },
  ]);

  it('is reported with its line and reason like a bad line; everything else goes in and nothing is lost', async () => {
    const { core, dir, project, internalErrors } = await populated();
    refuseSentiment(core, '爆炸');
    const file = writeFile(dir, 'commit.jsonl', FILE);
    const s = await runImport(core, project.id, file, 'jsonl', { onBadLines: 'abort' });
    expect(s.state).toBe('committed');
    expect(s.imported).toBe(3);
    expect(s.badLines).toBe(1);
    expect(s.errors).toEqual([{ line: 3, reason: expect.stringMatching(/the database refused this line: refused by test trigger/) }]);
    expect(internalErrors).toHaveLength(0);
    const stored = await call<ImportStatus>(core, 'imports.get', { importId: s.id });
    expect(stored).toMatchObject({ state: 'committed', badLines: 1, errors: s.errors });
    // The refused line's item is there, without the refused label; the other lines' labels are.
    const a = core.db.prepare("SELECT id FROM annotators WHERE name = 'a'").pluck(true).get() as string;
    const labels = core.db
      .prepare('SELECT i.text, n.intents_json, n.sentiment FROM items i LEFT JOIN annotations n ON n.item_id = i.id AND n.annotator_id = ? WHERE i.import_id = ? ORDER BY i.ord')
      .all(a, s.id);
    expect(labels).toEqual([
      { text: '提交时第一行', intents_json: '["投诉"]', sentiment: null },
      { text: '提交时第二行', intents_json: '["新意图"]', sentiment: null },
      { text: '提交时第三行', intents_json: null, sentiment: null },
    ]);
    core.db.exec('DROP TRIGGER temp.refuse_row');
  });

  it('a refused item leaves no gap in the project: later items take the next numbers', async () => {
    const { core, dir, project } = await populated();
    const before = core.db.prepare('SELECT item_count FROM projects WHERE id = ?').pluck(true).get(project.id) as number;
    refuseItem(core, '提交时第二行');
    const file = writeFile(dir, 'commit.jsonl', FILE);
    const s = await runImport(core, project.id, file, 'jsonl', { onBadLines: 'abort' });
    expect(s).toMatchObject({ state: 'committed', imported: 2, badLines: 1 });
    expect(s.errors).toEqual([{ line: 2, reason: expect.stringMatching(/refused by test trigger/) }]);
    const rows = core.db.prepare('SELECT ord, text FROM items WHERE import_id = ? ORDER BY ord').all(s.id);
    expect(rows).toEqual([
      { ord: before + 1, text: '提交时第一行' },
      { ord: before + 2, text: '提交时第三行' },
    ]);
    expect(core.db.prepare('SELECT item_count FROM projects WHERE id = ?').pluck(true).get(project.id)).toBe(before + 2);
    core.db.exec('DROP TRIGGER temp.refuse_item');
  });

  it("after 'import-good', a refused row is reported the same way", async () => {
    const { core, dir, project } = await populated();
    refuseSentiment(core, '爆炸');
    const file = writeFile(dir, 'commit.jsonl', `${FILE}{"text": \n`);
    const s = await runImport(core, project.id, file, 'jsonl', { onBadLines: 'ask' });
    expect(s.state).toBe('needs-decision');
    await call<ImportStatus>(core, 'imports.decide', { importId: s.id, decision: 'import-good' });
    const after = await core.imports.waitFor(s.id);
    expect(after).toMatchObject({ state: 'committed', imported: 3, badLines: 2 });
    expect(after.errors.map((e) => e.line)).toEqual([4, 3]);
    core.db.exec('DROP TRIGGER temp.refuse_row');
  });
});
