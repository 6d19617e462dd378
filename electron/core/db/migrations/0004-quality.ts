import type { Migration } from './types';

/**
 * What quality reports need from each annotation, kept with it so a report reads one row per
 * annotation instead of replaying the event log: where each field's value came from (typed,
 * accepted suggestion, adjudication, import), how often and when it was submitted, the decision at
 * the first submit (for self-consistency), and the time spent on it. Existing rows are filled from
 * their events.
 */
export const migration0004: Migration = {
  version: 4,
  name: 'quality',
  sql: `
ALTER TABLE annotations ADD COLUMN intents_source TEXT;
ALTER TABLE annotations ADD COLUMN sentiment_source TEXT;
ALTER TABLE annotations ADD COLUMN entities_source TEXT;
ALTER TABLE annotations ADD COLUMN submits INTEGER NOT NULL DEFAULT 0;
ALTER TABLE annotations ADD COLUMN first_submitted_at TEXT;
ALTER TABLE annotations ADD COLUMN first_intents_json TEXT;
ALTER TABLE annotations ADD COLUMN first_sentiment TEXT;
ALTER TABLE annotations ADD COLUMN active_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE annotations ADD COLUMN adjudicated INTEGER NOT NULL DEFAULT 0;

UPDATE annotations SET
  intents_source = (SELECT e.source FROM annotation_events e WHERE e.item_id = annotations.item_id AND e.annotator_id = annotations.annotator_id
                    AND e.kind = 'intents' ORDER BY e.seq DESC LIMIT 1),
  sentiment_source = (SELECT e.source FROM annotation_events e WHERE e.item_id = annotations.item_id AND e.annotator_id = annotations.annotator_id
                      AND e.kind = 'sentiment' ORDER BY e.seq DESC LIMIT 1),
  entities_source = (SELECT e.source FROM annotation_events e WHERE e.item_id = annotations.item_id AND e.annotator_id = annotations.annotator_id
                     AND e.kind = 'entities' ORDER BY e.seq DESC LIMIT 1),
  adjudicated = EXISTS (SELECT 1 FROM annotation_events e WHERE e.item_id = annotations.item_id AND e.annotator_id = annotations.annotator_id
                        AND e.source = 'adjudication');

WITH submit AS (
  SELECT item_id, annotator_id, seq, ended_at,
         CASE WHEN started_at IS NULL THEN 0
              ELSE max(0, min(600000, CAST(round((julianday(ended_at) - julianday(started_at)) * 86400000) AS INTEGER))) END AS ms
  FROM annotation_events WHERE kind = 'status' AND value_json = '"submitted"'
),
firsts AS (
  SELECT item_id, annotator_id, min(seq) AS seq, count(*) AS n, sum(ms) AS ms FROM submit GROUP BY item_id, annotator_id
)
UPDATE annotations SET
  submits = f.n,
  active_ms = f.ms,
  first_submitted_at = (SELECT ended_at FROM annotation_events WHERE seq = f.seq),
  first_intents_json = coalesce((SELECT e.value_json FROM annotation_events e WHERE e.item_id = f.item_id AND e.annotator_id = f.annotator_id
                                 AND e.kind = 'intents' AND e.seq < f.seq ORDER BY e.seq DESC LIMIT 1), '[]'),
  first_sentiment = (SELECT json_extract(e.value_json, '$') FROM annotation_events e WHERE e.item_id = f.item_id AND e.annotator_id = f.annotator_id
                     AND e.kind = 'sentiment' AND e.seq < f.seq ORDER BY e.seq DESC LIMIT 1)
FROM firsts f WHERE f.item_id = annotations.item_id AND f.annotator_id = annotations.annotator_id;
`,
};
