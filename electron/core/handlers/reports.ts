import { buildProjectReport } from '../services/reports';
import { renderReport } from '../services/reports/render';
import { offload, type CoreContext, type FeatureHandlers } from '../context';

export function reportHandlers(ctx: CoreContext): FeatureHandlers<'reports.project' | 'reports.render'> {
  const build = (projectId: string, filter: Parameters<typeof buildProjectReport>[2]) =>
    buildProjectReport(ctx.db, projectId, filter, () => ctx.rt.now(), ctx.nativeBinding ? { nativeBinding: ctx.nativeBinding } : {});
  return {
    'reports.project': (input) => offload(ctx, 'reports', 'reports.project', input, () => build(input.projectId, input.filter)),
    'reports.render': (input) =>
      offload(ctx, 'reports', 'reports.render', input, async () =>
        renderReport(await build(input.projectId, input.filter), input.format, input.language),
      ),
  };
}
