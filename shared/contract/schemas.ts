import { z } from 'zod';
import { LabelSchema } from '../domain/labelSchema';
import { AnnotationChange, AnnotationSource, AnnotationState, SpanValue } from '../domain/annotation';

export const Id = z.string().min(1).max(64);
export const IsoDate = z.string();
const Json = z.record(z.string(), z.unknown());

export const ProjectSummary = z.object({
  id: Id,
  name: z.string(),
  description: z.string(),
  createdAt: IsoDate,
  schemaVersion: z.number().int(),
  itemCount: z.number().int(),
  annotatedCount: z.number().int(),
});
export type ProjectSummary = z.infer<typeof ProjectSummary>;

export const ProjectDetail = ProjectSummary.extend({ schema: LabelSchema });
export type ProjectDetail = z.output<typeof ProjectDetail>;

export const ProjectName = z.string().trim().min(1, 'project name is empty').max(200);

export const ItemRow = z.object({
  id: Id,
  ord: z.number().int(),
  text: z.string(),
  meta: Json,
  externalId: z.string().nullable(),
  gold: z.boolean(),
  annotationCount: z.number().int(),
  sourceFile: z.string().nullable(),
  sourceLine: z.number().int().nullable(),
});
export type ItemRow = z.infer<typeof ItemRow>;

export const ItemPage = z.object({ total: z.number().int(), offset: z.number().int(), items: z.array(ItemRow) });
export type ItemPage = z.infer<typeof ItemPage>;

export const Suggestion = z.object({
  id: Id,
  kind: z.enum(['intents', 'entities', 'sentiment']),
  value: z.unknown(),
  score: z.number().nullable(),
  modelVersion: z.string(),
  createdAt: IsoDate,
});
export type Suggestion = z.infer<typeof Suggestion>;

export const ItemDetail = z.object({
  item: ItemRow,
  annotations: z.array(AnnotationState),
  suggestions: z.array(Suggestion),
});
export type ItemDetail = z.infer<typeof ItemDetail>;

export const Annotator = z.object({
  id: Id,
  name: z.string(),
  origin: z.enum(['local', 'import']),
  createdAt: IsoDate,
  roles: z.array(z.enum(['annotator', 'reviewer', 'lead'])).default(['annotator']),
});
export type Annotator = z.infer<typeof Annotator>;
export const AnnotatorName = z.string().trim().min(1, 'annotator name is empty').max(100);

export const ImportFormat = z.enum(['jsonl', 'csv', 'tsv', 'txt', 'doccano', 'labelstudio', 'annotator-columns']);
export type ImportFormat = z.infer<typeof ImportFormat>;

/** For CSV and TSV: which column holds what. Columns not named become item metadata. */
export const ColumnMapping = z.object({
  text: z.string().min(1),
  id: z.string().optional(),
  intent: z.string().optional(),
  sentiment: z.string().optional(),
  annotator: z.string().optional(),
  /** Only these columns go into metadata; all unmapped columns when omitted. */
  meta: z.array(z.string()).optional(),
  /**
   * annotator-columns: how a column names its annotator, as a regular expression with two groups,
   * (annotator)(field), e.g. "^(Annotator\\d+)_(.+)$". Omitted: "<annotator>_<field>", where the
   * annotators are the prefixes that share fields with one another.
   */
  annotatorPattern: z.string().min(1).max(200).optional(),
  /** annotator-columns: the one-hot field ("<field>.<value>" columns) whose value is the sentiment level; "" for none. */
  sentimentField: z.string().optional(),
  /** annotator-columns: a one-hot field whose value is the intent; "" for none. */
  intentField: z.string().optional(),
  /** annotator-columns: the yes/no fields whose name becomes an intent when set (multi-label). */
  intentFlags: z.array(z.string()).optional(),
});
export type ColumnMapping = z.infer<typeof ColumnMapping>;

export const BadLinePolicy = z.enum(['ask', 'skip', 'abort']);
export type BadLinePolicy = z.infer<typeof BadLinePolicy>;

/** What the header of a CSV with one column group per annotator holds. */
export const AnnotatorColumnsInfo = z.object({
  /** Annotator names, in header order. */
  annotators: z.array(z.string()),
  /** Fields given as one "<field>.<value>" column per value (the value whose cell is 1 is the answer). */
  oneHotFields: z.array(z.object({ name: z.string(), values: z.array(z.string()) })),
  /** Fields given as one yes/no column. */
  flagFields: z.array(z.string()),
  /** Columns outside every annotator's group: the text, the id and metadata. */
  otherColumns: z.array(z.string()),
  /** The mapping used when the import request names none. */
  defaults: z.object({
    text: z.string().nullable(),
    id: z.string().nullable(),
    sentimentField: z.string().nullable(),
    intentField: z.string().nullable(),
    intentFlags: z.array(z.string()),
  }),
  /** Oddities of the header and how they are read (English). */
  warnings: z.array(z.string()),
});
export type AnnotatorColumnsInfo = z.infer<typeof AnnotatorColumnsInfo>;

/** What a file chosen in the shell's dialog is for; a token works for that purpose only. */
export const FilePurpose = z.enum(['import', 'model-folder', 'export-folder', 'pack', 'result-pack', 'pack-folder']);
export type FilePurpose = z.infer<typeof FilePurpose>;
/** An opaque, single-use token for a file the user chose in the shell's own dialog (the renderer never names a path). */
export const FileToken = z
  .string()
  .min(16, 'not a file token')
  .max(64, 'not a file token')
  .regex(/^[A-Za-z0-9_-]+$/, 'not a file token');
/** The shell's dialog result: a token and the file's name to show, or nulls when the user cancelled. */
export const PickedFile = z.object({ token: FileToken.nullable(), name: z.string().nullable() });
export type PickedFile = z.infer<typeof PickedFile>;

export const FileInspection = z.object({
  path: z.string(),
  sizeBytes: z.number().int(),
  format: ImportFormat,
  encoding: z.string(),
  columns: z.array(z.string()).nullable(),
  sample: z.array(z.string()),
  /** annotator-columns: the annotator column groups found in the header and the mapping used by default. */
  annotatorColumns: AnnotatorColumnsInfo.optional(),
});
export type FileInspection = z.infer<typeof FileInspection>;

export const LineError = z.object({ line: z.number().int(), reason: z.string() });
export type LineError = z.infer<typeof LineError>;

/** Redaction of personal data before an import stores anything (see electron/core/redaction). */
export const ImportRedaction = z.enum(['none', 'placeholder', 'mask', 'pseudonym']);
export type ImportRedaction = z.infer<typeof ImportRedaction>;

export const ImportState = z.enum(['running', 'needs-decision', 'committed', 'discarded', 'cancelled', 'failed']);
export type ImportState = z.infer<typeof ImportState>;

export const ImportStatus = z.object({
  id: Id,
  projectId: Id,
  file: z.string(),
  format: ImportFormat,
  encoding: z.string().nullable(),
  state: ImportState,
  /** While running: reading the file into staging, or writing it into the project. */
  phase: z.enum(['reading', 'committing']),
  totalBytes: z.number().int(),
  bytesRead: z.number().int(),
  linesRead: z.number().int(),
  goodRows: z.number().int(),
  imported: z.number().int(),
  duplicates: z.number().int(),
  annotations: z.number().int(),
  /** While committing: rows to write into the project (new items, then labeled lines) and how many are written. */
  commitTotal: z.number().int().default(0),
  committedRows: z.number().int().default(0),
  badLines: z.number().int(),
  /** The first bad lines (at most 1000), each with its line number and reason. */
  errors: z.array(LineError),
  /** Why the whole file was refused (not text, empty, missing column …), or null. */
  fatal: z.object({ line: z.number().int().nullable(), reason: z.string(), kind: z.string() }).nullable(),
  newLabels: z.array(z.string()),
  /** Values redacted before storing, per type (mobile, resident-id, … or a personal entity type). */
  redacted: z.record(z.string(), z.number().int()).default({}),
  startedAt: IsoDate,
  finishedAt: IsoDate.nullable(),
});
export type ImportStatus = z.infer<typeof ImportStatus>;

export const ProjectStats = z.object({
  projectId: Id,
  items: z.number().int(),
  goldItems: z.number().int(),
  annotatedItems: z.number().int(),
  annotations: z.number().int(),
  events: z.number().int(),
  annotators: z.number().int(),
  suggestions: z.number().int(),
  intents: z.array(z.object({ label: z.string(), count: z.number().int() })),
  entities: z.array(z.object({ label: z.string(), count: z.number().int() })),
  sentiment: z.array(z.object({ label: z.string(), count: z.number().int() })),
});
export type ProjectStats = z.infer<typeof ProjectStats>;

export const AppInfo = z.object({ version: z.string(), dbPath: z.string(), schemaVersion: z.number().int() });
export type AppInfo = z.infer<typeof AppInfo>;

/** Per-annotator preferences kept on this machine: key remapping (command id -> keys). */
export const AnnotatorSettings = z.object({
  keymap: z.record(z.string().max(100), z.array(z.string().min(1).max(40)).max(4)).default({}),
});
export type AnnotatorSettings = z.infer<typeof AnnotatorSettings>;

/** Which items the labeling queue walks through, for one annotator. */
export const QueueFilter = z.object({
  /** unlabeled: no submitted or skipped annotation by this annotator yet (drafts come back). */
  /** recheck: items a lead queued after a guideline change that this annotator submitted under an older version. */
  status: z.enum(['unlabeled', 'all', 'flagged', 'skipped', 'submitted', 'recheck']).default('unlabeled'),
  /** An intent this annotator gave, or a suggestion proposes. */
  label: z.string().max(100).optional(),
  /** Items whose intent suggestion has a score in [minScore, maxScore]. */
  minScore: z.number().min(0).max(1).optional(),
  maxScore: z.number().min(0).max(1).optional(),
  search: z.string().max(200).optional(),
  /** Only the items of this audit sample (layered review). */
  auditId: z.string().max(64).optional(),
  /** position: import order; review: high-risk intents first, then the least certain (smallest margin). */
  order: z.enum(['position', 'review']).default('position'),
});
export type QueueFilter = z.input<typeof QueueFilter>;

export const Progress = z.object({ done: z.number().int(), skipped: z.number().int(), total: z.number().int() });
export type Progress = z.infer<typeof Progress>;

export const ContextTurn = z.object({ ord: z.number().int(), text: z.string(), turn: z.unknown().optional() });

/** A suggestion (for entities: one span of it) that an annotator rejected and still rejects. */
export const RejectedSuggestion = z.object({
  suggestionId: Id,
  kind: z.enum(['intents', 'entities', 'sentiment']),
  /** For entities, the span rejected ({ start, end, label }); otherwise the suggestion's whole value. */
  value: z.unknown(),
  modelVersion: z.string(),
  at: IsoDate,
});
export type RejectedSuggestion = z.infer<typeof RejectedSuggestion>;

export const LabelingItem = z.object({
  item: ItemRow,
  /** This annotator's annotation, or null when they have not touched the item. */
  annotation: AnnotationState.nullable(),
  suggestions: z.array(Suggestion),
  /**
   * What this annotator rejected on this item (labeling.reject, not undone), oldest first: hide
   * these suggestions (spans equal in start, end and label) from them. The core always sends it.
   */
  rejected: z.array(RejectedSuggestion).optional(),
  /** Earlier turns of the same dialogue (meta.dialogue_id), oldest first. */
  context: z.array(ContextTurn),
});
export type LabelingItem = z.infer<typeof LabelingItem>;

export const ApplyInput = z.object({
  projectId: Id,
  itemId: Id,
  annotatorId: Id,
  changes: z.array(AnnotationChange).min(1).max(5),
  /**
   * What the renderer says the changes came from. For intents, sentiment and entities the core
   * checks it against the item's suggestions and the field's current source and records
   * accepted-suggestion, edited-suggestion or manual (docs/architecture.md, "Provenance"); flag and
   * status changes keep it as given.
   */
  source: AnnotationSource.exclude(['import', 'adjudication']).default('manual'),
  /** When the annotator started on this item (ISO), for time per item. */
  startedAt: z.string().datetime().optional(),
});

/** Rejects one suggestion of an item (for an entities suggestion, one of its spans) as one undoable action. */
export const RejectInput = z.object({
  projectId: Id,
  itemId: Id,
  annotatorId: Id,
  suggestionId: Id,
  /** Required for an entities suggestion (which of its spans), refused for the others. */
  span: SpanValue.optional(),
  /** When the annotator started on this item (ISO). */
  startedAt: z.string().datetime().optional(),
});

/** The action recorded, and everything this annotator now rejects on the item. */
export const RejectResult = z.object({ actionId: Id, rejected: z.array(RejectedSuggestion) });
export type RejectResult = z.infer<typeof RejectResult>;

export const ApplyResult = z.object({ annotation: AnnotationState, actionId: Id, progress: Progress });
export type ApplyResult = z.infer<typeof ApplyResult>;

export const UndoResult = z.object({ itemId: Id, annotation: AnnotationState, progress: Progress });
export type UndoResult = z.infer<typeof UndoResult>;

export const ModelStatusView = z.object({
  state: z.enum(['missing', 'corrupt', 'ready']),
  modelId: z.string(),
  dir: z.string(),
  message: z.string(),
});
export type ModelStatusView = z.infer<typeof ModelStatusView>;

export const ModelVersion = z.object({
  id: Id,
  projectId: Id,
  task: z.enum(['intents', 'sentiment', 'entities']),
  version: z.number().int(),
  kind: z.string(),
  embedder: z.string(),
  metrics: z.record(z.string(), z.unknown()),
  trainedOn: z.number().int(),
  createdAt: IsoDate,
});
export type ModelVersion = z.infer<typeof ModelVersion>;

export const PrelabelStatus = z.object({
  projectId: Id,
  state: z.enum(['running', 'finished', 'cancelled', 'failed']),
  phase: z.enum(['training', 'suggesting']),
  done: z.number().int(),
  total: z.number().int(),
  suggestions: z.number().int(),
  /** The heads this run used, e.g. "intents@v3". */
  versions: z.array(z.string()),
  error: z.string().nullable(),
  startedAt: IsoDate,
  finishedAt: IsoDate.nullable(),
});
export type PrelabelStatus = z.infer<typeof PrelabelStatus>;

/** One label's scores on the evaluation items (as scikit-learn's classification_report; 0/0 is 0). */
export const LabelScore = z.object({
  label: z.string(),
  precision: z.number(),
  recall: z.number(),
  f1: z.number(),
  /** Evaluation items whose (majority) human label is this one. */
  support: z.number().int(),
});
export type LabelScore = z.infer<typeof LabelScore>;

/** matrix[i][j]: items people labeled labels[i] that the version predicted as labels[j]. */
export const ConfusionMatrix = z.object({ labels: z.array(z.string()), matrix: z.array(z.array(z.number().int())) });
export type ConfusionMatrix = z.infer<typeof ConfusionMatrix>;

/** McNemar's test on paired per-item correctness: b = only A right, c = only B right. */
export const McNemarTest = z.object({
  b: z.number().int(),
  c: z.number().int(),
  /** Exact test: min(b, c); chi-square test: (|b - c| - 1)^2 / (b + c). */
  statistic: z.number(),
  pValue: z.number(),
  /** True for the exact binomial test (b + c < 25), false for chi-square with continuity correction. */
  exact: z.boolean(),
});
export type McNemarTest = z.infer<typeof McNemarTest>;

/** One side of a comparison: the version and its scores on the evaluation items. */
export const ComparedVersion = z.object({
  id: Id,
  version: z.number().int(),
  kind: z.string(),
  /** How it was trained: supervised (people's labels) or zero-shot (the schema's descriptions). */
  source: z.string(),
  /** Examples it was trained on (items for a supervised head, schema seeds for a zero-shot one). */
  trainedOn: z.number().int(),
  createdAt: IsoDate,
  correct: z.number().int(),
  accuracy: z.number(),
  macroF1: z.number(),
  perLabel: z.array(LabelScore),
  confusion: ConfusionMatrix,
  /**
   * Evaluation items this version was trained on. Exact when the items labeled at its training time,
   * replayed from the annotation log, match its stored count; otherwise an upper bound.
   */
  trainingItems: z.object({ count: z.number().int(), exact: z.boolean() }),
});
export type ComparedVersion = z.infer<typeof ComparedVersion>;

/** Two versions of a head scored on the items people labeled for its task: held out from both, or all of them. */
export const ModelComparison = z.object({
  projectId: Id,
  task: z.enum(['intents', 'sentiment']),
  /** Evaluation items: held-out ones (neither version trained on them) or every labeled item. */
  n: z.number().int(),
  scope: z.enum(['held-out', 'all']),
  /** Items with a (majority) human label for the task. */
  labeled: z.number().int(),
  /** Of those, items neither version was trained on (0 when that cannot be told). */
  heldOut: z.number().int(),
  a: ComparedVersion,
  b: ComparedVersion,
  mcnemar: McNemarTest,
  /** The significance level of the verdict. */
  alpha: z.number(),
  /** 'a' or 'b' when McNemar's p < alpha and that version is right more often; otherwise 'tie'. */
  verdict: z.enum(['a', 'b', 'tie']),
  /** The verdict in a sentence (English, for the CLI and logs). */
  summary: z.string(),
  /** True when either version was (or may have been) trained on some of the evaluation items. */
  includesTrainingItems: z.boolean(),
  /** What that means for these numbers, in English; null when no evaluation item was trained on. */
  caveat: z.string().nullable(),
});
export type ModelComparison = z.infer<typeof ModelComparison>;

export const ReviewPlan = z.object({
  threshold: z.number(),
  /** Items nobody labeled whose intent suggestion is at least this confident and not high-risk. */
  confident: z.number().int(),
  /** Items nobody labeled that a person must see: less confident, or suggested a high-risk intent. */
  toPeople: z.number().int(),
  highRisk: z.number().int(),
  withoutSuggestion: z.number().int(),
});
export type ReviewPlan = z.infer<typeof ReviewPlan>;

export const AuditStatus = z.object({
  id: Id,
  projectId: Id,
  threshold: z.number(),
  size: z.number().int(),
  /** Sample items this annotator has submitted. */
  checked: z.number().int(),
  /** Of those, how many got the suggested intent. */
  agreed: z.number().int(),
  agreement: z.number().nullable(),
  accepted: z.number().int().nullable(),
});
export type AuditStatus = z.infer<typeof AuditStatus>;

/** Which words drove an intent suggestion: leave-one-word-out weights over the text. */
export const Explanation = z.object({
  label: z.string(),
  score: z.number(),
  modelVersion: z.string(),
  pieces: z.array(z.object({ start: z.number().int(), end: z.number().int(), text: z.string(), weight: z.number() })),
});
export type Explanation = z.infer<typeof Explanation>;

export const DictionaryEntry = z.object({ term: z.string().trim().min(1).max(200), label: z.string().trim().min(1).max(100) });
export type DictionaryEntry = z.infer<typeof DictionaryEntry>;
