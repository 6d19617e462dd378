import type { Core } from '../../electron/core';

/** The value of a dispatch, or an error naming the channel. */
export async function ok<T>(core: Core, channel: string, input: unknown): Promise<T> {
  const r = await core.dispatch(channel, input);
  if (!r.ok) throw new Error(`${channel}: ${r.error.message}`);
  return r.value as T;
}
