import type { Migration } from './types';

/**
 * The labeling workspace: each event remembers the value it replaced and the user action it belongs
 * to, so undo and redo are new events and survive a restart; a per-annotator history of actions;
 * per-annotator counters of submitted items; annotator settings (key remapping).
 */
export const migration0002: Migration = {
  version: 2,
  name: 'labeling',
  sql: `
-- Profiles people pick at start are 'local'; names that came in with imported labels are 'import'.
ALTER TABLE annotators ADD COLUMN origin TEXT NOT NULL DEFAULT 'local' CHECK (origin IN ('local', 'import'));
UPDATE annotators SET origin = 'import' WHERE id IN (SELECT annotator_id FROM annotation_events WHERE source = 'import');
ALTER TABLE annotation_events ADD COLUMN action_id TEXT;
-- The field's value before this event (JSON); NULL when the annotation did not exist yet.
ALTER TABLE annotation_events ADD COLUMN prev_value_json TEXT;
-- For undo and redo events: the action they revert or re-apply.
ALTER TABLE annotation_events ADD COLUMN reverts_action_id TEXT;
CREATE INDEX annotation_events_annotator ON annotation_events(annotator_id, seq);
CREATE INDEX annotation_events_action ON annotation_events(action_id) WHERE action_id IS NOT NULL;

-- The earlier turns of a dialogue, shown as context while labeling one turn.
CREATE INDEX items_dialogue ON items(project_id, json_extract(meta_json, '$.dialogue_id'), ord)
  WHERE json_extract(meta_json, '$.dialogue_id') IS NOT NULL;

-- One row per user action (a label, a span, accept-all …); undo walks it backwards.
CREATE TABLE actions (
  seq          INTEGER PRIMARY KEY,
  id           TEXT NOT NULL UNIQUE,
  project_id   TEXT NOT NULL REFERENCES projects(id),
  annotator_id TEXT NOT NULL REFERENCES annotators(id),
  item_id      TEXT NOT NULL REFERENCES items(id),
  state        TEXT NOT NULL CHECK (state IN ('done','undone','dropped')),
  created_at   TEXT NOT NULL
);
CREATE INDEX actions_history ON actions(annotator_id, project_id, state, seq);

CREATE TABLE annotator_progress (
  project_id   TEXT NOT NULL REFERENCES projects(id),
  annotator_id TEXT NOT NULL REFERENCES annotators(id),
  submitted    INTEGER NOT NULL DEFAULT 0,
  skipped      INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (project_id, annotator_id)
) WITHOUT ROWID;
INSERT INTO annotator_progress (project_id, annotator_id, submitted, skipped)
  SELECT project_id, annotator_id, sum(status = 'submitted'), sum(status = 'skipped') FROM annotations GROUP BY project_id, annotator_id;

CREATE TABLE annotator_settings (
  annotator_id  TEXT PRIMARY KEY REFERENCES annotators(id),
  settings_json TEXT NOT NULL CHECK (json_valid(settings_json)),
  updated_at    TEXT NOT NULL
);
`,
};
