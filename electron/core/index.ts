import type { CoreChannel, EventName, EventPayload, Handlers } from '../../shared/contract';
import { dispatch as dispatchContract } from '../../shared/contract/dispatch';
import { openDatabase, schemaVersion, type DB } from './db/open';
import { listAnnotators, ensureAnnotator, findAnnotator } from './db/repos/annotators';
import { currentSchema, getProject, listProjects } from './db/repos/projects';
import { listDictionary, replaceDictionary } from './db/repos/dictionary';
import { ImportService } from './services/imports';
import { inspectFile } from './services/inspect';
import { ItemBrowser } from './services/items';
import { LabelingService } from './services/labeling';
import { PrelabelService } from './services/prelabel';
import { LayeredReview } from './services/layeredReview';
import { explainIntent } from './services/explain';
import { compareVersions } from './services/compare';
import { buildProjectReport } from './services/reports';
import { renderReport } from './services/reports/render';
import { ModelHost, defaultModelRoot } from './ml/modelHost';
import { listModelVersions } from './db/repos/modelVersions';
import { loadSettings, saveSettings } from './db/repos/settings';
import { createProject, projectStats, updateSchema } from './services/projects';
import { systemRuntime, type Runtime } from './runtime';
import { AppError } from '../../shared/contract/errors';

export interface CoreOptions {
  dbPath: string;
  /** Folder holding <org>/<model> for the local transformer; resources/models by default. */
  modelRoot?: string;
  modelName?: string;
  runtime?: Runtime;
  /** Pushes events (import progress) to whoever shows them. */
  emit?: <E extends EventName>(event: E, payload: EventPayload<E>) => void;
  nativeBinding?: string;
  version?: string;
  onInternalError?: (where: string, error: unknown) => void;
}

export interface Core {
  readonly db: DB;
  readonly handlers: Handlers<CoreChannel>;
  readonly imports: ImportService;
  readonly runtime: Runtime;
  readonly model: ModelHost;
  readonly prelabel: PrelabelService;
  dispatch(channel: string, input: unknown): ReturnType<typeof dispatchContract>;
  close(): void;
}

/** The application without a window: every contract channel, over one SQLite database. */
export function createCore(options: CoreOptions): Core {
  const rt = options.runtime ?? systemRuntime();
  const db = openDatabase(options.dbPath, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  const onInternalError = options.onInternalError ?? ((where, error) => console.error(`[core] ${where}:`, error));
  const imports = new ImportService(
    db,
    rt,
    (s) => options.emit?.('imports.progress', s),
    (e) => onInternalError('import', e),
  );
  const items = new ItemBrowser(db);
  const labeling = new LabelingService(db, rt);
  const chosen = db.prepare("SELECT value_json FROM app_settings WHERE key = 'model'").get() as { value_json: string } | undefined;
  const saved = chosen ? (JSON.parse(chosen.value_json) as { modelRoot: string; modelName: string }) : null;
  const model = new ModelHost(
    options.modelRoot || options.modelName
      ? { modelRoot: options.modelRoot ?? defaultModelRoot(), ...(options.modelName ? { modelName: options.modelName } : {}) }
      : (saved ?? { modelRoot: defaultModelRoot() }),
  );
  const review = new LayeredReview(db, rt);
  const prelabel = new PrelabelService(db, rt, model, (s) => options.emit?.('prelabel.progress', s));
  const annotatorExists = (annotatorId: string) => {
    if (!db.prepare('SELECT 1 FROM annotators WHERE id = ?').get(annotatorId)) {
      throw new AppError('NOT_FOUND', `no annotator with id ${annotatorId}`, { annotatorId });
    }
  };

  const handlers: Handlers<CoreChannel> = {
    'app.info': () => ({ version: options.version ?? '0.0.0', dbPath: options.dbPath, schemaVersion: schemaVersion(db) }),
    'projects.list': () => listProjects(db),
    'projects.create': (input) => createProject(db, rt, input),
    'projects.get': ({ projectId }) => getProject(db, projectId),
    'projects.updateSchema': ({ projectId, schema }) => updateSchema(db, rt, projectId, schema),
    'projects.stats': ({ projectId }) => projectStats(db, projectId),
    'items.list': ({ projectId, offset, limit, search }) => items.page(projectId, offset, limit, search),
    'items.get': ({ itemId }) => items.detail(itemId),
    'annotators.list': () => listAnnotators(db),
    'annotators.create': ({ name }) => {
      if (findAnnotator(db, name)) throw new AppError('CONFLICT', `an annotator named "${name}" already exists`, { name });
      return ensureAnnotator(db, name, rt.newId, rt.now().toISOString());
    },
    'annotators.getSettings': ({ annotatorId }) => {
      annotatorExists(annotatorId);
      return loadSettings(db, annotatorId);
    },
    'annotators.saveSettings': ({ annotatorId, settings }) => {
      annotatorExists(annotatorId);
      return saveSettings(db, annotatorId, settings, rt.now().toISOString());
    },
    'labeling.item': ({ itemId, annotatorId }) => labeling.item(itemId, annotatorId),
    'labeling.at': ({ projectId, annotatorId, ord }) => labeling.at(projectId, annotatorId, ord),
    'labeling.next': (input) => labeling.next(input),
    'labeling.apply': (input) => {
      annotatorExists(input.annotatorId);
      const result = labeling.apply(input);
      if (input.changes.some((c) => c.kind === 'status' && c.value === 'submitted')) prelabel.noteSubmitted(input.projectId);
      return result;
    },
    'labeling.undo': ({ projectId, annotatorId }) => labeling.undo(projectId, annotatorId),
    'labeling.redo': ({ projectId, annotatorId }) => labeling.redo(projectId, annotatorId),
    'labeling.progress': ({ projectId, annotatorId }) => labeling.progress(projectId, annotatorId),
    'models.status': () => model.check(),
    'models.configure': ({ modelRoot, modelName }) => {
      db.prepare(
        "INSERT INTO app_settings (key, value_json) VALUES ('model', ?) ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json",
      ).run(JSON.stringify({ modelRoot, modelName }));
      return model.reconfigure({ modelRoot, modelName });
    },
    'models.versions': ({ projectId }) => listModelVersions(db, projectId),
    'models.compare': ({ projectId, a, b, scope }) => {
      const status = model.check();
      if (status.state !== 'ready') throw new AppError('MODEL_UNAVAILABLE', status.message, { state: status.state });
      return compareVersions(db, model, projectId, a, b, { scope });
    },
    'prelabel.start': ({ projectId }) => {
      const status = model.check();
      if (status.state !== 'ready') throw new AppError('MODEL_UNAVAILABLE', status.message, { state: status.state });
      return prelabel.start(projectId);
    },
    'prelabel.get': ({ projectId }) => prelabel.get(projectId),
    'reports.project': ({ projectId, filter }) => buildProjectReport(db, projectId, filter, () => rt.now()),
    'reports.render': async ({ projectId, filter, format, language }) =>
      renderReport(await buildProjectReport(db, projectId, filter, () => rt.now()), format, language),
    'prelabel.cancel': ({ projectId }) => prelabel.cancel(projectId),
    'models.explain': ({ projectId, itemId }) => explainIntent(db, model, projectId, itemId),
    'dictionary.list': ({ projectId }) => listDictionary(db, projectId),
    'dictionary.replace': ({ projectId, entries }) => replaceDictionary(db, projectId, entries, currentSchema(db, projectId)),
    'review.plan': ({ projectId, threshold }) => review.plan(projectId, threshold),
    'review.startAudit': ({ projectId, threshold, size }) => review.startAudit(projectId, threshold, size),
    'review.audit': ({ auditId, annotatorId }) => review.status(auditId, annotatorId),
    'review.acceptConfident': ({ auditId, annotatorId, minAgreement }) => {
      annotatorExists(annotatorId);
      return review.acceptConfident(auditId, annotatorId, minAgreement);
    },
    'imports.inspect': ({ filePath, format }) => inspectFile(filePath, format),
    'imports.start': (input) => imports.start(input),
    'imports.get': ({ importId }) => imports.get(importId),
    'imports.decide': ({ importId, decision }) => imports.decide(importId, decision),
    'imports.cancel': ({ importId }) => imports.cancel(importId),
  };

  return {
    db,
    handlers,
    imports,
    runtime: rt,
    model,
    prelabel,
    dispatch: (channel, input) => dispatchContract(handlers, channel, input, onInternalError),
    close: () => {
      void model.close();
      db.close();
    },
  };
}
