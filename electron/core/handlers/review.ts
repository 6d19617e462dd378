import { requireAnnotator } from '../guards';
import { offload, type CoreContext, type FeatureHandlers } from '../context';

export function reviewHandlers(ctx: CoreContext): FeatureHandlers<'review.plan' | 'review.startAudit' | 'review.audit' | 'review.acceptConfident'> {
  const { review } = ctx;
  return {
    'review.plan': (input) => offload(ctx, 'bulk', 'review.plan', input, () => review.plan(input.projectId, input.threshold)),
    'review.startAudit': (input) =>
      offload(ctx, 'bulk', 'review.startAudit', input, () => review.startAudit(input.projectId, input.threshold, input.size)),
    'review.audit': ({ auditId, annotatorId }) => review.status(auditId, annotatorId),
    // Accepting thousands of suggestions is one transaction: on a job thread, so reads go on meanwhile.
    'review.acceptConfident': (input) => {
      requireAnnotator(ctx.db, input.annotatorId);
      return offload(ctx, 'bulk', 'review.acceptConfident', input, () =>
        review.acceptConfident(input.auditId, input.annotatorId, input.minAgreement),
      );
    },
  };
}
