import type { ImportRedaction } from '../../../shared/contract/schemas';
import type { LabelSchema } from '../../../shared/domain/labelSchema';
import type { Span } from '../../../shared/domain/spans';
import type { DB } from '../db/open';
import { projectPseudonymKey } from '../export/pipeline';
import type { ImportRecord } from '../importers/record';
import { personalEntityTypes, redactText } from '../redaction';

export interface RecordRedactor {
  /** Redacts the record's text in place and remaps every span in it (annotations and suggestions). */
  redact(record: ImportRecord): void;
  /** Values replaced so far, per type (a PII type or a personal entity type). */
  readonly counts: Record<string, number>;
}

/**
 * Redaction at import: before an item is stored, so no annotator (outsourced, or offline with a
 * pack) ever sees the original. Personal entity types of the schema are redacted where any
 * annotation or suggestion in the file marks them.
 */
export function recordRedactor(db: DB, projectId: string, schema: LabelSchema, mode: Exclude<ImportRedaction, 'none'>): RecordRedactor {
  const key = mode === 'pseudonym' ? projectPseudonymKey(db, projectId) : undefined;
  const personalTypes = personalEntityTypes(schema);
  const counts: Record<string, number> = {};
  return {
    counts,
    redact(record) {
      const entitySuggestions = record.suggestions.filter((s) => s.kind === 'entities' && Array.isArray(s.value));
      const spans: Span[] = [
        ...record.annotations.flatMap((a) => a.entities ?? []),
        ...entitySuggestions.flatMap((s) => s.value as Span[]),
      ];
      const r = redactText(record.text, { mode, key, spans, personalTypes });
      if (!r.replacements.length) return;
      record.text = r.text;
      for (const a of record.annotations) if (a.entities) a.entities = a.entities.map((s) => r.remap(s));
      for (const s of entitySuggestions) s.value = (s.value as Span[]).map((x) => r.remap(x));
      for (const x of r.replacements) counts[x.type] = (counts[x.type] ?? 0) + 1;
    },
  };
}
