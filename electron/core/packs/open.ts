import { createHash } from 'node:crypto';
import { AppError } from '../../../shared/contract/errors';
import { LabelSchema } from '../../../shared/domain/labelSchema';
import type { DB } from '../db/open';
import { ensureAnnotator } from '../db/repos/annotators';
import { addItemCount, currentSchema, findProjectByName, insertProject, saveSchemaVersion } from '../db/repos/projects';
import { writeTransaction } from '../db/write';
import type { Runtime } from '../runtime';
import { openSignedArchive, type SignedManifest } from './archive';
import { PACK_FORMAT, type PackFeedbackLine, type PackItemLine, type PackManifestBody } from './format';
import { fingerprint } from './keys';

export type PackManifest = SignedManifest & PackManifestBody;

export interface OpenedPack {
  projectId: string;
  project: string;
  packId: string;
  items: number;
  /** False when this pack was opened here before (nothing was added). */
  added: boolean;
  expiresAt: string;
}

const refuse = (reason: string, kind: string) => new AppError('BAD_FILE', reason, { reason: kind });

function jsonLines<T>(text: string): T[] {
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);
}

/**
 * Opens a pack on the annotator's workstation: verifies its signature, pins the lead's key for the
 * project on first use (a pack of the same project signed by another key is refused), refuses an
 * expired pack or one made for someone else, and adds its items to the project (created with the
 * lead's id, name and schema) under new ids, remembering each pack-local id. Opening it again adds nothing.
 */
export function openPack(db: DB, rt: Runtime, bytes: Uint8Array, annotatorName: string): OpenedPack {
  const archive = openSignedArchive<PackManifest>(bytes, PACK_FORMAT);
  const m = archive.manifest;
  const now = rt.now().toISOString();
  if (m.annotator !== annotatorName) throw refuse(`this pack was made for ${m.annotator}, not ${annotatorName}`, 'other-annotator');
  if (m.expires_at <= now) throw refuse(`this pack expired on ${m.expires_at.slice(0, 10)}: ask your lead for a new one`, 'expired');
  const pinned = db.prepare('SELECT public_key FROM trusted_issuers WHERE project_id = ?').pluck().get(m.project.id) as string | undefined;
  if (pinned && pinned !== m.signer) {
    throw refuse(
      `this pack of project "${m.project.name}" is signed by key ${fingerprint(m.signer)}, but earlier packs came from key ${fingerprint(pinned)}: it did not come from your lead; nothing was opened`,
      'issuer-changed',
    );
  }
  const schema = LabelSchema.parse(JSON.parse(archive.text('schema.json')));
  const items = jsonLines<PackItemLine>(archive.text('items.jsonl'));
  const suggestions = archive.has('suggestions.jsonl') ? jsonLines<{ item: number; kind: string; value: unknown; score: number | null; model: string }>(archive.text('suggestions.jsonl')) : [];
  const feedback = archive.has('feedback.jsonl') ? jsonLines<PackFeedbackLine>(archive.text('feedback.jsonl')) : [];
  if (items.length !== m.counts.items) throw refuse(`the pack says ${m.counts.items} items but holds ${items.length}`, 'tampered');

  return writeTransaction(db, () => {
    const seen = db.prepare('SELECT project_id FROM received_packs WHERE pack_id = ?').pluck().get(m.pack_id) as string | undefined;
    if (seen) return { projectId: seen, project: m.project.name, packId: m.pack_id, items: items.length, added: false, expiresAt: m.expires_at };
    const annotator = ensureAnnotator(db, annotatorName, rt.newId, now);
    const exists = db.prepare('SELECT 1 FROM projects WHERE id = ?').pluck().get(m.project.id);
    if (!exists) {
      const taken = findProjectByName(db, m.project.name);
      const name = taken ? `${m.project.name} (${fingerprint(m.signer).slice(0, 6)})` : m.project.name;
      insertProject(db, { id: m.project.id, name, description: '', schema, now });
    } else if (JSON.stringify(currentSchema(db, m.project.id)) !== JSON.stringify(schema)) {
      saveSchemaVersion(db, m.project.id, schema, now);
    }
    if (!pinned) db.prepare('INSERT INTO trusted_issuers (project_id, public_key, pinned_at) VALUES (?, ?, ?)').run(m.project.id, m.signer, now);
    if (m.guideline_version !== null) {
      db.prepare('INSERT OR IGNORE INTO guidelines (project_id, version, markdown, author_id, created_at) VALUES (?, ?, ?, NULL, ?)').run(
        m.project.id,
        m.guideline_version,
        archive.text('guideline.md'),
        now,
      );
    }
    db.prepare('INSERT INTO received_packs (pack_id, project_id, annotator_id, issuer_key, manifest_json, expires_at, opened_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
      m.pack_id,
      m.project.id,
      annotator.id,
      m.signer,
      JSON.stringify(m),
      m.expires_at,
      now,
    );
    let ord = (db.prepare('SELECT coalesce(max(ord), 0) FROM items WHERE project_id = ?').pluck().get(m.project.id) as number) + 1;
    const insertItem = db.prepare(
      `INSERT INTO items (id, project_id, ord, content_hash, text, meta_json, external_id, is_gold, source_file, source_line, created_at)
       VALUES (?, ?, ?, ?, ?, ?, NULL, 0, ?, ?, ?)`,
    );
    const remember = db.prepare('INSERT INTO received_pack_items (pack_id, local_id, item_id) VALUES (?, ?, ?)');
    for (const line of items) {
      const id = rt.newId();
      // A pack's texts may repeat after redaction: the hash names the pack's item, not its text.
      const hash = createHash('sha256').update(`pack:${m.pack_id}:${line.id}`).digest();
      const meta = line.context ? { ...line.meta, context: line.context } : line.meta;
      insertItem.run(id, m.project.id, ord++, hash, line.text, JSON.stringify(meta), `pack:${packLabel(m)}`, line.id, now);
      remember.run(m.pack_id, line.id, id);
    }
    addItemCount(db, m.project.id, items.length);
    const local = new Map<number, string>();
    for (const r of db.prepare('SELECT local_id, item_id FROM received_pack_items WHERE pack_id = ?').all(m.pack_id) as { local_id: number; item_id: string }[]) local.set(r.local_id, r.item_id);
    const suggest = db.prepare('INSERT INTO suggestions (id, item_id, kind, value_json, score, model_version, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
    for (const s of suggestions) {
      const itemId = local.get(s.item);
      // The lead's model, by name: the annotator accepts or fixes it like the local model's.
      if (itemId && (s.kind === 'intents' || s.kind === 'sentiment')) suggest.run(rt.newId(), itemId, s.kind, JSON.stringify(s.value), s.score, `lead:${s.model}`, now);
    }
    const fb = db.prepare(
      'INSERT INTO pack_feedback (pack_id, seq, text, field, submitted_json, adjudicated_json, reason_code, reason_label) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    feedback.forEach((f, i) => fb.run(m.pack_id, i, f.text, f.field, JSON.stringify(f.yours), JSON.stringify(f.adjudicated), f.reason_code, f.reason));
    return { projectId: m.project.id, project: m.project.name, packId: m.pack_id, items: items.length, added: true, expiresAt: m.expires_at };
  });
}

/** How a pack's items name their source file: the pack, by its issue date. */
function packLabel(m: PackManifest): string {
  return `${m.issued_at.slice(0, 10)}-${m.pack_id.slice(-6)}`;
}
