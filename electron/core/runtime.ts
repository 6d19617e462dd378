import { monotonicFactory } from 'ulid';

/** Time and identity, injected so tests can make them deterministic. */
export interface Runtime {
  now(): Date;
  newId(): string;
}

export function systemRuntime(): Runtime {
  const ulid = monotonicFactory();
  return { now: () => new Date(), newId: () => ulid() };
}
