import { getProject, listProjects } from '../db/repos/projects';
import { createProject, projectStats, updateSchema } from '../services/projects';
import type { CoreContext, FeatureHandlers } from '../context';

export function projectHandlers(
  ctx: CoreContext,
): FeatureHandlers<'projects.list' | 'projects.create' | 'projects.get' | 'projects.updateSchema' | 'projects.stats'> {
  const { db, rt } = ctx;
  return {
    'projects.list': () => listProjects(db),
    'projects.create': (input) => createProject(db, rt, input),
    'projects.get': ({ projectId }) => getProject(db, projectId),
    'projects.updateSchema': ({ projectId, schema }) => updateSchema(db, rt, projectId, schema),
    'projects.stats': ({ projectId }) => projectStats(db, projectId),
  };
}
