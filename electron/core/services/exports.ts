import path from 'node:path';
import type { ExportRequest, ExportStatus, ExportSummary } from '../../../shared/contract/export';
import { AppError } from '../../../shared/contract/errors';
import type { DB } from '../db/open';
import { getProject } from '../db/repos/projects';
import { runExport, type ExportResult } from '../export/pipeline';
import type { Runtime } from '../runtime';
import { saveExportSystemPrompt } from './exportSettings';

interface Job {
  status: ExportStatus;
  abort: AbortController;
  settled: Promise<void>;
}

const PROGRESS_INTERVAL_MS = 100;

/** An export request with the destination the shell's dialog granted. */
export type ExportJobRequest = Omit<ExportRequest, 'folderToken'> & { outDir: string };

/**
 * Training exports started from the app: each runs the export pipeline (which writes into a hidden
 * `.partial-` folder and renames it only when complete), reports progress, and can be cancelled,
 * which removes everything it wrote. Runs on the exports job thread, so labeling never waits.
 */
export class ExportService {
  private readonly jobs = new Map<string, Job>();

  constructor(
    private readonly db: DB,
    private readonly rt: Runtime,
    private readonly appVersion: string,
    private readonly emit: (status: ExportStatus) => void = () => {},
  ) {}

  start(request: ExportJobRequest): ExportStatus {
    getProject(this.db, request.projectId);
    if (this.running(request.projectId)) {
      throw new AppError('CONFLICT', 'an export of this project is already running; wait for it or cancel it', { projectId: request.projectId });
    }
    if (request.systemPrompt !== undefined) saveExportSystemPrompt(this.db, request.projectId, request.systemPrompt, this.rt.now().toISOString());
    const id = this.rt.newId();
    const job: Job = {
      status: {
        id,
        projectId: request.projectId,
        state: 'running',
        phase: 'scan',
        done: 0,
        total: 0,
        startedAt: this.rt.now().toISOString(),
        finishedAt: null,
        error: null,
        result: null,
      },
      abort: new AbortController(),
      settled: Promise.resolve(),
    };
    this.jobs.set(id, job);
    job.settled = this.run(job, request);
    return { ...job.status };
  }

  get(id: string): ExportStatus {
    return { ...this.job(id).status };
  }

  /** Stops the export; it removes its partial folder before it settles. */
  async cancel(id: string): Promise<ExportStatus> {
    const job = this.job(id);
    if (job.status.state === 'running') {
      job.abort.abort();
      await job.settled;
    }
    return this.get(id);
  }

  async waitFor(id: string): Promise<ExportStatus> {
    await this.job(id).settled;
    return this.get(id);
  }

  /** For closing: running exports are cancelled (nothing half-written stays behind). */
  async settle(): Promise<void> {
    for (const job of this.jobs.values()) job.abort.abort();
    await Promise.all([...this.jobs.values()].map((j) => j.settled));
  }

  private running(projectId: string): boolean {
    return [...this.jobs.values()].some((j) => j.status.projectId === projectId && j.status.state === 'running');
  }

  private job(id: string): Job {
    const job = this.jobs.get(id);
    if (!job) throw new AppError('NOT_FOUND', `no export with id ${id}`, { exportId: id });
    return job;
  }

  private async run(job: Job, request: ExportJobRequest): Promise<void> {
    const { status } = job;
    let lastEmit = 0;
    await Promise.resolve();
    try {
      const result = await runExport(
        this.db,
        {
          projectId: request.projectId,
          outDir: request.outDir,
          formats: request.formats,
          labels: request.labels,
          minAnnotators: request.minAnnotators,
          ...(request.splits ? { splits: normalized(request.splits) } : {}),
          ...(request.groupBy ? { groupBy: request.groupBy } : {}),
          seed: request.seed,
          dedup: request.dedup,
          redact: request.redact,
          includeGold: request.includeGold,
          metaFields: request.metaFields,
          ...(request.systemPrompt !== undefined ? { systemPrompt: request.systemPrompt } : {}),
          appVersion: this.appVersion,
        },
        (p) => {
          Object.assign(status, { phase: p.phase, done: p.done, total: p.total });
          const now = Date.now();
          if (now - lastEmit >= PROGRESS_INTERVAL_MS) {
            lastEmit = now;
            this.emit({ ...status });
          }
        },
        job.abort.signal,
      );
      status.result = summary(result);
      status.state = 'done';
    } catch (error) {
      if (job.abort.signal.aborted) status.state = 'cancelled';
      else {
        status.state = 'failed';
        status.error = failure(error);
      }
    }
    status.finishedAt = this.rt.now().toISOString();
    this.emit({ ...status });
  }
}

function normalized(shares: number[]): [number, number, number] {
  const [a = 0, b = 0, c = 0] = shares;
  const sum = a + b + c;
  return [a / sum, b / sum, c / sum];
}

/** A failed export's reason; a full disk and a folder that cannot be written are named, as in imports. */
function failure(error: unknown): { code: string; message: string } {
  if (error instanceof AppError) return { code: error.code, message: error.message };
  const errno = (error as NodeJS.ErrnoException | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (errno === 'ENOSPC') return { code: 'DISK_FULL', message: `the disk is full: ${message}` };
  if (errno === 'EACCES' || errno === 'EPERM' || errno === 'EROFS') return { code: 'BAD_FILE', message: `the folder cannot be written: ${message}` };
  return { code: 'INTERNAL', message };
}

function summary(r: ExportResult): ExportSummary {
  return {
    folder: path.basename(r.dir),
    items: r.items,
    excluded: r.excluded,
    dedup: r.dedup as unknown as ExportSummary['dedup'],
    redaction: r.redaction,
    splits: r.splits,
    files: r.files,
    warnings: r.warnings,
  };
}
