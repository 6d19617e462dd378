/**
 * Export crash trials: an export (hf-jsonl + parquet + conll, splits, exact dedup, redaction) runs in
 * a process of its own and is killed with SIGKILL while it scans, while it writes, as soon as its
 * manifest is on disk (right before the rename) or around the moment it would finish. After each
 * kill: the bundle folder either does not exist, or it is complete (its manifest lists every file in
 * it with the right bytes, sha256 and rows, and its data files are those of an export that was not
 * killed); whatever else is left is a hidden `.<name>.partial-<pid>` folder, and the next export into
 * the same folder removes those of dead processes.
 * Run from tests/core/export/crash.test.ts (a few rounds) and `npm run trial -- export-crash --rounds=N`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, watch } from 'node:fs';
import { join, resolve } from 'node:path';
import { parquetMetadata } from 'hyparquet';
import { partialOwner } from '../../electron/core/export/bundle';
import { writeExportProject } from '../bench/export-data';

const ROOT = resolve(__dirname, '../..');

export type KillPoint = 'scan' | 'write' | 'manifest' | 'end';
export const KILL_POINTS: KillPoint[] = ['scan', 'write', 'manifest', 'end'];

export interface ExportTrialResult {
  round: number;
  point: KillPoint;
  killAfterMs: number;
  /** What the kill left: no bundle, a complete bundle, or the child had finished already. */
  outcome: 'no-bundle' | 'complete' | 'finished';
  partialLeft: boolean;
  problems: string[];
}

export interface ExportTrialsSummary {
  trials: number;
  failures: number;
  byOutcome: Record<ExportTrialResult['outcome'], number>;
  /** Stale partial folders the later exports removed. */
  partialsRemoved: number;
  results: ExportTrialResult[];
  problems: string[];
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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Child {
  process: ChildProcess;
  started: number;
  /** ms after start at which each phase was first reported. */
  phases: Partial<Record<'scan' | 'write' | 'finish' | 'done', number>>;
  exited: Promise<number | null>;
}

function startChild(dbPath: string, projectId: string, outDir: string, name: string): Child {
  // node itself with tsx's loader (the tsx binary would put a wrapper process between us and the export).
  const proc = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'export-child.ts'), dbPath, projectId, outDir, name], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const child: Child = { process: proc, started: performance.now(), phases: {}, exited: new Promise((r) => proc.on('exit', (code) => r(code))) };
  let buffered = '';
  proc.stdout!.setEncoding('utf8');
  proc.stdout!.on('data', (d: string) => {
    buffered += d;
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      const msg = JSON.parse(line) as { phase?: 'scan' | 'write' | 'finish'; dir?: string };
      const key = msg.dir ? 'done' : msg.phase!;
      child.phases[key] ??= performance.now() - child.started;
    }
  });
  proc.stderr!.resume();
  return child;
}

/** Rows of a data file as a reader counts them. */
function rowsOf(file: string, bytes: Buffer): number {
  if (file.endsWith('.parquet'))
    return Number(parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer).num_rows);
  const text = bytes.toString('utf8');
  if (file.endsWith('.conll')) return text.split('\n\n').filter((b) => b.trim()).length;
  return text.split('\n').filter((l) => l.trim()).length;
}

interface ManifestFile {
  path: string;
  rows: number | null;
  bytes: number;
  sha256: string;
}

/** Why the folder is not a complete bundle (empty when it is one). `reference`: sha256 per data file of an export that was not killed. */
export function bundleProblems(dir: string, reference?: ReadonlyMap<string, string>): string[] {
  const problems: string[] = [];
  const manifestPath = join(dir, 'manifest.json');
  if (!existsSync(manifestPath)) return [`${dir}: no manifest.json`];
  let manifest: { items: number; files: ManifestFile[] };
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as typeof manifest;
  } catch (error) {
    return [`${dir}: manifest.json does not parse: ${(error as Error).message}`];
  }
  const listed = new Set(manifest.files.map((f) => f.path));
  const present = readdirSync(dir).filter((f) => f !== 'manifest.json');
  for (const f of present) if (!listed.has(f)) problems.push(`${dir}: ${f} is not in the manifest`);
  let jsonlRows = 0;
  for (const f of manifest.files) {
    const file = join(dir, f.path);
    if (!existsSync(file)) {
      problems.push(`${dir}: ${f.path} is listed but missing`);
      continue;
    }
    const bytes = readFileSync(file);
    if (bytes.length !== f.bytes) problems.push(`${dir}: ${f.path} has ${bytes.length} bytes, the manifest says ${f.bytes}`);
    const sha = createHash('sha256').update(bytes).digest('hex');
    if (sha !== f.sha256) problems.push(`${dir}: ${f.path} sha256 differs from the manifest`);
    if (f.rows !== null) {
      const rows = rowsOf(f.path, bytes);
      if (rows !== f.rows) problems.push(`${dir}: ${f.path} has ${rows} rows, the manifest says ${f.rows}`);
      if (/^(train|validation|test|data)\.jsonl$/.test(f.path)) jsonlRows += rows;
      const want = reference?.get(f.path);
      if (want !== undefined && want !== sha) problems.push(`${dir}: ${f.path} differs from the export that was not killed`);
    }
  }
  if (listed.has('train.jsonl') && jsonlRows !== manifest.items)
    problems.push(`${dir}: ${jsonlRows} rows in the jsonl files, the manifest says ${manifest.items} items`);
  return problems;
}

/** Partial folders in `outDir` (name and writer pid). */
function partials(outDir: string): { name: string; pid: number }[] {
  return readdirSync(outDir)
    .map((name) => ({ name, pid: partialOwner(name) }))
    .filter((p): p is { name: string; pid: number } => p.pid !== null);
}

/**
 * Runs `rounds` kills, kill points in turn, after one export that is not killed (the reference, and
 * the timing the kills aim with). `items`: the project's size (the export should take seconds).
 */
export async function runExportCrashTrials(
  dir: string,
  rounds: number,
  options: { seed?: number; items?: number; log?: (line: string) => void } = {},
): Promise<ExportTrialsSummary> {
  const random = rng(options.seed ?? 20261221);
  const log = options.log ?? (() => {});
  const dbPath = join(dir, 'export-crash.db');
  const { projectId } = await writeExportProject(dbPath, options.items ?? 20_000);
  const outDir = join(dir, 'out');
  mkdirSync(outDir, { recursive: true });
  const problems: string[] = [];

  const reference = startChild(dbPath, projectId, outDir, 'reference');
  if ((await reference.exited) !== 0) throw new Error('the reference export failed');
  const timing = reference.phases;
  const refProblems = bundleProblems(join(outDir, 'reference'));
  if (refProblems.length) throw new Error(`the reference export is not a complete bundle: ${refProblems.join('; ')}`);
  const refManifest = JSON.parse(readFileSync(join(outDir, 'reference', 'manifest.json'), 'utf8')) as { files: ManifestFile[] };
  const refSha = new Map(refManifest.files.filter((f) => f.rows !== null).map((f) => [f.path, f.sha256]));
  log(
    `reference export: scan at ${timing.scan?.toFixed(0)} ms, write at ${timing.write?.toFixed(0)} ms, finish at ${timing.finish?.toFixed(0)} ms, done at ${timing.done?.toFixed(0)} ms`,
  );

  const results: ExportTrialResult[] = [];
  const stale = new Set<string>();
  let partialsRemoved = 0;
  for (let round = 0; round < rounds; round++) {
    const point = KILL_POINTS[round % KILL_POINTS.length]!;
    const name = `bundle-${round}`;
    const child = startChild(dbPath, projectId, outDir, name);
    let killAfterMs = 0;
    const kill = () => {
      killAfterMs = Math.round(performance.now() - child.started);
      child.process.kill('SIGKILL');
    };
    if (point === 'manifest') {
      // As soon as manifest.json appears in the partial folder (inotify): it is being written, the rename is next.
      const partial = join(outDir, `.${name}.partial-${child.process.pid}`);
      let exited = false;
      void child.exited.then(() => (exited = true));
      while (!exited && !existsSync(partial)) await sleep(2);
      if (!exited) {
        await new Promise<void>((done) => {
          const watcher = watch(partial, (_event, file) => {
            if (file !== 'manifest.json') return;
            kill();
            watcher.close();
            done();
          });
          watcher.on('error', () => done());
          void child.exited.then(() => {
            watcher.close();
            done();
          });
        });
      }
    } else {
      // Aimed from the child's own progress: a random moment inside the phase, as long as the reference's.
      const [phase, from, to] =
        point === 'scan'
          ? (['scan', timing.scan!, timing.write!] as const)
          : point === 'write'
            ? (['write', timing.write!, timing.finish!] as const)
            : (['finish', timing.finish!, timing.done! + 10] as const);
      let exited = false;
      void child.exited.then(() => (exited = true));
      while (!exited && child.phases[phase] === undefined) await sleep(2);
      if (!exited) {
        await sleep(random() * (to - from) * 0.9);
        kill();
      }
    }
    const code = await child.exited;
    const finalDir = join(outDir, name);
    const roundProblems: string[] = [];
    let outcome: ExportTrialResult['outcome'] = 'no-bundle';
    if (existsSync(finalDir)) {
      outcome = code === 0 ? 'finished' : 'complete';
      roundProblems.push(...bundleProblems(finalDir, refSha));
    }
    // Nothing but bundles and hidden partial folders, and no partial folder under a bundle's name.
    for (const entry of readdirSync(outDir)) {
      const pid = partialOwner(entry);
      if (pid !== null) {
        if (!entry.startsWith('.')) roundProblems.push(`partial folder ${entry} is not hidden`);
      } else if (!entry.startsWith('.') && entry !== 'reference' && !/^bundle-\d+$/.test(entry)) roundProblems.push(`unexpected ${entry}`);
    }
    // The partial folders of killed exports before this one are gone once this one started writing.
    const now = new Set(partials(outDir).map((p) => p.name));
    if (child.phases.scan !== undefined) {
      for (const s of stale) {
        if (now.has(s)) roundProblems.push(`the stale partial folder ${s} is still there after the next export`);
        else partialsRemoved++;
      }
      stale.clear();
    }
    const mine = `.${name}.partial-${child.process.pid}`;
    const partialLeft = now.has(mine);
    if (partialLeft) stale.add(mine);
    if (partialLeft && outcome !== 'no-bundle') roundProblems.push(`both the bundle and its partial folder ${mine} exist`);
    results.push({ round, point, killAfterMs, outcome, partialLeft, problems: roundProblems });
    log(
      `round ${round + 1}/${rounds} ${point}: killed after ${killAfterMs} ms: ${outcome}${partialLeft ? ', partial folder left' : ''}` +
        `${roundProblems.length ? ` FAILED: ${roundProblems.join(' | ')}` : ''}`,
    );
  }
  // One more export, not killed: it removes every stale partial folder.
  const last = startChild(dbPath, projectId, outDir, 'after');
  if ((await last.exited) !== 0) problems.push('the export after the trials failed');
  const left = partials(outDir);
  partialsRemoved += [...stale].filter((s) => !left.some((p) => p.name === s)).length;
  if (left.length) problems.push(`partial folders left after a clean export: ${left.map((p) => p.name).join(', ')}`);
  problems.push(...bundleProblems(join(outDir, 'after'), refSha));

  const byOutcome = { 'no-bundle': 0, complete: 0, finished: 0 };
  for (const r of results) byOutcome[r.outcome]++;
  return {
    trials: results.length,
    failures: results.filter((r) => r.problems.length).length + (problems.length ? 1 : 0),
    byOutcome,
    partialsRemoved,
    results,
    problems,
  };
}
