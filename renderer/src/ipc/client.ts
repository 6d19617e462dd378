import type { Channel, Input, Output, EventName, EventPayload } from '../../../shared/contract';
import type { AppErrorPayload } from '../../../shared/contract/errors';
import type { Bridge } from '../../../shared/contract/bridge';
import { BRIDGE_NAME } from '../../../shared/contract/channels';

/** An error from the other side: a code to choose the user's message by, and details for it. */
export class CallError extends Error {
  readonly code: AppErrorPayload['code'];
  readonly details: AppErrorPayload['details'];
  constructor(payload: AppErrorPayload) {
    super(payload.message);
    this.code = payload.code;
    this.details = payload.details;
  }
}

function bridge(): Bridge {
  const b = (window as unknown as Record<string, Bridge | undefined>)[BRIDGE_NAME];
  if (!b) throw new CallError({ code: 'INTERNAL', message: 'the app bridge is missing (not running inside the desktop app)' });
  return b;
}

/** Calls a channel; resolves with its output or rejects with a CallError. */
export async function call<C extends Channel>(channel: C, input: Input<C>): Promise<Output<C>> {
  const result = await bridge().invoke(channel, input);
  if (result.ok) return result.value as Output<C>;
  throw new CallError(result.error);
}

export function subscribe<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
  return bridge().on(event, listener as (payload: unknown) => void);
}
