import { offload, type CoreContext, type FeatureHandlers } from '../context';

export function itemHandlers(ctx: CoreContext): FeatureHandlers<'items.list' | 'items.get'> {
  return {
    // A text search scans the project (about 0.3 s at a million items): on the reader thread.
    'items.list': (input) =>
      input.search.trim()
        ? offload(ctx, 'reader', 'items.list', input, () => ctx.items.page(input.projectId, input.offset, input.limit, input.search))
        : ctx.items.page(input.projectId, input.offset, input.limit, input.search),
    'items.get': ({ itemId }) => ctx.items.detail(itemId),
  };
}
