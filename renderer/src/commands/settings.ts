import type { AnnotatorSettings } from '../../../shared/contract/schemas';
import { call } from '../ipc/client';
import type { Keymap } from './types';

/** The settings last loaded per annotator, so saving the keymap keeps any other setting as it was. */
const lastLoaded = new Map<string, AnnotatorSettings>();

export async function loadAnnotatorSettings(annotatorId: string): Promise<AnnotatorSettings> {
  const settings = await call('annotators.getSettings', { annotatorId });
  lastLoaded.set(annotatorId, settings);
  return settings;
}

export async function saveAnnotatorKeymap(annotatorId: string, keymap: Keymap): Promise<AnnotatorSettings> {
  const base = lastLoaded.get(annotatorId) ?? { keymap: {} };
  const saved = await call('annotators.saveSettings', { annotatorId, settings: { ...base, keymap } });
  lastLoaded.set(annotatorId, saved);
  return saved;
}
