import { afterEach, describe, expect, it, vi } from 'vitest';
import { call, CallError, subscribe } from '../../renderer/src/ipc/client';
import { BRIDGE_NAME } from '../../shared/contract/channels';

afterEach(() => {
  delete (window as unknown as Record<string, unknown>)[BRIDGE_NAME];
});

describe('ipc client', () => {
  it('resolves with the value of an ok envelope', async () => {
    const invoke = vi.fn().mockResolvedValue({ ok: true, value: [{ id: 'p1' }] });
    (window as unknown as Record<string, unknown>)[BRIDGE_NAME] = { invoke, on: vi.fn() };
    await expect(call('projects.list', {})).resolves.toEqual([{ id: 'p1' }]);
    expect(invoke).toHaveBeenCalledWith('projects.list', {});
  });

  it('rejects with a CallError carrying the code and details of a failed envelope', async () => {
    const error = { code: 'CONFLICT', message: 'a project named "x" already exists', details: { name: 'x' } };
    (window as unknown as Record<string, unknown>)[BRIDGE_NAME] = { invoke: vi.fn().mockResolvedValue({ ok: false, error }), on: vi.fn() };
    const failure = await call('projects.create', { name: 'x' }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(CallError);
    expect(failure).toMatchObject({ code: 'CONFLICT', details: { name: 'x' } });
  });

  it('says clearly when there is no bridge', async () => {
    await expect(call('projects.list', {})).rejects.toMatchObject({ code: 'INTERNAL', message: expect.stringMatching(/bridge/) });
  });

  it('subscribes to events through the bridge', () => {
    const off = vi.fn();
    const on = vi.fn().mockReturnValue(off);
    (window as unknown as Record<string, unknown>)[BRIDGE_NAME] = { invoke: vi.fn(), on };
    const listener = vi.fn();
    expect(subscribe('imports.progress', listener)).toBe(off);
    expect(on).toHaveBeenCalledWith('imports.progress', listener);
  });
});
