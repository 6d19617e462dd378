import { offload, type CoreContext, type FeatureHandlers } from '../context';
import { exportOptions, redactionPreview } from '../services/exportPreview';

export function exportHandlers(ctx: CoreContext): FeatureHandlers<'export.options' | 'export.preview' | 'export.start' | 'export.get' | 'export.cancel'> {
  const { exports, grants } = ctx;
  return {
    'export.options': ({ projectId }) => exportOptions(ctx.db, projectId),
    'export.preview': (input) => offload(ctx, 'reader', 'export.preview', input, () => redactionPreview(ctx.db, input.projectId, input.mode, input.limit)),
    // An export reads the whole project and writes big files: on its own job thread, so labeling and reports never wait.
    'export.start': (input) => {
      const outDir = grants.spend(input.folderToken, 'export-folder');
      const { folderToken: _token, ...rest } = input;
      return offload(ctx, 'exports', 'export.start', input, () => exports.start({ ...rest, outDir }), [
        { token: input.folderToken, path: outDir, purpose: 'export-folder' },
      ]);
    },
    'export.get': (input) => offload(ctx, 'exports', 'export.get', input, () => exports.get(input.exportId)),
    'export.cancel': (input) => offload(ctx, 'exports', 'export.cancel', input, () => exports.cancel(input.exportId)),
  };
}
