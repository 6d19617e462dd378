import { AppError } from '../../../shared/contract/errors';
import { ensureAnnotator, findAnnotator, listAnnotators } from '../db/repos/annotators';
import { loadSettings, saveSettings } from '../db/repos/settings';
import { requireAnnotator } from '../guards';
import type { CoreContext, FeatureHandlers } from '../context';

export function annotatorHandlers(
  ctx: CoreContext,
): FeatureHandlers<'annotators.list' | 'annotators.create' | 'annotators.getSettings' | 'annotators.saveSettings'> {
  const { db, rt } = ctx;
  return {
    'annotators.list': () => listAnnotators(db),
    'annotators.create': ({ name }) => {
      if (findAnnotator(db, name)) throw new AppError('CONFLICT', `an annotator named "${name}" already exists`, { name });
      return ensureAnnotator(db, name, rt.newId, rt.now().toISOString());
    },
    'annotators.getSettings': ({ annotatorId }) => {
      requireAnnotator(db, annotatorId);
      return loadSettings(db, annotatorId);
    },
    'annotators.saveSettings': ({ annotatorId, settings }) => {
      requireAnnotator(db, annotatorId);
      return saveSettings(db, annotatorId, settings, rt.now().toISOString());
    },
  };
}
