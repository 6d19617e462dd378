import type { Annotator } from '../../../../shared/contract/schemas';
import type { DB } from '../open';
import { stmt } from '../statements';

interface Row {
  id: string;
  name: string;
  origin: Annotator['origin'];
  created_at: string;
  roles_json: string;
}
const toAnnotator = (r: Row): Annotator => ({
  id: r.id,
  name: r.name,
  origin: r.origin,
  createdAt: r.created_at,
  roles: JSON.parse(r.roles_json) as Annotator['roles'],
});
const COLUMNS = 'id, name, origin, created_at, roles_json';

export function listAnnotators(db: DB): Annotator[] {
  return stmt<[], Row>(db, `SELECT ${COLUMNS} FROM annotators ORDER BY origin DESC, name`).all().map(toAnnotator);
}

export function findAnnotator(db: DB, name: string): Annotator | null {
  const row = stmt<[string], Row>(db, `SELECT ${COLUMNS} FROM annotators WHERE name = ?`).get(name);
  return row ? toAnnotator(row) : null;
}

/** The annotator with this name, created if new. */
export function ensureAnnotator(db: DB, name: string, newId: () => string, now: string, origin: Annotator['origin'] = 'local'): Annotator {
  const found = findAnnotator(db, name);
  if (found) return found;
  const a: Annotator = { id: newId(), name, origin, createdAt: now, roles: ['annotator'] };
  stmt(db, 'INSERT INTO annotators (id, name, origin, created_at) VALUES (?, ?, ?, ?)').run(a.id, a.name, a.origin, a.createdAt);
  return a;
}

export function getAnnotator(db: DB, id: string): Annotator | null {
  const row = stmt<[string], Row>(db, `SELECT ${COLUMNS} FROM annotators WHERE id = ?`).get(id);
  return row ? toAnnotator(row) : null;
}

/** Replaces a profile's roles (annotator, reviewer, lead). */
export function setRoles(db: DB, id: string, roles: readonly Annotator['roles'][number][]): void {
  const order = ['annotator', 'reviewer', 'lead'] as const;
  stmt(db, 'UPDATE annotators SET roles_json = ? WHERE id = ?').run(JSON.stringify(order.filter((r) => roles.includes(r))), id);
}
