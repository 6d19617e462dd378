import { requireAnnotator } from '../guards';
import { offload, type CoreContext, type FeatureHandlers } from '../context';

/** Undo or redo writing more events than this (a bulk acceptance) runs on the bulk job thread, so this one keeps serving. */
const BULK_REVERT_EVENTS = 1000;

export function labelingHandlers(
  ctx: CoreContext,
): FeatureHandlers<
  'labeling.item' | 'labeling.at' | 'labeling.next' | 'labeling.apply' | 'labeling.reject' | 'labeling.undo' | 'labeling.redo' | 'labeling.progress'
> {
  const { labeling, prelabel } = ctx;
  return {
    'labeling.item': ({ itemId, annotatorId }) => labeling.item(itemId, annotatorId),
    'labeling.at': ({ projectId, annotatorId, ord }) => labeling.at(projectId, annotatorId, ord),
    'labeling.next': (input) => labeling.next(input),
    'labeling.apply': (input) => {
      requireAnnotator(ctx.db, input.annotatorId);
      const result = labeling.apply(input);
      if (input.changes.some((c) => c.kind === 'status' && c.value === 'submitted')) prelabel.noteSubmitted(input.projectId);
      return result;
    },
    'labeling.reject': (input) => {
      requireAnnotator(ctx.db, input.annotatorId);
      return labeling.reject(input);
    },
    'labeling.undo': (input) =>
      labeling.revertSize(input.projectId, input.annotatorId, 'undo') > BULK_REVERT_EVENTS
        ? offload(ctx, 'bulk', 'labeling.undo', input, () => labeling.undo(input.projectId, input.annotatorId))
        : labeling.undo(input.projectId, input.annotatorId),
    'labeling.redo': (input) =>
      labeling.revertSize(input.projectId, input.annotatorId, 'redo') > BULK_REVERT_EVENTS
        ? offload(ctx, 'bulk', 'labeling.redo', input, () => labeling.redo(input.projectId, input.annotatorId))
        : labeling.redo(input.projectId, input.annotatorId),
    'labeling.progress': ({ projectId, annotatorId }) => labeling.progress(projectId, annotatorId),
  };
}
