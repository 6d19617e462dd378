import { AppError } from '../../../shared/contract/errors';
import { ensureAnnotator, findAnnotator, getAnnotator, listAnnotators, setRoles } from '../db/repos/annotators';
import { writeTransaction } from '../db/write';
import { loadSettings, saveSettings } from '../db/repos/settings';
import { requireAnnotator, requireRole } from '../guards';
import type { CoreContext, FeatureHandlers } from '../context';

export function annotatorHandlers(
  ctx: CoreContext,
): FeatureHandlers<'annotators.list' | 'annotators.create' | 'annotators.getSettings' | 'annotators.saveSettings' | 'annotators.setRoles'> {
  const { db, rt } = ctx;
  return {
    'annotators.list': ({ origin }) => listAnnotators(db).filter((a) => origin === 'all' || a.origin === origin),
    'annotators.create': ({ name }) => {
      if (findAnnotator(db, name)) throw new AppError('CONFLICT', `an annotator named "${name}" already exists`, { name });
      return ensureAnnotator(db, name, rt.newId, rt.now().toISOString());
    },
    'annotators.getSettings': ({ annotatorId }) => {
      requireAnnotator(db, annotatorId);
      return loadSettings(db, annotatorId);
    },
    'annotators.setRoles': ({ annotatorId, roles, actorId }) => {
      requireAnnotator(db, annotatorId);
      if (listAnnotators(db).some((a) => a.roles.includes('lead'))) {
        if (!actorId) throw new AppError('FORBIDDEN', 'only a lead can change roles: say which lead (actorId)');
        requireRole(db, actorId, 'lead');
      }
      writeTransaction(db, () => setRoles(db, annotatorId, roles));
      return getAnnotator(db, annotatorId)!;
    },
    'annotators.saveSettings': ({ annotatorId, settings }) => {
      requireAnnotator(db, annotatorId);
      return saveSettings(db, annotatorId, settings, rt.now().toISOString());
    },
  };
}
