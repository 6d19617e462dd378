import { AdjudicationSettings } from '../../../../shared/contract/adjudication';
import type { DB } from '../../db/open';
import { stmt } from '../../db/statements';

/** A project's adjudication settings; defaults (blind review on, the default reason codes) until a lead saves them. */
export function loadAdjudicationSettings(db: DB, projectId: string): AdjudicationSettings {
  const row = stmt<[string], { settings_json: string }>(db, 'SELECT settings_json FROM project_settings WHERE project_id = ?').get(projectId);
  const stored = row ? ((JSON.parse(row.settings_json) as { adjudication?: unknown }).adjudication ?? {}) : {};
  const parsed = AdjudicationSettings.safeParse(stored);
  return parsed.success ? parsed.data : AdjudicationSettings.parse({});
}

export function saveAdjudicationSettings(db: DB, projectId: string, settings: AdjudicationSettings, now: string): AdjudicationSettings {
  const row = stmt<[string], { settings_json: string }>(db, 'SELECT settings_json FROM project_settings WHERE project_id = ?').get(projectId);
  const all = { ...(row ? (JSON.parse(row.settings_json) as Record<string, unknown>) : {}), adjudication: settings };
  stmt(
    db,
    `INSERT INTO project_settings (project_id, settings_json, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (project_id) DO UPDATE SET settings_json = excluded.settings_json, updated_at = excluded.updated_at`,
  ).run(projectId, JSON.stringify(all), now);
  return settings;
}

/** The project's newest guideline version, or null before the first is saved. */
export function currentGuidelineVersion(db: DB, projectId: string): number | null {
  return stmt<[string], { v: number | null }>(db, 'SELECT max(version) AS v FROM guidelines WHERE project_id = ?').get(projectId)?.v ?? null;
}
