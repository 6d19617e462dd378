import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { channels, SHELL_CHANNELS, type Handlers, type ShellChannel } from '../../shared/contract';
import { dispatch } from '../../shared/contract/dispatch';
import type { Core } from '../core';

/**
 * Registers every contract channel: the core answers its channels, the shell its own (file
 * dialogs). Each call is checked to come from the app's own frame, then validated by dispatch.
 */
export function registerIpc(
  ipcMain: Pick<IpcMain, 'handle'>,
  core: Pick<Core, 'handlers'>,
  shell: Handlers<ShellChannel>,
  isTrusted: (event: IpcMainInvokeEvent) => boolean,
  onInternalError?: (channel: string, error: unknown) => void,
): string[] {
  const handlers = { ...core.handlers, ...shell };
  for (const channel of channels) {
    ipcMain.handle(channel, (event, raw: unknown) => {
      if (!isTrusted(event)) return { ok: false, error: { code: 'UNKNOWN_CHANNEL', message: 'IPC from an untrusted frame' } };
      return dispatch(handlers, channel, raw, onInternalError);
    });
  }
  return [...channels].filter((c) => !(SHELL_CHANNELS as readonly string[]).includes(c) || c in shell);
}
