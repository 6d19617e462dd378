import { execFile } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/core/db/open';
import { freshDir, jsonl, REPO_ROOT, writeFile } from './helpers';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

const TSX = path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx');

/** Runs the `annot` CLI as a separate process; resolves with its exit code and output. */
function annot(...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(TSX, ['electron/cli/index.ts', ...args], { cwd: REPO_ROOT, timeout: 30_000, maxBuffer: 10 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') return reject(error);
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

/** The JSON on the last non-empty line of stdout. */
function lastJson<T = Record<string, unknown>>(r: Run): T {
  const lines = r.stdout.split('\n').filter((l) => l.trim());
  expect(lines.length, `stdout: ${r.stdout}\nstderr: ${r.stderr}`).toBeGreaterThan(0);
  return JSON.parse(lines.at(-1)!) as T;
}

function readDb<T>(dbPath: string, read: (db: ReturnType<typeof openDatabase>) => T): T {
  const db = openDatabase(dbPath);
  try {
    return read(db);
  } finally {
    db.close();
  }
}

const texts = (dbPath: string, project: string): string[] =>
  readDb(dbPath, (db) =>
    (
      db.prepare('SELECT i.text FROM items i JOIN projects p ON p.id = i.project_id WHERE p.name = ? ORDER BY i.ord').all(project) as {
        text: string;
      }[]
    ).map((r) => r.text),
  );

const BAD = '{"text": "第一行", "intent": "投诉", "annotator": "a"}\n{"text": "第二行", \n{"text": "第三行"}\n';

describe('annot CLI', () => {
  it('import --json prints {imported, duplicates, errors}; projects and stats --json read the result', async () => {
    const dir = freshDir();
    const db = path.join(dir, 'cli.db');
    const file = writeFile(
      dir,
      'items.jsonl',
      jsonl([
        { text: '订单DD1到哪了', intent: '查询订单', entities: [{ start: 2, end: 5, label: '订单号' }], sentiment: '中性', annotator: 'zhang' },
        { text: '订单DD1到哪了', intent: '物流进度', annotator: 'li' },
        { text: '我要投诉', gold: true },
        { text: '怎么开发票' },
      ]),
    );
    const r = await annot('import', '--db', db, '--project', '客服', '--file', file, '--json');
    expect(r.code, r.stderr).toBe(0);
    const out = lastJson(r);
    expect(out).toMatchObject({ imported: 3, duplicates: 1, errors: [], state: 'committed', annotations: 2 });
    expect(texts(db, '客服')).toEqual(['订单DD1到哪了', '我要投诉', '怎么开发票']);

    const [projects, stats] = await Promise.all([annot('projects', '--db', db, '--json'), annot('stats', '--db', db, '--project', '客服', '--json')]);
    expect(projects.code).toBe(0);
    const list = lastJson<{ name: string; itemCount: number; annotatedCount: number }[]>(projects);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ name: '客服', itemCount: 3, annotatedCount: 1 });
    expect(stats.code).toBe(0);
    expect(lastJson(stats)).toMatchObject({
      items: 3,
      goldItems: 1,
      annotatedItems: 1,
      annotations: 2,
      annotators: 2,
      events: 6, // zhang: intents, entities, sentiment, status; li: intents, status
      intents: [
        { label: '查询订单', count: 1 },
        { label: '物流进度', count: 1 },
      ],
      entities: [{ label: '订单号', count: 1 }],
      sentiment: [{ label: '中性', count: 1 }],
    });
  });

  it('import --redact placeholder stores redacted text and prints the counts; an unknown mode is refused', async () => {
    const dir = freshDir();
    const db = path.join(dir, 'cli.db');
    const file = writeFile(dir, 'items.jsonl', jsonl([{ text: '我的电话13812345678，邮箱zhang.san@qq.com' }, { text: '订单什么时候到' }]));
    const r = await annot('import', '--db', db, '--project', 'p', '--file', file, '--redact', 'placeholder', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(lastJson(r)).toMatchObject({ imported: 2, redacted: { mobile: 1, email: 1 } });
    expect(texts(db, 'p')).toEqual(['我的电话[手机号]，邮箱[邮箱]', '订单什么时候到']);
    const bad = await annot('import', '--db', db, '--project', 'q', '--file', file, '--redact', 'blur');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown redaction mode "blur"');
  });

  it('bad lines without --skip-bad: non-zero exit, nothing imported, the new project is gone again', async () => {
    const dir = freshDir();
    const db = path.join(dir, 'cli.db');
    const file = writeFile(dir, 'bad.jsonl', BAD);
    const r = await annot('import', '--db', db, '--project', '新项目', '--file', file, '--json');
    expect(r.code).not.toBe(0);
    const out = lastJson<{ imported: number; errors: { line: number; reason: string }[] }>(r);
    expect(out.imported).toBe(0);
    expect(out.errors).toEqual([{ line: 2, reason: expect.stringMatching(/malformed JSON/) }]);

    const projects = await annot('projects', '--db', db, '--json');
    expect(projects.code).toBe(0);
    expect(lastJson(projects)).toEqual([]);
    expect(
      readDb(db, (d) =>
        ['projects', 'label_schemas', 'items', 'annotators', 'annotation_events', 'imports'].map(
          (t) => (d.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n,
        ),
      ),
    ).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('bad lines with --skip-bad: exit 0, the good lines imported, the bad ones listed', async () => {
    const dir = freshDir();
    const db = path.join(dir, 'cli.db');
    const file = writeFile(dir, 'bad.jsonl', BAD);
    const r = await annot('import', '--db', db, '--project', 'p', '--file', file, '--json', '--skip-bad');
    expect(r.code, r.stderr).toBe(0);
    expect(lastJson(r)).toMatchObject({ imported: 2, duplicates: 0, errors: [{ line: 2 }], badLines: 1, state: 'committed' });
    expect(texts(db, 'p')).toEqual(['第一行', '第三行']);
  });

  it('a failed import into an existing project keeps the project and its items', async () => {
    const dir = freshDir();
    const db = path.join(dir, 'cli.db');
    const good = writeFile(dir, 'good.txt', '已有一\n已有二\n');
    const bad = writeFile(dir, 'bad.jsonl', BAD);
    expect((await annot('import', '--db', db, '--project', 'keep', '--file', good, '--json')).code).toBe(0);
    const r = await annot('import', '--db', db, '--project', 'keep', '--file', bad, '--json');
    expect(r.code).toBe(1);
    expect(texts(db, 'keep')).toEqual(['已有一', '已有二']);
    expect(lastJson<{ name: string }[]>(await annot('projects', '--db', db, '--json')).map((p) => p.name)).toEqual(['keep']);
  });

  it('--format csv --text-column review on a CSV (whatever its name)', async () => {
    const dir = freshDir();
    const db = path.join(dir, 'cli.db');
    const file = writeFile(dir, 'export.dat', 'id,review,label,shop\n1,"物流太慢了，差评",投诉,旗舰店\n2,包装很好,,专营店\n');
    const r = await annot(
      'import',
      '--db',
      db,
      '--project',
      'csv',
      '--file',
      file,
      '--format',
      'csv',
      '--text-column',
      'review',
      '--intent-column',
      'label',
      '--annotator',
      'reviewer',
      '--json',
    );
    expect(r.code, r.stderr).toBe(0);
    expect(lastJson(r)).toMatchObject({ imported: 2, duplicates: 0, errors: [], annotations: 1 });
    const rows = readDb(db, (d) => d.prepare('SELECT text, meta_json FROM items ORDER BY ord').all() as { text: string; meta_json: string }[]);
    expect(rows.map((x) => [x.text, JSON.parse(x.meta_json)])).toEqual([
      ['物流太慢了，差评', { id: '1', shop: '旗舰店' }],
      ['包装很好', { id: '2', shop: '专营店' }],
    ]);
    const ann = readDb(db, (d) => d.prepare('SELECT n.name, a.intents_json FROM annotations a JOIN annotators n ON n.id = a.annotator_id').all());
    expect(ann).toEqual([{ name: 'reviewer', intents_json: '["投诉"]' }]);

    const missing = await annot('import', '--db', db, '--project', 'csv', '--file', file, '--format', 'csv', '--text-column', 'content', '--json');
    expect(missing.code).toBe(1);
    expect(lastJson(missing)).toMatchObject({ imported: 0, errors: [{ line: 1, reason: expect.stringMatching(/no column "content"/) }] });
  });

  it('refuses an unknown format (exit 2) and a missing file (exit 1, says so)', async () => {
    const dir = freshDir();
    const db = path.join(dir, 'cli.db');
    const file = writeFile(dir, 'x.txt', 'x\n');
    const [fmt, missing] = await Promise.all([
      annot('import', '--db', db, '--project', 'p', '--file', file, '--format', 'xml'),
      annot('import', '--db', path.join(dir, 'other.db'), '--project', 'p', '--file', path.join(dir, 'nope.jsonl')),
    ]);
    expect(fmt.code).toBe(2);
    expect(fmt.stderr).toMatch(/unknown format "xml"/);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nope\.jsonl: the file does not exist/);
  });
});
