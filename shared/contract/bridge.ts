import type { Result } from './errors';

/** What the preload (or the test harness) puts on window.workstation. */
export interface Bridge {
  invoke(channel: string, input: unknown): Promise<Result<unknown>>;
  /** Subscribes to a pushed event; returns the unsubscribe function. */
  on(event: string, listener: (payload: unknown) => void): () => void;
}
