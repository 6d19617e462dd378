import { AppError } from '../../../shared/contract/errors';
import type { DB } from '../db/open';
import { ensureAnnotator, getAnnotator } from '../db/repos/annotators';
import type { Runtime } from '../runtime';
import type { Signer } from './keys';
import { planAssignment, type AnnotatorPlan } from './plan';
import { writePacks } from './writePacks';
import type { RedactionMode } from '../redaction';
import { getProject } from '../db/repos/projects';

export interface AssignInput {
  projectId: string;
  annotatorIds: string[];
  overlap: number;
  /** The share of each pack that is gold, in [0, 0.5]. */
  goldShare: number;
  /** unlabeled: items nobody has submitted or skipped and no unexpired pack holds; all: every item that is not gold. */
  filter: 'unlabeled' | 'all';
  limit?: number | undefined;
  seed: number;
  expiresDays: number;
  /** Metadata fields the packs carry (nothing else of an item's metadata leaves). */
  metaFields?: string[] | undefined;
  redact?: 'none' | RedactionMode | undefined;
  /** Carry the local model's suggestions (only from heads not trained on gold items). */
  suggestions?: boolean | undefined;
}

export interface AssignmentPreview {
  items: number;
  goldPool: number;
  packs: { annotator: string; items: number; gold: number }[];
}

export interface AssignmentResult {
  assignment: string;
  packs: { annotator: string; file: string; items: number; gold: number }[];
}

/** Metadata never copied into a pack, whatever is asked: it could tell gold items apart. */
export const HIDDEN_META = new Set(['gold', 'is_gold', 'answer']);

function chosenItems(db: DB, input: AssignInput, now: string): string[] {
  const limit = input.limit ?? -1;
  const sql =
    input.filter === 'all'
      ? 'SELECT id FROM items WHERE project_id = ? AND is_gold = 0 ORDER BY ord LIMIT ?'
      : `SELECT i.id FROM items i WHERE i.project_id = ? AND i.is_gold = 0
           AND NOT EXISTS (SELECT 1 FROM annotations a WHERE a.item_id = i.id AND a.status IN ('submitted', 'skipped'))
           AND NOT EXISTS (SELECT 1 FROM pack_items pi JOIN packs p ON p.id = pi.pack_id WHERE pi.item_id = i.id AND p.expires_at > @now)
         ORDER BY i.ord LIMIT ?`;
  const stmt = db.prepare(sql.replace('@now', '?')).pluck();
  return (input.filter === 'all' ? stmt.all(input.projectId, limit) : stmt.all(input.projectId, now, limit)) as string[];
}

function plan(db: DB, input: AssignInput, now: string, known = true): { plans: AnnotatorPlan[]; items: number; goldPool: number } {
  getProject(db, input.projectId);
  if (known) for (const id of input.annotatorIds) if (!getAnnotator(db, id)) throw new AppError('NOT_FOUND', `no annotator ${id}`, { annotatorId: id });
  if (new Set(input.annotatorIds).size !== input.annotatorIds.length) throw new AppError('VALIDATION', 'an annotator is named twice');
  const items = chosenItems(db, input, now);
  const gold = db.prepare('SELECT id FROM items WHERE project_id = ? AND is_gold = 1 ORDER BY ord').pluck().all(input.projectId) as string[];
  try {
    const plans = planAssignment({ items, gold, annotators: input.annotatorIds, overlap: input.overlap, goldShare: input.goldShare, seed: input.seed });
    return { plans, items: items.length, goldPool: gold.length };
  } catch (error) {
    if (error instanceof RangeError) throw new AppError('VALIDATION', error.message);
    throw error;
  }
}

/** The counts an assignment would give each annotator (by name: they need not exist here yet); nothing is written. */
export function previewAssignment(db: DB, rt: Runtime, input: Omit<AssignInput, 'annotatorIds'> & { annotators: string[] }): AssignmentPreview {
  const { plans, items, goldPool } = plan(db, { ...input, annotatorIds: input.annotators }, rt.now().toISOString(), false);
  return { items, goldPool, packs: plans.map((p) => ({ annotator: p.annotator, items: p.items.length, gold: p.gold })) };
}

/** The ids of annotators named for an assignment, added (as annotators of imported work) where new. Call inside a transaction. */
export function assignmentAnnotators(db: DB, rt: Runtime, names: readonly string[]): string[] {
  const now = rt.now().toISOString();
  return names.map((n) => ensureAnnotator(db, n, rt.newId, now, 'import').id);
}

/** A file name from a person's or project's name: what file systems refuse replaced by _. */
export function safeFileName(name: string): string {
  return [...name].map((ch) => (ch.charCodeAt(0) < 32 || '\\/:*?"<>|'.includes(ch) ? '_' : ch)).join('').trim();
}

/** The file name of an annotator's pack. */
export function packFileName(annotator: string): string {
  return `${safeFileName(annotator) || 'annotator'}.zip`;
}

/**
 * Plans the assignment and writes one signed pack per annotator into `outDir` (`<annotator>.zip`),
 * then records it. Gold answers stay here: a pack holds texts under pack-local ids, the schema, the
 * guideline and the annotator's feedback.
 */
export function writeAssignment(db: DB, rt: Runtime, signer: Signer, input: AssignInput, outDir: string): AssignmentResult {
  const now = rt.now();
  const issuedAt = now.toISOString();
  const expiresAt = new Date(now.getTime() + input.expiresDays * 86_400_000).toISOString();
  const { plans } = plan(db, input, issuedAt);
  const assignmentId = rt.newId();
  const packs = writePacks(
    db,
    rt,
    signer,
    {
      projectId: input.projectId,
      assignmentId,
      plans,
      issuedAt,
      expiresAt,
      metaFields: (input.metaFields ?? []).filter((f) => !HIDDEN_META.has(f)),
      redact: input.redact ?? 'none',
      suggestions: input.suggestions ?? false,
      fileName: (annotator) => packFileName(annotator),
      record: () =>
        db
          .prepare('INSERT INTO assignments (id, project_id, params_json, expires_at, created_at) VALUES (?, ?, ?, ?, ?)')
          .run(assignmentId, input.projectId, JSON.stringify({ ...input, projectId: undefined }), expiresAt, issuedAt),
    },
    outDir,
  );
  return { assignment: assignmentId, packs };
}
