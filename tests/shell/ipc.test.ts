import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCore, type Core } from '../../electron/core';
import { registerIpc } from '../../electron/main/ipc';
import { isTrustedSender } from '../../electron/main/security';
import { contract, SHELL_CHANNELS, type Handlers, type ShellChannel } from '../../shared/contract';

type InvokeHandler = (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown;

const APP_URL = 'file:///opt/annotation-workstation/out/renderer/index.html';
/** What the shell's dialog hands the renderer for the chosen file: a token, never the path. */
const TOKEN = 'tok_0123456789abcdefABCDEF';

/** A fake ipcMain that records handle() like Electron does (one handler per channel). */
function fakeIpcMain() {
  const handlers = new Map<string, InvokeHandler>();
  const handle = vi.fn((channel: string, listener: InvokeHandler) => {
    if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    handlers.set(channel, listener);
  });
  const ipcMain = { handle } as unknown as Pick<IpcMain, 'handle'>;
  const call = async (channel: string, event: IpcMainInvokeEvent, ...args: unknown[]): Promise<unknown> => {
    const listener = handlers.get(channel);
    if (!listener) throw new Error(`no handler registered for ${channel}`);
    return await listener(event, ...args);
  };
  return { ipcMain, handle, handlers, call };
}

function eventFrom(url: string | undefined): IpcMainInvokeEvent {
  return { senderFrame: url === undefined ? null : { url }, sender: {} } as unknown as IpcMainInvokeEvent;
}

const trusted = eventFrom(APP_URL);
const untrusted = eventFrom('https://evil.example/index.html');
const isTrusted = (event: IpcMainInvokeEvent): boolean => isTrustedSender(event.senderFrame?.url, APP_URL);

describe('registerIpc', () => {
  let dir: string;
  let core: Core;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'shell-ipc-'));
    core = createCore({ dbPath: join(dir, 'test.db'), onInternalError: () => {} });
  });
  afterEach(() => {
    core.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const shellStub = (): Handlers<ShellChannel> & { 'system.pickFile': ReturnType<typeof vi.fn>; 'system.pickFolder': ReturnType<typeof vi.fn> } => ({
    'system.pickFile': vi.fn(async () => ({ token: TOKEN, name: 'data.jsonl' })),
    'system.pickFolder': vi.fn(async () => ({ token: null, name: null })),
  });

  it('registers exactly one handler for every channel of the contract', () => {
    const ipc = fakeIpcMain();
    const returned = registerIpc(ipc.ipcMain, core, shellStub(), isTrusted);

    const registered = ipc.handle.mock.calls.map((c) => c[0]);
    expect([...registered].sort()).toEqual(Object.keys(contract).sort());
    expect(new Set(registered).size).toBe(registered.length);
    for (const call of ipc.handle.mock.calls) expect(typeof call[1]).toBe('function');
    // With the shell handler supplied, every channel is reported as served.
    expect([...returned].sort()).toEqual(Object.keys(contract).sort());
  });

  it('reports shell channels without a shell handler as not served', () => {
    const ipc = fakeIpcMain();
    const returned = registerIpc(ipc.ipcMain, core, {} as Handlers<ShellChannel>, isTrusted);
    for (const ch of SHELL_CHANNELS) expect(returned).not.toContain(ch);
    expect(returned.length).toBe(Object.keys(contract).length - SHELL_CHANNELS.length);
  });

  it('answers projects.list from the real core for a trusted sender', async () => {
    const ipc = fakeIpcMain();
    registerIpc(ipc.ipcMain, core, shellStub(), isTrusted);

    const empty = await ipc.call('projects.list', trusted, {});
    expect(empty).toEqual({ ok: true, value: [] });

    const created = await ipc.call('projects.create', trusted, { name: '测试项目' });
    expect(created).toMatchObject({ ok: true, value: { name: '测试项目', description: '' } });

    const listed = await ipc.call('projects.list', trusted, {});
    expect(listed).toMatchObject({ ok: true, value: [{ name: '测试项目' }] });
  });

  it('treats a missing payload as {} (projects.list with no argument)', async () => {
    const ipc = fakeIpcMain();
    registerIpc(ipc.ipcMain, core, shellStub(), isTrusted);
    expect(await ipc.call('projects.list', trusted)).toEqual({ ok: true, value: [] });
  });

  it('rejects a bad payload with VALIDATION and does not touch the database', async () => {
    const ipc = fakeIpcMain();
    registerIpc(ipc.ipcMain, core, shellStub(), isTrusted);

    const result = await ipc.call('projects.create', trusted, { name: 42 });
    expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect((result as { error: { message: string } }).error.message).toMatch(/name/);

    expect(await ipc.call('items.list', trusted, { projectId: 'x', limit: 100000 })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' },
    });
    expect(await ipc.call('projects.list', trusted, {})).toEqual({ ok: true, value: [] });
  });

  it('returns NOT_FOUND (not a thrown error) for a missing project', async () => {
    const ipc = fakeIpcMain();
    registerIpc(ipc.ipcMain, core, shellStub(), isTrusted);
    const result = await ipc.call('projects.get', trusted, { projectId: '01HZZZZZZZZZZZZZZZZZZZZZZZ' });
    expect(result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('refuses an untrusted sender without reaching the core', async () => {
    const ipc = fakeIpcMain();
    const spied = { dispatch: vi.fn((channel: string, input: unknown) => core.dispatch(channel, input)) };
    const shell = shellStub();
    registerIpc(ipc.ipcMain, spied, shell, isTrusted);

    for (const event of [untrusted, eventFrom(undefined), eventFrom('file:///tmp/other/index.html'), eventFrom('garbage')]) {
      const created = await ipc.call('projects.create', event, { name: 'from an attacker' });
      expect(created).toMatchObject({ ok: false });
      expect((created as { ok: boolean }).ok).toBe(false);
      const listed = await ipc.call('projects.list', event, {});
      expect(listed).toMatchObject({ ok: false });
      const picked = await ipc.call('system.pickFile', event, { purpose: 'import' });
      expect(picked).toMatchObject({ ok: false });
    }
    expect(spied.dispatch).not.toHaveBeenCalled();
    expect(shell['system.pickFile']).not.toHaveBeenCalled();

    // Nothing was written: a trusted caller still sees an empty database.
    expect(await ipc.call('projects.list', trusted, {})).toEqual({ ok: true, value: [] });
    expect(spied.dispatch).toHaveBeenCalledTimes(1);
  });

  it('routes system.pickFile to the shell handler passed in, with the validated input', async () => {
    const ipc = fakeIpcMain();
    const shell = shellStub();
    registerIpc(ipc.ipcMain, core, shell, isTrusted);

    const result = await ipc.call('system.pickFile', trusted, { purpose: 'import' });
    expect(result).toEqual({ ok: true, value: { token: TOKEN, name: 'data.jsonl' } });
    expect(shell['system.pickFile']).toHaveBeenCalledTimes(1);
    expect(shell['system.pickFile']).toHaveBeenCalledWith({ purpose: 'import' });

    const bad = await ipc.call('system.pickFile', trusted, { purpose: 'delete-everything' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(shell['system.pickFile']).toHaveBeenCalledTimes(1);
  });

  it('answers UNKNOWN_CHANNEL for a shell channel that has no shell handler', async () => {
    const ipc = fakeIpcMain();
    registerIpc(ipc.ipcMain, core, {} as Handlers<ShellChannel>, isTrusted);
    expect(await ipc.call('system.pickFile', trusted, { purpose: 'import' })).toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_CHANNEL' },
    });
  });

  it('turns a throwing handler into INTERNAL without leaking the stack', async () => {
    const ipc = fakeIpcMain();
    const onInternalError = vi.fn();
    const shell: Handlers<ShellChannel> = {
      'system.pickFile': () => {
        throw new Error('secret detail at /home/user/.ssh');
      },
      'system.pickFolder': () => ({ token: null, name: null }),
    };
    registerIpc(ipc.ipcMain, core, shell, isTrusted, onInternalError);
    const result = await ipc.call('system.pickFile', trusted, { purpose: 'import' });
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(result)).not.toContain('secret');
    expect(onInternalError).toHaveBeenCalledWith('system.pickFile', expect.any(Error));
  });
});
