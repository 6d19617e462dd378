import type { AdjudicationFilter, AdjudicationItem, AdjudicationQueue, AutoInput, AutoResult, CommitResult, FieldDecision } from '../../../../shared/contract/adjudication';
import type { DB } from '../../db/open';
import { currentSchema } from '../../db/repos/projects';
import type { Runtime } from '../../runtime';
import { autoResolve } from './auto';
import { commitDecisions, undoLastDecision } from './decisions';
import { annotatorFeedback } from './feedback';
import { nextInQueue, queuePage, refreshQueue } from './queue';
import { adjudicationItem } from './view';

/** The reviewer's work on one connection: the queue, the view of an item, decisions, automatic resolution, feedback. */
export class AdjudicationService {
  constructor(
    private readonly db: DB,
    private readonly rt: Runtime,
  ) {}

  refresh(projectId: string): number {
    return refreshQueue(this.db, projectId, currentSchema(this.db, projectId), this.rt.now().toISOString());
  }

  queue(projectId: string, filter: AdjudicationFilter, offset: number, limit: number): AdjudicationQueue {
    this.refresh(projectId);
    return queuePage(this.db, projectId, filter, offset, limit);
  }

  next(projectId: string, reviewerId: string, afterItemId: string | null, filter: AdjudicationFilter): AdjudicationItem | null {
    const id = nextInQueue(this.db, projectId, filter, afterItemId);
    return id ? adjudicationItem(this.db, projectId, id, reviewerId) : null;
  }

  item(projectId: string, reviewerId: string, itemId: string): AdjudicationItem {
    return adjudicationItem(this.db, projectId, itemId, reviewerId);
  }

  commit(input: { projectId: string; itemId: string; reviewerId: string; decisions: FieldDecision[]; flag: boolean }): CommitResult {
    return commitDecisions(this.db, this.rt, input);
  }

  undo(projectId: string, reviewerId: string) {
    return undoLastDecision(this.db, this.rt, projectId, reviewerId);
  }

  auto(input: AutoInput): AutoResult {
    return autoResolve(this.db, this.rt, input);
  }

  feedback(projectId: string, annotatorId: string) {
    return annotatorFeedback(this.db, projectId, annotatorId);
  }
}
