import { inspectFile } from '../services/inspect';
import { offload, type CoreContext, type FeatureHandlers } from '../context';

export function importHandlers(
  ctx: CoreContext,
): FeatureHandlers<'imports.inspect' | 'imports.start' | 'imports.get' | 'imports.decide' | 'imports.cancel'> {
  const { imports, grants } = ctx;
  return {
    'imports.inspect': ({ fileToken, format }) => inspectFile(grants.peek(fileToken, 'import'), format),
    // Imports live on their own thread: reading, staging and committing never hold up labeling.
    'imports.start': (input) => {
      const path = grants.spend(input.fileToken, 'import');
      const { fileToken: _token, ...rest } = input;
      return offload(ctx, 'imports', 'imports.start', input, () => imports.start({ ...rest, filePath: path }), [
        { token: input.fileToken, path, purpose: 'import' },
      ]);
    },
    'imports.get': (input) => offload(ctx, 'imports', 'imports.get', input, () => imports.get(input.importId)),
    'imports.decide': (input) => offload(ctx, 'imports', 'imports.decide', input, () => imports.decide(input.importId, input.decision)),
    'imports.cancel': (input) => offload(ctx, 'imports', 'imports.cancel', input, () => imports.cancel(input.importId)),
  };
}
