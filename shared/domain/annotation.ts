import { z } from 'zod';

export const SpanValue = z.object({
  start: z.number().int().nonnegative(),
  end: z.number().int().positive(),
  label: z.string().min(1).max(100),
});
export type SpanValue = z.infer<typeof SpanValue>;

/** Where a decision came from (DESIGN.md §4). */
export const AnnotationSource = z.enum(['manual', 'accepted-suggestion', 'edited-suggestion', 'adjudication', 'import']);
export type AnnotationSource = z.infer<typeof AnnotationSource>;

/** One append-only annotation event; each kind carries the field's complete new value. */
export const AnnotationChange = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('intents'), value: z.array(z.string().min(1).max(100)).max(100) }),
  z.object({ kind: z.literal('entities'), value: z.array(SpanValue).max(1000) }),
  z.object({ kind: z.literal('sentiment'), value: z.string().min(1).max(50).nullable() }),
  z.object({ kind: z.literal('flag'), value: z.object({ flagged: z.boolean(), note: z.string().max(2000).default('') }) }),
  z.object({ kind: z.literal('status'), value: z.enum(['draft', 'submitted', 'skipped']) }),
]);
export type AnnotationChange = z.infer<typeof AnnotationChange>;
export type AnnotationKind = AnnotationChange['kind'];

/** The current state of one annotator's annotation of one item, derived from its events. */
export const AnnotationState = z.object({
  itemId: z.string(),
  annotatorId: z.string(),
  annotator: z.string(),
  intents: z.array(z.string()),
  entities: z.array(SpanValue),
  sentiment: z.string().nullable(),
  flagged: z.boolean(),
  note: z.string(),
  status: z.enum(['draft', 'submitted', 'skipped']),
  updatedAt: z.string(),
});
export type AnnotationState = z.infer<typeof AnnotationState>;
