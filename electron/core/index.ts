import type { CoreChannel, Handlers } from '../../shared/contract';
import { dispatch as dispatchContract } from '../../shared/contract/dispatch';
import type { DB } from './db/open';
import { loadAppSetting } from './db/repos/settings';
import { attachWriteGate, type WriterRole } from './db/write';
import type { WriteGate } from './db/writeGate';
import { FileGrants } from './files/grants';
import { ModelHost, defaultModelRoot } from './ml/modelHost';
import { ExportService } from './services/exports';
import { ImportService } from './services/imports';
import { ItemBrowser } from './services/items';
import { LabelingService } from './services/labeling';
import { LayeredReview } from './services/layeredReview';
import { AdjudicationService } from './services/adjudication';
import { PrelabelService } from './services/prelabel';
import { systemRuntime, type Runtime } from './runtime';
import type { CoreContext, Emit, JobForwarder } from './context';
import { appHandlers } from './handlers/app';
import { projectHandlers } from './handlers/projects';
import { itemHandlers } from './handlers/items';
import { annotatorHandlers } from './handlers/annotators';
import { labelingHandlers } from './handlers/labeling';
import { modelHandlers, MODEL_SETTING } from './handlers/models';
import { prelabelHandlers } from './handlers/prelabel';
import { reportHandlers } from './handlers/reports';
import { dictionaryHandlers } from './handlers/dictionary';
import { reviewHandlers } from './handlers/review';
import { adjudicationHandlers } from './handlers/adjudication';
import { guidelineHandlers } from './handlers/guidelines';
import { exportHandlers } from './handlers/exports';
import { packHandlers } from './handlers/packs';
import { fileKeyStore, workstationSigner, type KeyStore, type Signer } from './packs/keys';
import { importHandlers } from './handlers/imports';
import { DatabaseGuard, databaseHandlers, type DatabaseOptions } from './handlers/database';

export interface CoreOptions {
  dbPath: string;
  /** Folder holding <org>/<model> for the local transformer; resources/models by default. */
  modelRoot?: string;
  modelName?: string;
  runtime?: Runtime;
  /** Pushes events (import progress) to whoever shows them. */
  emit?: Emit;
  nativeBinding?: string;
  version?: string;
  onInternalError?: (where: string, error: unknown) => void;
  /** Where long channels run: forwarded to job threads (the app), or here when absent (CLI, tests, a job thread itself). */
  jobs?: JobForwarder;
  /** The process's write gate and this connection's side of it (see db/writeGate.ts). */
  writeGate?: { gate: WriteGate; role: WriterRole };
  /** Durability, the startup check, a damaged file, automatic backups (see handlers/database.ts). */
  database?: DatabaseOptions;
  /** Where this workstation's private key lives; default a file beside the database, readable by its owner only. */
  keyStore?: KeyStore;
}

export interface Core {
  readonly db: DB;
  readonly handlers: Handlers<CoreChannel>;
  readonly imports: ImportService;
  readonly exports: ExportService;
  readonly runtime: Runtime;
  readonly model: ModelHost;
  readonly prelabel: PrelabelService;
  readonly grants: FileGrants;
  readonly database: DatabaseGuard;
  dispatch(channel: string, input: unknown): ReturnType<typeof dispatchContract>;
  close(): void;
}

/** The application without a window: every contract channel, over one SQLite connection. */
export function createCore(options: CoreOptions): Core {
  const rt = options.runtime ?? systemRuntime();
  const database = DatabaseGuard.open(options.dbPath, options.nativeBinding, options.database);
  const db = database.db;
  if (options.writeGate) {
    attachWriteGate(db, options.writeGate.gate, options.writeGate.role);
    // Checkpoints run on a job thread (jobs/checkpoints.ts), never inside a labeling commit or a job's chunk.
    db.pragma('wal_autocheckpoint = 0');
  }
  const onInternalError = options.onInternalError ?? ((where, error) => console.error(`[core] ${where}:`, error));
  const emit: Emit = (event, payload) => options.emit?.(event, payload);
  const saved = database.writable ? loadAppSetting<{ modelRoot: string; modelName: string }>(db, MODEL_SETTING) : null;
  const model = new ModelHost(
    options.modelRoot || options.modelName
      ? { modelRoot: options.modelRoot ?? defaultModelRoot(), ...(options.modelName ? { modelName: options.modelName } : {}) }
      : (saved ?? { modelRoot: defaultModelRoot() }),
  );
  let signer: Signer | undefined;
  const ctx: CoreContext = {
    db,
    rt,
    dbPath: options.dbPath,
    version: options.version ?? '0.0.0',
    nativeBinding: options.nativeBinding,
    emit,
    grants: new FileGrants(),
    imports: new ImportService(
      db,
      rt,
      (s) => emit('imports.progress', s),
      (e) => onInternalError('import', e),
      options.nativeBinding,
    ),
    exports: new ExportService(db, rt, options.version ?? '0.0.0', (s) => emit('export.progress', s)),
    items: new ItemBrowser(db),
    labeling: new LabelingService(db, rt),
    model,
    prelabel: new PrelabelService(db, rt, model, (s) => emit('prelabel.progress', s)),
    review: new LayeredReview(db, rt),
    adjudication: new AdjudicationService(db, rt),
    jobs: options.jobs ?? null,
    signer: () => (signer ??= workstationSigner(options.keyStore ?? fileKeyStore(options.dbPath))),
    database,
  };

  const handlers: Handlers<CoreChannel> = {
    ...appHandlers(ctx),
    ...projectHandlers(ctx),
    ...itemHandlers(ctx),
    ...annotatorHandlers(ctx),
    ...labelingHandlers(ctx),
    ...modelHandlers(ctx),
    ...prelabelHandlers(ctx),
    ...reportHandlers(ctx),
    ...dictionaryHandlers(ctx),
    ...reviewHandlers(ctx),
    ...adjudicationHandlers(ctx),
    ...guidelineHandlers(ctx),
    ...importHandlers(ctx),
    ...exportHandlers(ctx),
    ...packHandlers(ctx),
    ...databaseHandlers(ctx),
  };
  database.start({ emit, jobs: ctx.jobs, onInternalError, now: () => rt.now() });

  return {
    db,
    handlers,
    imports: ctx.imports,
    exports: ctx.exports,
    runtime: rt,
    model,
    prelabel: ctx.prelabel,
    grants: ctx.grants,
    database,
    dispatch: (channel, input) => database.run(channel, () => dispatchContract(handlers, channel, input, onInternalError, database.mapError)),
    close: () => {
      void model.close();
      database.close();
    },
  };
}
