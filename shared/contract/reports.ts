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

export const AnnotatorReport = z.object({
  annotatorId: z.string(),
  name: z.string(),
  /** Items with an annotation by this annotator (in the filter). */
  items: z.number().int(),
  submitted: z.number().int(),
  /** Intents against gold items, against the majority of the others (or the adjudication); sentiment the same. */
  vsGold: z.object({ intents: Accuracy, sentiment: Accuracy, entitiesF1: z.number().nullable() }),
  vsMajority: z.object({ intents: Accuracy, sentiment: Accuracy, entitiesF1: z.number().nullable() }),
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
  /** Seconds the report took to compute. */
  seconds: z.number(),
});
export type ProjectReport = z.infer<typeof ProjectReport>;

export const ReportFormat = z.enum(['csv', 'json', 'html']);
export type ReportFormat = z.infer<typeof ReportFormat>;

/** A report rendered for saving: the file's text, a suggested name and its media type. */
export const RenderedReport = z.object({ fileName: z.string(), mime: z.string(), content: z.string() });
export type RenderedReport = z.infer<typeof RenderedReport>;
