import type { DB } from '../open';
import { stmt } from '../statements';

/** All of a project's settings (project_settings, one JSON object: adjudication, export, quality …). */
export function loadProjectSettings(db: DB, projectId: string): Record<string, unknown> {
  const row = stmt<[string], { settings_json: string }>(db, 'SELECT settings_json FROM project_settings WHERE project_id = ?').get(projectId);
  return row ? (JSON.parse(row.settings_json) as Record<string, unknown>) : {};
}

/** Replaces one section of a project's settings, keeping the others. */
export function saveProjectSetting(db: DB, projectId: string, section: string, value: unknown, now: string): void {
  const all = { ...loadProjectSettings(db, projectId), [section]: value };
  stmt(
    db,
    `INSERT INTO project_settings (project_id, settings_json, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (project_id) DO UPDATE SET settings_json = excluded.settings_json, updated_at = excluded.updated_at`,
  ).run(projectId, JSON.stringify(all), now);
}
