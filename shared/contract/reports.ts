import { z } from 'zod';

/**
 * Quality reports: agreement between annotators and each annotator's consistency. The same object
 * feeds the reports view, `annot report --json` and the CSV / JSON / HTML exports.
 */

/** What a report covers; every field optional (no filter = the whole project). */
export const ReportFilter = z.object({
  /** Annotations last changed at or after this instant (ISO 8601). */
  from: z.string().nullable().default(null),
  /** …and before this instant. */
  to: z.string().nullable().default(null),
  /** Only these annotators (ids); empty = everyone. */
  annotatorIds: z.array(z.string().min(1).max(64)).max(500).default([]),
  /** Only items where someone gave one of these labels (intent, sentiment level or entity type); empty = all. */
  labels: z.array(z.string().min(1).max(200)).max(500).default([]),
});
export type ReportFilter = z.output<typeof ReportFilter>;
export type ReportFilterInput = z.input<typeof ReportFilter>;

/** A statistic with its bootstrap 95 % interval; value null when undefined (e.g. one category only). */
export const Estimate = z.object({
  value: z.number().nullable(),
  low: z.number().nullable(),
  high: z.number().nullable(),
});
export type Estimate = z.infer<typeof Estimate>;

export const ReportTask = z.enum(['intents', 'sentiment', 'entities']);
export type ReportTask = z.infer<typeof ReportTask>;

/** Agreement on one label: each label as a yes/no decision per item and annotator. */
export const LabelAgreement = z.object({
  task: ReportTask,
  label: z.string(),
  /** Annotations that gave this label. */
  uses: z.number().int(),
  /** Share of agreeing pairs of yes/no decisions (0…1); null for entity types. */
  percent: z.number().nullable(),
  /** Krippendorff's alpha (nominal) of the yes/no decisions; null for entity types. */
  alpha: z.number().nullable(),
  /** Entity types: exact-match span F1 between annotators (micro over pairs); null for intents and sentiment. */
  f1: z.number().nullable(),
});
export type LabelAgreement = z.infer<typeof LabelAgreement>;

/** Agreement on one task (intents, sentiment or entities) over items at least two annotators did. */
export const TaskAgreement = z.object({
  task: ReportTask,
  /** Items with two or more annotations of the task. */
  items: z.number().int(),
  annotators: z.number().int(),
  percent: z.number().nullable(),
  /** Fleiss' kappa (intents: first intent; sentiment: level). Null for entities. */
  fleiss: Estimate.nullable(),
  /** Krippendorff's alpha: nominal for intents, ordinal for sentiment; null for entities. */
  alpha: Estimate.nullable(),
  /** Mean pairwise Cohen's kappa (quadratic-weighted for sentiment). Null for entities. */
  cohenMean: z.number().nullable(),
  /** Entities only: pairwise span scores, micro-averaged over all annotator pairs. */
  spans: z
    .object({
      exactF1: z.number().nullable(),
      overlapF1: z.number().nullable(),
      /** Disagreements by kind: same type, other boundaries; same place, other type; a span only one side has. */
      boundary: z.number().int(),
      type: z.number().int(),
      missing: z.number().int(),
    })
    .nullable(),
});
export type TaskAgreement = z.infer<typeof TaskAgreement>;

export const ReportAnnotator = z.object({ id: z.string(), name: z.string() });
export type ReportAnnotator = z.infer<typeof ReportAnnotator>;

/** matrix[i][j]: agreement of annotators i and j (Cohen's kappa; span F1 for entities); null where they share no item. */
export const PairwiseMatrix = z.object({
  task: ReportTask,
  annotatorIds: z.array(z.string()),
  matrix: z.array(z.array(z.number().nullable())),
  /** Items both annotated, same shape. */
  shared: z.array(z.array(z.number().int())),
});
export type PairwiseMatrix = z.infer<typeof PairwiseMatrix>;

/** Two labels people confuse: how often one annotator said `a` where another said `b` on the same item (both orders). */
export const ConfusedPair = z.object({ task: ReportTask, a: z.string(), b: z.string(), count: z.number().int() });
export type ConfusedPair = z.infer<typeof ConfusedPair>;

/** An item people disagree on, with each annotator's decision, for the labeling queue. */
export const DisagreementItem = z.object({
  itemId: z.string(),
  ord: z.number().int(),
  text: z.string(),
  /** 0 = everyone agrees … 1 = nobody agrees with anybody (share of disagreeing annotator pairs over the tasks). */
  disagreement: z.number(),
  annotations: z.array(
    z.object({
      annotatorId: z.string(),
      intents: z.array(z.string()),
      sentiment: z.string().nullable(),
      entities: z.number().int(),
    }),
  ),
});
export type DisagreementItem = z.infer<typeof DisagreementItem>;

export const LabelScores = z.object({
  label: z.string(),
  precision: z.number().nullable(),
  recall: z.number().nullable(),
  f1: z.number().nullable(),
  /** Reference items with this label. */
  support: z.number().int(),
});
export type LabelScores = z.infer<typeof LabelScores>;

/** Accuracy of an annotator's decisions against a reference (gold items, or the majority / adjudicated labels). */
export const Accuracy = z.object({
  /** Items compared. */
  n: z.number().int(),
  correct: z.number().int(),
  accuracy: z.number().nullable(),
});
export type Accuracy = z.infer<typeof Accuracy>;

/** Accuracy against the items' adjudicated values only (a subset of `vsMajority`). */
export const VsAdjudicated = z.object({ intents: Accuracy, sentiment: Accuracy });
export type VsAdjudicated = z.infer<typeof VsAdjudicated>;

const NO_ACCURACY: Accuracy = { n: 0, correct: 0, accuracy: null };

/**
 * This annotator's submitted annotations on items with an adjudicated field, and how many of them an
 * adjudication decided otherwise: by a person (counted per reason code; an annotation overridden on
 * two fields under two codes counts under each) and by an automatic policy.
 */
export const AnnotatorOverrides = z.object({
  /** Submitted annotations on items with at least one adjudicated field. */
  adjudicated: z.number().int(),
  /** …where a person's adjudication differs from the annotation on at least one field. */
  overridden: z.number().int(),
  /** …where an automatic decision (a policy) differs from it. */
  auto: z.number().int(),
  /** Overridden by a person, per reason code (null: decided without one), most first. */
  byReason: z.array(z.object({ code: z.string().nullable(), count: z.number().int() })),
});
export type AnnotatorOverrides = z.infer<typeof AnnotatorOverrides>;

export const AnnotatorReport = z.object({
  annotatorId: z.string(),
  name: z.string(),
  /** Items with an annotation by this annotator (in the filter). */
  items: z.number().int(),
  submitted: z.number().int(),
  /**
   * Intents against gold items; against the reference of the other items: the item's adjudicated
   * value where there is one, else the majority of the others; sentiment the same.
   */
  vsGold: z.object({ intents: Accuracy, sentiment: Accuracy, entitiesF1: z.number().nullable() }),
  vsMajority: z.object({ intents: Accuracy, sentiment: Accuracy, entitiesF1: z.number().nullable() }),
  /** The part of `vsMajority` whose reference was an adjudicated value. */
  vsAdjudicated: VsAdjudicated.default(() => ({ intents: { ...NO_ACCURACY }, sentiment: { ...NO_ACCURACY } })),
  overrides: AnnotatorOverrides.default(() => ({ adjudicated: 0, overridden: 0, auto: 0, byReason: [] })),
  /** Per intent, against the reference (gold where there is gold, else the majority). */
  perLabel: z.array(LabelScores),
  speed: z.object({
    /** Submitted items per hour of active labeling (gaps over 10 minutes are breaks). */
    itemsPerHour: z.number().nullable(),
    medianSeconds: z.number().nullable(),
  }),
  /** Accuracy against the reference per day, oldest first. */
  drift: z.array(z.object({ day: z.string(), n: z.number().int(), accuracy: z.number().nullable() })),
  /** Items the annotator decided twice (changed a submitted decision later): how often the later one agrees. */
  selfConsistency: z.object({ items: z.number().int(), agreement: z.number().nullable() }),
  suggestions: z.object({
    /** Decisions taken from a model suggestion. */
    accepted: z.number().int(),
    /** Share of all decisions that were accepted suggestions. */
    acceptRate: z.number().nullable(),
    /** Accepted suggestions the reference says are wrong (automation bias). */
    acceptedWrong: z.number().int(),
    acceptedWrongRate: z.number().nullable(),
  }),
  /** Why this annotator stands out, e.g. 'fast-and-inaccurate'; empty when nothing does. */
  outlier: z.array(z.enum(['fast-and-inaccurate', 'low-agreement', 'low-gold-accuracy', 'accepts-wrong-suggestions'])),
});
export type AnnotatorReport = z.infer<typeof AnnotatorReport>;

/** A reviewer's pace: items resolved per hour of adjudication work (see `hours`). */
export const ReviewerThroughput = z.object({
  reviewerId: z.string(),
  name: z.string(),
  /** Items this reviewer resolved (a commit setting the item to 'human', not undone). */
  items: z.number().int(),
  /** Items this reviewer set aside for discussion (not undone). */
  flagged: z.number().int(),
  /** Commits (one per item decided or set aside, undone ones included: the work was done). */
  commits: z.number().int(),
  /** Field decisions standing, and how many of them went against the majority of the versions. */
  fields: z.number().int(),
  overridesMajority: z.number().int(),
  /** Hours of work: the sum of the gaps between consecutive commits shorter than 10 minutes (longer gaps are breaks). */
  hours: z.number(),
  /** items / hours; null under a minute of work (e.g. without two commits less than 10 minutes apart). */
  itemsPerHour: z.number().nullable(),
  firstAt: z.string().nullable(),
  lastAt: z.string().nullable(),
});
export type ReviewerThroughput = z.infer<typeof ReviewerThroughput>;

/** One reason code of the project (from its adjudication settings, or met in decisions) and how often people used it. */
export const ReasonUse = z.object({
  code: z.string(),
  label: z.string(),
  guidelineRef: z.string(),
  /** Field decisions standing with this reason. */
  fields: z.number().int(),
  items: z.number().int(),
  /** Of `fields`, those against the majority of the versions. */
  overridesMajority: z.number().int(),
  /** False for a code no longer in the project's settings. */
  configured: z.boolean(),
});
export type ReasonUse = z.infer<typeof ReasonUse>;

export const AdjudicationCountsReport = z.object({
  disputed: z.number().int(),
  auto: z.number().int(),
  human: z.number().int(),
  flagged: z.number().int(),
});

/**
 * Adjudication: how far the queue is (items of the report by state), what automatic policies
 * resolved, each reviewer's throughput, and why people decided against the versions. Empty in a
 * project nobody adjudicates.
 */
export const AdjudicationReport = z.object({
  /** Items of the report in the adjudication queue, by state (as the queue last saw them). */
  progress: AdjudicationCountsReport.extend({ queued: z.number().int() }),
  /** Items of the report resolved automatically, by the policy of the run that resolved them (their latest automatic state change). */
  autoByPolicy: z.array(z.object({ policy: z.string(), items: z.number().int() })),
  /** Decisions standing on the items of the report: fields decided by a person and by a policy. */
  decisions: z.object({
    human: z.number().int(),
    auto: z.number().int(),
    /** Decisions by a person with a reason code, and those against the majority. */
    withReason: z.number().int(),
    overridesMajority: z.number().int(),
  }),
  /** Every reason code of the project in its settings' order (unused ones with zeros), then codes no longer configured. */
  reasons: z.array(ReasonUse),
  /** Per reviewer, over their commits in the report's date range (every item: a reviewer's pace is over all their work). */
  reviewers: z.array(ReviewerThroughput),
});
export type AdjudicationReport = z.infer<typeof AdjudicationReport>;

/** The section of a project nobody adjudicates (and of reports made before adjudication existed). */
export const emptyAdjudicationReport = (): AdjudicationReport => ({
  progress: { queued: 0, disputed: 0, auto: 0, human: 0, flagged: 0 },
  autoByPolicy: [],
  decisions: { human: 0, auto: 0, withReason: 0, overridesMajority: 0 },
  reasons: [],
  reviewers: [],
});

/** A project's quality settings: when the report flags an annotator's gold accuracy. */
export const QualitySettings = z.object({
  /** Gold accuracy (intents) under this flags the annotator. */
  goldThreshold: z.number().min(0).max(1).default(0.7),
  /** …once they answered at least this many gold items. */
  goldMinimum: z.number().int().min(1).max(10_000).default(10),
});
export type QualitySettings = z.infer<typeof QualitySettings>;

export const ProjectReport = z.object({
  projectId: z.string(),
  projectName: z.string(),
  generatedAt: z.string(),
  filter: ReportFilter,
  totals: z.object({
    items: z.number().int(),
    annotatedItems: z.number().int(),
    /** Items two or more annotators did. */
    overlapItems: z.number().int(),
    goldItems: z.number().int(),
    annotations: z.number().int(),
    annotators: z.number().int(),
  }),
  annotators: z.array(ReportAnnotator),
  agreement: z.array(TaskAgreement),
  perLabel: z.array(LabelAgreement),
  pairwise: z.array(PairwiseMatrix),
  confusions: z.array(ConfusedPair),
  disagreements: z.array(DisagreementItem),
  perAnnotator: z.array(AnnotatorReport),
  /** Adjudication progress, throughput and reasons (overrides per annotator: `perAnnotator[].overrides`). */
  adjudication: AdjudicationReport.default(emptyAdjudicationReport),
  /** Seconds the report took to compute. */
  seconds: z.number(),
});
export type ProjectReport = z.infer<typeof ProjectReport>;

export const ReportFormat = z.enum(['csv', 'json', 'html']);
export type ReportFormat = z.infer<typeof ReportFormat>;

/** A report rendered for saving: the file's text, a suggested name and its media type. */
export const RenderedReport = z.object({ fileName: z.string(), mime: z.string(), content: z.string() });
export type RenderedReport = z.infer<typeof RenderedReport>;
