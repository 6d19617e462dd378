import { AdjudicationSettings } from '../../../../shared/contract/adjudication';
import type { DB } from '../../db/open';
import { loadProjectSettings, saveProjectSetting } from '../../db/repos/projectSettings';
import { stmt } from '../../db/statements';

/** A project's adjudication settings; defaults (blind review on, the default reason codes) until a lead saves them. */
export function loadAdjudicationSettings(db: DB, projectId: string): AdjudicationSettings {
  const parsed = AdjudicationSettings.safeParse(loadProjectSettings(db, projectId).adjudication ?? {});
  return parsed.success ? parsed.data : AdjudicationSettings.parse({});
}

export function saveAdjudicationSettings(db: DB, projectId: string, settings: AdjudicationSettings, now: string): AdjudicationSettings {
  saveProjectSetting(db, projectId, 'adjudication', settings, now);
  return settings;
}

/** The project's newest guideline version, or null before the first is saved. */
export function currentGuidelineVersion(db: DB, projectId: string): number | null {
  return stmt<[string], { v: number | null }>(db, 'SELECT max(version) AS v FROM guidelines WHERE project_id = ?').get(projectId)?.v ?? null;
}
