import { requireModelReady } from '../guards';
import type { CoreContext, FeatureHandlers } from '../context';

export function prelabelHandlers(ctx: CoreContext): FeatureHandlers<'prelabel.start' | 'prelabel.get' | 'prelabel.cancel'> {
  const { prelabel } = ctx;
  return {
    'prelabel.start': ({ projectId }) => {
      requireModelReady(ctx.model);
      return prelabel.start(projectId);
    },
    'prelabel.get': ({ projectId }) => prelabel.get(projectId),
    'prelabel.cancel': ({ projectId }) => prelabel.cancel(projectId),
  };
}
