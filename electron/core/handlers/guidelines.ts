import { requireProject, requireRole } from '../guards';
import { offload, type CoreContext, type FeatureHandlers } from '../context';
import { loadGuideline, queueRecheck, saveGuideline } from '../services/adjudication/guidelines';

export function guidelineHandlers(ctx: CoreContext): FeatureHandlers<'guidelines.get' | 'guidelines.save' | 'guidelines.queueRecheck'> {
  const { db, rt } = ctx;
  return {
    'guidelines.get': ({ projectId, version }) => {
      requireProject(db, projectId);
      return loadGuideline(db, projectId, version);
    },
    'guidelines.save': ({ projectId, authorId, markdown }) => {
      requireProject(db, projectId);
      requireRole(db, authorId, 'lead', 'reviewer');
      return saveGuideline(db, projectId, authorId, markdown, rt.now().toISOString());
    },
    'guidelines.queueRecheck': (input) => {
      requireProject(db, input.projectId);
      requireRole(db, input.leadId, 'lead');
      return offload(ctx, 'bulk', 'guidelines.queueRecheck', input, () => ({ queued: queueRecheck(db, input.projectId, rt.now().toISOString()) }));
    },
  };
}
