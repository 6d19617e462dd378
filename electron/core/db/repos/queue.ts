import type { QueueFilter } from '../../../../shared/contract/schemas';
import type { DB } from '../open';
import { stmt } from '../statements';

/**
 * The next (or previous) item from a cursor that passes the filter, for one annotator. In import
 * order the default filter (unlabeled) walks the (project_id, ord) index and probes the annotations
 * primary key per item, so it stays fast at a million items. In review order it walks the intent
 * suggestions by priority (high-risk first, then smallest margin), with (priority, ord) as cursor.
 */
export function queueStep(
  db: DB,
  p: { projectId: string; annotatorId: string; afterOrd: number; direction: 'next' | 'prev'; filter: QueueFilter },
): string | null {
  const review = p.filter.order === 'review';
  const priority = review
    ? (stmt<[string, number], { priority: number | null }>(
        db,
        "SELECT s.priority FROM items i JOIN suggestions s ON s.item_id = i.id AND s.kind = 'intents' WHERE i.project_id = ? AND i.ord = ? AND s.priority IS NOT NULL",
      ).get(p.projectId, p.afterOrd)?.priority ?? null)
    : null;
  const row = stmt<[Record<string, unknown>], { id: string }>(db, queueSql(p.direction, p.filter)).get({
    projectId: p.projectId,
    annotatorId: p.annotatorId,
    // Without a cursor item in the review order, start from its beginning (or its end, going back).
    ord: review && priority === null ? (p.direction === 'next' ? 0 : Number.MAX_SAFE_INTEGER) : p.afterOrd,
    priority: priority ?? (p.direction === 'next' ? -1e9 : 1e9),
    label: p.filter.label ?? null,
    minScore: p.filter.minScore ?? 0,
    maxScore: p.filter.maxScore ?? 1,
    search: p.filter.search?.trim() ?? '',
    auditId: p.filter.auditId ?? null,
  });
  return row?.id ?? null;
}

/** The queue query for a direction and filter; parameters @projectId @annotatorId @ord @priority @label @minScore @maxScore @search @auditId. */
export function queueSql(direction: 'next' | 'prev', filter: QueueFilter): string {
  const p = { direction, filter };
  const review = filter.order === 'review';
  const after = direction === 'next' ? '>' : '<';
  const where: string[] = [
    'i.project_id = @projectId',
    review ? `(s.priority ${after} @priority OR (s.priority = @priority AND i.ord ${after} @ord))` : `i.ord ${after} @ord`,
  ];
  const mine = 'SELECT 1 FROM annotations a WHERE a.item_id = i.id AND a.annotator_id = @annotatorId';
  switch (p.filter.status) {
    case 'unlabeled':
      where.push(`NOT EXISTS (${mine} AND a.status != 'draft')`);
      break;
    case 'flagged':
      where.push(`EXISTS (${mine} AND a.flagged = 1)`);
      break;
    case 'skipped':
    case 'submitted':
      where.push(`EXISTS (${mine} AND a.status = '${p.filter.status}')`);
      break;
    case 'recheck':
      // Queued by a lead, submitted by this annotator, and not yet submitted again under the newest guideline.
      where.push(`EXISTS (SELECT 1 FROM recheck_items r WHERE r.project_id = i.project_id AND r.item_id = i.id)`);
      where.push(`EXISTS (${mine} AND a.status = 'submitted')`);
      where.push(`NOT EXISTS (SELECT 1 FROM annotation_events e WHERE e.item_id = i.id AND e.annotator_id = @annotatorId AND e.kind = 'status'
        AND e.guideline_version >= (SELECT max(version) FROM guidelines g WHERE g.project_id = i.project_id))`);
      break;
    case 'all':
      break;
  }
  if (p.filter.label) {
    where.push(`(EXISTS (SELECT 1 FROM annotations a, json_each(a.intents_json) j WHERE a.item_id = i.id AND a.annotator_id = @annotatorId AND j.value = @label)
      OR EXISTS (SELECT 1 FROM suggestions s, json_each(s.value_json) j WHERE s.item_id = i.id AND s.kind = 'intents' AND j.value = @label))`);
  }
  if (p.filter.minScore !== undefined || p.filter.maxScore !== undefined) {
    where.push("EXISTS (SELECT 1 FROM suggestions s WHERE s.item_id = i.id AND s.kind = 'intents' AND s.score BETWEEN @minScore AND @maxScore)");
  }
  if (p.filter.search?.trim()) where.push('instr(lower(i.text), lower(@search)) > 0');
  if (p.filter.auditId) where.push('i.id IN (SELECT j.value FROM audits u, json_each(u.item_ids_json) j WHERE u.id = @auditId)');
  const dir = direction === 'next' ? 'ASC' : 'DESC';
  if (review) {
    return `SELECT i.id FROM suggestions s JOIN items i ON i.id = s.item_id
      WHERE s.kind = 'intents' AND s.priority IS NOT NULL AND ${where.join(' AND ')} ORDER BY s.priority ${dir}, i.ord ${dir} LIMIT 1`;
  }
  return `SELECT i.id FROM items i WHERE ${where.join(' AND ')} ORDER BY i.ord ${dir} LIMIT 1`;
}
