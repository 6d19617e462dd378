import type { AppErrorPayload, Result } from '../../../shared/contract/errors';
import type { ForwardedGrant } from '../context';

/** To a core or job thread. */
export type ThreadRequest =
  | { type: 'invoke'; id: number; channel: string; input: unknown; grants?: ForwardedGrant[] }
  | { type: 'grant'; id: number; path: string; purpose: ForwardedGrant['purpose'] }
  | { type: 'close'; id: number }
  /** Job threads only: copy the WAL back into the database (PASSIVE: never waits for readers or writers). */
  | { type: 'checkpoint'; id: number };

/** From a core or job thread. */
export type ThreadReply =
  | { type: 'ready'; info?: Record<string, unknown> }
  | { type: 'fatal'; error: AppErrorPayload }
  | { type: 'result'; id: number; result: Result<unknown> }
  /** A successful result as JSON bytes (transferred): what job threads send, and the core thread passes on. */
  | { type: 'encoded'; id: number; bytes: Uint8Array }
  | { type: 'granted'; id: number; token: string }
  | { type: 'closed'; id: number }
  | { type: 'checkpointed'; id: number; walFrames: number; checkpointed: number }
  | { type: 'event'; event: string; payload: unknown };
