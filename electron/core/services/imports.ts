import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { AppError } from '../../../shared/contract/errors';
import type { BadLinePolicy, ColumnMapping, ImportFormat, ImportStatus } from '../../../shared/contract/schemas';
import type { AnnotationChange } from '../../../shared/domain/annotation';
import { sortSpans } from '../../../shared/domain/spans';
import type { DB } from '../db/open';
import { stmt } from '../db/statements';
import { appendEvent, annotationOf } from '../db/repos/annotations';
import { ensureAnnotator } from '../db/repos/annotators';
import { loadImport, saveImport } from '../db/repos/imports';
import { addItemCount, currentSchema, getProject, saveSchemaVersion } from '../db/repos/projects';
import { sniffFile, type Sniffed } from '../importers/encoding';
import { readRecords } from '../importers/sources';
import { labelStudioAnnotatorName } from '../importers/labelstudio';
import { isRecord, type ImportContext, type ImportedAnnotation, type ImportRecord, type ImportedSuggestion } from '../importers/record';
import type { Runtime } from '../runtime';
import { emptyLabelNames, missingLabels, withLabels, type LabelNames } from './labels';

export interface ImportRequest {
  projectId: string;
  filePath: string;
  format: ImportFormat;
  mapping?: ColumnMapping | undefined;
  onBadLines: BadLinePolicy;
  /** Who made labels that carry no annotator of their own. */
  annotator?: string | undefined;
}

const MAX_REPORTED_ERRORS = 1000;
const PROGRESS_INTERVAL_MS = 100;
const DEFAULT_ANNOTATOR = 'imported';

interface Job {
  status: ImportStatus;
  request: ImportRequest;
  stage: string;
  cancelRequested: boolean;
  aliases: Map<string, string>;
  /** Staged rows that carry labels or suggestions. */
  labeledRows: number;
  /** Settles when the job stops running (finished, failed, or waiting for a decision). */
  settled: Promise<void>;
}

class Cancelled extends Error {}

/**
 * Imports run in two steps. Reading streams the file into a temporary staging table, a batch at a
 * time, yielding to the event loop between batches (so the app stays responsive and shows progress)
 * and collecting bad lines. Committing then moves the good rows into the project in one
 * transaction: a failed, cancelled or discarded import leaves the database exactly as it was (it
 * is not even recorded; the imports table lists committed imports, and running ones live here).
 */
export class ImportService {
  private readonly jobs = new Map<string, Job>();

  constructor(
    private readonly db: DB,
    private readonly rt: Runtime,
    private readonly emit: (status: ImportStatus) => void = () => {},
    private readonly onInternalError: (error: unknown) => void = (error) => console.error(error),
  ) {}

  /** Starts an import and returns its first status; progress arrives through `emit`. */
  start(request: ImportRequest): ImportStatus {
    getProject(this.db, request.projectId);
    const id = this.rt.newId();
    const status: ImportStatus = {
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
      badLines: 0,
      errors: [],
      fatal: null,
      newLabels: [],
      startedAt: this.rt.now().toISOString(),
      finishedAt: null,
    };
    const job: Job = {
      status,
      request,
      stage: `stage_${id.toLowerCase()}`,
      cancelRequested: false,
      aliases: new Map(),
      labeledRows: 0,
      settled: Promise.resolve(),
    };
    this.jobs.set(id, job);
    job.settled = this.read(job);
    return { ...status };
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
    if (decision === 'import-good') this.commit(job);
    else this.finish(job, 'discarded');
    return this.get(id);
  }

  cancel(id: string): ImportStatus {
    const job = this.jobs.get(id);
    if (!job) return loadImport(this.db, id);
    if (job.status.state === 'running') job.cancelRequested = true;
    else if (job.status.state === 'needs-decision') this.finish(job, 'cancelled');
    return this.get(id);
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
      this.db.exec(
        `CREATE TEMP TABLE ${job.stage} (line INTEGER PRIMARY KEY, id TEXT NOT NULL, hash BLOB NOT NULL, text TEXT NOT NULL, meta TEXT NOT NULL, external_id TEXT, gold INTEGER NOT NULL, labels TEXT)`,
      );
      const insert = this.db.prepare(`INSERT OR REPLACE INTO temp.${job.stage} VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
      const stageBatch = this.db.transaction((records: ImportRecord[]) => {
        for (const r of records) {
          const labels = r.annotations.length || r.suggestions.length ? JSON.stringify({ a: r.annotations, s: r.suggestions }) : null;
          if (labels) job.labeledRows++;
          insert.run(r.line, this.rt.newId(), contentHash(r.text), r.text, JSON.stringify(r.meta), r.externalId, r.gold ? 1 : 0, labels);
        }
      });
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
        const good: ImportRecord[] = [];
        for (const parsed of batch) {
          if (isRecord(parsed)) {
            good.push(parsed);
            noteLabels(used, parsed);
          } else {
            status.badLines++;
            if (status.errors.length < MAX_REPORTED_ERRORS) status.errors.push({ line: parsed.line, reason: parsed.error });
          }
          status.linesRead = Math.max(status.linesRead, parsed.line);
        }
        stageBatch(good);
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
      status.bytesRead = status.totalBytes;
      status.newLabels = missingLabels(schema, used);
      if (status.goodRows === 0 && status.badLines === 0) {
        throw new AppError('BAD_FILE', `${request.filePath}: the file holds no items`, { file: request.filePath, reason: 'no-items' });
      }
      if (status.badLines === 0 || request.onBadLines === 'skip') this.commit(job);
      else if (request.onBadLines === 'abort' || status.goodRows === 0) this.finish(job, 'failed');
      else this.finish(job, 'needs-decision');
    } catch (error) {
      if (error instanceof Cancelled) this.finish(job, 'cancelled');
      else if (error instanceof AppError) {
        const line = typeof error.details?.line === 'number' ? error.details.line : null;
        status.fatal = { line, reason: error.message, kind: String(error.details?.reason ?? error.code) };
        this.finish(job, 'failed');
      } else {
        status.fatal = { line: null, reason: `internal error: ${(error as Error).message}`, kind: 'internal' };
        this.finish(job, 'failed');
        this.onInternalError(error);
      }
    }
  }

  /** Moves the staged rows into the project: all of them or, if anything fails, none. */
  private commit(job: Job): void {
    const { status, request } = job;
    const now = this.rt.now().toISOString();
    const db = this.db;
    status.phase = 'committing';
    this.emit({ ...status, errors: [] });
    try {
      const committed = db
        .transaction((): ImportStatus => {
          const summary: ImportStatus = { ...status, state: 'committed', finishedAt: now };
          saveImport(db, summary);
          let schemaVersion = getProject(db, request.projectId).schemaVersion;
          if (status.newLabels.length) {
            schemaVersion = saveSchemaVersion(db, request.projectId, withLabels(currentSchema(db, request.projectId), status.newLabels), now);
          }
          summary.imported = this.insertItems(job, now);
          summary.duplicates = status.goodRows - summary.imported;
          addItemCount(db, request.projectId, summary.imported);
          summary.annotations = job.labeledRows ? this.applyLabels(job, schemaVersion, now) : 0;
          saveImport(db, summary);
          return summary;
        })
        .immediate();
      Object.assign(status, committed);
      this.finish(job, 'committed');
    } catch (error) {
      // The transaction rolled back: nothing of this import is in the database.
      status.fatal = { line: null, reason: `internal error: ${(error as Error).message}`, kind: 'internal' };
      this.finish(job, 'failed');
      this.onInternalError(error);
    }
  }

  /** New items only: the first line of each text, and only texts the project does not have yet. */
  private insertItems(job: Job, now: string): number {
    const { request, stage } = job;
    const db = this.db;
    db.exec(`CREATE INDEX temp.${stage}_hash ON ${stage} (hash, line)`);
    const base = stmt<[string], { m: number | null }>(db, 'SELECT max(ord) AS m FROM items WHERE project_id = ?').get(request.projectId)?.m ?? 0;
    const inserted = db
      .prepare(
        `INSERT INTO items (id, project_id, ord, content_hash, text, meta_json, external_id, is_gold, source_file, source_line, import_id, created_at)
         SELECT s.id, @project, @base + ROW_NUMBER() OVER (ORDER BY s.line), s.hash, s.text, s.meta, s.external_id, s.gold, @file, s.line, @import, @now
         FROM temp.${stage} s
         WHERE NOT EXISTS (SELECT 1 FROM temp.${stage} t WHERE t.hash = s.hash AND t.line < s.line)
           AND NOT EXISTS (SELECT 1 FROM items i WHERE i.project_id = @project AND i.content_hash = s.hash)
         ORDER BY s.line`,
      )
      .run({ project: request.projectId, base, file: basename(request.filePath), import: job.status.id, now }).changes;
    db.prepare(
      `UPDATE items SET is_gold = 1 WHERE project_id = ? AND is_gold = 0 AND content_hash IN (SELECT hash FROM temp.${stage} WHERE gold = 1)`,
    ).run(request.projectId);
    return inserted;
  }

  private applyLabels(job: Job, schemaVersion: number, now: string): number {
    const db = this.db;
    const page = db.prepare<[string, number], { line: number; labels: string; item_id: string }>(
      `SELECT s.line, s.labels, i.id AS item_id FROM temp.${job.stage} s
       JOIN items i ON i.project_id = ? AND i.content_hash = s.hash
       WHERE s.labels IS NOT NULL AND s.line > ? ORDER BY s.line LIMIT 2000`,
    );
    const annotators = new Map<string, string>();
    const annotatorId = (key: string | null): string => {
      const name = key === null ? (job.request.annotator ?? DEFAULT_ANNOTATOR) : labelStudioAnnotatorName(key, job.aliases);
      let id = annotators.get(name);
      if (!id) {
        id = ensureAnnotator(db, name, () => this.rt.newId(), now, 'import').id;
        annotators.set(name, id);
      }
      return id;
    };
    let changed = 0;
    for (let after = 0; ;) {
      const rows = page.all(job.request.projectId, after);
      if (!rows.length) break;
      for (const row of rows) {
        after = row.line;
        const labels = JSON.parse(row.labels) as { a: ImportedAnnotation[]; s: ImportedSuggestion[] };
        for (const a of labels.a) {
          if (this.applyAnnotation(job, row.item_id, annotatorId(a.annotator), a, schemaVersion, now)) changed++;
        }
        for (const s of labels.s) this.addSuggestion(row.item_id, s, now);
      }
    }
    return changed;
  }

  /** Appends an event for each field that differs from the annotator's current state. */
  private applyAnnotation(job: Job, itemId: string, annotatorId: string, a: ImportedAnnotation, schemaVersion: number, now: string): boolean {
    const current = annotationOf(this.db, itemId, annotatorId);
    const changes: AnnotationChange[] = [];
    if (a.intents && !sameList(current?.intents, a.intents)) changes.push({ kind: 'intents', value: a.intents });
    if (a.entities && JSON.stringify(sortSpans(current?.entities ?? [])) !== JSON.stringify(sortSpans(a.entities))) {
      changes.push({ kind: 'entities', value: sortSpans(a.entities) });
    }
    if (a.sentiment !== undefined && (current?.sentiment ?? null) !== a.sentiment) changes.push({ kind: 'sentiment', value: a.sentiment });
    if (!changes.length) return false;
    if (current?.status !== 'submitted') changes.push({ kind: 'status', value: 'submitted' });
    for (const change of changes) {
      appendEvent(this.db, {
        id: this.rt.newId(),
        projectId: job.request.projectId,
        itemId,
        annotatorId,
        change,
        source: 'import',
        schemaVersion,
        startedAt: a.startedAt ?? null,
        endedAt: a.endedAt ?? now,
        importId: job.status.id,
      });
    }
    return true;
  }

  private addSuggestion(itemId: string, s: ImportedSuggestion, now: string): void {
    const value = JSON.stringify(s.value);
    const exists = stmt<[string, string, string, string], { one: number }>(
      this.db,
      'SELECT 1 AS one FROM suggestions WHERE item_id = ? AND kind = ? AND model_version = ? AND value_json = ?',
    ).get(itemId, s.kind, s.modelVersion, value);
    if (exists) return;
    stmt(this.db, 'INSERT INTO suggestions (id, item_id, kind, value_json, score, model_version, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
      this.rt.newId(),
      itemId,
      s.kind,
      value,
      s.score,
      s.modelVersion,
      now,
    );
  }

  private finish(job: Job, state: ImportStatus['state']): void {
    const { status } = job;
    status.state = state;
    if (state !== 'needs-decision') {
      status.finishedAt ??= this.rt.now().toISOString();
      this.db.exec(`DROP TABLE IF EXISTS temp.${job.stage}`);
    }
    this.emit({ ...status, errors: status.errors.slice(0, 100) });
  }
}

export function contentHash(text: string): Buffer {
  return createHash('sha256').update(text).digest().subarray(0, 16);
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

function sameList(a: string[] | undefined, b: string[]): boolean {
  if (!a) return false;
  return JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());
}
