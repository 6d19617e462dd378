import type { Span } from '../../../shared/domain/spans';
import type { LabelSchema } from '../../../shared/domain/labelSchema';
import type { DB } from '../db/open';
import { stmt } from '../db/statements';
import { saveEntityHeadVersion, type ModelVersionRow } from '../db/repos/modelVersions';
import { fitEntityHeadOffThread } from '../ml/entities/headsWorker';
import { unpadBatch } from '../ml/entities/predictBatch';
import { EntityHeadTrainer, oKeepFor } from '../ml/entities/headTrainer';
import type { BertTokenAligner } from '../ml/entities/tokens';
import type { ModelHost } from '../ml/modelHost';
import type { Runtime } from '../runtime';

/** Fewer labeled spans than this and the token head is not trained: patterns and dictionaries only. */
export const MIN_ENTITY_SPANS = 20;
/** The newest submitted items the head learns from, so a retrain stays within seconds. */
export const MAX_ENTITY_TRAINING_ITEMS = 3000;
const CHUNK = 128;

export interface SpanTrainingItem {
  itemId: string;
  text: string;
  spans: Span[];
}

/**
 * The entity spans of every item someone submitted (an item without spans teaches what is not an
 * entity), for the entity types the schema has; one annotation per item, the most recently
 * updated; the newest `MAX_ENTITY_TRAINING_ITEMS` items, in item order.
 */
export function spanTrainingItems(db: DB, projectId: string, schema: LabelSchema): SpanTrainingItem[] {
  const types = new Set(schema.entities.types.map((t) => t.name));
  const rows = stmt<[string, number], { item_id: string; text: string; entities_json: string }>(
    db,
    `SELECT item_id, text, entities_json FROM (
       SELECT a.item_id, i.text, i.ord, a.entities_json, a.updated_at,
              row_number() OVER (PARTITION BY a.item_id ORDER BY a.updated_at DESC) AS pick
       FROM annotations a JOIN items i ON i.id = a.item_id
       WHERE a.project_id = ? AND a.status = 'submitted'
     ) WHERE pick = 1 ORDER BY updated_at DESC LIMIT ?`,
  ).all(projectId, MAX_ENTITY_TRAINING_ITEMS);
  return rows
    .map((r) => ({
      itemId: r.item_id,
      text: r.text,
      spans: (JSON.parse(r.entities_json) as Span[]).filter((s) => types.has(s.label)).map(({ start, end, label }) => ({ start, end, label })),
    }))
    .reverse();
}

/**
 * Trains the next `entities` version on the annotators' spans: token vectors from the model worker,
 * compact rows stored here, the fit itself in the heads worker, so this thread keeps serving.
 * Null when there are too few labeled spans to learn from.
 */
export async function trainEntityVersion(
  db: DB,
  rt: Runtime,
  host: ModelHost,
  aligner: BertTokenAligner,
  projectId: string,
  schema: LabelSchema,
  signal?: AbortSignal,
): Promise<ModelVersionRow | null> {
  const items = spanTrainingItems(db, projectId, schema);
  const spanCount = items.reduce((n, i) => n + i.spans.length, 0);
  const labels = schema.entities.types.map((t) => t.name).filter((l) => items.some((i) => i.spans.some((s) => s.label === l)));
  if (spanCount < MIN_ENTITY_SPANS || labels.length === 0) return null;

  const oKeep = oKeepFor(
    items.map((i) => ({ tokens: aligner.align(i.text).tokens, spans: i.spans })),
    labels,
  );
  const trainer = new EntityHeadTrainer(labels, { oKeep });
  for (let c = 0; c < items.length; c += CHUNK) {
    const chunk = items.slice(c, c + CHUNK);
    const { batches, order } = await host.embedWithTokens(
      chunk.map((i) => i.text),
      signal,
    );
    let k = 0;
    for (const batch of batches)
      for (const t of unpadBatch(aligner, batch)) trainer.add({ vectors: t.vectors, tokens: t.tokens, spans: chunk[order[k++]!]!.spans });
  }
  const { head, report } = await fitEntityHeadOffThread(trainer.prepare());
  return saveEntityHeadVersion(db, {
    id: rt.newId(),
    projectId,
    embedder: host.modelId,
    head,
    metrics: {
      source: 'supervised',
      labels: labels.length,
      spans: spanCount,
      rows: head.trainedOn.rows,
      iterations: report.iterations,
      fitSeconds: report.seconds,
    },
    trainedOn: items.length,
    now: rt.now().toISOString(),
  });
}
