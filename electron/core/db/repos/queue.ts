import type { QueueFilter } from '../../../../shared/contract/schemas';
import type { DB } from '../open';
import { stmt } from '../statements';

/**
 * The next (or previous) item in import order from a cursor that passes the filter, for one
 * annotator. The default filter (unlabeled) walks the (project_id, ord) index and probes the
 * annotations primary key per item, so it stays fast at a million items.
 */
export function queueStep(
  db: DB,
  p: { projectId: string; annotatorId: string; afterOrd: number; direction: 'next' | 'prev'; filter: QueueFilter },
): string | null {
  const row = stmt<[Record<string, unknown>], { id: string }>(db, queueSql(p.direction, p.filter)).get({
    projectId: p.projectId,
    annotatorId: p.annotatorId,
    ord: p.afterOrd,
    label: p.filter.label ?? null,
    minScore: p.filter.minScore ?? 0,
    maxScore: p.filter.maxScore ?? 1,
    search: p.filter.search?.trim() ?? '',
  });
  return row?.id ?? null;
}

/** The queue query for a direction and filter; parameters @projectId @annotatorId @ord @label @minScore @maxScore @search. */
export function queueSql(direction: 'next' | 'prev', filter: QueueFilter): string {
  const p = { direction, filter };
  const where: string[] = ['i.project_id = @projectId', p.direction === 'next' ? 'i.ord > @ord' : 'i.ord < @ord'];
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
  return `SELECT i.id FROM items i WHERE ${where.join(' AND ')} ORDER BY i.ord ${p.direction === 'next' ? 'ASC' : 'DESC'} LIMIT 1`;
}
