import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { channels, SHELL_CHANNELS, type Handlers, type ShellChannel } from '../../shared/contract';
import { dispatch } from '../../shared/contract/dispatch';
import type { Result } from '../../shared/contract/errors';

/** The core as the shell sees it: one call per channel, answered with a Result (CoreClient). */
export interface CoreEndpoint {
  dispatch(channel: string, input: unknown): Promise<Result<unknown>>;
}

const isShellChannel = (channel: string): channel is ShellChannel => (SHELL_CHANNELS as readonly string[]).includes(channel);

/**
 * Registers every contract channel: the core thread answers its channels (validating each payload
 * there), the shell its own (file dialogs), validated by dispatch here. Each call is checked to come
 * from the app's own frame first.
 */
export function registerIpc(
  ipcMain: Pick<IpcMain, 'handle'>,
  core: CoreEndpoint,
  shell: Handlers<ShellChannel>,
  isTrusted: (event: IpcMainInvokeEvent) => boolean,
  onInternalError?: (channel: string, error: unknown) => void,
): string[] {
  for (const channel of channels) {
    ipcMain.handle(channel, (event, raw: unknown) => {
      if (!isTrusted(event)) return { ok: false, error: { code: 'UNKNOWN_CHANNEL', message: 'IPC from an untrusted frame' } };
      return isShellChannel(channel) ? dispatch(shell, channel, raw, onInternalError) : core.dispatch(channel, raw);
    });
  }
  return [...channels].filter((c) => !isShellChannel(c) || c in shell);
}
