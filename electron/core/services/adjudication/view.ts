import { createHash } from 'node:crypto';
import type { AdjudicationField, AdjudicationItem } from '../../../../shared/contract/adjudication';
import { AppError } from '../../../../shared/contract/errors';
import type { DB } from '../../db/open';
import { currentSchema } from '../../db/repos/projects';
import { stmt } from '../../db/statements';
import { buildFields, disagreementOf } from './fields';
import { currentDecisions, stateFromEvents } from './events';
import { currentGuidelineVersion, loadAdjudicationSettings } from './settings';
import { loadVersions } from './versions';

/** A permutation of 0..n-1 fixed by the item and the reviewer: the same order every time this reviewer opens it. */
export function blindOrder(n: number, itemId: string, reviewerId: string): number[] {
  const order = [...Array(n).keys()];
  const seed = createHash('sha256').update(`${itemId}\u0000${reviewerId}`).digest();
  for (let i = n - 1; i > 0; i--) {
    const j = seed.readUInt32BE((i * 4) % 28) % (i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

const tag = (i: number): string => (i < 26 ? String.fromCharCode(65 + i) : `V${i + 1}`);

/**
 * An item as the reviewer sees it: each version (in blind mode shuffled, with no annotator's name
 * or id), and each field with its distinct values, agreement, majority, pre-fill and decision.
 */
export function adjudicationItem(db: DB, projectId: string, itemId: string, reviewerId: string): AdjudicationItem {
  const item = stmt<[string], { project_id: string; ord: number; text: string }>(db, 'SELECT project_id, ord, text FROM items WHERE id = ?').get(itemId);
  if (!item || item.project_id !== projectId) throw new AppError('NOT_FOUND', `no item ${itemId} in this project`, { itemId });
  const schema = currentSchema(db, projectId);
  const { blind } = loadAdjudicationSettings(db, projectId);
  const stored = loadVersions(db, itemId);
  const order = blind ? blindOrder(stored.length, itemId, reviewerId) : [...stored.keys()];
  const versions = order.map((i) => stored[i]!);
  const built = buildFields(versions, schema);
  const decided = currentDecisions(db, itemId);
  const fields: AdjudicationField[] = built.map((f) => {
    const d = decided.get(f.field) ?? null;
    const top = f.options[0];
    const uniqueTop = top && (f.options[1]?.versions.length ?? 0) < top.versions.length ? top.value : undefined;
    const prefill = d?.value ?? f.majority ?? uniqueTop;
    return {
      field: f.field,
      task: f.task,
      label: f.label,
      extent: f.extent,
      options: f.options,
      agreement: f.agreement,
      ...(prefill !== undefined ? { prefill } : {}),
      ...(f.majority !== undefined ? { majority: f.majority } : {}),
      decided: d ? { value: d.value, source: d.source, reasonCode: d.reasonCode, policy: d.policy } : null,
    };
  });
  // Fields a reviewer decided that no version has (a span added where nobody marked one).
  for (const [field, d] of decided) {
    if (built.some((f) => f.field === field) || !field.startsWith('entities:')) continue;
    const [start, end] = field.slice(9).split('-').map(Number) as [number, number];
    fields.push({ field, task: 'entities', label: null, extent: { start, end }, options: [], agreement: 1, prefill: d.value, decided: { value: d.value, source: d.source, reasonCode: d.reasonCode, policy: d.policy } });
  }
  const row = stmt<[string], { state: AdjudicationItem['state']; score: number }>(db, 'SELECT state, score FROM adjudication_items WHERE item_id = ?').get(itemId);
  return {
    itemId,
    ord: item.ord,
    text: item.text,
    state: row?.state ?? stateFromEvents(db, itemId, versions.some((v) => v.flagged)),
    score: row?.score ?? disagreementOf(built, versions.length).score,
    blind,
    versions: versions.map((v, i) => ({
      tag: tag(i),
      ...(blind ? {} : { annotator: { id: v.annotatorId, name: v.annotatorName } }),
      intents: v.intents,
      sentiment: v.sentiment,
      entities: v.entities,
    })),
    fields,
    guidelineVersion: currentGuidelineVersion(db, projectId),
  };
}
