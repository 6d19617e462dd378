import type { DisagreementItem } from '../../../../shared/contract/reports';
import type { DB } from '../../db/open';
import type { ReportScope } from './codes';
import type { ReportData } from './load';

/** Share of an item's annotator pairs (submitted, not gold) that differ in a field; -1 with fewer than two. */
function pairDisagreement(data: ReportData, scope: ReportScope, item: number, field: Int32Array): number {
  let pairs = 0;
  let differ = 0;
  const end = data.itemStart[item + 1]!;
  for (let x = data.itemStart[item]!; x < end; x++) {
    if (scope.column[data.annotator[x]!]! < 0 || !data.submitted[x] || field[x]! < 0) continue;
    for (let y = x + 1; y < end; y++) {
      if (scope.column[data.annotator[y]!]! < 0 || !data.submitted[y] || field[y]! < 0) continue;
      pairs++;
      if (field[x] !== field[y]) differ++;
    }
  }
  return pairs ? differ / pairs : -1;
}

/**
 * The items people disagree on most: per item, the share of disagreeing annotator pairs averaged
 * over intents, sentiment and entities (tasks where the item has a pair); the top `limit`, with
 * each annotator's decision, for the reviewer to open in the labeling queue.
 */
export function mostDisagreedItems(db: DB, data: ReportData, scope: ReportScope, entityDisagreement: Float64Array, limit = 50): DisagreementItem[] {
  const scored: { k: number; score: number; raters: number }[] = [];
  for (let k = 0; k < scope.items.length; k++) {
    const item = scope.items[k]!;
    const parts = [pairDisagreement(data, scope, item, data.intent), pairDisagreement(data, scope, item, data.level), entityDisagreement[k]!].filter(
      (v) => v >= 0,
    );
    if (!parts.length) continue;
    const score = parts.reduce((s, v) => s + v, 0) / parts.length;
    if (score > 0) scored.push({ k, score, raters: data.itemStart[item + 1]! - data.itemStart[item]! });
  }
  scored.sort((a, b) => b.score - a.score || b.raters - a.raters || a.k - b.k);
  const top = scored.slice(0, limit);
  const get = db.prepare('SELECT ord, text FROM items WHERE id = ?');
  return top.map(({ k, score }) => {
    const item = scope.items[k]!;
    const row = get.get(data.itemIds[item]) as { ord: number; text: string };
    const annotations: DisagreementItem['annotations'] = [];
    for (let r = data.itemStart[item]!; r < data.itemStart[item + 1]!; r++) {
      if (scope.column[data.annotator[r]!]! < 0) continue;
      annotations.push({
        annotatorId: data.annotators[data.annotator[r]!]!.id,
        intents: data.intentsOf(r).map((c) => data.intents[c]!),
        sentiment: data.level[r]! >= 0 ? data.levels[data.level[r]!]! : null,
        entities: data.entitiesJson[r] === '[]' ? 0 : (JSON.parse(data.entitiesJson[r]!) as unknown[]).length,
      });
    }
    return { itemId: data.itemIds[item]!, ord: row.ord, text: row.text, disagreement: score, annotations };
  });
}
