import { writeTransaction } from '../db/write';
import { requireProject, requireRole } from '../guards';
import { offload, type CoreContext, type FeatureHandlers } from '../context';
import { loadAdjudicationSettings, saveAdjudicationSettings } from '../services/adjudication/settings';

type AdjudicationChannel =
  | 'adjudication.settings'
  | 'adjudication.saveSettings'
  | 'adjudication.queue'
  | 'adjudication.next'
  | 'adjudication.item'
  | 'adjudication.commit'
  | 'adjudication.undo'
  | 'adjudication.auto'
  | 'adjudication.feedback';

export function adjudicationHandlers(ctx: CoreContext): FeatureHandlers<AdjudicationChannel> {
  const { db, adjudication } = ctx;
  return {
    'adjudication.settings': ({ projectId }) => {
      requireProject(db, projectId);
      return loadAdjudicationSettings(db, projectId);
    },
    'adjudication.saveSettings': ({ projectId, actorId, settings }) => {
      requireProject(db, projectId);
      requireRole(db, actorId, 'lead', 'reviewer');
      return writeTransaction(db, () => saveAdjudicationSettings(db, projectId, settings, ctx.rt.now().toISOString()));
    },
    // Bringing the queue up to date reads every changed item: on a job thread.
    'adjudication.queue': (input) =>
      offload(ctx, 'bulk', 'adjudication.queue', input, () => adjudication.queue(input.projectId, input.filter, input.offset, input.limit)),
    'adjudication.next': ({ projectId, reviewerId, afterItemId, filter }) => {
      requireRole(db, reviewerId, 'reviewer');
      return adjudication.next(projectId, reviewerId, afterItemId, filter);
    },
    'adjudication.item': ({ projectId, reviewerId, itemId }) => {
      requireRole(db, reviewerId, 'reviewer');
      return adjudication.item(projectId, reviewerId, itemId);
    },
    'adjudication.commit': (input) => {
      requireRole(db, input.reviewerId, 'reviewer');
      return adjudication.commit(input);
    },
    'adjudication.undo': ({ projectId, reviewerId }) => {
      requireRole(db, reviewerId, 'reviewer');
      return adjudication.undo(projectId, reviewerId);
    },
    'adjudication.auto': (input) => {
      // Resolving a project's items is a reviewer's or a lead's decision.
      if (input.actorId) requireRole(db, input.actorId, 'reviewer', 'lead');
      return offload(ctx, 'bulk', 'adjudication.auto', input, () => adjudication.auto(input));
    },
    'adjudication.feedback': ({ projectId, annotatorId }) => {
      requireProject(db, projectId);
      return adjudication.feedback(projectId, annotatorId);
    },
  };
}
