import { z } from 'zod';
import { Id } from './schemas';

/** What a profile may do; one person can hold several roles. */
export const Role = z.enum(['annotator', 'reviewer', 'lead']);
export type Role = z.infer<typeof Role>;
export const Roles = z.array(Role).min(1).max(3);

export const ReasonCode = z.object({
  code: z.string().trim().min(1).max(40).regex(/^[a-z0-9][a-z0-9-]*$/, 'a reason code is lower-case letters, digits and -'),
  /** Shown to the reviewer and, as feedback, to the annotator. */
  label: z.string().trim().min(1).max(100),
  /** A section of the guideline, e.g. "3.2". */
  guidelineRef: z.string().trim().max(40).default(''),
});
export type ReasonCode = z.infer<typeof ReasonCode>;

export const DEFAULT_REASON_CODES: ReasonCode[] = [
  { code: 'guideline', label: '违反标注规范 / guideline', guidelineRef: '' },
  { code: 'annotator-error', label: '标注失误 / annotator error', guidelineRef: '' },
  { code: 'ambiguous-text', label: '文本歧义 / ambiguous text', guidelineRef: '' },
  { code: 'schema-gap', label: '标签体系缺口 / schema gap', guidelineRef: '' },
];

export const AdjudicationSettings = z.object({
  /** Versions in a random order per item, no annotator names or ids in the view. */
  blind: z.boolean().default(true),
  reasonCodes: z.array(ReasonCode).min(1).max(50).default(DEFAULT_REASON_CODES),
});
export type AdjudicationSettings = z.infer<typeof AdjudicationSettings>;

export const AdjudicationState = z.enum(['disputed', 'auto', 'human', 'flagged']);
export type AdjudicationState = z.infer<typeof AdjudicationState>;

export const AdjudicationTask = z.enum(['intents', 'sentiment', 'entities']);
export type AdjudicationTask = z.infer<typeof AdjudicationTask>;

export const SpanValue = z.object({ start: z.number().int().nonnegative(), end: z.number().int().positive(), label: z.string().min(1).max(100) });

/**
 * A field's value: 'intents' (single-label) a label or null; 'intents:<label>' (multi-label) true or
 * false; 'sentiment' a level or null; 'entities:<start>-<end>' the cluster's spans ([] = none).
 */
export const FieldValue = z.union([z.string().max(100), z.boolean(), z.null(), z.array(SpanValue).max(200)]);
export type FieldValue = z.infer<typeof FieldValue>;

export const FieldKey = z
  .string()
  .max(140)
  .regex(/^(intents(:.+)?|sentiment|entities:\d+-\d+)$/, 'a field is intents, intents:<label>, sentiment or entities:<start>-<end>');

export const FieldOption = z.object({
  value: FieldValue,
  /** Indices into the item's versions that gave this value. */
  versions: z.array(z.number().int().nonnegative()),
});

export const AdjudicationField = z.object({
  field: FieldKey,
  task: AdjudicationTask,
  /** For 'intents:<label>' the label, for a span cluster its extent in code points. */
  label: z.string().nullable(),
  extent: z.object({ start: z.number().int(), end: z.number().int() }).nullable(),
  options: z.array(FieldOption),
  /** Share of the versions that gave the most common value (1 = all agree). */
  agreement: z.number(),
  /** The value the aggregate suggests (the view starts from it), or undefined when there is none. */
  prefill: FieldValue.optional(),
  /** The value of more than half of the versions; deciding otherwise needs a reason code. */
  majority: FieldValue.optional(),
  decided: z
    .object({ value: FieldValue, source: z.enum(['adjudication', 'auto']), reasonCode: z.string().nullable(), policy: z.string().nullable() })
    .nullable(),
});
export type AdjudicationField = z.infer<typeof AdjudicationField>;

export const AdjudicationVersion = z.object({
  /** 'A', 'B', …: the order is random per item in blind mode. */
  tag: z.string(),
  /** Only outside blind mode. */
  annotator: z.object({ id: Id, name: z.string() }).optional(),
  intents: z.array(z.string()),
  sentiment: z.string().nullable(),
  entities: z.array(SpanValue),
});
export type AdjudicationVersion = z.infer<typeof AdjudicationVersion>;

export const AdjudicationItem = z.object({
  itemId: Id,
  ord: z.number().int(),
  text: z.string(),
  state: AdjudicationState,
  score: z.number(),
  blind: z.boolean(),
  versions: z.array(AdjudicationVersion),
  fields: z.array(AdjudicationField),
  guidelineVersion: z.number().int().nullable(),
});
export type AdjudicationItem = z.infer<typeof AdjudicationItem>;

export const AdjudicationFilter = z.object({
  state: AdjudicationState.optional(),
  task: AdjudicationTask.optional(),
  label: z.string().max(100).optional(),
  annotatorId: Id.optional(),
});
export type AdjudicationFilter = z.infer<typeof AdjudicationFilter>;

export const AdjudicationCounts = z.object({ disputed: z.number(), auto: z.number(), human: z.number(), flagged: z.number() });
export type AdjudicationCounts = z.infer<typeof AdjudicationCounts>;

export const AdjudicationQueueRow = z.object({ itemId: Id, ord: z.number().int(), text: z.string(), state: AdjudicationState, score: z.number() });
export const AdjudicationQueue = z.object({ counts: AdjudicationCounts, total: z.number().int(), rows: z.array(AdjudicationQueueRow) });
export type AdjudicationQueue = z.infer<typeof AdjudicationQueue>;

export const FieldDecision = z.object({
  field: FieldKey,
  value: FieldValue,
  reasonCode: z.string().max(40).optional(),
  note: z.string().max(2000).optional(),
});
export type FieldDecision = z.infer<typeof FieldDecision>;

export const CommitInput = z.object({
  projectId: Id,
  itemId: Id,
  reviewerId: Id,
  decisions: z.array(FieldDecision).max(500),
  /** Set the item aside for discussion instead of resolving it. */
  flag: z.boolean().default(false),
});
export const CommitResult = z.object({ itemId: Id, state: AdjudicationState, actionId: Id, events: z.number().int() });
export type CommitResult = z.infer<typeof CommitResult>;

export const AdjudicationUndoResult = z.object({ itemId: Id, state: AdjudicationState, actionId: Id });

export const AutoPolicy = z.enum(['unanimous', 'majority', 'dawid-skene']);
export type AutoPolicy = z.infer<typeof AutoPolicy>;
export const AutoInput = z.object({
  projectId: Id,
  policy: AutoPolicy,
  task: z.enum(['intents', 'sentiment', 'entities', 'all']).default('all'),
  minAnnotators: z.number().int().min(2).max(100).default(2),
  minShare: z.number().gt(0.5).max(1).default(0.66),
  minPosterior: z.number().gt(0.5).max(1).default(0.9),
  dryRun: z.boolean().default(false),
  /** Who runs it (the app always says; the CLI runs as the lead of the machine): must be a reviewer or a lead. */
  actorId: Id.optional(),
});
export type AutoInput = z.infer<typeof AutoInput>;
export const AutoResult = z.object({
  resolved: z.number().int(),
  disputed: z.number().int(),
  kept_human: z.number().int(),
  policy: AutoPolicy,
  /** Fields written (0 on a dry run, and on a rerun that changes nothing). */
  written: z.number().int(),
  dryRun: z.boolean(),
  params: z.record(z.string(), z.union([z.number(), z.string()])),
});
export type AutoResult = z.infer<typeof AutoResult>;

/** An item where an adjudication differs from what this annotator submitted. */
export const FeedbackRow = z.object({
  itemId: Id,
  ord: z.number().int(),
  text: z.string(),
  field: FieldKey,
  yours: FieldValue,
  adjudicated: FieldValue,
  reasonCode: z.string().nullable(),
  reasonLabel: z.string().nullable(),
  note: z.string().nullable(),
  at: z.string(),
});
export const AnnotatorFeedback = z.object({
  rows: z.array(FeedbackRow),
  /** Accuracy against adjudicated fields, per week of adjudication. */
  accuracy: z.array(z.object({ week: z.string(), fields: z.number().int(), agreed: z.number().int(), accuracy: z.number() })),
});
export type AnnotatorFeedback = z.infer<typeof AnnotatorFeedback>;

export const Guideline = z.object({
  projectId: Id,
  version: z.number().int().nonnegative(),
  markdown: z.string(),
  createdAt: z.string().nullable(),
  authorName: z.string().nullable(),
});
export type Guideline = z.infer<typeof Guideline>;
