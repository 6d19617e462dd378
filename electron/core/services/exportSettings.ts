import type { DB } from '../db/open';
import { loadProjectSettings, saveProjectSetting } from '../db/repos/projectSettings';

type ExportSettings = { systemPrompt?: string; license?: string };

/** The project's export settings (`export` in project_settings): the chat formats' system prompt, the card's licence. */
export function loadExportSettings(db: DB, projectId: string): ExportSettings {
  const stored = loadProjectSettings(db, projectId).export;
  return stored && typeof stored === 'object' ? (stored as ExportSettings) : {};
}

export function saveExportSystemPrompt(db: DB, projectId: string, systemPrompt: string, now: string): void {
  saveProjectSetting(db, projectId, 'export', { ...loadExportSettings(db, projectId), systemPrompt }, now);
}
