import type { Migration } from './types';

/**
 * Exact provenance (see docs/architecture.md, "Provenance").
 * - `annotation_events.prev_source`: for intents, sentiment and entities events, the field's source
 *   in the annotation state before the event ('none' when the field had none), so undo restores the
 *   source along with the value. NULL for flag and status events (the state keeps no source for
 *   them) and for every event written before this migration: undo then takes the source of the
 *   field's previous event, which is exactly what the state held under the earlier code.
 * - `suggestion_reviews`: an annotator's rejection of a suggestion (a span of an entities
 *   suggestion, or a whole intents or sentiment suggestion), append-only like the events. Undo
 *   appends a 'withdrawn' row; a value is rejected while its latest row says 'rejected'.
 * - `audits.action_id`: the one action of a bulk acceptance, so undo and redo of that action keep
 *   the audit's `accepted` in step.
 */
export const migration0006: Migration = {
  version: 6,
  name: 'provenance',
  sql: `
-- No CHECK: adding a column with one makes SQLite read every existing event (2.7 s a million);
-- appendEvent alone writes it, with a source name or 'none'.
ALTER TABLE annotation_events ADD COLUMN prev_source TEXT;

CREATE TABLE suggestion_reviews (
  seq               INTEGER PRIMARY KEY,
  id                TEXT NOT NULL UNIQUE,
  project_id        TEXT NOT NULL REFERENCES projects(id),
  item_id           TEXT NOT NULL REFERENCES items(id),
  annotator_id      TEXT NOT NULL REFERENCES annotators(id),
  -- not a foreign key: a later pre-labeling run replaces an item's suggestions, the review stays
  suggestion_id     TEXT NOT NULL,
  model_version     TEXT NOT NULL,
  field             TEXT NOT NULL CHECK (field IN ('intents','entities','sentiment')),
  -- what was rejected: one span of an entities suggestion, else the suggestion's whole value
  value_json        TEXT NOT NULL CHECK (json_valid(value_json)),
  decision          TEXT NOT NULL CHECK (decision IN ('rejected','withdrawn')),
  action_id         TEXT,
  reverts_action_id TEXT,
  started_at        TEXT,
  at                TEXT NOT NULL
);
CREATE INDEX suggestion_reviews_item ON suggestion_reviews(item_id, annotator_id, field, value_json, seq);
CREATE INDEX suggestion_reviews_action ON suggestion_reviews(action_id) WHERE action_id IS NOT NULL;
CREATE TRIGGER suggestion_reviews_no_update BEFORE UPDATE ON suggestion_reviews
BEGIN SELECT RAISE(ABORT, 'suggestion reviews are append-only'); END;
CREATE TRIGGER suggestion_reviews_no_delete BEFORE DELETE ON suggestion_reviews
BEGIN SELECT RAISE(ABORT, 'suggestion reviews are append-only'); END;

ALTER TABLE audits ADD COLUMN action_id TEXT;
`,
};
