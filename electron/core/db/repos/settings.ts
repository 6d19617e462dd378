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

/** A machine-wide setting (the model folder …) as stored JSON, or null when it was never set. */
export function loadAppSetting<T>(db: DB, key: string): T | null {
  const row = stmt<[string], { value_json: string }>(db, 'SELECT value_json FROM app_settings WHERE key = ?').get(key);
  return row ? (JSON.parse(row.value_json) as T) : null;
}

export function saveAppSetting(db: DB, key: string, value: unknown): void {
  stmt(
    db,
    'INSERT INTO app_settings (key, value_json) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json',
  ).run(key, JSON.stringify(value));
}
