import { createSpotlight } from '@mantine/spotlight';
import { create } from 'zustand';
import { availableCommands } from './catalog';
import { useCommandStore } from './store';
import type { Command } from './types';

/** The spotlight instance of the command palette (its own store, not Mantine's global one). */
export const [paletteStore, palette] = createSpotlight();

interface OverlayState {
  helpOpen: boolean;
  /** Ids that could run when help opened; the others are dimmed. */
  helpAvailable: ReadonlySet<string>;
  keymapOpen: boolean;
  /** The command whose new key the keymap editor is waiting for. */
  recordingId: string | null;
  /** What the palette offers, taken when it opened. */
  paletteCommands: readonly Command[];
}

export const useOverlays = create<OverlayState>()(() => ({
  helpOpen: false,
  helpAvailable: new Set(),
  keymapOpen: false,
  recordingId: null,
  paletteCommands: [],
}));

export function toggleHelp(): void {
  if (useOverlays.getState().helpOpen) return closeHelp();
  const available = new Set(availableCommands(useCommandStore.getState()).map((c) => c.id));
  useOverlays.setState({ helpOpen: true, helpAvailable: available });
}

export function closeHelp(): void {
  useOverlays.setState({ helpOpen: false });
}

export function togglePalette(): void {
  if (paletteStore.getState().opened) return palette.close();
  const offered = availableCommands(useCommandStore.getState()).filter((c) => c.id !== 'app.palette');
  useOverlays.setState({ paletteCommands: offered });
  palette.open();
}

export function openKeymapEditor(): void {
  useOverlays.setState({ keymapOpen: true, helpOpen: false, recordingId: null });
}

export function closeKeymapEditor(): void {
  useOverlays.setState({ keymapOpen: false, recordingId: null });
}

/** Starts (id) or ends (null) recording a key in the keymap editor. */
export function setRecording(id: string | null): void {
  useOverlays.setState({ recordingId: id });
}
