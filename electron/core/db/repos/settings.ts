import { AnnotatorSettings } from '../../../../shared/contract/schemas';
import type { DB } from '../open';
import { stmt } from '../statements';

export function loadSettings(db: DB, annotatorId: string): AnnotatorSettings {
  const row = stmt<[string], { settings_json: string }>(db, 'SELECT settings_json FROM annotator_settings WHERE annotator_id = ?').get(annotatorId);
  const parsed = AnnotatorSettings.safeParse(row ? JSON.parse(row.settings_json) : {});
  return parsed.success ? parsed.data : AnnotatorSettings.parse({});
}

export function saveSettings(db: DB, annotatorId: string, settings: AnnotatorSettings, now: string): AnnotatorSettings {
  stmt(
    db,
    `INSERT INTO annotator_settings (annotator_id, settings_json, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (annotator_id) DO UPDATE SET settings_json = excluded.settings_json, updated_at = excluded.updated_at`,
  ).run(annotatorId, JSON.stringify(settings), now);
  return settings;
}
