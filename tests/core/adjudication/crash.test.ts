/**
 * kill -9 while a reviewer adjudicates: a child process runs the app's core (CoreClient: the core
 * thread and its job threads, as Electron's main process holds them) and commits adjudications in a
 * loop, undoing some, printing one stdout line per acknowledged call; or, in one round of five, runs
 * automatic resolution on a job thread over and over. The parent kills it with SIGKILL at a random
 * moment, reopens the database and checks: PRAGMA integrity_check is ok; every acknowledged commit's
 * events are all there and its values are the fields' current values (unless it was undone since);
 * no action is half there (each action has its one state event, and an undo withdrew all of an
 * action's events or none); the current values and queue states are exactly what the event log says.
 * ADJ_CRASH_ROUNDS=50 runs more rounds.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createCore } from '../../../electron/core';
import { writeTeamProject } from '../../bench/adjudication-data';
import { call, freshDir, REPO_ROOT } from '../helpers';

const ROUNDS = Number(process.env.ADJ_CRASH_ROUNDS ?? 5);
/** Items of the project the reviewer works through: more than the commit rounds get to. */
const ITEMS = Math.max(3000, ROUNDS * 500);
/** Items of the project automatic resolution runs over, in the same file. */
const AUTO_ITEMS = 3000;

/**
 * The child: env ADJ_DB, ADJ_PROJECT, ADJ_REVIEWER, ADJ_SEED, ADJ_MODE ('commit' | 'auto').
 * Prints 'ready', then 'commit-start {itemId}' before a commit and 'ack {…}' once it is done,
 * 'undo-start {actionId}' before an undo and 'undo {…}' once it is done, 'auto {…}' per finished
 * automatic run.
 */
const CHILD = String.raw`
const { CoreClient } = require('./electron/core/threads/coreClient.ts');
const { ADJ_DB: dbPath, ADJ_PROJECT: projectId, ADJ_REVIEWER: reviewerId, ADJ_MODE: mode } = process.env;
let seed = Number(process.env.ADJ_SEED) >>> 0;
const random = () => {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const say = (kind, value) => process.stdout.write(kind + ' ' + JSON.stringify(value) + '\n');
const ok = (r, what) => {
  if (!r.ok) { process.stderr.write(what + ': ' + r.error.code + ': ' + r.error.message + '\n'); process.exit(3); }
  return r.value;
};
const REASONS = ['guideline', 'annotator-error', 'ambiguous-text'];
(async () => {
  const core = await CoreClient.start({ dbPath, database: { autoBackup: false } });
  process.stdout.write('ready\n');
  if (mode === 'auto') {
    const runs = [{ policy: 'unanimous' }, { policy: 'majority', minShare: 0.9 }, { policy: 'majority' }, { policy: 'dawid-skene' }];
    for (let n = 0; ; n++) {
      const input = { projectId, ...runs[n % runs.length] };
      say('auto', ok(await core.dispatch('adjudication.auto', input), 'auto'));
    }
  }
  let after = null;
  for (let n = 0; ; n++) {
    const item = ok(await core.dispatch('adjudication.next', { projectId, reviewerId, afterItemId: after }), 'next');
    if (!item && after === null) { say('exhausted', {}); process.exit(0); }
    if (!item) { after = null; continue; }
    after = item.itemId;
    const decisions = item.fields.map((f) => {
      const other = f.options.length > 1 && random() < 0.3 ? f.options[1].value : undefined;
      if (other !== undefined) return { field: f.field, value: other, reasonCode: REASONS[Math.floor(random() * REASONS.length)], note: 'crash ' + n };
      return { field: f.field, value: f.majority !== undefined ? f.majority : f.options[0].value };
    });
    const flag = random() < 0.1;
    say('commit-start', { itemId: item.itemId });
    const r = ok(await core.dispatch('adjudication.commit', { projectId, itemId: item.itemId, reviewerId, decisions, flag }), 'commit');
    say('ack', { itemId: item.itemId, actionId: r.actionId, state: r.state, events: r.events, decisions });
    // An undo withdraws the reviewer's latest action: only after a commit that wrote one.
    if (r.events > 0 && random() < 0.2) {
      say('undo-start', { actionId: r.actionId });
      const u = ok(await core.dispatch('adjudication.undo', { projectId, reviewerId }), 'undo');
      say('undo', { actionId: u.actionId, itemId: u.itemId, state: u.state });
    }
  }
})();
`;

interface Ack {
  itemId: string;
  actionId: string;
  state: string;
  events: number;
  decisions: { field: string; value: unknown }[];
}

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

interface Round {
  acks: Ack[];
  /** Undos the child started; `done` once it printed their answer. */
  undos: Map<string, boolean>;
  /** The item of a commit that started and never answered (it may or may not have landed). */
  inFlight: string | null;
  autoRuns: number;
  killAfterMs: number;
  stderr: string;
  /** The child walked the whole queue and stopped before the kill. */
  exhausted: boolean;
  /** The child's last line (for a round that never answered). */
  last: string;
}

/** Starts the child, lets it work for a random while after its first answer, then SIGKILL. */
async function crashRound(env: Record<string, string>, killAfterMs: number): Promise<Round> {
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', CHILD], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const round: Round = { acks: [], undos: new Map(), inFlight: null, autoRuns: 0, killAfterMs, stderr: '', last: '', exhausted: false };
  child.stderr.on('data', (d: Buffer) => (round.stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let answered: () => void = () => {};
  const firstAnswer = new Promise<void>((resolve) => (answered = resolve));
  const lines = createInterface({ input: child.stdout });
  lines.on('line', (line) => {
    const space = line.indexOf(' ');
    const kind = space < 0 ? line : line.slice(0, space);
    const value = space < 0 ? null : (JSON.parse(line.slice(space + 1)) as Record<string, unknown>);
    if (kind === 'commit-start') round.inFlight = value!.itemId as string;
    else if (kind === 'ack') {
      round.acks.push(value as unknown as Ack);
      round.inFlight = null;
    } else if (kind === 'undo-start') round.undos.set(value!.actionId as string, false);
    else if (kind === 'undo') round.undos.set(value!.actionId as string, true);
    else if (kind === 'auto') round.autoRuns++;
    else if (kind === 'exhausted') round.exhausted = true;
    round.last = line.slice(0, 200);
    if (kind !== 'ready') answered();
  });
  const early = await Promise.race([firstAnswer.then(() => false), exited.then(() => true), sleep(120_000).then(() => true)]);
  if (early && !round.exhausted) {
    child.kill('SIGKILL');
    await exited;
    throw new Error(`the child gave no answer (last line: ${round.last || 'none'}; stderr: ${round.stderr})`);
  }
  await sleep(killAfterMs);
  child.kill('SIGKILL');
  const code = await exited;
  lines.close();
  if (code !== null && code !== 0) throw new Error(`the child failed before the kill (exit ${code}): ${round.stderr}`);
  return round;
}

interface EventRow {
  seq: number;
  id: string;
  item_id: string;
  field: string;
  value_json: string;
  source: string;
  action_id: string | null;
  withdraws: string | null;
}

/** Everything that must hold after any crash, from the database alone. */
function consistency(db: Database.Database): string[] {
  const problems: string[] = [];
  const rows = db.prepare('SELECT integrity_check FROM pragma_integrity_check').pluck(true).all() as string[];
  if (rows.join() !== 'ok') problems.push(`integrity_check: ${rows.slice(0, 5).join('; ')}`);
  const events = db
    .prepare('SELECT seq, id, item_id, field, value_json, source, action_id, withdraws FROM adjudication_events ORDER BY seq')
    .all() as EventRow[];
  const withdrawn = new Set(events.filter((e) => e.withdraws).map((e) => e.withdraws!));
  // Each action: exactly one state event; its events withdrawn all together or not at all.
  const actions = new Map<string, EventRow[]>();
  for (const e of events) if (e.action_id) actions.set(e.action_id, [...(actions.get(e.action_id) ?? []), e]);
  for (const [id, list] of actions) {
    const states = list.filter((e) => e.field === '$state').length;
    if (states !== 1) problems.push(`action ${id} has ${states} state events (${list.length} events)`);
    const out = list.filter((e) => withdrawn.has(e.id)).length;
    if (out !== 0 && out !== list.length) problems.push(`action ${id}: ${out} of its ${list.length} events withdrawn`);
  }
  // Current values and states: what the standing events say.
  const latest = new Map<string, EventRow>();
  for (const e of events) if (!e.withdraws && !withdrawn.has(e.id)) latest.set(`${e.item_id}\u0000${e.field}`, e);
  const touched = new Set(events.map((e) => `${e.item_id}\u0000${e.field}`));
  const current = new Map(
    (
      db.prepare('SELECT item_id, field, value_json, source, last_event_id FROM adjudications').all() as {
        item_id: string;
        field: string;
        value_json: string;
        source: string;
        last_event_id: string;
      }[]
    ).map((r) => [`${r.item_id}\u0000${r.field}`, r]),
  );
  const states = new Map(
    (db.prepare('SELECT item_id, state FROM adjudication_items').raw(true).all() as [string, string][]).map(([id, s]) => [id, s]),
  );
  for (const key of touched) {
    const [itemId, field] = key.split('\u0000') as [string, string];
    const want = latest.get(key);
    if (field === '$state') {
      const state = states.get(itemId);
      const expected = want ? (JSON.parse(want.value_json) as string) : null;
      if (expected ? state !== expected : state !== 'disputed' && state !== 'flagged')
        problems.push(`item ${itemId} is ${state}, its events say ${expected ?? 'open'}`);
      continue;
    }
    const row = current.get(key);
    if (!want && row) problems.push(`${itemId} ${field} has a value (${row.value_json}) but every event of it was withdrawn`);
    if (want && (!row || row.value_json !== want.value_json || row.source !== want.source || row.last_event_id !== want.id)) {
      problems.push(
        `${itemId} ${field} is ${row ? `${row.value_json} (${row.source})` : 'missing'}, its latest standing event says ${want.value_json} (${want.source})`,
      );
    }
  }
  for (const key of current.keys()) if (!touched.has(key)) problems.push(`a current value without any event: ${key.replace('\u0000', ' ')}`);
  return problems;
}

/** Every acknowledged commit: all its events there, and (unless undone, or decided again later) its values current. */
function acknowledged(db: Database.Database, acks: Ack[], undos: Map<string, boolean>, uncertain: Set<string>): string[] {
  const problems: string[] = [];
  const count = db.prepare('SELECT count(*) FROM adjudication_events WHERE action_id = ?').pluck(true);
  const withdrawnCount = db
    .prepare('SELECT count(*) FROM adjudication_events w JOIN adjudication_events e ON e.id = w.withdraws WHERE e.action_id = ?')
    .pluck(true);
  const value = db.prepare('SELECT value_json, source FROM adjudications WHERE item_id = ? AND field = ?');
  const state = db.prepare('SELECT state FROM adjudication_items WHERE item_id = ?').pluck(true);
  const lastOnItem = new Map<string, Ack>();
  for (const a of acks) lastOnItem.set(a.itemId, a);
  for (const a of acks) {
    const n = count.get(a.actionId) as number;
    if (n !== a.events) problems.push(`acknowledged commit ${a.actionId} on ${a.itemId}: ${n} of its ${a.events} events`);
    const out = withdrawnCount.get(a.actionId) as number;
    const undo = undos.get(a.actionId);
    if (undo === true && out !== a.events) problems.push(`acknowledged undo of ${a.actionId}: ${out} of ${a.events} events withdrawn`);
    if (undo === undefined && out !== 0) problems.push(`commit ${a.actionId} was never undone, yet ${out} of its events are withdrawn`);
    if (undo !== undefined || lastOnItem.get(a.itemId) !== a || uncertain.has(a.itemId) || a.events === 0) continue;
    for (const d of a.decisions) {
      const row = value.get(a.itemId, d.field) as { value_json: string; source: string } | undefined;
      if (!row || row.source !== 'adjudication' || row.value_json !== JSON.stringify(d.value)) {
        problems.push(`acknowledged ${a.itemId} ${d.field} = ${JSON.stringify(d.value)} is ${row ? `${row.value_json} (${row.source})` : 'missing'}`);
      }
    }
    const s = state.get(a.itemId) as string | undefined;
    if (s !== a.state) problems.push(`acknowledged ${a.itemId} is ${s}, the commit said ${a.state}`);
  }
  return problems;
}

describe('adjudication under kill -9', () => {
  it(`loses no acknowledged commit, leaves no action half there and keeps the database intact (${ROUNDS} kills)`, async () => {
    const dir = freshDir('annot-adj-crash-');
    const dbPath = path.join(dir, 'crash.db');
    const team = await writeTeamProject(dbPath, ITEMS, 'adjudication', 20261211);
    // Automatic resolution gets a project of its own: it would resolve most of the reviewer's queue.
    const autoTeam = await writeTeamProject(dbPath, AUTO_ITEMS, 'automatic', 20261212, 10_000_000);
    const core = createCore({ dbPath, database: { autoBackup: false } });
    let reviewerId: string;
    try {
      reviewerId = (await call<{ id: string }>(core, 'annotators.create', { name: '审核员' })).id;
      await call(core, 'annotators.setRoles', { annotatorId: reviewerId, roles: ['annotator', 'reviewer'] });
      await call(core, 'adjudication.queue', { projectId: team.projectId });
      await call(core, 'adjudication.queue', { projectId: autoTeam.projectId });
    } finally {
      core.close();
    }
    const random = rng(20261211);
    const acks: Ack[] = [];
    const undos = new Map<string, boolean>();
    /** Items a commit that never answered was made on: their values are that commit's or the last acknowledged one's. */
    const uncertain = new Set<string>();
    const failures: string[] = [];
    let autoRuns = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const mode = round % 5 === 2 ? 'auto' : 'commit';
      const killAfterMs = Math.round((mode === 'auto' ? 500 : 100) + random() * 1500);
      const r = await crashRound(
        {
          ADJ_DB: dbPath,
          ADJ_PROJECT: mode === 'auto' ? autoTeam.projectId : team.projectId,
          ADJ_REVIEWER: reviewerId,
          ADJ_SEED: String(1000 + round),
          ADJ_MODE: mode,
        },
        killAfterMs,
      );
      acks.push(...r.acks);
      for (const [id, done] of r.undos) undos.set(id, done);
      if (r.inFlight) uncertain.add(r.inFlight);
      autoRuns += r.autoRuns;
      // An undo that never answered may or may not have landed: it is all or nothing (checked by
      // consistency()), and that commit's values are not expected either way.
      // Reopen as the app would (the WAL is recovered), then check with a connection of our own.
      createCore({ dbPath, database: { autoBackup: false } }).close();
      const db = new Database(dbPath, { readonly: true });
      let problems: string[];
      try {
        problems = [...consistency(db), ...acknowledged(db, acks, undos, uncertain)];
      } finally {
        db.close();
      }
      console.log(
        `[adj-crash] round ${round + 1}/${ROUNDS} ${mode}: killed after ${killAfterMs} ms; ${r.acks.length} commits, ${[...r.undos.values()].filter(Boolean).length} undos` +
          `${mode === 'auto' ? `, ${r.autoRuns} automatic runs` : ''} acknowledged${r.exhausted ? ' (the queue ran out first)' : ''}; ${problems.length ? `FAILED: ${problems.slice(0, 5).join(' | ')}` : 'ok'}`,
      );
      failures.push(...problems.map((p) => `round ${round + 1}: ${p}`));
    }
    expect(failures).toEqual([]);
    // The kills landed where they matter: after commits had been acknowledged.
    expect(acks.length).toBeGreaterThan(0);
    if (ROUNDS >= 3) expect(autoRuns + acks.length).toBeGreaterThan(0);
  }, 900_000);
});
