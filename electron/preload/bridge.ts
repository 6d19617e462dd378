import { CHANNEL_NAMES, EVENT_CHANNEL, EVENT_NAMES } from '../../shared/contract/channels';
import type { Bridge } from '../../shared/contract/bridge';

interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

const channels = new Set<string>(CHANNEL_NAMES);
const events = new Set<string>(EVENT_NAMES);

/** invoke() for known channels only, one argument each; on() for known events. Nothing else. */
export function createBridge(ipc: IpcRendererLike): Bridge {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  ipc.on(EVENT_CHANNEL, (_event, name, payload) => {
    for (const listener of listeners.get(String(name)) ?? []) listener(payload);
  });
  return {
    invoke(channel, input) {
      if (typeof channel !== 'string' || !channels.has(channel)) {
        return Promise.resolve({ ok: false, error: { code: 'UNKNOWN_CHANNEL', message: `unknown channel: ${String(channel).slice(0, 100)}` } });
      }
      return ipc.invoke(channel, input) as ReturnType<Bridge['invoke']>;
    },
    on(event, listener) {
      if (typeof event !== 'string' || !events.has(event)) throw new Error(`unknown event: ${String(event).slice(0, 100)}`);
      if (typeof listener !== 'function') throw new Error('listener must be a function');
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener);
      return () => set.delete(listener);
    },
  };
}
