import type { DB } from '../open';
import { stmt } from '../statements';
import type { TextClassifier } from '../../ml/textClassifier';
import { entityHeadFromJson, entityHeadToJson } from '../../ml/entities/headJson';
import type { EntityHead } from '../../ml/entities/tokenHead';

export type ModelTask = 'intents' | 'sentiment' | 'entities';

export interface ModelVersionRow {
  id: string;
  projectId: string;
  task: ModelTask;
  version: number;
  kind: string;
  embedder: string;
  metrics: Record<string, unknown>;
  trainedOn: number;
  createdAt: string;
}

interface Row {
  id: string;
  project_id: string;
  task: ModelTask;
  version: number;
  kind: string;
  embedder: string;
  params_json: string;
  weights: Buffer | null;
  metrics_json: string;
  trained_on: number;
  created_at: string;
}

const toRow = (r: Row): ModelVersionRow => ({
  id: r.id,
  projectId: r.project_id,
  task: r.task,
  version: r.version,
  kind: r.kind,
  embedder: r.embedder,
  metrics: JSON.parse(r.metrics_json),
  trainedOn: r.trained_on,
  createdAt: r.created_at,
});

const floats = (b: Buffer): Float32Array => new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));

/** Stores a trained head as the next version of its task in the project. */
export function saveModelVersion(
  db: DB,
  v: { id: string; projectId: string; task: 'intents' | 'sentiment'; embedder: string; classifier: TextClassifier; metrics: object; now: string },
): ModelVersionRow {
  const version =
    (stmt<[string, string], { v: number | null }>(db, 'SELECT max(version) AS v FROM model_versions WHERE project_id = ? AND task = ?').get(
      v.projectId,
      v.task,
    )?.v ?? 0) + 1;
  const c = v.classifier;
  const params =
    c.kind === 'logreg'
      ? { labels: c.labels, dim: c.model.dim, temperature: c.model.temperature, mean: Array.from(c.mean) }
      : { labels: c.labels, dim: c.model.dim, mean: Array.from(c.mean), counts: c.model.counts };
  const weights = c.kind === 'logreg' ? c.model.weights : c.model.prototypes;
  stmt(
    db,
    `INSERT INTO model_versions (id, project_id, task, version, kind, embedder, params_json, weights, metrics_json, trained_on, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    v.id,
    v.projectId,
    v.task,
    version,
    c.kind,
    v.embedder,
    JSON.stringify(params),
    Buffer.from(weights.buffer, weights.byteOffset, weights.byteLength),
    JSON.stringify(v.metrics),
    c.trainedOn,
    v.now,
  );
  return listModelVersions(db, v.projectId).find((m) => m.id === v.id)!;
}

export function listModelVersions(db: DB, projectId: string): ModelVersionRow[] {
  return stmt<[string], Row>(db, 'SELECT * FROM model_versions WHERE project_id = ? ORDER BY task, version DESC').all(projectId).map(toRow);
}

/** The newest head of a task, rebuilt from its stored weights. */
export function latestClassifier(
  db: DB,
  projectId: string,
  task: 'intents' | 'sentiment',
): { row: ModelVersionRow; classifier: TextClassifier } | null {
  const r = stmt<[string, string], Row>(db, 'SELECT * FROM model_versions WHERE project_id = ? AND task = ? ORDER BY version DESC LIMIT 1').get(
    projectId,
    task,
  );
  return r ? rebuild(r) : null;
}

/** A stored head by its id (any project, any task), rebuilt from its weights; null when there is none. */
export function classifierById(db: DB, versionId: string): { row: ModelVersionRow; classifier: TextClassifier } | null {
  const r = stmt<[string], Row>(db, 'SELECT * FROM model_versions WHERE id = ?').get(versionId);
  return r ? rebuild(r) : null;
}

function rebuild(r: Row): { row: ModelVersionRow; classifier: TextClassifier } | null {
  if (!r.weights || r.kind === ENTITY_HEAD_KIND) return null;
  const p = JSON.parse(r.params_json) as { labels: string[]; dim: number; temperature?: number; mean: number[]; counts?: number[] };
  const mean = Float32Array.from(p.mean);
  const w = floats(r.weights);
  const classifier: TextClassifier =
    r.kind === 'logreg'
      ? {
          kind: 'logreg',
          labels: p.labels,
          mean,
          trainedOn: r.trained_on,
          model: { kind: 'logreg', labels: p.labels, dim: p.dim, weights: w, temperature: p.temperature ?? 1 },
        }
      : {
          kind: 'prototypes',
          labels: p.labels,
          mean,
          trainedOn: r.trained_on,
          model: { kind: 'prototypes', labels: p.labels, dim: p.dim, prototypes: w, counts: p.counts ?? [] },
        };
  return { row: toRow(r), classifier };
}

const ENTITY_HEAD_KIND = 'entity-head';

/** Stores a trained entity head (token-level, BIOES) as the next `entities` version of the project. */
export function saveEntityHeadVersion(
  db: DB,
  v: { id: string; projectId: string; embedder: string; head: EntityHead; metrics: object; trainedOn: number; now: string },
): ModelVersionRow {
  const version =
    (stmt<[string], { v: number | null }>(db, "SELECT max(version) AS v FROM model_versions WHERE project_id = ? AND task = 'entities'").get(
      v.projectId,
    )?.v ?? 0) + 1;
  const { weights: _weights, ...params } = entityHeadToJson({ ...v.head, weights: new Float32Array(0) });
  const w = v.head.weights;
  stmt(
    db,
    `INSERT INTO model_versions (id, project_id, task, version, kind, embedder, params_json, weights, metrics_json, trained_on, created_at)
     VALUES (?, ?, 'entities', ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    v.id,
    v.projectId,
    version,
    ENTITY_HEAD_KIND,
    v.embedder,
    JSON.stringify(params),
    Buffer.from(w.buffer, w.byteOffset, w.byteLength),
    JSON.stringify(v.metrics),
    v.trainedOn,
    v.now,
  );
  return listModelVersions(db, v.projectId).find((m) => m.id === v.id)!;
}

/** The newest entity head of a project, rebuilt from its stored weights; null when none was trained. */
export function latestEntityHead(db: DB, projectId: string): { row: ModelVersionRow; head: EntityHead } | null {
  const r = stmt<[string], Row>(
    db,
    "SELECT * FROM model_versions WHERE project_id = ? AND task = 'entities' AND kind = 'entity-head' ORDER BY version DESC LIMIT 1",
  ).get(projectId);
  if (!r?.weights) return null;
  const params = JSON.parse(r.params_json) as object;
  return {
    row: toRow(r),
    head: entityHeadFromJson({ ...params, weights: r.weights.toString('base64') } as Parameters<typeof entityHeadFromJson>[0]),
  };
}
