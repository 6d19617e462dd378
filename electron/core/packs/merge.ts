import { createHash } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../../../shared/contract/errors';
import { AnnotationChange, AnnotationSource } from '../../../shared/domain/annotation';
import type { DB } from '../db/open';
import { appendEvent } from '../db/repos/annotations';
import { writeTransaction } from '../db/write';
import type { Runtime } from '../runtime';
import { openSignedArchive, type SignedManifest } from './archive';
import { RESULT_FORMAT, type ResultManifestBody, type ResultStateLine } from './format';
import { fingerprint } from './keys';
import { FreshPairWriter, type ReplayEvent } from './replay';

type ResultManifest = SignedManifest & ResultManifestBody;

const Ulid = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'not a ULID');
const EventLine = z.intersection(
  AnnotationChange,
  z.object({
    pack: Ulid,
    item: z.number().int().positive(),
    id: Ulid,
    source: AnnotationSource,
    started_at: z.string().max(40).nullable(),
    ended_at: z.string().min(1).max(40),
    action_id: z.string().max(64).nullable(),
    reverts_action_id: z.string().max(64).nullable(),
  }),
);
type EventLine = z.infer<typeof EventLine>;

export interface MergeFile {
  name: string;
  bytes: Uint8Array;
}

export interface MergeResult {
  merged_events: number;
  already_had: number;
  refused: { file: string; reason: string }[];
  packs: { file: string; annotator: string; events: number; added: number; late: boolean }[];
}

interface PackRow {
  id: string;
  project_id: string;
  annotator_id: string;
  annotator: string;
  schema_version: number;
  expires_at: string;
}

class Refused extends Error {}

function replayEvent(e: EventLine): ReplayEvent {
  return {
    id: e.id,
    change: { kind: e.kind, value: e.value } as AnnotationChange,
    source: e.source,
    startedAt: e.started_at,
    endedAt: e.ended_at,
    actionId: e.action_id,
    revertsActionId: e.reverts_action_id,
  };
}

function lines(text: string): string[] {
  return text.split('\n').filter((l) => l.trim());
}

/**
 * Merges result packs into the lead's database. Each file is verified (signature, hashes), must
 * answer packs issued here to the annotator it names, be signed by that annotator's key (bound on
 * the first merge) and made before the pack expired; each event must be on an item of that pack.
 * Events go in by their ULIDs, in ULID order, in one transaction per file: merging is idempotent
 * (a pack or event seen before adds nothing) and the order of packs does not change the result.
 * A refused file writes nothing; a pack merged after its expiry is kept and marked late.
 */
export interface MergeOptions {
  /** Every event through appendEvent, as labeling writes them (the reference the fast path is tested against). */
  eventByEvent?: boolean;
}

export function mergeResultPacks(db: DB, rt: Runtime, files: readonly MergeFile[], options: MergeOptions = {}): MergeResult {
  const out: MergeResult = { merged_events: 0, already_had: 0, refused: [], packs: [] };
  for (const file of files) {
    try {
      const r = mergeOne(db, rt, file, options);
      out.merged_events += r.added;
      out.already_had += r.events - r.added;
      out.packs.push({ file: file.name, ...r });
    } catch (error) {
      if (error instanceof Refused || error instanceof AppError) out.refused.push({ file: file.name, reason: error.message });
      else throw error;
    }
  }
  return out;
}

function mergeOne(db: DB, rt: Runtime, file: MergeFile, options: MergeOptions): { annotator: string; events: number; added: number; late: boolean } {
  const sha256 = createHash('sha256').update(file.bytes).digest('hex');
  const archive = openSignedArchive<ResultManifest>(file.bytes, RESULT_FORMAT);
  const m = archive.manifest;
  const events: EventLine[] = lines(archive.text('events.jsonl')).map((l, i) => {
    let raw: unknown;
    try {
      raw = JSON.parse(l);
    } catch {
      throw new Refused(`events.jsonl line ${i + 1}: not JSON`);
    }
    const parsed = EventLine.safeParse(raw);
    if (!parsed.success) throw new Refused(`events.jsonl line ${i + 1}: ${parsed.error.issues[0]!.path.join('.')}: ${parsed.error.issues[0]!.message}`);
    return parsed.data;
  });
  const states = lines(archive.text('states.jsonl')).map((l) => JSON.parse(l) as ResultStateLine);
  const seenBefore = db.prepare('SELECT 1 FROM result_packs WHERE sha256 = ?').pluck().get(sha256);
  if (seenBefore) return { annotator: m.annotator, events: events.length, added: 0, late: false };

  const now = rt.now().toISOString();
  const packs = new Map<string, PackRow>();
  const packRow = db.prepare<[string], PackRow>(
    'SELECT p.id, p.project_id, p.annotator_id, a.name AS annotator, p.schema_version, p.expires_at FROM packs p JOIN annotators a ON a.id = p.annotator_id WHERE p.id = ?',
  );
  for (const { pack_id, events: n } of m.packs ?? []) {
    const p = packRow.get(pack_id);
    if (!p) throw new Refused(`pack ${pack_id} was not issued from this workstation (a foreign pack)`);
    if (p.project_id !== m.project_id) throw new Refused(`pack ${pack_id} belongs to another project`);
    if (p.annotator !== m.annotator) throw new Refused(`pack ${pack_id} was issued to ${p.annotator}, but this result pack is from ${m.annotator}`);
    if (m.signed_at > p.expires_at) throw new Refused(`made on ${m.signed_at.slice(0, 10)}, after pack ${pack_id} expired on ${p.expires_at.slice(0, 10)}`);
    if (events.filter((e) => e.pack === pack_id).length !== n) throw new Refused(`the manifest counts ${n} events for pack ${pack_id}, the file holds another number`);
    packs.set(pack_id, p);
  }
  if (!packs.size) throw new Refused('the result pack answers no pack');
  const annotatorId = [...packs.values()][0]!.annotator_id;
  const itemOf = db.prepare<[string, number], { item_id: string }>('SELECT item_id FROM pack_items WHERE pack_id = ? AND local_id = ?');
  const resolved = events.map((e) => {
    const pack = packs.get(e.pack);
    if (!pack) throw new Refused(`an event names pack ${e.pack}, which the manifest does not list`);
    const row = itemOf.get(e.pack, e.item);
    if (!row) throw new Refused(`an event is on item ${e.item}, which is not in pack ${e.pack}`);
    return { e, pack, itemId: row.item_id };
  });
  resolved.sort((a, b) => (a.e.id < b.e.id ? -1 : a.e.id > b.e.id ? 1 : 0));
  const late = [...packs.values()].some((p) => now > p.expires_at);

  return writeTransaction(db, () => {
    const bound = db.prepare('SELECT public_key FROM annotator_keys WHERE annotator_id = ?').pluck().get(annotatorId) as string | undefined;
    if (bound && bound !== m.signer) {
      throw new Refused(`signed by key ${fingerprint(m.signer)}, but ${m.annotator}'s result packs are signed by key ${fingerprint(bound)}`);
    }
    if (!bound) {
      const other = db.prepare('SELECT a.name FROM annotator_keys k JOIN annotators a ON a.id = k.annotator_id WHERE k.public_key = ?').pluck().get(m.signer) as string | undefined;
      if (other) throw new Refused(`signed by the key of ${other}, not of ${m.annotator}`);
      db.prepare('INSERT INTO annotator_keys (annotator_id, public_key, bound_at) VALUES (?, ?, ?)').run(annotatorId, m.signer, now);
    }
    const existing = db.prepare<[string], { annotator_id: string; item_id: string }>('SELECT annotator_id, item_id FROM annotation_events WHERE id = ?');
    const hasState = db.prepare('SELECT 1 FROM annotations WHERE item_id = ? AND annotator_id = ?').pluck();
    let added = 0;
    // An item this annotator has no state on here takes all its events at once (the common first merge);
    // the rest go event by event, skipping what is here already.
    const fresh = new FreshPairWriter(db);
    const byItem = new Map<string, typeof resolved>();
    for (const r of resolved) {
      let list = byItem.get(r.itemId);
      if (!list) byItem.set(r.itemId, (list = []));
      list.push(r);
    }
    const slow: typeof resolved = [];
    for (const [itemId, list] of byItem) {
      if (options.eventByEvent || hasState.get(itemId, annotatorId) || list.some((r) => existing.get(r.e.id))) {
        slow.push(...list);
        continue;
      }
      fresh.write({ projectId: list[0]!.pack.project_id, itemId, annotatorId, schemaVersion: list[0]!.pack.schema_version, events: list.map((r) => replayEvent(r.e)) });
      added += list.length;
    }
    fresh.finish();
    for (const { e, pack, itemId } of slow) {
      const had = existing.get(e.id);
      if (had) {
        if (had.annotator_id !== annotatorId || had.item_id !== itemId) throw new Refused(`event ${e.id} is already here for another item or annotator`);
        continue;
      }
      appendEvent(db, {
        id: e.id,
        projectId: pack.project_id,
        itemId,
        annotatorId,
        change: { kind: e.kind, value: e.value } as AnnotationChange,
        source: e.source,
        schemaVersion: pack.schema_version,
        startedAt: e.started_at,
        endedAt: e.ended_at,
        actionId: e.action_id,
        revertsActionId: e.reverts_action_id,
      });
      added++;
    }
    // Each field's source as the annotator's state has it (an undo restores a source the event alone does not carry).
    const setSources = db.prepare(
      'UPDATE annotations SET intents_source = ?, sentiment_source = ?, entities_source = ? WHERE item_id = ? AND annotator_id = ? AND last_event_id = ?',
    );
    for (const s of states) {
      const row = packs.has(s.pack) ? itemOf.get(s.pack, s.item) : undefined;
      if (row) setSources.run(s.intents_source, s.sentiment_source, s.entities_source, row.item_id, annotatorId, s.last_event_id);
    }
    db.prepare('INSERT INTO result_packs (sha256, pack_id, annotator_id, signed_at, events, added, late, merged_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
      sha256,
      [...packs.keys()][0],
      annotatorId,
      m.signed_at,
      events.length,
      added,
      late ? 1 : 0,
      now,
    );
    return { annotator: m.annotator, events: events.length, added, late };
  });
}
