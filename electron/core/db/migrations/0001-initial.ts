import type { Migration } from './types';

/**
 * Projects with a versioned label schema, items, annotators, the append-only annotation events,
 * the current annotation state derived from them, suggestions and import runs.
 */
export const migration0001: Migration = {
  version: 1,
  name: 'initial',
  sql: `
CREATE TABLE projects (
  id             TEXT PRIMARY KEY,
  name           TEXT NOT NULL UNIQUE,
  description    TEXT NOT NULL DEFAULT '',
  schema_version INTEGER NOT NULL,
  item_count     INTEGER NOT NULL DEFAULT 0,
  -- items with at least one annotation; kept by appendEvent in the event's transaction
  annotated_count INTEGER NOT NULL DEFAULT 0,
  created_at     TEXT NOT NULL
);

CREATE TABLE label_schemas (
  project_id  TEXT NOT NULL REFERENCES projects(id),
  version     INTEGER NOT NULL,
  schema_json TEXT NOT NULL CHECK (json_valid(schema_json)),
  created_at  TEXT NOT NULL,
  PRIMARY KEY (project_id, version)
) WITHOUT ROWID;

CREATE TABLE imports (
  id          TEXT PRIMARY KEY,
  project_id  TEXT NOT NULL REFERENCES projects(id),
  file        TEXT NOT NULL,
  format      TEXT NOT NULL,
  encoding    TEXT,
  state       TEXT NOT NULL CHECK (state IN ('running','needs-decision','committed','discarded','cancelled','failed')),
  summary_json TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(summary_json)),
  started_at  TEXT NOT NULL,
  finished_at TEXT
);

-- seq is the rowid; ord numbers a project's items 1..n without gaps, so a page of the item table
-- at any offset is an index range, not a scan.
CREATE TABLE items (
  seq          INTEGER PRIMARY KEY,
  id           TEXT NOT NULL UNIQUE,
  project_id   TEXT NOT NULL REFERENCES projects(id),
  ord          INTEGER NOT NULL,
  content_hash BLOB NOT NULL,
  text         TEXT NOT NULL,
  meta_json    TEXT NOT NULL DEFAULT '{}',
  external_id  TEXT,
  is_gold      INTEGER NOT NULL DEFAULT 0,
  source_file  TEXT,
  source_line  INTEGER,
  import_id    TEXT REFERENCES imports(id),
  created_at   TEXT NOT NULL
);
CREATE UNIQUE INDEX items_project_ord ON items(project_id, ord);
CREATE UNIQUE INDEX items_project_hash ON items(project_id, content_hash);

CREATE TABLE annotators (
  id         TEXT PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL
);

-- Every human decision, append-only. value_json holds the field's complete new value.
CREATE TABLE annotation_events (
  seq            INTEGER PRIMARY KEY,
  id             TEXT NOT NULL UNIQUE,
  project_id     TEXT NOT NULL REFERENCES projects(id),
  item_id        TEXT NOT NULL REFERENCES items(id),
  annotator_id   TEXT NOT NULL REFERENCES annotators(id),
  kind           TEXT NOT NULL CHECK (kind IN ('intents','entities','sentiment','flag','status')),
  value_json     TEXT NOT NULL CHECK (json_valid(value_json)),
  source         TEXT NOT NULL CHECK (source IN ('manual','accepted-suggestion','edited-suggestion','adjudication','import')),
  schema_version INTEGER NOT NULL,
  started_at     TEXT,
  ended_at       TEXT NOT NULL,
  import_id      TEXT REFERENCES imports(id)
);
CREATE INDEX annotation_events_item ON annotation_events(item_id, annotator_id);
CREATE TRIGGER annotation_events_no_update BEFORE UPDATE ON annotation_events
BEGIN SELECT RAISE(ABORT, 'annotation events are append-only'); END;
CREATE TRIGGER annotation_events_no_delete BEFORE DELETE ON annotation_events
BEGIN SELECT RAISE(ABORT, 'annotation events are append-only'); END;

-- Current state per (item, annotator), derived from the events in the same transaction.
CREATE TABLE annotations (
  item_id       TEXT NOT NULL REFERENCES items(id),
  annotator_id  TEXT NOT NULL REFERENCES annotators(id),
  project_id    TEXT NOT NULL REFERENCES projects(id),
  intents_json  TEXT NOT NULL DEFAULT '[]',
  entities_json TEXT NOT NULL DEFAULT '[]',
  sentiment     TEXT,
  flagged       INTEGER NOT NULL DEFAULT 0,
  note          TEXT NOT NULL DEFAULT '',
  status        TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','submitted','skipped')),
  last_event_id TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  PRIMARY KEY (item_id, annotator_id)
) WITHOUT ROWID;
CREATE INDEX annotations_project ON annotations(project_id, annotator_id);

CREATE TABLE suggestions (
  id            TEXT PRIMARY KEY,
  item_id       TEXT NOT NULL REFERENCES items(id),
  kind          TEXT NOT NULL CHECK (kind IN ('intents','entities','sentiment')),
  value_json    TEXT NOT NULL CHECK (json_valid(value_json)),
  score         REAL,
  scores_json   TEXT,
  model_version TEXT NOT NULL,
  created_at    TEXT NOT NULL
);
CREATE INDEX suggestions_item ON suggestions(item_id, kind);
`,
};
