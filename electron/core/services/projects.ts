import { LabelSchema, DEFAULT_SCHEMA } from '../../../shared/domain/labelSchema';
import type { ProjectDetail, ProjectStats } from '../../../shared/contract/schemas';
import type { DB } from '../db/open';
import { stmt } from '../db/statements';
import { getProject, insertProject, saveSchemaVersion, findProjectByName } from '../db/repos/projects';
import type { Runtime } from '../runtime';
import { writeTransaction } from '../db/write';

export function createProject(db: DB, rt: Runtime, input: { name: string; description?: string; schema?: LabelSchema | undefined }): ProjectDetail {
  const id = rt.newId();
  const schema = input.schema ?? LabelSchema.parse(DEFAULT_SCHEMA);
  writeTransaction(db, () =>
    insertProject(db, { id, name: input.name.trim(), description: input.description ?? '', schema, now: rt.now().toISOString() }),
  );
  return getProject(db, id);
}

/** The project with this name, created with the default schema if there is none. */
export function ensureProject(db: DB, rt: Runtime, name: string): ProjectDetail {
  const found = findProjectByName(db, name.trim());
  return found ? getProject(db, found.id) : createProject(db, rt, { name });
}

export function updateSchema(db: DB, rt: Runtime, projectId: string, schema: LabelSchema): ProjectDetail {
  writeTransaction(db, () => {
    getProject(db, projectId);
    saveSchemaVersion(db, projectId, schema, rt.now().toISOString());
  });
  return getProject(db, projectId);
}

export function projectStats(db: DB, projectId: string): ProjectStats {
  const p = getProject(db, projectId);
  const count = (sql: string): number => stmt<[string], { n: number }>(db, sql).get(projectId)?.n ?? 0;
  const labelCounts = (sql: string) => stmt<[string], { label: string; count: number }>(db, sql).all(projectId);
  return {
    projectId,
    items: p.itemCount,
    goldItems: count('SELECT count(*) AS n FROM items WHERE project_id = ? AND is_gold = 1'),
    annotatedItems: p.annotatedCount,
    annotations: count('SELECT count(*) AS n FROM annotations WHERE project_id = ?'),
    events: count('SELECT count(*) AS n FROM annotation_events WHERE project_id = ?'),
    annotators: count('SELECT count(DISTINCT annotator_id) AS n FROM annotations WHERE project_id = ?'),
    suggestions: count('SELECT count(*) AS n FROM suggestions s JOIN items i ON i.id = s.item_id WHERE i.project_id = ?'),
    intents: labelCounts(
      `SELECT j.value AS label, count(*) AS count FROM annotations a, json_each(a.intents_json) j WHERE a.project_id = ? GROUP BY j.value ORDER BY count DESC, label`,
    ),
    entities: labelCounts(
      `SELECT json_extract(j.value, '$.label') AS label, count(*) AS count FROM annotations a, json_each(a.entities_json) j WHERE a.project_id = ? GROUP BY label ORDER BY count DESC, label`,
    ),
    sentiment: labelCounts(
      `SELECT sentiment AS label, count(*) AS count FROM annotations WHERE project_id = ? AND sentiment IS NOT NULL GROUP BY sentiment ORDER BY count DESC, label`,
    ),
  };
}
