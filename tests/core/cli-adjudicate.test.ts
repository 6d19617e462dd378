import { execFile } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCore } from '../../electron/core';
import type { ListedItem } from '../../electron/cli/commands/adjudications';
import type { AutoResult } from '../../shared/contract/adjudication';
import type { Annotator, ProjectDetail } from '../../shared/contract/schemas';
import { openDatabase } from '../../electron/core/db/open';
import { call, dumpDatabase, freshDir, jsonl, REPO_ROOT, runImport, writeFile } from './helpers';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

const TSX = path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx');

function annot(...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(TSX, ['electron/cli/index.ts', ...args], { cwd: REPO_ROOT, timeout: 60_000, maxBuffer: 10 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') return reject(error);
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

function json<T>(r: Run): T {
  expect(r.code, `stderr: ${r.stderr}`).toBe(0);
  const lines = r.stdout.split('\n').filter((l) => l.trim());
  return JSON.parse(lines.at(-1)!) as T;
}

const SCHEMA = {
  intents: { labels: ['退款', '物流', '投诉'].map((name) => ({ name })) },
  sentiment: { levels: ['积极', '中性', '消极'].map((name, value) => ({ name, value })) },
  entities: { types: [{ name: '商品' }] },
};

const line = (text: string, annotator: string, intent: string, sentiment: string, id?: string) => ({
  text,
  intent,
  sentiment,
  annotator,
  ...(id ? { id } : {}),
});

/**
 * 我要退款 and 发票 agreed by all three; 快递 2–1 on the intent; 太差了 split three ways; 我要投诉 2–2
 * between four annotators (a tie); 只有一人 has one version (not in the queue).
 */
const LINES = [
  ...['甲', '乙', '丙'].map((a) => line('我要退款', a, '退款', '消极', 'T-1')),
  ...['甲', '乙', '丙'].map((a) => line('发票怎么开', a, '物流', '中性', 'T-2')),
  line('快递到哪了', '甲', '物流', '中性', 'T-3'),
  line('快递到哪了', '乙', '物流', '中性', 'T-3'),
  line('快递到哪了', '丙', '投诉', '中性', 'T-3'),
  line('太差了', '甲', '退款', '消极', 'T-4'),
  line('太差了', '乙', '物流', '消极', 'T-4'),
  line('太差了', '丙', '投诉', '消极', 'T-4'),
  line('我要投诉', '甲', '投诉', '消极', 'T-5'),
  line('我要投诉', '乙', '投诉', '消极', 'T-5'),
  line('我要投诉', '丙', '退款', '消极', 'T-5'),
  line('我要投诉', '丁', '退款', '消极', 'T-5'),
  line('只有一人', '甲', '退款', '中性', 'T-6'),
];

/** A database with the team project '团队', closed again: the CLI opens it on its own. */
async function teamDb(): Promise<{ dbPath: string; projectId: string; reviewerId: string }> {
  const dir = freshDir('annot-cli-adj-');
  const dbPath = path.join(dir, 'team.db');
  const core = createCore({ dbPath });
  try {
    const project = await call<ProjectDetail>(core, 'projects.create', { name: '团队', schema: SCHEMA });
    const status = await runImport(core, project.id, writeFile(dir, 'team.jsonl', jsonl(LINES)), 'jsonl');
    expect(status.state).toBe('committed');
    const reviewer = await call<Annotator>(core, 'annotators.create', { name: '审核员' });
    await call(core, 'annotators.setRoles', { annotatorId: reviewer.id, roles: ['reviewer'] });
    return { dbPath, projectId: project.id, reviewerId: reviewer.id };
  } finally {
    core.close();
  }
}

/** Every row of every table: equal dumps, nothing written. */
function adjudicationRows(dbPath: string): Record<string, unknown> {
  const db = openDatabase(dbPath);
  try {
    return dumpDatabase(db);
  } finally {
    db.close();
  }
}

const auto = (dbPath: string, ...args: string[]) => annot('adjudicate', '--db', dbPath, '--project', '团队', '--auto', ...args);

describe('annot adjudicate --auto and annot adjudications', () => {
  it('dry run, unanimous, majority (a tie stays disputed), idempotent reruns, a reviewer decision kept; the listing shows the values', async () => {
    const { dbPath, projectId, reviewerId } = await teamDb();
    const before = adjudicationRows(dbPath);

    const dry = json<AutoResult>(await auto(dbPath, '--policy', 'unanimous', '--dry-run', '--json'));
    expect(dry).toMatchObject({ resolved: 2, disputed: 3, kept_human: 0, policy: 'unanimous', written: 0, dryRun: true });
    expect(adjudicationRows(dbPath)).toEqual(before);

    const unanimous = json<AutoResult>(await auto(dbPath, '--policy', 'unanimous', '--json'));
    expect(unanimous).toMatchObject({ resolved: 2, disputed: 3, kept_human: 0, policy: 'unanimous', dryRun: false });
    // Intents and sentiment of the two agreed items (an item that stays disputed carries no automatic decision).
    expect(unanimous.written).toBe(4);
    const again = json<AutoResult>(await auto(dbPath, '--policy', 'unanimous', '--json'));
    expect(again).toMatchObject({ resolved: 2, disputed: 3, kept_human: 0, written: 0 });

    const majorityDry = json<AutoResult>(await auto(dbPath, '--policy', 'majority', '--dry-run', '--json'));
    expect(majorityDry).toMatchObject({ resolved: 3, disputed: 2, written: 0 });
    const majority = json<AutoResult>(await auto(dbPath, '--policy', 'majority', '--min-share', '0.66', '--json'));
    // 快递 resolves 2 of 3; 太差了 (three ways) and 我要投诉 (2–2) stay disputed.
    expect(majority).toMatchObject({
      resolved: 3,
      disputed: 2,
      kept_human: 0,
      policy: 'majority',
      params: { minShare: 0.66, minAnnotators: 2, task: 'all' },
    });
    expect(majority.written).toBe(2);
    expect(json<AutoResult>(await auto(dbPath, '--policy', 'majority', '--min-share', '0.66', '--json'))).toMatchObject({
      resolved: 3,
      disputed: 2,
      written: 0,
    });
    // Stricter: 2 of 3 is not enough, so 快递's automatic decision is withdrawn.
    const strict = json<AutoResult>(await auto(dbPath, '--policy', 'majority', '--min-share', '0.7', '--json'));
    expect(strict).toMatchObject({ resolved: 2, disputed: 3, written: 2 });
    expect(json<AutoResult>(await auto(dbPath, '--policy', 'majority', '--json'))).toMatchObject({ resolved: 3, disputed: 2 });

    const listed = json<ListedItem[]>(await annot('adjudications', '--db', dbPath, '--project', '团队', '--state', 'auto', '--json'));
    expect(listed.map((i) => [i.external_id, i.text, i.state])).toEqual([
      ['T-1', '我要退款', 'auto'],
      ['T-2', '发票怎么开', 'auto'],
      ['T-3', '快递到哪了', 'auto'],
    ]);
    expect(listed[0]!.fields).toEqual({
      intents: { value: '退款', source: 'auto', reason_code: null, policy: 'unanimous' },
      sentiment: { value: '消极', source: 'auto', reason_code: null, policy: 'unanimous' },
    });
    expect(listed[2]!.fields).toEqual({
      intents: { value: '物流', source: 'auto', reason_code: null, policy: 'majority' },
      sentiment: { value: '中性', source: 'auto', reason_code: null, policy: 'majority' },
    });
    expect(listed[2]).toMatchObject({ versions: 3 });
    expect(listed[2]!.score).toBeGreaterThan(0);
    const disputed = json<ListedItem[]>(await annot('adjudications', '--db', dbPath, '--project', '团队', '--state', 'disputed', '--json'));
    expect(disputed.map((i) => [i.text, i.fields])).toEqual([
      ['太差了', {}],
      ['我要投诉', {}],
    ]);
    // Every item in the queue; the single-version one is not.
    const all = json<ListedItem[]>(await annot('adjudications', '--db', dbPath, '--project', '团队', '--json'));
    expect(all.map((i) => i.external_id)).toEqual(['T-1', 'T-2', 'T-3', 'T-4', 'T-5']);

    // A reviewer decides the three-way split; automatic resolution never touches it again.
    const core = createCore({ dbPath });
    try {
      const itemId = disputed[0]!.item_id;
      await call(core, 'adjudication.commit', {
        projectId,
        itemId,
        reviewerId,
        decisions: [
          { field: 'intents', value: '投诉', reasonCode: 'guideline' },
          { field: 'sentiment', value: '消极' },
        ],
      });
    } finally {
      core.close();
    }
    expect(json<AutoResult>(await auto(dbPath, '--policy', 'majority', '--json'))).toMatchObject({
      resolved: 3,
      disputed: 1,
      kept_human: 1,
      written: 0,
    });
    const human = json<ListedItem[]>(await annot('adjudications', '--db', dbPath, '--project', '团队', '--state', 'human', '--json'));
    expect(human).toHaveLength(1);
    expect(human[0]).toMatchObject({ text: '太差了', state: 'human' });
    expect(human[0]!.fields.intents).toEqual({ value: '投诉', source: 'adjudication', reason_code: 'guideline', policy: null });

    // Without --json: a summary and a table.
    const text = await auto(dbPath, '--policy', 'majority', '--dry-run');
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/resolved\s+3/);
    expect(text.stdout).toMatch(/kept_human\s+1/);
    expect(text.stdout).toContain('dry run');
    const tableOut = await annot('adjudications', '--db', dbPath, '--project', '团队', '--state', 'auto');
    expect(tableOut.code, tableOut.stderr).toBe(0);
    expect(tableOut.stdout).toContain('3 item(s) auto');
    expect(tableOut.stdout).toContain('intents=退款 (auto unanimous)');
  }, 180_000);

  it('dawid-skene runs from the command line and records its parameters', async () => {
    const { dbPath } = await teamDb();
    const ds = json<AutoResult>(await auto(dbPath, '--policy', 'dawid-skene', '--min-posterior', '0.8', '--task', 'sentiment', '--json'));
    expect(ds).toMatchObject({ policy: 'dawid-skene', kept_human: 0, params: { minPosterior: 0.8, task: 'sentiment' } });
    expect(ds.resolved + ds.disputed).toBe(5);
  }, 60_000);

  it('bad input is a clear error with a non-zero exit', async () => {
    const { dbPath } = await teamDb();
    const before = adjudicationRows(dbPath);
    const cases: [string[], number, RegExp][] = [
      [['adjudicate', '--db', dbPath, '--project', '没有', '--auto', '--policy', 'unanimous'], 1, /no project named "没有"/],
      [
        ['adjudicate', '--db', dbPath, '--project', '团队', '--auto', '--policy', 'vote'],
        2,
        /unknown policy "vote" \(unanimous, majority, dawid-skene\)/,
      ],
      [
        ['adjudicate', '--db', dbPath, '--project', '团队', '--auto', '--policy', 'majority', '--min-share', '0.5'],
        2,
        /--min-share must be greater than 0\.5/,
      ],
      [['adjudicate', '--db', dbPath, '--project', '团队', '--auto', '--policy', 'majority', '--min-share', '1.2'], 2, /--min-share/],
      [['adjudicate', '--db', dbPath, '--project', '团队', '--auto', '--policy', 'majority', '--min-share', 'most'], 2, /--min-share/],
      [
        ['adjudicate', '--db', dbPath, '--project', '团队', '--auto', '--policy', 'majority', '--min-annotators', '1'],
        2,
        /--min-annotators must be an integer from 2/,
      ],
      [['adjudicate', '--db', dbPath, '--project', '团队', '--auto', '--policy', 'dawid-skene', '--min-posterior', '2'], 2, /--min-posterior/],
      [['adjudicate', '--db', dbPath, '--project', '团队', '--auto', '--policy', 'majority', '--task', 'spans'], 2, /unknown task "spans"/],
      [['adjudicate', '--db', dbPath, '--project', '团队', '--policy', 'majority'], 2, /pass --auto/],
      [['adjudicate', '--db', dbPath, '--project', '团队', '--auto'], 2, /--policy/],
      [['adjudications', '--db', dbPath, '--project', '团队', '--state', 'open', '--json'], 2, /unknown state "open"/],
      [['adjudications', '--db', dbPath, '--project', '没有', '--json'], 1, /no project named "没有"/],
    ];
    const runs = await Promise.all(cases.map(([args]) => annot(...args)));
    runs.forEach((r, i) => {
      const [args, code, message] = cases[i]!;
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(code);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.stdout.trim(), args.join(' ')).toBe('');
    });
    expect(adjudicationRows(dbPath)).toEqual(before);
  }, 120_000);
});
