import type { Migration } from './types';

/**
 * Adjudication (see docs/architecture.md, "Adjudication").
 * - `annotators.roles`: a JSON array of 'annotator' | 'reviewer' | 'lead'; one person may hold several.
 * - `project_settings`: per-project settings (blind review, reason codes), a JSON object.
 * - `adjudication_events`: every decision on one field of one item, append-only, by a person
 *   (source 'adjudication', the reviewer, a reason code when it overrides the majority) or by an
 *   automatic policy (source 'auto', the policy and its parameters, the run). Fields: 'intents'
 *   (single-label), 'intents:<label>' (multi-label, value true|false), 'sentiment', and
 *   'entities:<start>-<end>' (one cluster of overlapping spans, value its spans, [] = rejected).
 *   Undo appends an event with `withdraws` set; the field's value then goes back to before.
 * - `adjudications`: the current value per (item, field), kept with the events in one transaction.
 * - `adjudication_items`: the queue: an item with two or more submitted annotations, its state and
 *   its disagreement score; refreshed from the annotation events after `refreshed_seq`.
 * - `guidelines`: the versioned labeling guideline (Markdown) of a project; every annotation event
 *   and adjudication records the version it was made under.
 */
export const migration0007: Migration = {
  version: 7,
  name: 'adjudication',
  sql: `
ALTER TABLE annotators ADD COLUMN roles_json TEXT NOT NULL DEFAULT '["annotator"]';

CREATE TABLE project_settings (
  project_id    TEXT PRIMARY KEY REFERENCES projects(id),
  settings_json TEXT NOT NULL CHECK (json_valid(settings_json)),
  updated_at    TEXT NOT NULL
);

CREATE TABLE adjudication_events (
  seq               INTEGER PRIMARY KEY,
  id                TEXT NOT NULL UNIQUE,
  project_id        TEXT NOT NULL REFERENCES projects(id),
  item_id           TEXT NOT NULL REFERENCES items(id),
  field             TEXT NOT NULL,
  value_json        TEXT NOT NULL CHECK (json_valid(value_json)),
  source            TEXT NOT NULL CHECK (source IN ('adjudication','auto')),
  reviewer_id       TEXT REFERENCES annotators(id),
  policy            TEXT,
  params_json       TEXT,
  run_id            TEXT,
  reason_code       TEXT,
  note              TEXT,
  overrides_majority INTEGER NOT NULL DEFAULT 0,
  guideline_version INTEGER,
  action_id         TEXT,
  withdraws         TEXT,
  created_at        TEXT NOT NULL
);
CREATE INDEX adjudication_events_item ON adjudication_events(item_id, field, seq);
CREATE INDEX adjudication_events_action ON adjudication_events(action_id) WHERE action_id IS NOT NULL;
CREATE INDEX adjudication_events_withdraws ON adjudication_events(withdraws) WHERE withdraws IS NOT NULL;
CREATE INDEX adjudication_events_reviewer ON adjudication_events(project_id, reviewer_id, seq) WHERE reviewer_id IS NOT NULL;
CREATE TRIGGER adjudication_events_no_update BEFORE UPDATE ON adjudication_events
BEGIN SELECT RAISE(ABORT, 'adjudication events are append-only'); END;
CREATE TRIGGER adjudication_events_no_delete BEFORE DELETE ON adjudication_events
BEGIN SELECT RAISE(ABORT, 'adjudication events are append-only'); END;

CREATE TABLE adjudications (
  item_id       TEXT NOT NULL REFERENCES items(id),
  field         TEXT NOT NULL,
  project_id    TEXT NOT NULL REFERENCES projects(id),
  value_json    TEXT NOT NULL CHECK (json_valid(value_json)),
  source        TEXT NOT NULL CHECK (source IN ('adjudication','auto')),
  reviewer_id   TEXT,
  reason_code   TEXT,
  last_event_id TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  PRIMARY KEY (item_id, field)
) WITHOUT ROWID;
CREATE INDEX adjudications_project ON adjudications(project_id, source);

CREATE TABLE adjudication_items (
  item_id     TEXT PRIMARY KEY REFERENCES items(id),
  project_id  TEXT NOT NULL REFERENCES projects(id),
  state       TEXT NOT NULL CHECK (state IN ('disputed','auto','human','flagged')),
  score       REAL NOT NULL,
  uncertainty REAL NOT NULL DEFAULT 0,
  -- tasks whose versions disagree: 1 intents, 2 sentiment, 4 entities
  disputed_tasks INTEGER NOT NULL DEFAULT 0,
  submitted   INTEGER NOT NULL,
  updated_at  TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX adjudication_queue ON adjudication_items(project_id, state, score DESC, uncertainty DESC, item_id);
-- the reviewer's walk: most disagreement first, resolved items skipped on the way
CREATE INDEX adjudication_walk ON adjudication_items(project_id, score DESC, uncertainty DESC, item_id DESC);

CREATE TABLE adjudication_refresh (
  project_id    TEXT PRIMARY KEY REFERENCES projects(id),
  refreshed_seq INTEGER NOT NULL
);

CREATE TABLE guidelines (
  project_id  TEXT NOT NULL REFERENCES projects(id),
  version     INTEGER NOT NULL,
  markdown    TEXT NOT NULL,
  author_id   TEXT REFERENCES annotators(id),
  created_at  TEXT NOT NULL,
  PRIMARY KEY (project_id, version)
) WITHOUT ROWID;

ALTER TABLE annotation_events ADD COLUMN guideline_version INTEGER;

-- Items labeled under an older guideline version, queued by a lead for a re-check.
CREATE TABLE recheck_items (
  project_id        TEXT NOT NULL REFERENCES projects(id),
  item_id           TEXT NOT NULL REFERENCES items(id),
  guideline_version INTEGER NOT NULL,
  queued_at         TEXT NOT NULL,
  done_at           TEXT,
  PRIMARY KEY (project_id, item_id)
) WITHOUT ROWID;
`,
};
