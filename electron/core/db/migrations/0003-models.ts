import type { Migration } from './types';

/**
 * The local model: embeddings cached by (model, content hash) so a text is embedded once per model;
 * trained heads as numbered versions per project and task, with their evaluation; project
 * dictionaries for entity suggestions.
 */
export const migration0003: Migration = {
  version: 3,
  name: 'models',
  sql: `
CREATE TABLE embeddings (
  model_id     TEXT NOT NULL,
  content_hash BLOB NOT NULL,
  vector       BLOB NOT NULL,
  PRIMARY KEY (model_id, content_hash)
) WITHOUT ROWID;

CREATE TABLE model_versions (
  id           TEXT PRIMARY KEY,
  project_id   TEXT NOT NULL REFERENCES projects(id),
  task         TEXT NOT NULL CHECK (task IN ('intents', 'sentiment', 'entities')),
  version      INTEGER NOT NULL,
  kind         TEXT NOT NULL,
  embedder     TEXT NOT NULL,
  params_json  TEXT NOT NULL CHECK (json_valid(params_json)),
  weights      BLOB,
  metrics_json TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(metrics_json)),
  trained_on   INTEGER NOT NULL,
  created_at   TEXT NOT NULL,
  UNIQUE (project_id, task, version)
);

-- Machine-wide settings (the model folder the user chose, say), as JSON values.
CREATE TABLE app_settings (
  key        TEXT PRIMARY KEY,
  value_json TEXT NOT NULL CHECK (json_valid(value_json))
) WITHOUT ROWID;

CREATE TABLE dictionary_terms (
  project_id TEXT NOT NULL REFERENCES projects(id),
  term       TEXT NOT NULL,
  label      TEXT NOT NULL,
  PRIMARY KEY (project_id, term, label)
) WITHOUT ROWID;

CREATE INDEX suggestions_model ON suggestions(model_version, item_id);

-- A random sample of the items the model is confident about, checked by a person before the rest
-- of them are accepted in bulk.
CREATE TABLE audits (
  id            TEXT PRIMARY KEY,
  project_id    TEXT NOT NULL REFERENCES projects(id),
  threshold     REAL NOT NULL,
  item_ids_json TEXT NOT NULL CHECK (json_valid(item_ids_json)),
  accepted      INTEGER,
  created_at    TEXT NOT NULL
);

-- Layered review: how much a person is needed on an item. The top-1 minus top-2 probability of its
-- intent suggestion, minus 1 when that intent is high-risk, so risky items come first, then the
-- least certain ones. NULL for suggestions without scores.
ALTER TABLE suggestions ADD COLUMN priority REAL;
CREATE INDEX suggestions_priority ON suggestions(kind, priority) WHERE priority IS NOT NULL;
`,
};
