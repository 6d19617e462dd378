import { AppError } from '../../../../shared/contract/errors';
import type { DictionaryEntry } from '../../../../shared/contract/schemas';
import type { LabelSchema } from '../../../../shared/domain/labelSchema';
import type { DB } from '../open';
import { stmt } from '../statements';
import { writeTransaction } from '../write';

export function listDictionary(db: DB, projectId: string): DictionaryEntry[] {
  return stmt<[string], DictionaryEntry>(db, 'SELECT term, label FROM dictionary_terms WHERE project_id = ? ORDER BY label, term').all(projectId);
}

/** Replaces the project's dictionary (product names, say) used for entity suggestions. */
export function replaceDictionary(db: DB, projectId: string, entries: DictionaryEntry[], schema: LabelSchema): DictionaryEntry[] {
  const types = new Set(schema.entities.types.map((t) => t.name));
  const unknown = entries.find((e) => !types.has(e.label));
  if (unknown)
    throw new AppError('VALIDATION', `"${unknown.label}" is not an entity type of this project (term "${unknown.term}")`, { label: unknown.label });
  writeTransaction(db, () => {
    stmt(db, 'DELETE FROM dictionary_terms WHERE project_id = ?').run(projectId);
    const insert = stmt(db, 'INSERT OR IGNORE INTO dictionary_terms (project_id, term, label) VALUES (?, ?, ?)');
    for (const e of entries) insert.run(projectId, e.term, e.label);
  });
  return listDictionary(db, projectId);
}
