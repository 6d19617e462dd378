/**
 * Crash trials: the app's core process (the core thread and its job threads, as Electron's main
 * process holds them) is killed with SIGKILL at random moments while it labels, commits an import or
 * accepts suggestions in bulk. After each restart: `PRAGMA integrity_check` is ok, every decision the
 * process acknowledged is there, no import is half there (it was never recorded, or it is complete
 * once the restarted app has resumed it) and a bulk acceptance is all or nothing.
 * Run from tests/core/crash.test.ts (a few dozen rounds) and `npm run trial -- crash --rounds=N`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createCore } from '../../electron/core';
import { CoreProcess } from '../e2e/coreProcess';
import type { Result } from '../../shared/contract/errors';

export type Scenario = 'labeling' | 'import' | 'bulk-accept';
export const SCENARIOS: Scenario[] = ['labeling', 'import', 'bulk-accept'];

export interface TrialResult {
  round: number;
  scenario: Scenario;
  killAfterMs: number;
  /** What had been acknowledged before the kill (decisions, or whether the import/acceptance had answered). */
  acknowledged: number;
  /** Where an import was when the process died: still reading, being committed (resumed at restart), or done. */
  importPhase?: 'reading' | 'committing' | 'done';
  problems: string[];
}

export interface TrialsSummary {
  trials: number;
  failures: number;
  byScenario: Record<Scenario, number>;
  results: TrialResult[];
}

const INTENTS = ['查询订单', '物流进度', '退换货', '投诉', '咨询活动'];
const IMPORT_LINES = 6000;
const BULK_ITEMS = 8000;

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function value<T>(r: Result<unknown>, what: string): T {
  if (!r.ok) throw new Error(`${what}: ${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

interface Fixture {
  dbPath: string;
  dir: string;
  labelProject: string;
  importProject: string;
  annotatorId: string;
}

/** A database with a project to label (items enough for every round) and an empty one to import into. */
async function prepare(dir: string, rounds: number): Promise<Fixture> {
  const dbPath = join(dir, 'crash.db');
  const core = createCore({ dbPath });
  try {
    const label = value<{ id: string }>(await core.dispatch('projects.create', { name: '崩溃-标注' }), 'project');
    const imports = value<{ id: string }>(await core.dispatch('projects.create', { name: '崩溃-导入' }), 'project');
    const annotator = value<{ id: string }>(await core.dispatch('annotators.create', { name: '崩溃测试员' }), 'annotator');
    const file = join(dir, 'items.txt');
    writeFileSync(file, Array.from({ length: rounds * 400 + 1000 }, (_, i) => `第${i}条：我的订单什么时候到？`).join('\n'));
    const status = await core.imports.run({ projectId: label.id, filePath: file, format: 'txt', onBadLines: 'abort' });
    if (status.state !== 'committed') throw new Error(`fixture import ${status.state}`);
    return { dbPath, dir, labelProject: label.id, importProject: imports.id, annotatorId: annotator.id };
  } finally {
    core.close();
  }
}

function integrity(db: Database.Database): string | null {
  const rows = db.pragma('integrity_check') as { integrity_check: string }[];
  return rows.length === 1 && rows[0]!.integrity_check === 'ok' ? null : rows.map((r) => r.integrity_check).join('; ');
}

/** Waits until the restarted app has finished every import a kill cut off while it was committing. */
async function waitForResumedImports(db: Database.Database, timeoutMs = 120_000): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (!db.prepare('SELECT 1 FROM import_commits LIMIT 1').get()) return true;
    await sleep(50);
  }
  return false;
}

/** Labels item after item (one decision per item), acknowledging each; returns what was acknowledged. */
async function labeling(host: CoreProcess, f: Fixture, acked: Map<string, string>, stop: () => boolean): Promise<void> {
  let afterOrd = 0;
  for (let n = 0; !stop(); n++) {
    const next = value<{ item: { id: string; ord: number } } | null>(
      await host.dispatch('labeling.next', { projectId: f.labelProject, annotatorId: f.annotatorId, afterOrd }),
      'next',
    );
    if (!next) return;
    const intent = INTENTS[n % INTENTS.length]!;
    value(
      await host.dispatch('labeling.apply', {
        projectId: f.labelProject,
        annotatorId: f.annotatorId,
        itemId: next.item.id,
        changes: [
          { kind: 'intents', value: [intent] },
          { kind: 'status', value: 'submitted' },
        ],
      }),
      'apply',
    );
    acked.set(next.item.id, intent);
    afterOrd = next.item.ord;
  }
}

function checkLabeling(db: Database.Database, f: Fixture, acked: Map<string, string>): string[] {
  const problems: string[] = [];
  const get = db.prepare<[string, string], { intents_json: string; status: string }>(
    'SELECT intents_json, status FROM annotations WHERE item_id = ? AND annotator_id = ?',
  );
  for (const [itemId, intent] of acked) {
    const row = get.get(itemId, f.annotatorId);
    if (!row || row.status !== 'submitted' || row.intents_json !== JSON.stringify([intent])) {
      problems.push(`acknowledged decision on ${itemId} (${intent}) is ${row ? `${row.status} ${row.intents_json}` : 'missing'}`);
    }
  }
  return problems;
}

function importFile(dir: string, round: number): string {
  const file = join(dir, `round-${round}.jsonl`);
  const lines = Array.from({ length: IMPORT_LINES }, (_, i) =>
    JSON.stringify(
      i % 3 === 0
        ? { text: `第${round}轮第${i}行：退货怎么操作？`, intent: INTENTS[i % INTENTS.length], annotator: `导入员${i % 2}` }
        : { text: `第${round}轮第${i}行：退货怎么操作？`, meta: { round, line: i } },
    ),
  );
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

function checkImport(db: Database.Database, round: number): string[] {
  const source = `round-${round}.jsonl`;
  const items = db.prepare('SELECT count(*) FROM items WHERE source_file = ?').pluck(true).get(source) as number;
  const labeled = db
    .prepare("SELECT count(*) FROM annotations a JOIN items i ON i.id = a.item_id WHERE i.source_file = ? AND a.intents_source = 'import'")
    .pluck(true)
    .get(source) as number;
  const committed = db
    .prepare("SELECT count(*) FROM imports WHERE file LIKE ? AND state = 'committed'")
    .pluck(true)
    .get(`%${source}`) as number;
  if (items === 0 && labeled === 0 && committed === 0) return [];
  const wantLabeled = Math.ceil(IMPORT_LINES / 3);
  if (items === IMPORT_LINES && labeled === wantLabeled && committed === 1) return [];
  return [`import of ${source} is half there: ${items} of ${IMPORT_LINES} items, ${labeled} of ${wantLabeled} labels, ${committed} committed records`];
}

/** Confident suggestions for fresh items, an audit sample checked in agreement, then the bulk acceptance. */
async function prepareBulk(host: CoreProcess, db: Database.Database, f: Fixture, round: number): Promise<{ auditId: string; projectId: string }> {
  const project = value<{ id: string }>(await host.dispatch('projects.create', { name: `崩溃-批量-${round}` }), 'project');
  const now = new Date().toISOString();
  db.transaction(() => {
    const item = db.prepare(
      "INSERT INTO items (id, project_id, ord, content_hash, text, meta_json, created_at) VALUES (?, ?, ?, randomblob(16), ?, '{}', ?)",
    );
    const suggestion = db.prepare(
      "INSERT INTO suggestions (id, item_id, kind, value_json, score, model_version, created_at, priority) VALUES (?, ?, 'intents', ?, 0.97, 'intents@v1', ?, 0.5)",
    );
    for (let i = 1; i <= BULK_ITEMS; i++) {
      const id = `BULK${String(round).padStart(4, '0')}${String(i).padStart(18, '0')}`;
      item.run(id, project.id, i, `批量第${round}轮第${i}条`, now);
      suggestion.run(`S${id}`, id, JSON.stringify([INTENTS[i % INTENTS.length]]), now);
    }
    db.prepare('UPDATE projects SET item_count = ? WHERE id = ?').run(BULK_ITEMS, project.id);
  }).immediate();
  const audit = value<{ id: string }>(await host.dispatch('review.startAudit', { projectId: project.id, threshold: 0.9, size: 5 }), 'audit');
  const sample = JSON.parse(db.prepare('SELECT item_ids_json FROM audits WHERE id = ?').pluck(true).get(audit.id) as string) as string[];
  for (const itemId of sample) {
    const suggested = db.prepare("SELECT value_json FROM suggestions WHERE item_id = ? AND kind = 'intents'").pluck(true).get(itemId) as string;
    value(
      await host.dispatch('labeling.apply', {
        projectId: project.id,
        annotatorId: f.annotatorId,
        itemId,
        changes: [
          { kind: 'intents', value: JSON.parse(suggested) },
          { kind: 'status', value: 'submitted' },
        ],
      }),
      'audit decision',
    );
  }
  return { auditId: audit.id, projectId: project.id };
}

function checkBulk(db: Database.Database, f: Fixture, bulk: { auditId: string; projectId: string }, answered: boolean): string[] {
  const accepted = db.prepare('SELECT accepted FROM audits WHERE id = ?').pluck(true).get(bulk.auditId) as number | null;
  const taken = db
    .prepare("SELECT count(*) FROM annotations WHERE project_id = ? AND annotator_id = ? AND intents_source = 'accepted-suggestion'")
    .pluck(true)
    .get(bulk.projectId, f.annotatorId) as number;
  const want = BULK_ITEMS - 5;
  if (accepted === null && taken === 0 && !answered) return [];
  if (accepted === want && taken === want) return [];
  return [`bulk acceptance is not all or nothing: audit accepted=${accepted}, ${taken} of ${want} items accepted${answered ? ' (it had answered)' : ''}`];
}

/** Runs `rounds` kill -9 trials, scenarios in turn, each killed after a random delay. */
export async function runCrashTrials(dir: string, rounds: number, seed = 20261203, log: (line: string) => void = () => {}): Promise<TrialsSummary> {
  const random = rng(seed);
  const f = await prepare(dir, rounds);
  const results: TrialResult[] = [];
  const acked = new Map<string, string>();
  for (let round = 0; round < rounds; round++) {
    const scenario = SCENARIOS[round % SCENARIOS.length]!;
    const host = new CoreProcess(f.dbPath, () => {});
    await host.start();
    const db = new Database(f.dbPath);
    db.pragma('busy_timeout = 10000');
    let killed = false;
    let acknowledged = 0;
    let killAfterMs = 0;
    let bulk: { auditId: string; projectId: string } | null = null;
    let answered = false;
    let importPhase: TrialResult['importPhase'];
    try {
      if (scenario === 'labeling') {
        killAfterMs = Math.round(100 + random() * 1400);
        const before = acked.size;
        const work = labeling(host, f, acked, () => killed).catch(() => undefined);
        await sleep(killAfterMs);
        killed = true;
        await host.kill();
        await work;
        acknowledged = acked.size - before;
      } else if (scenario === 'import') {
        const file = importFile(dir, round);
        const token = await host.grant(file, 'import');
        killAfterMs = Math.round(random() * 1400);
        const started = host.dispatch('imports.start', { projectId: f.importProject, fileToken: token, format: 'jsonl', onBadLines: 'abort' });
        started.then(() => (answered = true)).catch(() => undefined);
        await sleep(killAfterMs);
        await host.kill();
        importPhase = db.prepare('SELECT 1 FROM import_commits LIMIT 1').get()
          ? 'committing'
          : db.prepare('SELECT count(*) FROM items WHERE source_file = ?').pluck(true).get(`round-${round}.jsonl`)
            ? 'done'
            : 'reading';
      } else {
        bulk = await prepareBulk(host, db, f, round);
        killAfterMs = Math.round(random() * 400);
        const accepting = host.dispatch('review.acceptConfident', { auditId: bulk.auditId, annotatorId: f.annotatorId, minAgreement: 0.9 });
        accepting.then((r) => (answered = r.ok)).catch(() => undefined);
        await sleep(killAfterMs);
        await host.kill();
      }
    } finally {
      db.close();
    }
    // Restart as the app would, let it resume what it must, then check with a connection of our own.
    const restarted = new CoreProcess(f.dbPath, () => {});
    await restarted.start();
    const check = new Database(f.dbPath);
    check.pragma('busy_timeout = 10000');
    const problems: string[] = [];
    try {
      if (!(await waitForResumedImports(check))) problems.push('an interrupted import was not resumed within 2 minutes');
      const broken = integrity(check);
      if (broken) problems.push(`integrity_check: ${broken}`);
      problems.push(...checkLabeling(check, f, acked));
      if (scenario === 'import') problems.push(...checkImport(check, round));
      if (scenario === 'bulk-accept' && bulk) problems.push(...checkBulk(check, f, bulk, answered));
    } finally {
      check.close();
      await restarted.stop();
    }
    const result: TrialResult = {
      round,
      scenario,
      killAfterMs,
      acknowledged: scenario === 'labeling' ? acknowledged : answered ? 1 : 0,
      ...(importPhase ? { importPhase } : {}),
      problems,
    };
    results.push(result);
    const where = scenario === 'labeling' ? `${acknowledged} decisions acknowledged` : importPhase ? `import ${importPhase}` : answered ? 'answered' : 'unanswered';
    log(`round ${round + 1}/${rounds} ${scenario}: killed after ${killAfterMs} ms (${where}), ${problems.length ? `FAILED: ${problems.join(' | ')}` : 'ok'}`);
  }
  const byScenario = { labeling: 0, import: 0, 'bulk-accept': 0 } as Record<Scenario, number>;
  for (const r of results) byScenario[r.scenario]++;
  return { trials: results.length, failures: results.filter((r) => r.problems.length).length, byScenario, results };
}
