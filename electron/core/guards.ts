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

/** Refuses a call by a profile that lacks the role (a reviewer adjudicates, a lead sets the team up). */
export function requireRole(db: DB, profileId: string, ...anyOf: ('annotator' | 'reviewer' | 'lead')[]): void {
  const row = stmt<[string], { roles_json: string; name: string }>(db, 'SELECT roles_json, name FROM annotators WHERE id = ?').get(profileId);
  if (!row) throw new AppError('NOT_FOUND', `no profile with id ${profileId}`, { profileId });
  const roles = JSON.parse(row.roles_json) as string[];
  if (!anyOf.some((r) => roles.includes(r))) {
    throw new AppError('FORBIDDEN', `${row.name} is not a ${anyOf.join(' or ')}: give the profile that role first`, { profileId, roles: roles.join(','), needs: anyOf.join(',') });
  }
}

/** Refuses a call for a project that does not exist (before a write meets a foreign key). */
export function requireProject(db: DB, projectId: string): void {
  if (!stmt<[string]>(db, 'SELECT 1 FROM projects WHERE id = ?').get(projectId)) {
    throw new AppError('NOT_FOUND', `no project with id ${projectId}`, { projectId });
  }
}
