import type { Span } from '../../../../shared/domain/spans';
import type { DB } from '../../db/open';
import { stmt } from '../../db/statements';

/** One annotator's submitted annotation of an item, as the reviewer compares it. */
export interface ItemVersion {
  annotatorId: string;
  annotatorName: string;
  intents: string[];
  sentiment: string | null;
  entities: Span[];
  flagged: boolean;
}

interface Row {
  item_id: string;
  annotator_id: string;
  name: string;
  intents_json: string;
  sentiment: string | null;
  entities_json: string;
  flagged: number;
}

const SELECT = `SELECT a.item_id, a.annotator_id, p.name, a.intents_json, a.sentiment, a.entities_json, a.flagged
  FROM annotations a JOIN annotators p ON p.id = a.annotator_id`;

export const versionOf = (r: Row): ItemVersion => ({
  annotatorId: r.annotator_id,
  annotatorName: r.name,
  intents: JSON.parse(r.intents_json) as string[],
  sentiment: r.sentiment,
  entities: (JSON.parse(r.entities_json) as Span[]).map((s) => ({ start: s.start, end: s.end, label: s.label })),
  flagged: r.flagged === 1,
});

/** Parsed texts a VersionParser keeps before it starts afresh. */
const PARSED_TEXTS = 4096;

/**
 * Builds versions from rows with each JSON text parsed once: versions repeat the same few texts,
 * and equal texts give the same objects (buildFields takes versions whose values are the same
 * objects as identical). Nothing downstream mutates them.
 */
export class VersionParser {
  private readonly intents = new Map<string, string[]>();
  private readonly entities = new Map<string, Span[]>();

  version(annotatorId: string, annotatorName: string, intentsJson: string, sentiment: string | null, entitiesJson: string, flagged: number): ItemVersion {
    let intents = this.intents.get(intentsJson);
    if (!intents) {
      if (this.intents.size >= PARSED_TEXTS) this.intents.clear();
      this.intents.set(intentsJson, (intents = JSON.parse(intentsJson) as string[]));
    }
    let entities = this.entities.get(entitiesJson);
    if (!entities) {
      if (this.entities.size >= PARSED_TEXTS) this.entities.clear();
      entities = (JSON.parse(entitiesJson) as Span[]).map((s) => ({ start: s.start, end: s.end, label: s.label }));
      this.entities.set(entitiesJson, entities);
    }
    return { annotatorId, annotatorName, intents, sentiment, entities, flagged: flagged === 1 };
  }
}

/** The submitted annotations of one item, in annotator-id order (a stable order to shuffle from). */
export function loadVersions(db: DB, itemId: string): ItemVersion[] {
  return stmt<[string], Row>(db, `${SELECT} WHERE a.item_id = ? AND a.status = 'submitted' ORDER BY a.annotator_id`)
    .all(itemId)
    .map(versionOf);
}
