import fs from 'node:fs';
import path from 'node:path';
import { isChannel, type CoreChannel } from '../../../shared/contract';
import type { DatabaseBackup, DatabaseCheck, DatabaseHealth, DatabaseState, RestoreResult } from '../../../shared/contract/database';
import { AppError, type AppErrorPayload, type Result } from '../../../shared/contract/errors';
import { BackupDamaged, backupInto, describeBackup } from '../db/backup';
import { DEFAULT_KEEP, backupDirOf, backupStem, fileIdentity, listBackups, nextBackupPath, pruneBackups, removeStaleTemps } from '../db/backupFiles';
import { moveDatabaseAside, restoreDatabase } from '../db/backupRestore';
import { corruptError, corruptionDetail, isCorruption, mapDbError, restoreCommand } from '../db/errors';
import { checkIntegrity, openDamaged, openDatabase, summarizeProblems, type DB, type OpenOptions } from '../db/open';
import type { CoreContext, Emit, FeatureHandlers, JobForwarder } from '../context';

export interface DatabaseOptions extends Pick<OpenOptions, 'synchronous' | 'walAutoCheckpoint' | 'busyTimeoutMs' | 'fullfsync' | 'readonly'> {
  /**
   * A damaged file at open: 'throw' (default: the CLI, tests, job threads) fails with DB_CORRUPT;
   * 'refuse-writes' (the app) opens it anyway, answers every writing channel with DB_CORRUPT and
   * serves database.health / restoreBackup, so the app can show its recovery screen.
   */
  onCorrupt?: 'throw' | 'refuse-writes';
  /**
   * 'job': a job thread's connection: no startup check, no health events, no automatic backups (the
   * core thread's guard does those; a job thread only runs the checks and backups forwarded to it).
   */
  role?: 'primary' | 'job';
  /**
   * PRAGMA quick_check at start runs here, before the first call, on files up to this size (tens of
   * milliseconds); above it on the maintenance job thread while the app works, or not at all without
   * job threads (the CLI: SQLite still reports the damage it reads). 0: never here.
   */
  syncCheckMaxBytes?: number;
  /** Automatic backups (the app): at start, after every `every` decisions, at quit; the newest `keep` are kept. */
  autoBackup?: { every?: number; keep?: number } | false;
  /** Default `<db>-backups`. */
  backupDir?: string;
}

export const SYNC_CHECK_MAX_BYTES = 64 * 1024 * 1024;
export const DEFAULT_BACKUP_EVERY = 200;

/** The channels that only read: still answered on a damaged file. Every other channel writes (or may), and is refused. */
export const READ_CHANNELS: ReadonlySet<string> = new Set<CoreChannel>([
  'app.info',
  'projects.list',
  'projects.get',
  'projects.stats',
  'items.list',
  'items.get',
  'annotators.list',
  'annotators.getSettings',
  'labeling.item',
  'labeling.at',
  'labeling.next',
  'labeling.progress',
  'models.status',
  'models.versions',
  'prelabel.get',
  'reports.project',
  'reports.render',
  'dictionary.list',
  'review.plan',
  'review.audit',
  'imports.inspect',
  'imports.get',
  'imports.cancel',
  'database.health',
  'database.check',
]);
/** Answered in every state: recovery itself. */
const RECOVERY: ReadonlySet<string> = new Set(['database.health', 'database.restoreBackup', 'database.moveAside']);
const DECISIONS: ReadonlySet<string> = new Set(['labeling.apply', 'labeling.undo', 'labeling.redo']);

const MARKER = '.last-close.json';
interface Marker {
  size: number;
  mtimeMs: number;
  backup: string;
}

interface Deps {
  emit: Emit;
  jobs: JobForwarder | null;
  onInternalError: (where: string, error: unknown) => void;
  now: () => Date;
}

const fail = (error: AppErrorPayload): Result<never> => ({ ok: false, error });

/**
 * The database file's health for one core: opens it (a damaged file too, in the app), runs the
 * startup check, refuses every write once SQLite has reported damage (and stops the job threads'
 * writers), maps SQLite's errors for dispatch, takes the automatic backups and restores one.
 */
export class DatabaseGuard {
  private stateValue: DatabaseState = 'ok';
  private problem: string | null = null;
  private checkedAt: string | null = null;
  private backupError: string | null = null;
  private deps: Deps | null = null;
  private decisions = 0;
  /** The change mark (see mark()) when the last backup began, null before one. */
  private lastMark: string | null = null;
  private running: Promise<unknown> | null = null;
  private readonly work = new Set<Promise<unknown>>();
  private readonly backupDir: string;
  private readonly stem: string;
  /** The file as the last quit left it, when nothing had changed since the newest backup. */
  private readonly untouchedSinceBackup: boolean;

  private constructor(
    readonly dbPath: string,
    readonly db: DB,
    private readonly options: DatabaseOptions,
    private readonly nativeBinding: string | undefined,
    untouched: boolean,
  ) {
    this.backupDir = options.backupDir ?? backupDirOf(dbPath);
    this.stem = backupStem(dbPath);
    this.untouchedSinceBackup = untouched;
  }

  /**
   * Opens the database (see DatabaseOptions.onCorrupt). On a small file the startup check runs first,
   * before anything (journal mode, a migration) is written to it.
   */
  static open(dbPath: string, nativeBinding: string | undefined, options: DatabaseOptions = {}): DatabaseGuard {
    const backupDir = options.backupDir ?? backupDirOf(dbPath);
    const untouched = options.role !== 'job' && !!options.autoBackup && untouchedSince(dbPath, backupDir);
    const limit = options.syncCheckMaxBytes ?? SYNC_CHECK_MAX_BYTES;
    let checkedAt: string | null = null;
    const open: OpenOptions = {
      ...(nativeBinding ? { nativeBinding } : {}),
      ...pick(options, ['synchronous', 'walAutoCheckpoint', 'busyTimeoutMs', 'fullfsync', 'readonly']),
    };
    if (options.role !== 'job' && limit > 0 && fileBytes(dbPath) <= limit) {
      open.inspect = (db) => {
        const problems = quickCheck(db);
        if (problems.length) throw corruptError(dbPath, summarizeProblems(problems));
        checkedAt = new Date().toISOString();
      };
    }
    let db: DB;
    try {
      db = openDatabase(dbPath, open);
    } catch (error) {
      if (!isCorruption(error) || options.onCorrupt !== 'refuse-writes') throw error;
      const guard = new DatabaseGuard(dbPath, openDamaged(dbPath, open), options, nativeBinding, false);
      guard.corrupt(corruptionDetail(error as AppError));
      return guard;
    }
    const guard = new DatabaseGuard(dbPath, db, options, nativeBinding, untouched);
    guard.checkedAt = checkedAt;
    return guard;
  }

  get state(): DatabaseState {
    return this.stateValue;
  }

  /** False once the file is known to be damaged (or is being replaced): nothing may write to it. */
  get writable(): boolean {
    return this.stateValue === 'ok' || this.stateValue === 'checking';
  }

  /** For dispatch: SQLite's errors as the app's; on a damaged file, a refused write is DB_CORRUPT, not DB_READONLY. */
  readonly mapError = (error: unknown): AppError | null => {
    const mapped = mapDbError(error, this.dbPath);
    if (mapped?.code === 'DB_READONLY' && this.stateValue === 'corrupt') return this.corruptAppError();
    return mapped;
  };

  /** Starts what runs in the background: the startup check on a big file, the start backup. */
  start(deps: Deps): void {
    this.deps = deps;
    if (this.options.role === 'job') return;
    if (this.autoBackup) {
      try {
        removeStaleTemps(this.backupDir);
      } catch {
        // an unreadable backup folder shows up when a backup fails
      }
    }
    if (this.stateValue === 'corrupt') return;
    const needsCheck = this.checkedAt === null && !!deps.jobs;
    if (!needsCheck && !this.autoBackup) return;
    if (needsCheck) this.setState('checking');
    this.track(
      (async () => {
        if (needsCheck) await this.check();
        if (!this.writable || !this.autoBackup) return;
        if (this.untouchedSinceBackup) this.lastMark = this.mark();
        else await this.backup();
      })().catch((error: unknown) => this.report('database start', error)),
    );
  }

  /** Around every call: refuses what the state forbids, learns from what comes back (damage, decisions). */
  async run(channel: string, call: () => Promise<Result<unknown>>): Promise<Result<unknown>> {
    if (isChannel(channel) && !RECOVERY.has(channel)) {
      if (this.stateValue === 'restoring')
        return fail({ code: 'DB_BUSY', message: `${this.dbPath} is being restored from a backup`, details: { file: this.dbPath } });
      if (this.stateValue === 'closed') {
        return fail({ code: 'CONFLICT', message: `${this.dbPath} was replaced by a restore; open it again`, details: { file: this.dbPath } });
      }
      if (this.stateValue === 'corrupt' && !READ_CHANNELS.has(channel)) return fail(this.corruptAppError().toPayload());
    }
    const result = await call();
    if (!result.ok && result.error.code === 'DB_CORRUPT') this.corrupt(corruptionDetail(result.error));
    else if (result.ok && DECISIONS.has(channel) && result.value !== null) this.noteDecision();
    return result;
  }

  health(): DatabaseHealth {
    return {
      state: this.stateValue,
      file: this.dbPath,
      problem: this.problem,
      checkedAt: this.checkedAt,
      backupDir: this.backupDir,
      backups: listBackups(this.backupDir, this.stem),
      backupError: this.backupError,
      restoreCommand: restoreCommand(this.dbPath),
    };
  }

  /** quick_check on this thread's connection. */
  checkHere(): DatabaseCheck {
    let problems: string[];
    try {
      problems = quickCheck(this.db);
    } catch (error) {
      throw this.mapError(error) ?? error;
    }
    this.checkedAt = new Date().toISOString();
    if (problems.length) this.corrupt(summarizeProblems(problems));
    else if (this.stateValue === 'checking') this.setState('ok');
    return { ok: problems.length === 0, problems, checkedAt: this.checkedAt };
  }

  /** quick_check on the maintenance thread where there is one (it reads the whole file), else here. */
  async check(): Promise<DatabaseCheck> {
    const jobs = this.deps?.jobs;
    if (!jobs) return this.checkHere();
    try {
      const result = await jobs.call('maintenance', 'database.check', {});
      this.checkedAt = result.checkedAt;
      if (!result.ok) this.corrupt(summarizeProblems(result.problems));
      else if (this.stateValue === 'checking') this.setState('ok');
      return result;
    } catch (error) {
      if (isCorruption(error)) this.corrupt(corruptionDetail(error as AppError));
      else if (this.stateValue === 'checking') this.setState('ok');
      throw error;
    }
  }

  /**
   * A backup now: on the maintenance thread where there is one (a big file takes seconds), else
   * here; one at a time. With automatic backups, the oldest beyond `keep` are removed after.
   */
  backup(): Promise<DatabaseBackup> {
    if (!this.writable)
      return Promise.reject(this.stateValue === 'corrupt' ? this.corruptAppError() : new AppError('DB_BUSY', 'a restore is under way'));
    const previous = this.running ?? Promise.resolve();
    const next = previous
      .catch(() => undefined)
      .then(async () => {
        // The file may have been found damaged while this one waited: no backup of it may push a sound one out.
        if (!this.writable) throw this.corruptAppError();
        const mark = this.mark();
        const jobs = this.deps?.jobs;
        try {
          const made = jobs ? await jobs.call('maintenance', 'database.backup', {}) : await this.backupHere();
          this.lastMark = mark;
          this.backupError = null;
          if (this.autoBackup) pruneBackups(this.backupDir, this.stem, this.autoBackup.keep ?? DEFAULT_KEEP);
          return made;
        } catch (error) {
          if (isCorruption(error)) this.corrupt(corruptionDetail(error as AppError));
          this.backupError = error instanceof Error ? error.message : String(error);
          throw error;
        }
      });
    this.running = next;
    this.track(next.finally(() => this.running === next && (this.running = null)).catch(() => undefined));
    return next;
  }

  /** The backup itself, on this thread's connection: a checked copy renamed into the backup folder. */
  async backupHere(): Promise<DatabaseBackup> {
    if (!this.writable) throw this.corruptAppError();
    const now = this.deps?.now() ?? new Date();
    const target = nextBackupPath(this.backupDir, this.stem, now);
    try {
      await backupInto(this.db, target, this.nativeBinding);
    } catch (error) {
      if (!(error instanceof BackupDamaged)) throw this.mapError(error) ?? error;
      // A damaged copy: the database itself, or the disk under the backup folder?
      const live = this.checkHere();
      if (!live.ok) throw this.corruptAppError();
      throw new AppError('INTERNAL', `the backup of ${this.dbPath} could not be verified and was discarded (${error.message})`, { file: target });
    }
    return describeBackup(target, now);
  }

  /** At quit, after the job threads have stopped: a last backup here if anything changed since the newest one. */
  async atQuit(): Promise<void> {
    await this.settle();
    const auto = this.autoBackup;
    if (!auto || !this.writable || !this.db.open) return;
    const mark = this.mark();
    if (mark === this.lastMark) return;
    try {
      await this.backupHere();
      this.lastMark = mark;
      pruneBackups(this.backupDir, this.stem, auto.keep ?? DEFAULT_KEEP);
    } catch (error) {
      this.report('backup at quit', error);
    }
  }

  /** Resolves when the check or backup under way has finished (a job thread waits for it before it closes). */
  async settle(): Promise<void> {
    while (this.work.size) await Promise.allSettled([...this.work]);
    await new Promise((resolve) => setImmediate(resolve));
  }

  /**
   * Restores a backup (the one named, else the newest that passes integrity_check): the job threads
   * stop, this connection closes, the current file and its -wal/-shm are moved aside, the checked
   * copy takes its place. This core is closed after it (state 'closed'); the app's core thread then
   * stops and the next call starts a new one over the restored file.
   */
  async restore(name?: string): Promise<RestoreResult> {
    const backups = listBackups(this.backupDir, this.stem);
    const candidates = name ? backups.filter((b) => b.name === name) : backups;
    if (name && !candidates.length) throw new AppError('NOT_FOUND', `no backup named ${name} in ${this.backupDir}`, { name });
    if (!candidates.length) throw new AppError('NOT_FOUND', `there is no backup of ${this.dbPath} in ${this.backupDir}`, { file: this.dbPath });
    return this.replace((options) => restoreDatabase({ ...options, candidates }));
  }

  /** Moves a damaged file aside (never deletes it); the next core starts with an empty database. */
  async moveAside(): Promise<RestoreResult> {
    if (this.stateValue !== 'corrupt') {
      throw new AppError('CONFLICT', `${this.dbPath} is not damaged; to go back to a backup, restore one (the current file is moved aside then too)`);
    }
    return this.replace((options) => moveDatabaseAside(options));
  }

  /** Closes the connection; after a quit with nothing changed since the newest backup, notes the file as it was left. */
  close(): void {
    if (!this.db.open) return;
    const unchanged = !!this.autoBackup && this.writable && this.lastMark !== null && this.mark() === this.lastMark;
    this.db.close();
    if (!unchanged) return;
    const newest = listBackups(this.backupDir, this.stem)[0];
    const identity = fileIdentity(this.dbPath);
    if (!newest || !identity || identity.wal) return;
    try {
      const marker: Marker = { size: identity.size, mtimeMs: identity.mtimeMs, backup: newest.name };
      fs.writeFileSync(path.join(this.backupDir, MARKER), JSON.stringify(marker));
    } catch {
      // then the next start takes a backup it did not need
    }
  }

  private async replace(
    run: (options: {
      dbPath: string;
      nativeBinding: string | undefined;
      aside: 'replaced' | 'corrupt';
      now: () => Date;
      beforeSwap: () => Promise<void>;
    }) => Promise<RestoreResult>,
  ): Promise<RestoreResult> {
    if (this.stateValue === 'restoring' || this.stateValue === 'closed') throw new AppError('CONFLICT', `${this.dbPath} is being replaced already`);
    const previous = this.stateValue;
    this.setState('restoring');
    try {
      const result = await run({
        dbPath: this.dbPath,
        nativeBinding: this.nativeBinding,
        aside: previous === 'corrupt' ? 'corrupt' : 'replaced',
        now: () => this.deps?.now() ?? new Date(),
        beforeSwap: async () => {
          await this.deps?.jobs?.close?.();
          await this.settle();
          if (this.db.open) this.db.close();
        },
      });
      this.setState('closed');
      return result;
    } catch (error) {
      // Once the connection is closed this core cannot go on: the next one opens the file as it is now.
      if (this.db.open) this.setState(previous);
      else this.setState('closed');
      throw this.mapError(error) ?? error;
    }
  }

  /** Changes since the last backup: other connections' commits move data_version, this one's total_changes(). */
  private mark(): string {
    try {
      const dataVersion = this.db.pragma('data_version', { simple: true }) as number;
      const own = (this.db.prepare('SELECT total_changes() AS n').get() as { n: number }).n;
      return `${dataVersion}:${own}`;
    } catch {
      return `unreadable:${Date.now()}:${Math.random()}`;
    }
  }

  /** Automatic backups, on the core thread's guard only. */
  private get autoBackup(): { every?: number; keep?: number } | null {
    return this.options.role !== 'job' && this.options.autoBackup ? this.options.autoBackup : null;
  }

  private noteDecision(): void {
    const auto = this.autoBackup;
    if (!auto) return;
    this.decisions++;
    if (this.decisions < (auto.every ?? DEFAULT_BACKUP_EVERY) || this.running) return;
    this.decisions = 0;
    this.backup().catch((error: unknown) => this.report('automatic backup', error));
  }

  /** Damage seen: from now on nothing is written through this connection, and the job threads' writers stop. */
  private corrupt(problem: string): void {
    if (this.stateValue === 'corrupt' || this.stateValue === 'closed' || this.stateValue === 'restoring') return;
    this.problem = problem;
    this.stateValue = 'corrupt';
    try {
      if (this.db.open) this.db.pragma('query_only = ON');
    } catch {
      // a read-only connection already
    }
    this.deps?.jobs?.halt?.().catch((error: unknown) => this.deps?.onInternalError('stopping job threads', error));
    this.emitHealth();
  }

  /** Background work that failed; one cut off because the app is closing is no failure. */
  private report(where: string, error: unknown): void {
    if (error instanceof AppError && error.code === 'CANCELLED') return;
    if (!this.db.open) return; // the core closed meanwhile
    this.deps?.onInternalError(where, error);
  }

  private corruptAppError(): AppError {
    return corruptError(this.dbPath, this.problem ?? 'damaged');
  }

  /** The renderer hears of every change but the startup check's own comings and goings (checking, then ok), which change nothing for it. */
  private setState(state: DatabaseState): void {
    const was = this.stateValue;
    if (was === state) return;
    this.stateValue = state;
    if (state !== 'checking' && !(was === 'checking' && state === 'ok')) this.emitHealth();
  }

  private emitHealth(): void {
    if (!this.deps || this.options.role === 'job') return;
    try {
      this.deps.emit('database.health', this.health());
    } catch (error) {
      this.deps.onInternalError('database health event', error);
    }
  }

  private track(p: Promise<unknown>): void {
    this.work.add(p);
    const done = () => void this.work.delete(p);
    p.then(done, done);
  }
}

/** quick_check's problems; a file too damaged to be checked is one. */
function quickCheck(db: DB): string[] {
  try {
    return checkIntegrity(db, 'quick');
  } catch (error) {
    if (!isCorruption(error)) throw error;
    return [(error as Error).message];
  }
}

function pick<T extends object, K extends keyof T>(o: T, keys: K[]): Pick<T, K> {
  return Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]])) as Pick<T, K>;
}

function fileBytes(dbPath: string): number {
  let total = 0;
  for (const side of ['', '-wal']) {
    try {
      total += fs.statSync(`${dbPath}${side}`).size;
    } catch {
      // not there
    }
  }
  return total;
}

/** Whether the file is exactly as the last quit left it, when that quit found nothing new since the newest backup. */
function untouchedSince(dbPath: string, backupDir: string): boolean {
  try {
    const marker = JSON.parse(fs.readFileSync(path.join(backupDir, MARKER), 'utf8')) as Marker;
    const identity = fileIdentity(dbPath);
    return (
      !!identity &&
      !identity.wal &&
      identity.size === marker.size &&
      identity.mtimeMs === marker.mtimeMs &&
      fs.existsSync(path.join(backupDir, marker.backup))
    );
  } catch {
    return false;
  }
}

export function databaseHandlers(
  ctx: CoreContext,
): FeatureHandlers<'database.health' | 'database.check' | 'database.backup' | 'database.restoreBackup' | 'database.moveAside'> {
  const guard = ctx.database;
  return {
    'database.health': () => guard.health(),
    // On the core thread these go on to the maintenance thread; there (no jobs) they run on its connection.
    'database.check': () => guard.check(),
    'database.backup': () => guard.backup(),
    'database.restoreBackup': ({ backup }) => guard.restore(backup),
    'database.moveAside': () => guard.moveAside(),
  };
}
