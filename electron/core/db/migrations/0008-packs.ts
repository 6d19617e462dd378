import type { Migration } from './types';

/**
 * Work for offline annotators (see docs/architecture.md, "Packs").
 * Lead's side:
 * - `assignments`: one plan (items, annotators, overlap, gold share, seed, expiry), its parameters.
 * - `packs`: one pack per annotator of an assignment (or a reissue), with its counts and expiry.
 * - `pack_items`: what each pack holds, under pack-local ids (1..n in the annotator's order): the
 *   item and whether it is gold. Only this table knows which pack-local id is which item.
 * - `result_packs`: every result pack merged (by the sha256 of its file), what it added, late or not.
 * - `annotator_keys`: the public key an annotator's result packs are signed with, bound on first merge.
 * Annotator's side:
 * - `received_packs`, `received_pack_items`: packs opened here and their pack-local ids.
 * - `trusted_issuers`: the lead's key per project, pinned when the first pack is opened.
 * - `pack_feedback`: adjudicated values and reasons for the annotator's earlier work, from the lead.
 */
export const migration0008: Migration = {
  version: 8,
  name: 'packs',
  sql: `
CREATE TABLE assignments (
  id          TEXT PRIMARY KEY,
  project_id  TEXT NOT NULL REFERENCES projects(id),
  params_json TEXT NOT NULL CHECK (json_valid(params_json)),
  expires_at  TEXT NOT NULL,
  created_at  TEXT NOT NULL
);

CREATE TABLE packs (
  id            TEXT PRIMARY KEY,
  assignment_id TEXT NOT NULL REFERENCES assignments(id),
  project_id    TEXT NOT NULL REFERENCES projects(id),
  annotator_id  TEXT NOT NULL REFERENCES annotators(id),
  items         INTEGER NOT NULL,
  gold          INTEGER NOT NULL,
  schema_version INTEGER NOT NULL,
  expires_at    TEXT NOT NULL,
  issued_at     TEXT NOT NULL,
  reissue_of    TEXT REFERENCES packs(id)
);
CREATE INDEX packs_assignment ON packs(assignment_id, annotator_id);
CREATE INDEX packs_annotator ON packs(project_id, annotator_id);

CREATE TABLE pack_items (
  pack_id  TEXT NOT NULL REFERENCES packs(id),
  local_id INTEGER NOT NULL,
  item_id  TEXT NOT NULL REFERENCES items(id),
  is_gold  INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (pack_id, local_id)
) WITHOUT ROWID;
CREATE INDEX pack_items_item ON pack_items(item_id);

CREATE TABLE result_packs (
  sha256       TEXT PRIMARY KEY,
  pack_id      TEXT NOT NULL REFERENCES packs(id),
  annotator_id TEXT NOT NULL REFERENCES annotators(id),
  signed_at    TEXT NOT NULL,
  events       INTEGER NOT NULL,
  added        INTEGER NOT NULL,
  late         INTEGER NOT NULL DEFAULT 0,
  merged_at    TEXT NOT NULL
);
CREATE INDEX result_packs_pack ON result_packs(pack_id);

CREATE TABLE annotator_keys (
  annotator_id TEXT PRIMARY KEY REFERENCES annotators(id),
  public_key   TEXT NOT NULL UNIQUE,
  bound_at     TEXT NOT NULL
);

CREATE TABLE received_packs (
  pack_id       TEXT PRIMARY KEY,
  project_id    TEXT NOT NULL REFERENCES projects(id),
  annotator_id  TEXT NOT NULL REFERENCES annotators(id),
  issuer_key    TEXT NOT NULL,
  manifest_json TEXT NOT NULL CHECK (json_valid(manifest_json)),
  expires_at    TEXT NOT NULL,
  opened_at     TEXT NOT NULL
);

CREATE TABLE received_pack_items (
  pack_id  TEXT NOT NULL REFERENCES received_packs(pack_id),
  local_id INTEGER NOT NULL,
  item_id  TEXT NOT NULL REFERENCES items(id),
  PRIMARY KEY (pack_id, local_id)
) WITHOUT ROWID;
CREATE INDEX received_pack_items_item ON received_pack_items(item_id);

CREATE TABLE trusted_issuers (
  project_id TEXT PRIMARY KEY REFERENCES projects(id),
  public_key TEXT NOT NULL,
  pinned_at  TEXT NOT NULL
);

CREATE TABLE pack_feedback (
  pack_id     TEXT NOT NULL REFERENCES received_packs(pack_id),
  seq         INTEGER NOT NULL,
  text        TEXT NOT NULL,
  field       TEXT NOT NULL,
  submitted_json TEXT NOT NULL,
  adjudicated_json TEXT NOT NULL,
  reason_code TEXT,
  reason_label TEXT,
  PRIMARY KEY (pack_id, seq)
) WITHOUT ROWID;
`,
};
