import { QualitySettings } from '../../../../shared/contract/reports';
import type { DB } from '../../db/open';
import { loadProjectSettings, saveProjectSetting } from '../../db/repos/projectSettings';

/** The project's quality settings (`quality` in project_settings); defaults until a lead saves them. */
export function loadQualitySettings(db: DB, projectId: string): QualitySettings {
  const parsed = QualitySettings.safeParse(loadProjectSettings(db, projectId).quality ?? {});
  return parsed.success ? parsed.data : QualitySettings.parse({});
}

export function saveQualitySettings(db: DB, projectId: string, settings: QualitySettings, now: string): QualitySettings {
  saveProjectSetting(db, projectId, 'quality', settings, now);
  return settings;
}
