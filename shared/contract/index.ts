import { z } from 'zod';
import { LabelSchema } from '../domain/labelSchema';
import {
  DictionaryEntry,
  Explanation,
  AuditStatus,
  ReviewPlan,
  ModelStatusView,
  ModelVersion,
  ModelComparison,
  PrelabelStatus,
  ApplyInput,
  ApplyResult,
  RejectInput,
  RejectResult,
  LabelingItem,
  Progress,
  QueueFilter,
  UndoResult,
  Annotator,
  AnnotatorName,
  AnnotatorSettings,
  AppInfo,
  BadLinePolicy,
  ColumnMapping,
  FileInspection,
  FilePurpose,
  FileToken,
  Id,
  PickedFile,
  ImportFormat,
  ImportRedaction,
  ImportStatus,
  ItemDetail,
  ItemPage,
  ProjectDetail,
  ProjectName,
  ProjectStats,
  ProjectSummary,
} from './schemas';
import { ProjectReport, RenderedReport, ReportFilter, ReportFormat } from './reports';
import { BackupName, DatabaseBackup, DatabaseCheck, DatabaseHealth, RestoreResult } from './database';

import {
  AdjudicationFilter,
  AdjudicationItem,
  AdjudicationQueue,
  AdjudicationSettings,
  AdjudicationUndoResult,
  AnnotatorFeedback,
  AutoInput,
  AutoResult,
  CommitInput,
  CommitResult,
  Guideline,
  Roles,
} from './adjudication';
import type { EncodedValue } from './encoded';
import { packChannels } from './packs';
import { ExportOptionsInfo, ExportRedaction, ExportRequest, ExportStatus, RedactionPreview } from './export';

export * from './schemas';
export * from './errors';
export * from './database';
export * from './adjudication';
export * from './export';
export * from './packs';

const def = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O) => ({ input, output });

/** Every channel between renderer and main: input and output schemas. */
export const contract = {
  'app.info': def(z.object({}), AppInfo),
  'projects.list': def(z.object({}), z.array(ProjectSummary)),
  'projects.create': def(
    z.object({ name: ProjectName, description: z.string().max(5000).default(''), schema: LabelSchema.optional() }),
    ProjectDetail,
  ),
  'projects.get': def(z.object({ projectId: Id }), ProjectDetail),
  'projects.updateSchema': def(z.object({ projectId: Id, schema: LabelSchema }), ProjectDetail),
  'projects.stats': def(z.object({ projectId: Id }), ProjectStats),
  'items.list': def(
    z.object({
      projectId: Id,
      offset: z.number().int().nonnegative().default(0),
      limit: z.number().int().min(1).max(500).default(100),
      search: z.string().max(200).default(''),
    }),
    ItemPage,
  ),
  'items.get': def(z.object({ itemId: Id }), ItemDetail),
  /** Profiles on this machine (local), annotators that came with imported labels (import), or both. */
  'annotators.list': def(z.object({ origin: z.enum(['local', 'import', 'all']).default('all') }), z.array(Annotator)),
  'annotators.create': def(z.object({ name: AnnotatorName }), Annotator),
  'annotators.getSettings': def(z.object({ annotatorId: Id }), AnnotatorSettings),
  'annotators.saveSettings': def(z.object({ annotatorId: Id, settings: AnnotatorSettings }), AnnotatorSettings),
  /** A lead (actorId) sets roles; while no profile is a lead, anyone may (the first lead names itself). */
  'annotators.setRoles': def(z.object({ annotatorId: Id, roles: Roles, actorId: Id.optional() }), Annotator),
  'adjudication.settings': def(z.object({ projectId: Id }), AdjudicationSettings),
  'adjudication.saveSettings': def(z.object({ projectId: Id, actorId: Id, settings: AdjudicationSettings }), AdjudicationSettings),
  /** Brings the queue up to date with the annotations (on a job thread) and reads one page of it with the counts per state. */
  'adjudication.queue': def(
    z.object({
      projectId: Id,
      filter: AdjudicationFilter.prefault({}),
      offset: z.number().int().nonnegative().default(0),
      limit: z.number().int().min(1).max(500).default(50),
    }),
    AdjudicationQueue,
  ),
  /** The next item of the queue after `afterItemId` (disagreement first), with its versions. */
  'adjudication.next': def(
    z.object({ projectId: Id, reviewerId: Id, afterItemId: Id.nullable().default(null), filter: AdjudicationFilter.prefault({}) }),
    AdjudicationItem.nullable(),
  ),
  'adjudication.item': def(z.object({ projectId: Id, reviewerId: Id, itemId: Id }), AdjudicationItem),
  'adjudication.commit': def(CommitInput, CommitResult),
  'adjudication.undo': def(z.object({ projectId: Id, reviewerId: Id }), AdjudicationUndoResult.nullable()),
  'adjudication.auto': def(AutoInput, AutoResult),
  /** Where adjudications differ from this annotator's submissions, and their accuracy over time. */
  'adjudication.feedback': def(z.object({ projectId: Id, annotatorId: Id }), AnnotatorFeedback),
  'guidelines.get': def(z.object({ projectId: Id, version: z.number().int().positive().optional() }), Guideline),
  'guidelines.save': def(z.object({ projectId: Id, authorId: Id, markdown: z.string().max(500_000) }), Guideline),
  /** Queues the items whose annotations were made under an older guideline version for a re-check. */
  'guidelines.queueRecheck': def(z.object({ projectId: Id, leadId: Id }), z.object({ queued: z.number().int() })),
  'labeling.item': def(z.object({ itemId: Id, annotatorId: Id }), LabelingItem),
  'labeling.at': def(z.object({ projectId: Id, annotatorId: Id, ord: z.number().int().positive() }), LabelingItem.nullable()),
  'labeling.next': def(
    z.object({
      projectId: Id,
      annotatorId: Id,
      afterOrd: z.number().int().nonnegative().default(0),
      direction: z.enum(['next', 'prev']).default('next'),
      filter: QueueFilter.prefault({}),
    }),
    LabelingItem.nullable(),
  ),
  'labeling.apply': def(ApplyInput, ApplyResult),
  /** Rejects a suggestion (one span of an entities suggestion); undone and redone like any action. */
  'labeling.reject': def(RejectInput, RejectResult),
  'labeling.undo': def(z.object({ projectId: Id, annotatorId: Id }), UndoResult.nullable()),
  'labeling.redo': def(z.object({ projectId: Id, annotatorId: Id }), UndoResult.nullable()),
  'labeling.progress': def(z.object({ projectId: Id, annotatorId: Id }), Progress),
  'models.status': def(z.object({}), ModelStatusView),
  /** Points the app at another model folder, chosen in the shell's folder dialog (its token). */
  'models.configure': def(
    z.object({
      folderToken: FileToken,
      modelName: z
        .string()
        .trim()
        .min(1)
        .max(200)
        .regex(/^[^/]+\/[^/]+$/, 'model name is <org>/<name>'),
    }),
    ModelStatusView,
  ),
  'models.versions': def(z.object({ projectId: Id }), z.array(ModelVersion)),
  /** Scores two versions of the same head on the labeled items neither was trained on (or, with scope 'all', on every labeled item). */
  'models.compare': def(z.object({ projectId: Id, a: Id, b: Id, scope: z.enum(['held-out', 'all']).default('held-out') }), ModelComparison),
  'prelabel.start': def(z.object({ projectId: Id }), PrelabelStatus),
  'prelabel.get': def(z.object({ projectId: Id }), PrelabelStatus.nullable()),
  'prelabel.cancel': def(z.object({ projectId: Id }), PrelabelStatus.nullable()),
  'models.explain': def(z.object({ projectId: Id, itemId: Id }), Explanation),
  /** Agreement and per-annotator consistency over the project's annotations, narrowed by the filter. */
  'reports.project': def(z.object({ projectId: Id, filter: ReportFilter.prefault({}) }), ProjectReport),
  /** The same report as a file to save: CSV (one table per section), JSON, or one self-contained HTML page. */
  'reports.render': def(
    z.object({ projectId: Id, filter: ReportFilter.prefault({}), format: ReportFormat, language: z.enum(['zh-CN', 'en']).default('zh-CN') }),
    RenderedReport,
  ),
  'dictionary.list': def(z.object({ projectId: Id }), z.array(DictionaryEntry)),
  'dictionary.replace': def(z.object({ projectId: Id, entries: z.array(DictionaryEntry).max(100_000) }), z.array(DictionaryEntry)),
  'review.plan': def(z.object({ projectId: Id, threshold: z.number().min(0).max(1).default(0.9) }), ReviewPlan),
  'review.startAudit': def(
    z.object({ projectId: Id, threshold: z.number().min(0).max(1).default(0.9), size: z.number().int().min(1).max(1000).default(30) }),
    AuditStatus,
  ),
  'review.audit': def(z.object({ auditId: Id, annotatorId: Id.nullable().default(null) }), AuditStatus),
  'review.acceptConfident': def(z.object({ auditId: Id, annotatorId: Id, minAgreement: z.number().min(0).max(1).default(0.9) }), AuditStatus),
  /** Reads the head of a file chosen for import (its token stays good for the import itself). */
  'imports.inspect': def(z.object({ fileToken: FileToken, format: ImportFormat.optional() }), FileInspection),
  'imports.start': def(
    z.object({
      projectId: Id,
      fileToken: FileToken,
      format: ImportFormat,
      mapping: ColumnMapping.optional(),
      onBadLines: BadLinePolicy.default('ask'),
      redact: ImportRedaction.default('none'),
    }),
    ImportStatus,
  ),
  'imports.get': def(z.object({ importId: Id }), ImportStatus),
  'imports.decide': def(z.object({ importId: Id, decision: z.enum(['import-good', 'discard']) }), ImportStatus),
  'imports.cancel': def(z.object({ importId: Id }), ImportStatus),
  /** What the export dialog offers for a project (metadata fields, the saved system prompt, counts). */
  'export.options': def(z.object({ projectId: Id }), ExportOptionsInfo),
  /** Real items of the project with personal data, before and after redaction in a mode. */
  'export.preview': def(z.object({ projectId: Id, mode: ExportRedaction.exclude(['none']), limit: z.number().int().min(1).max(50).default(5) }), RedactionPreview),
  /** Starts a training export into the folder chosen in the shell's dialog; progress arrives as export.progress. */
  'export.start': def(ExportRequest, ExportStatus),
  'export.get': def(z.object({ exportId: Id }), ExportStatus),
  /** Stops a running export; nothing of it is left in the folder. */
  'export.cancel': def(z.object({ exportId: Id }), ExportStatus),
  ...packChannels,
  /** Is the database file sound, where do its backups live, which are there. Answered even when the file is damaged. */
  'database.health': def(z.object({}), DatabaseHealth),
  /** PRAGMA quick_check over the whole file (on the maintenance thread in the app). */
  'database.check': def(z.object({}), DatabaseCheck),
  /** A backup now, with SQLite's online backup API, into the backup folder (refused on a damaged file). */
  'database.backup': def(z.object({}), DatabaseBackup),
  /** Moves the current file aside (never deletes it) and puts a backup in its place: the one named, else the newest that passes integrity_check. */
  'database.restoreBackup': def(z.object({ backup: BackupName.optional() }), RestoreResult),
  /** Moves a damaged file aside (never deletes it); the app starts again with an empty database. */
  'database.moveAside': def(z.object({}), RestoreResult),
  /** Served by the shell (a native file dialog in Electron), not by the core: a token for the file chosen. */
  'system.pickFile': def(z.object({ purpose: FilePurpose.extract(['import', 'pack', 'result-pack']) }), PickedFile),
  /** Served by the shell: a token for the folder chosen in a native folder dialog. */
  'system.pickFolder': def(z.object({ purpose: FilePurpose.extract(['model-folder', 'export-folder', 'pack-folder']) }), PickedFile),
} as const;

export type Contract = typeof contract;
export type Channel = keyof Contract;
export const channels = Object.keys(contract) as Channel[];
/** Channels the shell answers itself; every other channel is answered by the core. */
export const SHELL_CHANNELS = ['system.pickFile', 'system.pickFolder'] as const satisfies readonly Channel[];
export type ShellChannel = (typeof SHELL_CHANNELS)[number];
export type CoreChannel = Exclude<Channel, ShellChannel>;

export type Input<C extends Channel> = z.input<Contract[C]['input']>;
export type ParsedInput<C extends Channel> = z.output<Contract[C]['input']>;
export type Output<C extends Channel> = z.output<Contract[C]['output']>;

/** A handler's answer: its value, or (forwarded from a job thread) that thread's validated answer as JSON bytes. */
export type Handler<C extends Channel> = (
  input: ParsedInput<C>,
) => Promise<z.input<Contract[C]['output']> | EncodedValue> | z.input<Contract[C]['output']> | EncodedValue;
export type Handlers<C extends Channel = Channel> = { [K in C]: Handler<K> };

/** Events pushed from main to the renderer. */
export const events = {
  'imports.progress': ImportStatus,
  'prelabel.progress': PrelabelStatus,
  'export.progress': ExportStatus,
  'database.health': DatabaseHealth,
} as const;
export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract, name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(events, name);
}
