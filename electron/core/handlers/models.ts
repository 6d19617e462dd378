import { listModelVersions } from '../db/repos/modelVersions';
import { saveAppSetting } from '../db/repos/settings';
import { requireModelReady } from '../guards';
import { compareVersions } from '../services/compare';
import { explainIntent } from '../services/explain';
import type { CoreContext, FeatureHandlers } from '../context';

export const MODEL_SETTING = 'model';

export function modelHandlers(
  ctx: CoreContext,
): FeatureHandlers<'models.status' | 'models.configure' | 'models.versions' | 'models.compare' | 'models.explain'> {
  const { db, model } = ctx;
  return {
    'models.status': () => model.check(),
    'models.configure': ({ folderToken, modelName }) => {
      const modelRoot = ctx.grants.spend(folderToken, 'model-folder');
      saveAppSetting(db, MODEL_SETTING, { modelRoot, modelName });
      return model.reconfigure({ modelRoot, modelName });
    },
    'models.versions': ({ projectId }) => listModelVersions(db, projectId),
    'models.compare': ({ projectId, a, b, scope }) => {
      requireModelReady(model);
      return compareVersions(db, model, projectId, a, b, { scope });
    },
    'models.explain': ({ projectId, itemId }) => explainIntent(db, model, projectId, itemId),
  };
}
