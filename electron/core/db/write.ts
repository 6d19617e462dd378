import type { DB } from './open';
import type { WriteGate } from './writeGate';

/** Which side of the write gate a connection writes on. */
export type WriterRole = 'interactive' | 'background';

const gates = new WeakMap<DB, { gate: WriteGate; role: WriterRole }>();

/** Puts a connection behind a write gate shared with the process's other connections. */
export function attachWriteGate(db: DB, gate: WriteGate, role: WriterRole): void {
  gates.set(db, { gate, role });
}

export function writeGateOf(db: DB): { gate: WriteGate; role: WriterRole } | null {
  return gates.get(db) ?? null;
}

/**
 * Runs fn in a write transaction. Always BEGIN IMMEDIATE: with other connections writing (job
 * threads, the CLI next to the app), a deferred transaction that read first cannot upgrade to a
 * write and fails with SQLITE_BUSY at once instead of waiting. Inside another transaction it is a
 * savepoint. Interactive connections go first at the write gate, background ones step aside.
 */
export function writeTransaction<T>(db: DB, fn: () => T): T {
  if (db.inTransaction) return db.transaction(fn)();
  const run = (): T => db.transaction(fn).immediate();
  const attached = gates.get(db);
  if (!attached) return run();
  return attached.role === 'interactive' ? attached.gate.interactive(run) : attached.gate.backgroundSync(run);
}
