import { AppError } from '../../shared/contract/errors';
import type { DB } from './db/open';
import { stmt } from './db/statements';
import type { ModelHost } from './ml/modelHost';

/** Refuses a call for an annotator profile that does not exist. */
export function requireAnnotator(db: DB, annotatorId: string): void {
  if (!stmt<[string]>(db, 'SELECT 1 FROM annotators WHERE id = ?').get(annotatorId)) {
    throw new AppError('NOT_FOUND', `no annotator with id ${annotatorId}`, { annotatorId });
  }
}

/** Refuses work that needs the local model when its files are missing or broken. */
export function requireModelReady(model: ModelHost): void {
  const status = model.check();
  if (status.state !== 'ready') throw new AppError('MODEL_UNAVAILABLE', status.message, { state: status.state });
}
