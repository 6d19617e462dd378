import { z } from 'zod';
import { FileToken, Id, IsoDate } from './schemas';

/** Training export (electron/core/export): what the lead chooses in the export dialog, and what comes back. */
export const ExportFormat = z.enum(['hf-jsonl', 'parquet', 'conll', 'spacy-jsonl', 'chat-openai', 'sharegpt', 'alpaca', 'csv']);
export type ExportFormat = z.infer<typeof ExportFormat>;

export const ExportLabelPolicy = z.enum(['adjudicated', 'consensus']);
export const ExportDedup = z.enum(['none', 'exact', 'near']);
export const ExportRedaction = z.enum(['none', 'placeholder', 'mask', 'pseudonym']);
export type ExportRedaction = z.infer<typeof ExportRedaction>;

const Ratio = z.number().min(0).max(100);

export const ExportRequest = z.object({
  projectId: Id,
  /** The destination folder, chosen in the shell's folder dialog (purpose export-folder). */
  folderToken: FileToken,
  formats: z.array(ExportFormat).min(1, 'choose at least one format').max(8),
  labels: ExportLabelPolicy.default('consensus'),
  minAnnotators: z.number().int().min(1).max(1000).default(1),
  /** train, validation, test shares, in any unit (0.8/0.1/0.1 or 80/10/10): each is divided by their sum. */
  splits: z
    .array(Ratio)
    .length(3)
    .refine((r) => r[0]! + r[1]! + r[2]! > 0, { message: 'the split shares cannot all be 0' })
    .optional(),
  groupBy: z.string().min(1).max(100).optional(),
  seed: z.number().int().min(0).max(2_147_483_647).default(42),
  dedup: ExportDedup.default('exact'),
  redact: ExportRedaction.default('none'),
  includeGold: z.boolean().default(false),
  /** Metadata fields kept as columns. */
  metaFields: z.array(z.string().min(1).max(100)).max(50).default([]),
  /** The chat formats' system prompt; saved as the project's setting for the next export. */
  systemPrompt: z.string().max(8000).optional(),
});
export type ExportRequest = z.infer<typeof ExportRequest>;

export const ExportFile = z.object({ path: z.string(), rows: z.number().int().nullable(), bytes: z.number().int(), sha256: z.string() });

/** What a finished export wrote: the manifest's figures. */
export const ExportSummary = z.object({
  /** The bundle's folder name inside the chosen folder. */
  folder: z.string(),
  items: z.number().int(),
  excluded: z.record(z.string(), z.number().int()),
  dedup: z.record(z.string(), z.union([z.number(), z.string()])),
  redaction: z.record(z.string(), z.number().int()),
  splits: z.record(z.string(), z.number().int()),
  files: z.array(ExportFile),
  warnings: z.array(z.string()),
});
export type ExportSummary = z.infer<typeof ExportSummary>;

export const ExportState = z.enum(['running', 'done', 'failed', 'cancelled']);

export const ExportStatus = z.object({
  id: Id,
  projectId: Id,
  state: ExportState,
  phase: z.enum(['scan', 'write', 'finish']),
  done: z.number().int(),
  total: z.number().int(),
  startedAt: IsoDate,
  finishedAt: IsoDate.nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  result: ExportSummary.nullable(),
});
export type ExportStatus = z.infer<typeof ExportStatus>;

/** What the dialog offers: the project's metadata fields (for grouping), the saved system prompt, item counts. */
export const ExportOptionsInfo = z.object({
  metaFields: z.array(z.string()),
  systemPrompt: z.string(),
  items: z.number().int(),
  gold: z.number().int(),
  adjudicated: z.number().int(),
});
export type ExportOptionsInfo = z.infer<typeof ExportOptionsInfo>;

export const RedactionPreviewItem = z.object({
  itemId: Id,
  before: z.string(),
  after: z.string(),
  types: z.array(z.string()),
});

/** Real items of the project with personal data in them, before and after redaction (the lead's machine only). */
export const RedactionPreview = z.object({ items: z.array(RedactionPreviewItem), scanned: z.number().int() });
export type RedactionPreview = z.infer<typeof RedactionPreview>;
