import { z } from 'zod';
import { FileToken, Id, IsoDate } from './schemas';

/** Work for offline annotators (electron/core/packs): the lead's plan, packs, merges; the annotator's side. */
export const AssignmentPlanInput = z.object({
  projectId: Id,
  /** Annotator names; those not known here are added (as annotators of imported work) when the packs are written. */
  annotators: z.array(z.string().trim().min(1).max(100)).min(1).max(200),
  overlap: z.number().int().min(1).max(200),
  goldShare: z.number().min(0).max(0.5).default(0),
  filter: z.enum(['unlabeled', 'all']).default('unlabeled'),
  limit: z.number().int().min(1).max(10_000_000).optional(),
  seed: z.number().int().min(0).max(2_147_483_647).default(1),
  expiresDays: z.number().min(0.01).max(3650).default(14),
  metaFields: z.array(z.string().min(1).max(100)).max(50).default([]),
  redact: z.enum(['none', 'placeholder', 'mask', 'pseudonym']).default('none'),
  /** Carry the local model's suggestions (only from heads not trained on gold items). */
  suggestions: z.boolean().default(false),
});
export type AssignmentPlanInput = z.infer<typeof AssignmentPlanInput>;

export const AssignmentPreview = z.object({
  items: z.number().int(),
  goldPool: z.number().int(),
  packs: z.array(z.object({ annotator: z.string(), items: z.number().int(), gold: z.number().int() })),
});
export type AssignmentPreview = z.infer<typeof AssignmentPreview>;

export const AssignmentResult = z.object({
  assignment: Id,
  /** `file`: the pack's file name in the chosen folder. */
  packs: z.array(z.object({ annotator: z.string(), file: z.string(), items: z.number().int(), gold: z.number().int() })),
});
export type AssignmentResult = z.infer<typeof AssignmentResult>;

export const PackStatus = z.object({
  packId: Id,
  assignmentId: Id,
  /** The pack whose unreturned items this one reissues. */
  reissueOf: Id.nullable(),
  annotatorId: Id,
  annotator: z.string(),
  items: z.number().int(),
  gold: z.number().int(),
  issuedAt: IsoDate,
  expiresAt: IsoDate,
  expired: z.boolean(),
  /** Items the annotator submitted or skipped, as merged here. */
  done: z.number().int(),
  returns: z.number().int(),
  lastReturn: IsoDate.nullable(),
  late: z.boolean(),
  goldAnswered: z.number().int(),
  goldCorrect: z.number().int(),
});
export type PackStatus = z.infer<typeof PackStatus>;

export const MergeResult = z.object({
  merged_events: z.number().int(),
  already_had: z.number().int(),
  refused: z.array(z.object({ file: z.string(), reason: z.string() })),
  packs: z.array(z.object({ file: z.string(), annotator: z.string(), events: z.number().int(), added: z.number().int(), late: z.boolean() })),
});
export type MergeResult = z.infer<typeof MergeResult>;

export const OpenedPack = z.object({
  projectId: Id,
  project: z.string(),
  packId: Id,
  items: z.number().int(),
  added: z.boolean(),
  expiresAt: IsoDate,
});
export type OpenedPack = z.infer<typeof OpenedPack>;

export const ReceivedPack = z.object({
  packId: Id,
  items: z.number().int(),
  done: z.number().int(),
  expiresAt: IsoDate,
  expired: z.boolean(),
  openedAt: IsoDate,
  feedback: z.array(
    z.object({ text: z.string(), field: z.string(), yours: z.unknown(), adjudicated: z.unknown(), reasonCode: z.string().nullable(), reason: z.string().nullable() }),
  ),
});
export type ReceivedPack = z.infer<typeof ReceivedPack>;

export const WrittenPack = z.object({ annotator: z.string(), file: z.string(), items: z.number().int(), gold: z.number().int() });

export const packChannels = {
  /** The counts an assignment would give each annotator; nothing is written. */
  'packs.preview': { input: AssignmentPlanInput, output: AssignmentPreview },
  /** Plans and writes one signed pack per annotator into the folder chosen in the shell's dialog. */
  'packs.assign': { input: AssignmentPlanInput.extend({ folderToken: FileToken }), output: AssignmentResult },
  /** Per pack: issued, returned, progress, gold accuracy, last return. */
  'packs.status': { input: z.object({ projectId: Id }), output: z.array(PackStatus) },
  /** The unreturned items of an expired pack, to another annotator, into the folder chosen in the shell's dialog. */
  'packs.reissue': {
    input: z.object({ packId: Id, annotator: z.string().trim().min(1).max(100), folderToken: FileToken, expiresDays: z.number().min(0.01).max(3650).default(14) }),
    output: WrittenPack,
  },
  /** Items of an assignment its annotators disagree on, each to one more of them who has not seen it. */
  'packs.topUp': {
    input: z.object({ assignmentId: Id, annotators: z.array(z.string().trim().min(1).max(100)).min(1).max(200), folderToken: FileToken, expiresDays: z.number().min(0.01).max(3650).default(14) }),
    output: z.array(WrittenPack),
  },
  /** Merges result packs chosen in the shell's dialog (purpose result-pack). */
  'packs.merge': { input: z.object({ fileTokens: z.array(FileToken).min(1).max(200) }), output: MergeResult },
  /** Annotator: opens a pack chosen in the shell's dialog (purpose pack) as this profile. */
  'packs.open': { input: z.object({ fileToken: FileToken, annotatorId: Id }), output: OpenedPack },
  /** Annotator: the packs of a project opened here, with progress, expiry and the lead's feedback. */
  'packs.received': { input: z.object({ projectId: Id, annotatorId: Id }), output: z.array(ReceivedPack) },
  /** Annotator: writes the result pack into the folder chosen in the shell's dialog. */
  'packs.return': {
    input: z.object({ projectId: Id, annotatorId: Id, folderToken: FileToken }),
    output: z.object({ file: z.string(), events: z.number().int(), packs: z.number().int() }),
  },
} as const;
