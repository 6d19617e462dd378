import { AppError } from '../../../../shared/contract/errors';
import { LabelSchema } from '../../../../shared/domain/labelSchema';
import type { ProjectDetail, ProjectSummary } from '../../../../shared/contract/schemas';
import type { DB } from '../open';
import { stmt } from '../statements';
import { writeTransaction } from '../write';

interface ProjectRow {
  id: string;
  name: string;
  description: string;
  schema_version: number;
  item_count: number;
  created_at: string;
  annotated: number;
}

const SELECT = `SELECT p.id, p.name, p.description, p.schema_version, p.item_count, p.created_at, p.annotated_count AS annotated
  FROM projects p`;

function toSummary(r: ProjectRow): ProjectSummary {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    createdAt: r.created_at,
    schemaVersion: r.schema_version,
    itemCount: r.item_count,
    annotatedCount: r.annotated,
  };
}

export function listProjects(db: DB): ProjectSummary[] {
  return stmt<[], ProjectRow>(db, `${SELECT} ORDER BY p.created_at DESC, p.id DESC`).all().map(toSummary);
}

export function findProjectByName(db: DB, name: string): ProjectSummary | null {
  const row = stmt<[string], ProjectRow>(db, `${SELECT} WHERE p.name = ?`).get(name);
  return row ? toSummary(row) : null;
}

export function getProject(db: DB, id: string): ProjectDetail {
  const row = stmt<[string], ProjectRow>(db, `${SELECT} WHERE p.id = ?`).get(id);
  if (!row) throw new AppError('NOT_FOUND', `no project with id ${id}`, { projectId: id });
  return { ...toSummary(row), schema: currentSchema(db, id, row.schema_version) };
}

export function currentSchema(db: DB, projectId: string, version?: number): LabelSchema {
  const v =
    version ?? stmt<[string], { schema_version: number }>(db, 'SELECT schema_version FROM projects WHERE id = ?').get(projectId)?.schema_version;
  const row = stmt<[string, number], { schema_json: string }>(db, 'SELECT schema_json FROM label_schemas WHERE project_id = ? AND version = ?').get(
    projectId,
    v ?? -1,
  );
  if (!row) throw new AppError('NOT_FOUND', `no label schema for project ${projectId}`, { projectId });
  return LabelSchema.parse(JSON.parse(row.schema_json));
}

export function insertProject(db: DB, p: { id: string; name: string; description: string; schema: LabelSchema; now: string }): void {
  if (findProjectByName(db, p.name)) throw new AppError('CONFLICT', `a project named "${p.name}" already exists`, { name: p.name });
  stmt(db, 'INSERT INTO projects (id, name, description, schema_version, created_at) VALUES (?, ?, ?, 1, ?)').run(p.id, p.name, p.description, p.now);
  stmt(db, 'INSERT INTO label_schemas (project_id, version, schema_json, created_at) VALUES (?, 1, ?, ?)').run(p.id, JSON.stringify(p.schema), p.now);
}

/** Stores a new schema version; earlier versions stay, so old events keep their meaning. */
export function saveSchemaVersion(db: DB, projectId: string, schema: LabelSchema, now: string): number {
  const version = (stmt<[string], { v: number }>(db, 'SELECT max(version) AS v FROM label_schemas WHERE project_id = ?').get(projectId)?.v ?? 0) + 1;
  stmt(db, 'INSERT INTO label_schemas (project_id, version, schema_json, created_at) VALUES (?, ?, ?, ?)').run(
    projectId,
    version,
    JSON.stringify(schema),
    now,
  );
  stmt(db, 'UPDATE projects SET schema_version = ? WHERE id = ?').run(version, projectId);
  return version;
}

/** The number of items in a project, without loading the project. */
export function itemCount(db: DB, projectId: string): number {
  const row = stmt<[string], { n: number }>(db, 'SELECT item_count AS n FROM projects WHERE id = ?').get(projectId);
  if (!row) throw new AppError('NOT_FOUND', `no project with id ${projectId}`, { projectId });
  return row.n;
}

export function addItemCount(db: DB, projectId: string, added: number): void {
  stmt(db, 'UPDATE projects SET item_count = item_count + ? WHERE id = ?').run(added, projectId);
}

/** Removes a project that has nothing in it yet (a CLI import that created it and then failed). */
export function deleteEmptyProject(db: DB, projectId: string): void {
  writeTransaction(db, () => {
    const used = stmt<[string, string], { n: number }>(
      db,
      'SELECT (SELECT count(*) FROM items WHERE project_id = ?) + (SELECT count(*) FROM imports WHERE project_id = ?) AS n',
    ).get(projectId, projectId);
    if ((used?.n ?? 0) > 0) throw new AppError('CONFLICT', 'the project is not empty', { projectId });
    stmt(db, 'DELETE FROM label_schemas WHERE project_id = ?').run(projectId);
    stmt(db, 'DELETE FROM projects WHERE id = ?').run(projectId);
  });
}
