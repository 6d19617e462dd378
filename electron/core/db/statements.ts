import type { Statement } from 'better-sqlite3';
import type { DB } from './open';

const cache = new WeakMap<DB, Map<string, Statement>>();

/** A prepared statement, prepared once per connection. */
export function stmt<P extends unknown[] | object = unknown[], R = unknown>(db: DB, sql: string): Statement<P, R> {
  let map = cache.get(db);
  if (!map) {
    map = new Map();
    cache.set(db, map);
  }
  let s = map.get(sql);
  if (!s) {
    s = db.prepare(sql);
    map.set(sql, s);
  }
  return s as unknown as Statement<P, R>;
}
