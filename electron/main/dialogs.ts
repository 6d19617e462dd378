import { basename } from 'node:path';
import { dialog } from 'electron';
import type { Handlers, ShellChannel } from '../../shared/contract';
import type { FilePurpose } from '../../shared/contract/schemas';

/** Hands a path the user chose to the core and returns its token (CoreClient.grant). */
export type GrantFile = (path: string, purpose: FilePurpose) => Promise<string>;

/**
 * The shell's own dialogs: the only way a path reaches the core from the window. The renderer gets
 * an opaque token and the file's name to show, never the path to send back.
 */
export function dialogHandlers(grant: GrantFile): Handlers<ShellChannel> {
  const picked = async (paths: string[], canceled: boolean, purpose: FilePurpose) => {
    const path = canceled ? undefined : paths[0];
    return path ? { token: await grant(path, purpose), name: basename(path) } : { token: null, name: null };
  };
  return {
    'system.pickFile': async ({ purpose }) => {
      const result = await dialog.showOpenDialog({
        properties: ['openFile'],
        filters:
          purpose === 'import'
            ? [
                { name: 'Data', extensions: ['jsonl', 'json', 'csv', 'tsv', 'txt'] },
                { name: 'All files', extensions: ['*'] },
              ]
            : [
                { name: 'Packs', extensions: ['zip'] },
                { name: 'All files', extensions: ['*'] },
              ],
      });
      return picked(result.filePaths, result.canceled, purpose);
    },
    'system.pickFolder': async ({ purpose }) => {
      const result = await dialog.showOpenDialog({
        properties: purpose === 'model-folder' ? ['openDirectory'] : ['openDirectory', 'createDirectory', 'promptToCreate'],
      });
      return picked(result.filePaths, result.canceled, purpose);
    },
  };
}
