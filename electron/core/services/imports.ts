import { basename } from 'node:path';
import { AppError } from '../../../shared/contract/errors';
import type { BadLinePolicy, ColumnMapping, ImportFormat, ImportRedaction, ImportStatus } from '../../../shared/contract/schemas';
import type { DB } from '../db/open';
import { stmt } from '../db/statements';
import { writeTransaction } from '../db/write';
import { loadImport, saveImport } from '../db/repos/imports';
import { currentSchema, getProject, saveSchemaVersion } from '../db/repos/projects';
import { sniffFile, type Sniffed } from '../importers/encoding';
import { readRecords } from '../importers/sources';
import { pauseForInteractiveCalls } from '../threads/interactiveCalls';
import { isRecord, type ImportContext, type ImportRecord, type ImportedAnnotation, type ImportedSuggestion } from '../importers/record';
import type { Runtime } from '../runtime';
import { recordRedactor } from './importRedaction';
import { commitRows, cursorOf, writePlannedRows, DEFAULT_ANNOTATOR, type CommitCursor } from './importCommit';
import { createStaging, orphanStagingFiles, planCommit, removeStaging, stagingPath, syncStaging, type StagingWriter } from './importStaging';
import { emptyLabelNames, missingLabels, normalizeLabels, stillMissing, withLabels, type LabelNames } from './labels';

export { contentHash } from './contentHash';

export interface ImportRequest {
  projectId: string;
  filePath: string;
  format: ImportFormat;
  mapping?: ColumnMapping | undefined;
  onBadLines: BadLinePolicy;
  /** Who made labels that carry no annotator of their own. */
  annotator?: string | undefined;
  /** Redact personal data before anything is stored (default none). */
  redact?: ImportRedaction | undefined;
}

const MAX_REPORTED_ERRORS = 1000;
const PROGRESS_INTERVAL_MS = 100;
/** How long a commit waits between looks when another import (another window, the CLI) commits into the same project. */
const PROJECT_BUSY_POLL_MS = 250;

interface Job {
  status: ImportStatus;
  request: ImportRequest;
  staging: StagingWriter | null;
  stagingPath: string;
  cancelRequested: boolean;
  aliases: Map<string, string>;
  /** Settles when the job stops running (finished, failed, waiting for a decision, or stopped for closing). */
  settled: Promise<void>;
}

class Cancelled extends Error {}

/**
 * Imports run in two steps. Reading streams the file into a staging file of its own (see
 * importStaging.ts), a batch at a time, yielding between batches, and collects bad lines: the
 * database is not touched, so a refused, cancelled or failed read leaves no trace. Committing then
 * plans in the staging file which rows are new and writes them into the project in small
 * transactions that also record how far they got: labeling never waits long for the write lock,
 * and an import cut off by a crash or by closing the app is finished at the next start
 * (resumeInterrupted). A commit cannot be cancelled.
 */
export class ImportService {
  private readonly jobs = new Map<string, Job>();
  /** One commit at a time in this service (the import_commits row keeps other processes out). */
  private commits: Promise<void> = Promise.resolve();
  private stopping = false;

  constructor(
    private readonly db: DB,
    private readonly rt: Runtime,
    private readonly emit: (status: ImportStatus) => void = () => {},
    private readonly onInternalError: (error: unknown) => void = (error) => console.error(error),
    private readonly nativeBinding?: string,
  ) {}

  /** Starts an import and returns its first status; progress arrives through `emit`. */
  start(request: ImportRequest): ImportStatus {
    getProject(this.db, request.projectId);
    const id = this.rt.newId();
    const job: Job = {
      status: newStatus(id, request, this.rt.now().toISOString()),
      request,
      staging: null,
      stagingPath: stagingPath(this.db.name, id),
      cancelRequested: false,
      aliases: new Map(),
      settled: Promise.resolve(),
    };
    this.jobs.set(id, job);
    job.settled = this.read(job);
    return { ...job.status };
  }

  /** Starts an import and waits until it is committed, refused, or waiting for a decision. */
  async run(request: ImportRequest): Promise<ImportStatus> {
    const { id } = this.start(request);
    await this.jobs.get(id)!.settled;
    return this.get(id);
  }

  get(id: string): ImportStatus {
    const job = this.jobs.get(id);
    return job ? { ...job.status, errors: [...job.status.errors] } : loadImport(this.db, id);
  }

  async waitFor(id: string): Promise<ImportStatus> {
    await this.jobs.get(id)?.settled;
    return this.get(id);
  }

  decide(id: string, decision: 'import-good' | 'discard'): ImportStatus {
    const job = this.requireJob(id, 'needs-decision');
    if (decision === 'import-good') {
      job.status.state = 'running';
      job.settled = this.commit(job);
    } else this.finish(job, 'discarded');
    return this.get(id);
  }

  cancel(id: string): ImportStatus {
    const job = this.jobs.get(id);
    if (!job) return loadImport(this.db, id);
    if (job.status.state === 'running' && job.status.phase === 'committing') {
      throw new AppError('IMPORT_STATE', `import ${id} is being written into the project and cannot be cancelled; it finishes shortly`, {
        importId: id,
        state: 'committing',
      });
    }
    if (job.status.state === 'running') job.cancelRequested = true;
    else if (job.status.state === 'needs-decision') this.finish(job, 'cancelled');
    return this.get(id);
  }

  /**
   * For closing: reading imports are cancelled, a commit stops after its current chunk (it resumes
   * at the next start). Resolves when nothing runs.
   */
  async settle(): Promise<void> {
    this.stopping = true;
    for (const job of this.jobs.values()) if (job.status.phase === 'reading') job.cancelRequested = true;
    await Promise.all([...this.jobs.values()].map((j) => j.settled));
    await this.commits;
  }

  /**
   * Finishes the imports a crash or a closed app cut off while they were being committed, and
   * removes staging files nothing refers to. Returns the imports it resumed.
   */
  async resumeInterrupted(): Promise<string[]> {
    const rows = commitRows(this.db);
    const resumed: string[] = [];
    for (const row of rows) {
      if (this.jobs.has(row.import_id)) continue;
      const status: ImportStatus = { ...loadImport(this.db, row.import_id), state: 'running', phase: 'committing' };
      const job: Job = {
        status,
        request: { projectId: row.project_id, filePath: status.file, format: status.format, onBadLines: 'skip' },
        staging: null,
        stagingPath: row.staging_path,
        cancelRequested: false,
        aliases: new Map(),
        settled: Promise.resolve(),
      };
      this.jobs.set(row.import_id, job);
      job.settled = this.serialized(() => this.resume(job));
      resumed.push(row.import_id);
    }
    const keep = new Set(rows.map((r) => r.staging_path));
    for (const path of orphanStagingFiles(this.db.name, keep, new Set(this.jobs.keys()))) removeStaging(path);
    await Promise.all(resumed.map((id) => this.jobs.get(id)!.settled));
    return resumed;
  }

  private requireJob(id: string, state: ImportStatus['state']): Job {
    const job = this.jobs.get(id);
    const current = job?.status.state ?? loadImport(this.db, id).state;
    if (!job || current !== state) {
      throw new AppError('IMPORT_STATE', `import ${id} is ${current}, not ${state}`, { importId: id, state: current });
    }
    return job;
  }

  private async read(job: Job): Promise<void> {
    const { status, request } = job;
    const used = emptyLabelNames();
    let lastEmit = 0;
    try {
      await Promise.resolve();
      const sniffed = await sniffFile(request.filePath);
      status.encoding = sniffed.encoding;
      status.totalBytes = sniffed.sizeBytes;
      const schema = currentSchema(this.db, request.projectId);
      const ctx: ImportContext = { sentimentLevels: new Set(schema.sentiment.levels.map((l) => l.name)), annotatorAliases: job.aliases };
      const redactor = request.redact && request.redact !== 'none' ? recordRedactor(this.db, request.projectId, schema, request.redact) : null;
      if (redactor) status.redacted = redactor.counts;
      job.staging = createStaging(job.stagingPath, this.nativeBinding);
      const progress = { bytesRead: 0 };
      for await (const batch of readRecords({
        path: request.filePath,
        format: request.format,
        sniffed: sniffed as Sniffed,
        mapping: request.mapping,
        ctx,
        progress,
      })) {
        if (job.cancelRequested) throw new Cancelled();
        pauseForInteractiveCalls();
        const good: ImportRecord[] = [];
        for (const parsed of batch) {
          const problem = isRecord(parsed) ? labelProblem(parsed) : parsed.error;
          if (problem === null && isRecord(parsed)) {
            redactor?.redact(parsed);
            good.push(parsed);
            noteLabels(used, parsed);
          } else {
            status.badLines++;
            if (status.errors.length < MAX_REPORTED_ERRORS) status.errors.push({ line: parsed.line, reason: problem ?? 'bad line' });
          }
          status.linesRead = Math.max(status.linesRead, parsed.line);
        }
        job.staging.add(good, this.rt.newId);
        status.goodRows += good.length;
        status.bytesRead = Math.min(progress.bytesRead, status.totalBytes);
        const now = Date.now();
        if (now - lastEmit >= PROGRESS_INTERVAL_MS) {
          lastEmit = now;
          this.emit({ ...status, errors: [] });
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
      if (job.cancelRequested) throw new Cancelled();
      job.staging.close();
      job.staging = null;
      status.bytesRead = status.totalBytes;
      status.newLabels = missingLabels(schema, used);
      if (status.goodRows === 0 && status.badLines === 0) {
        throw new AppError('BAD_FILE', `${request.filePath}: the file holds no items`, { file: request.filePath, reason: 'no-items' });
      }
      if (status.badLines === 0 || request.onBadLines === 'skip') await this.commit(job);
      else if (request.onBadLines === 'abort' || status.goodRows === 0) this.finish(job, 'failed');
      else this.finish(job, 'needs-decision');
    } catch (error) {
      this.fail(job, error);
    }
  }

  private commit(job: Job): Promise<void> {
    return this.serialized(async () => {
      try {
        const cursor = await this.beginCommit(job);
        await this.writeRows(job, cursor);
      } catch (error) {
        this.detachStaging();
        this.fail(job, error);
        // Recorded commits are finished at the next start (disk full, say, may be over by then).
        if (commitRows(this.db).some((r) => r.import_id === job.status.id) && job.status.fatal) {
          job.status.fatal.reason += '; the import resumes the next time the app starts';
        }
      }
    });
  }

  private resume(job: Job): Promise<void> {
    return (async () => {
      try {
        this.attachStaging(job.stagingPath);
        await this.writeRows(job, this.planned(job));
      } catch (error) {
        this.detachStaging();
        // Without its staging file an interrupted import cannot be finished: say how far it got.
        const row = commitRows(this.db).find((r) => r.import_id === job.status.id);
        if (row) {
          writeTransaction(this.db, () => stmt(this.db, 'DELETE FROM import_commits WHERE import_id = ?').run(row.import_id));
          job.status.imported = row.items_done - row.items_skipped;
          job.status.annotations = row.annotations;
        }
        job.status.fatal = {
          line: null,
          reason: `the import was interrupted and could not be finished (${(error as Error).message}); ${job.status.imported} new items were written — import the file again to add the rest (items already there are skipped)`,
          kind: 'interrupted',
        };
        this.finish(job, 'failed');
      }
    })();
  }

  /**
   * Records the commit in the database (from here on it will be finished, at the next start if need
   * be), then plans it in the staging file. The import_commits row is the project's commit lock, so
   * the project's items cannot change between the plan's snapshot of them and the writes.
   */
  private async beginCommit(job: Job): Promise<CommitCursor> {
    const { status, request } = job;
    status.phase = 'committing';
    this.emit({ ...status, errors: [] });
    const now = this.rt.now().toISOString();
    for (;;) {
      const locked = writeTransaction(this.db, () => {
        if (stmt(this.db, 'SELECT 1 FROM import_commits WHERE project_id = ?').get(request.projectId)) return false;
        saveImport(this.db, { ...status, errors: status.errors.slice(0, MAX_REPORTED_ERRORS) });
        let schemaVersion = getProject(this.db, request.projectId).schemaVersion;
        // Someone may have edited the schema since the file was read: add only what it still lacks.
        const schema = currentSchema(this.db, request.projectId);
        const missing = stillMissing(schema, status.newLabels);
        if (missing.length) schemaVersion = saveSchemaVersion(this.db, request.projectId, withLabels(schema, missing), now);
        stmt(
          this.db,
          `INSERT INTO import_commits (import_id, project_id, staging_path, base_ord, schema_version, items_total, labels_total, started_at)
           VALUES (?, ?, ?, ?, ?, -1, -1, ?)`,
        ).run(status.id, request.projectId, job.stagingPath, getProject(this.db, request.projectId).itemCount, schemaVersion, now);
        return true;
      });
      if (locked) break;
      await new Promise((resolve) => setTimeout(resolve, PROJECT_BUSY_POLL_MS));
    }
    this.attachStaging(job.stagingPath);
    this.db.prepare("INSERT OR REPLACE INTO stage.meta (key, value) VALUES ('annotator', ?), ('aliases', ?), ('file', ?)").run(
      request.annotator ?? DEFAULT_ANNOTATOR,
      JSON.stringify([...job.aliases]),
      basename(request.filePath),
    );
    return this.planned(job);
  }

  /** Plans (or, resuming a commit cut off before its plan was recorded, plans again) and records the plan's totals. */
  private planned(job: Job): CommitCursor {
    let row = commitRows(this.db).find((r) => r.import_id === job.status.id)!;
    if (row.items_total < 0) {
      const plan = planCommit(this.db, row.project_id);
      syncStaging(job.stagingPath);
      writeTransaction(this.db, () =>
        stmt(this.db, 'UPDATE import_commits SET items_total = ?, labels_total = ? WHERE import_id = ?').run(plan.items, plan.labeled, row.import_id),
      );
      job.status.duplicates = plan.duplicates;
      row = { ...row, items_total: plan.items, labels_total: plan.labeled };
    }
    job.status.commitTotal = row.items_total + row.labels_total;
    return cursorOf(row, this.stagingMeta());
  }

  private async writeRows(job: Job, cursor: CommitCursor): Promise<void> {
    const { status } = job;
    status.phase = 'committing';
    let lastEmit = 0;
    const finished = await writePlannedRows(
      this.db,
      this.rt,
      cursor,
      () => this.stopping,
      (c) => {
        status.imported = c.itemsDone - c.itemsSkipped;
        status.annotations = c.annotations;
        status.committedRows = c.itemsDone + c.labelsDone;
        const now = Date.now();
        if (now - lastEmit >= PROGRESS_INTERVAL_MS) {
          lastEmit = now;
          this.emit({ ...status, errors: [] });
        }
      },
      (line, reason) => {
        status.badLines++;
        if (status.errors.length < MAX_REPORTED_ERRORS) status.errors.push({ line, reason });
        // Kept with the import at once: a resumed commit still reports the lines refused before.
        saveImport(this.db, { ...status, errors: status.errors.slice(0, MAX_REPORTED_ERRORS) });
      },
    );
    if (!finished) {
      // Closing: the import_commits row and the staging file stay; the next start finishes it.
      this.detachStaging();
      return;
    }
    const summary: ImportStatus = {
      ...status,
      state: 'committed',
      imported: cursor.itemsDone - cursor.itemsSkipped,
      annotations: cursor.annotations,
      committedRows: status.commitTotal,
      finishedAt: this.rt.now().toISOString(),
    };
    writeTransaction(this.db, () => {
      this.db
        .prepare(
          `UPDATE main.items SET is_gold = 1 WHERE is_gold = 0 AND seq IN
             (SELECT e.seq FROM stage.existing e WHERE EXISTS (SELECT 1 FROM stage.rows s WHERE s.hash = e.hash AND s.gold = 1))`,
        )
        .run();
      saveImport(this.db, { ...summary, errors: summary.errors.slice(0, MAX_REPORTED_ERRORS) });
      stmt(this.db, 'DELETE FROM import_commits WHERE import_id = ?').run(status.id);
    });
    this.detachStaging();
    removeStaging(job.stagingPath);
    Object.assign(status, summary);
    this.finish(job, 'committed');
  }

  private attachStaging(path: string): void {
    this.detachStaging();
    this.db.prepare('ATTACH DATABASE ? AS stage').run(path);
    this.db.exec(`PRAGMA stage.journal_mode = OFF; PRAGMA stage.synchronous = OFF;
      CREATE TABLE IF NOT EXISTS stage.meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);`);
  }

  private detachStaging(): void {
    const attached = (this.db.pragma('database_list') as { name: string }[]).some((d) => d.name === 'stage');
    if (attached) this.db.exec('DETACH DATABASE stage');
  }

  private stagingMeta(): { sourceFile: string; defaultAnnotator: string; aliases: Map<string, string> } {
    const meta = new Map(
      (this.db.prepare('SELECT key, value FROM stage.meta').all() as { key: string; value: string }[]).map((r) => [r.key, r.value]),
    );
    return {
      sourceFile: meta.get('file') ?? '',
      defaultAnnotator: meta.get('annotator') ?? DEFAULT_ANNOTATOR,
      aliases: new Map(JSON.parse(meta.get('aliases') ?? '[]') as [string, string][]),
    };
  }

  private serialized(fn: () => Promise<void>): Promise<void> {
    const run = this.commits.then(fn, fn);
    this.commits = run.catch(() => undefined);
    return run;
  }

  private fail(job: Job, error: unknown): void {
    const { status } = job;
    if (error instanceof Cancelled) return this.finish(job, 'cancelled');
    if (error instanceof AppError) {
      const line = typeof error.details?.line === 'number' ? error.details.line : null;
      status.fatal = { line, reason: error.message, kind: String(error.details?.reason ?? error.code) };
    } else {
      status.fatal = { line: null, reason: `internal error: ${(error as Error).message}`, kind: 'internal' };
      this.onInternalError(error);
    }
    this.finish(job, 'failed');
  }

  private finish(job: Job, state: ImportStatus['state']): void {
    const { status } = job;
    status.state = state;
    if (state !== 'needs-decision') {
      status.finishedAt ??= this.rt.now().toISOString();
      job.staging?.close();
      job.staging = null;
      // A commit that failed before it was recorded leaves nothing; one that was recorded keeps its staging file.
      if (!commitRows(this.db).some((r) => r.import_id === status.id)) removeStaging(job.stagingPath);
    }
    this.emit({ ...status, errors: status.errors.slice(0, 100) });
  }
}

function newStatus(id: string, request: ImportRequest, now: string): ImportStatus {
  return {
    id,
    projectId: request.projectId,
    file: request.filePath,
    format: request.format,
    encoding: null,
    state: 'running',
    phase: 'reading',
    totalBytes: 0,
    bytesRead: 0,
    linesRead: 0,
    goodRows: 0,
    imported: 0,
    duplicates: 0,
    annotations: 0,
    commitTotal: 0,
    committedRows: 0,
    badLines: 0,
    errors: [],
    fatal: null,
    newLabels: [],
    redacted: {},
    startedAt: now,
    finishedAt: null,
  };
}

/** Label names as the schema stores them; a name no schema can take makes the line bad. */
function labelProblem(r: ImportRecord): string | null {
  const suggested = r.suggestions.map(suggestionAsAnnotation);
  const problem = normalizeLabels([...r.annotations, ...suggested]);
  r.suggestions.forEach((s, i) => {
    const a = suggested[i]!;
    s.value = s.kind === 'intents' ? a.intents : s.kind === 'entities' ? a.entities : a.sentiment;
  });
  return problem;
}

function noteLabels(used: LabelNames, r: ImportRecord): void {
  for (const a of [...r.annotations, ...r.suggestions.map(suggestionAsAnnotation)]) {
    for (const i of a.intents ?? []) used.intents.add(i);
    for (const e of a.entities ?? []) used.entities.add(e.label);
    if (a.sentiment) used.sentiment.add(a.sentiment);
  }
}

function suggestionAsAnnotation(s: ImportedSuggestion): ImportedAnnotation {
  if (s.kind === 'intents') return { annotator: null, intents: s.value as string[] };
  if (s.kind === 'entities') return { annotator: null, entities: s.value as ImportedAnnotation['entities'] };
  return { annotator: null, sentiment: s.value as string | null };
}
