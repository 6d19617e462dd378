import { AppError } from '../../../shared/contract/errors';
import { mulberry32 } from '../../../shared/domain/agreement/prng';
import type { DB } from '../db/open';
import type { Runtime } from '../runtime';
import type { Signer } from './keys';
import { HIDDEN_META, safeFileName, type AssignInput } from './assign';
import { shuffle, withGold, type AnnotatorPlan } from './plan';
import { writePacks, type WrittenPack } from './writePacks';

interface AssignmentRow {
  id: string;
  project_id: string;
  params_json: string;
}

function assignmentOf(db: DB, assignmentId: string): { row: AssignmentRow; params: Partial<AssignInput> } {
  const row = db.prepare<[string], AssignmentRow>('SELECT id, project_id, params_json FROM assignments WHERE id = ?').get(assignmentId);
  if (!row) throw new AppError('NOT_FOUND', `no assignment ${assignmentId}`, { assignmentId });
  return { row, params: JSON.parse(row.params_json) as Partial<AssignInput> };
}

/** The items an annotator has seen: in any of their packs, or annotated by them. */
function seenBy(db: DB, annotatorId: string, projectId: string): Set<string> {
  const ids = db
    .prepare(
      `SELECT pi.item_id FROM pack_items pi JOIN packs p ON p.id = pi.pack_id WHERE p.annotator_id = ? AND p.project_id = ?
       UNION SELECT item_id FROM annotations WHERE annotator_id = ? AND project_id = ?`,
    )
    .pluck()
    .all(annotatorId, projectId, annotatorId, projectId) as string[];
  return new Set(ids);
}

const goldPool = (db: DB, projectId: string) => db.prepare('SELECT id FROM items WHERE project_id = ? AND is_gold = 1 ORDER BY ord').pluck().all(projectId) as string[];

function days(now: Date, n: number): string {
  return new Date(now.getTime() + n * 86_400_000).toISOString();
}

function writeFollowUp(db: DB, rt: Runtime, signer: Signer, assignment: ReturnType<typeof assignmentOf>, plans: AnnotatorPlan[], expiresDays: number, outDir: string, reissueOf: string | null): WrittenPack[] {
  const now = rt.now();
  return writePacks(
    db,
    rt,
    signer,
    {
      projectId: assignment.row.project_id,
      assignmentId: assignment.row.id,
      plans,
      issuedAt: now.toISOString(),
      expiresAt: days(now, expiresDays),
      metaFields: (assignment.params.metaFields ?? []).filter((f) => !HIDDEN_META.has(f)),
      redact: assignment.params.redact ?? 'none',
      suggestions: assignment.params.suggestions ?? false,
      reissueOf,
      fileName: (annotator, packId) => `${safeFileName(annotator) || 'annotator'}-${packId.slice(-6).toLowerCase()}.zip`,
    },
    outDir,
  );
}

/**
 * The unreturned items of an expired pack (not submitted or skipped by its annotator, as merged here),
 * reissued to another annotator who has not seen them, in a pack of the same assignment with the
 * assignment's gold share (gold items they have not had).
 */
export function reissuePack(db: DB, rt: Runtime, signer: Signer, input: { packId: string; annotatorId: string; expiresDays: number; seed?: number }, outDir: string): WrittenPack {
  const pack = db.prepare<[string], { id: string; assignment_id: string; annotator_id: string; expires_at: string; project_id: string }>(
    'SELECT id, assignment_id, annotator_id, expires_at, project_id FROM packs WHERE id = ?',
  ).get(input.packId);
  if (!pack) throw new AppError('NOT_FOUND', `no pack ${input.packId}`, { packId: input.packId });
  if (pack.expires_at > rt.now().toISOString()) throw new AppError('CONFLICT', 'this pack has not expired yet: its annotator may still return it', { packId: pack.id });
  if (pack.annotator_id === input.annotatorId) throw new AppError('VALIDATION', 'reissue the pack to another annotator');
  const open = db
    .prepare(
      `SELECT pi.item_id FROM pack_items pi WHERE pi.pack_id = ? AND pi.is_gold = 0
         AND NOT EXISTS (SELECT 1 FROM annotations a WHERE a.item_id = pi.item_id AND a.annotator_id = ? AND a.status IN ('submitted', 'skipped'))
       ORDER BY pi.local_id`,
    )
    .pluck()
    .all(pack.id, pack.annotator_id) as string[];
  const seen = seenBy(db, input.annotatorId, pack.project_id);
  const items = open.filter((id) => !seen.has(id));
  if (!items.length) throw new AppError('CONFLICT', 'nothing to reissue: every item of the pack was returned (or the new annotator has seen them all)', { packId: pack.id });
  const assignment = assignmentOf(db, pack.assignment_id);
  const rand = mulberry32(input.seed ?? 1);
  const planned = withGold(shuffle(items, rand), goldPool(db, pack.project_id).filter((g) => !seen.has(g)), assignment.params.goldShare ?? 0, rand);
  return writeFollowUp(db, rt, signer, assignment, [{ annotator: input.annotatorId, ...planned }], input.expiresDays, outDir, pack.id)[0]!;
}

/**
 * Overlap topped up where the annotators of an assignment disagree: each item whose submitted
 * intents or sentiment differ goes to one more annotator (of `annotatorIds`) who has not seen it,
 * the least loaded first; one pack per annotator who gets any.
 */
export function topUpDisputed(db: DB, rt: Runtime, signer: Signer, input: { assignmentId: string; annotatorIds: string[]; expiresDays: number; seed?: number }, outDir: string): WrittenPack[] {
  const assignment = assignmentOf(db, input.assignmentId);
  const projectId = assignment.row.project_id;
  const disputed = db
    .prepare(
      `SELECT a.item_id FROM annotations a
       WHERE a.status = 'submitted' AND a.item_id IN (SELECT pi.item_id FROM pack_items pi JOIN packs p ON p.id = pi.pack_id WHERE p.assignment_id = ? AND pi.is_gold = 0)
       GROUP BY a.item_id HAVING count(*) >= 2 AND (count(DISTINCT a.intents_json) > 1 OR count(DISTINCT coalesce(a.sentiment, '')) > 1)
       ORDER BY a.item_id`,
    )
    .pluck()
    .all(input.assignmentId) as string[];
  const seen = new Map(input.annotatorIds.map((id) => [id, seenBy(db, id, projectId)]));
  const rand = mulberry32(input.seed ?? 1);
  const load = new Map(input.annotatorIds.map((id) => [id, [] as string[]]));
  for (const item of disputed) {
    const candidates = input.annotatorIds.filter((id) => !seen.get(id)!.has(item));
    if (!candidates.length) continue;
    candidates.sort((x, y) => load.get(x)!.length - load.get(y)!.length || x.localeCompare(y));
    load.get(candidates[0]!)!.push(item);
  }
  const pool = goldPool(db, projectId);
  const plans: AnnotatorPlan[] = [...load]
    .filter(([, items]) => items.length)
    .map(([annotator, items]) => ({ annotator, ...withGold(shuffle(items, rand), pool.filter((g) => !seen.get(annotator)!.has(g)), assignment.params.goldShare ?? 0, rand) }));
  if (!plans.length) return [];
  return writeFollowUp(db, rt, signer, assignment, plans, input.expiresDays, outDir, null);
}
