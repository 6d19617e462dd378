/** The pack file formats: what the lead hands out and what comes back. Version 1. */
export const PACK_FORMAT = 'annotation-pack';
export const RESULT_FORMAT = 'annotation-result';
export const PACK_VERSION = 1;

/** One item as a pack shows it: a pack-local id, never the item's ULID (it carries its creation time). */
export interface PackItemLine {
  id: number;
  text: string;
  /** Earlier turns of the item's dialogue, oldest first. */
  context?: { speaker: string; text: string }[];
  meta: Record<string, unknown>;
}

export interface PackManifestBody {
  format: typeof PACK_FORMAT;
  version: number;
  pack_id: string;
  assignment_id: string;
  project: { id: string; name: string };
  schema_version: number;
  guideline_version: number | null;
  annotator: string;
  issued_at: string;
  expires_at: string;
  counts: { items: number; feedback: number; suggestions?: number };
  meta_fields: string[];
  redaction: string;
}

/** An annotator's feedback line: the adjudicated value of a field they labeled earlier, and why. */
export interface PackFeedbackLine {
  text: string;
  field: string;
  yours: unknown;
  adjudicated: unknown;
  reason_code: string | null;
  reason: string | null;
}

/** One annotation event in a result pack, on a pack-local item id. */
export interface ResultEventLine {
  pack: string;
  item: number;
  id: string;
  kind: string;
  value: unknown;
  source: string;
  started_at: string | null;
  ended_at: string;
  action_id: string | null;
  reverts_action_id: string | null;
}

/** The annotator's state of one item when the result pack was made: which event is last, and each field's source. */
export interface ResultStateLine {
  pack: string;
  item: number;
  last_event_id: string;
  intents_source: string | null;
  sentiment_source: string | null;
  entities_source: string | null;
}

export interface ResultManifestBody {
  format: typeof RESULT_FORMAT;
  version: number;
  project_id: string;
  annotator: string;
  signed_at: string;
  packs: { pack_id: string; events: number }[];
}
