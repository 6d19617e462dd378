import { EventEmitter } from 'node:events';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { channels, events } from '../../shared/contract';
import { BRIDGE_NAME, CHANNEL_NAMES, EVENT_CHANNEL, EVENT_NAMES } from '../../shared/contract/channels';
import type { Bridge } from '../../shared/contract/bridge';

const state = vi.hoisted(() => ({
  exposeInMainWorld: vi.fn(),
  ipcRenderer: null as unknown as {
    emitter: EventEmitter;
    invoke: ReturnType<typeof vi.fn>;
    on: ReturnType<typeof vi.fn>;
    removeListener: ReturnType<typeof vi.fn>;
  },
}));

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: state.exposeInMainWorld },
  get ipcRenderer() {
    return state.ipcRenderer;
  },
}));

function freshIpcRenderer() {
  const emitter = new EventEmitter();
  const ipc = {
    emitter,
    invoke: vi.fn(async (channel: string, ...args: unknown[]) => ({ ok: true, value: { echoed: [channel, ...args] } })),
    on: vi.fn((channel: string, listener: (...args: unknown[]) => void) => {
      emitter.on(channel, listener);
      return ipc;
    }),
    removeListener: vi.fn((channel: string, listener: (...args: unknown[]) => void) => {
      emitter.removeListener(channel, listener);
      return ipc;
    }),
  };
  return ipc;
}

/** Imports the preload afresh (as Electron does per page) and returns what it exposed. */
async function loadPreload(): Promise<Bridge> {
  vi.resetModules();
  state.exposeInMainWorld.mockClear();
  state.ipcRenderer = freshIpcRenderer();
  await import('../../electron/preload/index');
  expect(state.exposeInMainWorld).toHaveBeenCalledTimes(1);
  const call = state.exposeInMainWorld.mock.calls[0];
  if (!call) throw new Error('exposeInMainWorld was not called');
  return call[1] as Bridge;
}

/** What main does: webContents.send(EVENT_CHANNEL, name, payload). */
const sendFromMain = (name: unknown, payload: unknown): void => {
  state.ipcRenderer.emitter.emit(EVENT_CHANNEL, { sender: 'ipc-event' }, name, payload);
};

describe('preload', () => {
  let bridge: Bridge;
  beforeEach(async () => {
    bridge = await loadPreload();
  });

  it('exposes exactly one object, under BRIDGE_NAME, with only invoke and on', () => {
    expect(state.exposeInMainWorld).toHaveBeenCalledTimes(1);
    expect(state.exposeInMainWorld.mock.calls[0]?.[0]).toBe(BRIDGE_NAME);
    expect(BRIDGE_NAME).toBe('workstation');
    expect(Object.keys(bridge).sort()).toEqual(['invoke', 'on']);
    expect(typeof bridge.invoke).toBe('function');
    expect(typeof bridge.on).toBe('function');
    // Only the event channel is listened to; no raw ipcRenderer leaks out.
    expect(state.ipcRenderer.on).toHaveBeenCalledTimes(1);
    expect(state.ipcRenderer.on.mock.calls[0]?.[0]).toBe(EVENT_CHANNEL);
    expect(Object.values(bridge)).not.toContain(state.ipcRenderer);
  });

  it('knows the same channels and events as the contract', () => {
    expect([...CHANNEL_NAMES].sort()).toEqual([...channels].sort());
    expect([...EVENT_NAMES].sort()).toEqual(Object.keys(events).sort());
  });

  it('answers an unknown channel with UNKNOWN_CHANNEL without calling ipcRenderer.invoke', async () => {
    for (const channel of ['fs.readFile', 'projects.delete', '', '__proto__', 'constructor', 'toString', EVENT_CHANNEL, 42, null, undefined, {}]) {
      const result = await bridge.invoke(channel as string, {});
      expect(result, String(channel)).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    }
    expect(state.ipcRenderer.invoke).not.toHaveBeenCalled();
  });

  it('forwards a known channel as exactly (channel, input)', async () => {
    const input = { name: '项目', description: 'x' };
    const result = await bridge.invoke('projects.create', input);
    expect(state.ipcRenderer.invoke).toHaveBeenCalledTimes(1);
    const args = state.ipcRenderer.invoke.mock.calls[0];
    expect(args).toHaveLength(2);
    expect(args?.[0]).toBe('projects.create');
    expect(args?.[1]).toBe(input);
    expect(result).toEqual({ ok: true, value: { echoed: ['projects.create', input] } });
  });

  it('forwards extra arguments from the page as nothing but the first input', async () => {
    const invoke = bridge.invoke as (...args: unknown[]) => Promise<unknown>;
    await invoke('projects.list', {}, 'smuggled', { more: true });
    expect(state.ipcRenderer.invoke.mock.calls[0]).toEqual(['projects.list', {}]);
  });

  it('forwards every contract channel', async () => {
    for (const ch of channels) await bridge.invoke(ch, {});
    expect(state.ipcRenderer.invoke.mock.calls.map((c) => c[0])).toEqual([...channels]);
  });

  it('throws on() for an unknown event or a non-function listener', () => {
    expect(() => bridge.on('imports.secret', () => {})).toThrow(/unknown event/);
    expect(() => bridge.on(EVENT_CHANNEL, () => {})).toThrow(/unknown event/);
    expect(() => bridge.on('__proto__', () => {})).toThrow();
    expect(() => bridge.on('imports.progress', 'not a function' as unknown as () => void)).toThrow();
  });

  it('delivers imports.progress payloads sent by main, until unsubscribed', () => {
    const received: unknown[] = [];
    const other: unknown[] = [];
    const off = bridge.on('imports.progress', (p) => received.push(p));
    bridge.on('imports.progress', (p) => other.push(p));

    sendFromMain('imports.progress', { id: 'a', bytesRead: 10 });
    sendFromMain('imports.other', { id: 'ignored' });
    // A message on another IPC channel is not an event.
    state.ipcRenderer.emitter.emit('projects.list', {}, 'imports.progress', { id: 'wrong-channel' });
    sendFromMain('imports.progress', { id: 'a', bytesRead: 20 });

    expect(received).toEqual([
      { id: 'a', bytesRead: 10 },
      { id: 'a', bytesRead: 20 },
    ]);

    off();
    sendFromMain('imports.progress', { id: 'a', bytesRead: 30 });
    expect(received).toHaveLength(2);
    // The other subscriber is unaffected.
    expect(other).toEqual([
      { id: 'a', bytesRead: 10 },
      { id: 'a', bytesRead: 20 },
      { id: 'a', bytesRead: 30 },
    ]);
  });
});
