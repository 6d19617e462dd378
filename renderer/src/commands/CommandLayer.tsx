import { CommandPalette } from './CommandPalette';
import { command } from './defaults';
import { useKeyboardDispatcher } from './dispatcher';
import { HelpOverlay } from './HelpOverlay';
import { useCommands } from './hooks';
import { KeymapEditor } from './KeymapEditor';
import { openKeymapEditor, toggleHelp, togglePalette } from './overlays';

const LAYER_COMMANDS = [command('app.help', toggleHelp), command('app.palette', togglePalette), command('app.keymap', openKeymapEditor)];

/** The keyboard layer of the app: mount once inside MantineProvider. */
export function CommandLayer({ annotatorId }: { annotatorId: string | null }) {
  useKeyboardDispatcher();
  useCommands(LAYER_COMMANDS);
  return (
    <>
      <HelpOverlay />
      <CommandPalette />
      <KeymapEditor annotatorId={annotatorId} />
    </>
  );
}
