import { schemaVersion } from '../db/open';
import type { CoreContext, FeatureHandlers } from '../context';

export function appHandlers(ctx: CoreContext): FeatureHandlers<'app.info'> {
  return {
    'app.info': () => ({ version: ctx.version, dbPath: ctx.dbPath, schemaVersion: schemaVersion(ctx.db) }),
  };
}
