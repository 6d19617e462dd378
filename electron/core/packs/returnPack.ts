import { AppError } from '../../../shared/contract/errors';
import type { DB } from '../db/open';
import { findAnnotator } from '../db/repos/annotators';
import type { Runtime } from '../runtime';
import { writeSignedArchive } from './archive';
import { PACK_VERSION, RESULT_FORMAT, type ResultEventLine, type ResultManifestBody, type ResultStateLine } from './format';
import type { Signer } from './keys';

export interface ReturnedWork {
  bytes: Uint8Array;
  events: number;
  packs: number;
}

/**
 * The annotator's result pack for a project: every event of theirs on the items of every pack they
 * opened for it (whatever the source: typed, accepted suggestions, undo), and each item's state,
 * signed with this workstation's key. Returning again later gives a superset.
 */
export function returnWork(db: DB, rt: Runtime, signer: Signer, projectId: string, annotatorName: string): ReturnedWork {
  const annotator = findAnnotator(db, annotatorName);
  if (!annotator) throw new AppError('NOT_FOUND', `no annotator named ${annotatorName} here`, { annotator: annotatorName });
  const packs = db
    .prepare('SELECT pack_id FROM received_packs WHERE project_id = ? AND annotator_id = ? ORDER BY pack_id')
    .pluck()
    .all(projectId, annotator.id) as string[];
  if (!packs.length) throw new AppError('NOT_FOUND', `${annotatorName} has opened no pack of this project`, { annotator: annotatorName });
  const events = db
    .prepare(
      `SELECT r.pack_id AS pack, r.local_id AS item, e.id, e.kind, e.value_json, e.source, e.started_at, e.ended_at, e.action_id, e.reverts_action_id
       FROM received_packs p JOIN received_pack_items r ON r.pack_id = p.pack_id
       JOIN annotation_events e ON e.item_id = r.item_id AND e.annotator_id = p.annotator_id
       WHERE p.project_id = ? AND p.annotator_id = ? ORDER BY e.id`,
    )
    .all(projectId, annotator.id) as (Omit<ResultEventLine, 'value'> & { value_json: string })[];
  const states = db
    .prepare(
      `SELECT r.pack_id AS pack, r.local_id AS item, a.last_event_id, a.intents_source, a.sentiment_source, a.entities_source
       FROM received_packs p JOIN received_pack_items r ON r.pack_id = p.pack_id
       JOIN annotations a ON a.item_id = r.item_id AND a.annotator_id = p.annotator_id
       WHERE p.project_id = ? AND p.annotator_id = ? ORDER BY r.pack_id, r.local_id`,
    )
    .all(projectId, annotator.id) as ResultStateLine[];
  const perPack = new Map(packs.map((p) => [p, 0]));
  const lines = events.map(({ value_json, ...e }) => {
    perPack.set(e.pack, (perPack.get(e.pack) ?? 0) + 1);
    return JSON.stringify({ ...e, value: JSON.parse(value_json) as unknown } satisfies ResultEventLine);
  });
  const manifest: ResultManifestBody = {
    format: RESULT_FORMAT,
    version: PACK_VERSION,
    project_id: projectId,
    annotator: annotator.name,
    signed_at: rt.now().toISOString(),
    packs: [...perPack].map(([pack_id, n]) => ({ pack_id, events: n })),
  };
  const bytes = writeSignedArchive(
    manifest,
    {
      'events.jsonl': lines.join('\n') + (lines.length ? '\n' : ''),
      'states.jsonl': states.map((s) => JSON.stringify(s)).join('\n') + (states.length ? '\n' : ''),
    },
    signer,
  );
  return { bytes, events: events.length, packs: packs.length };
}
