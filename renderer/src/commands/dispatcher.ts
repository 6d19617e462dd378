import { useEffect } from 'react';
import { effectiveKeys, isScopeActive, passesWhen } from './catalog';
import { isModalOpen, isTypingTarget } from './dom';
import { keyOfEvent, normalizeKey, type Platform } from './keys';
import { useCommandStore, type CommandState, type Registration } from './store';
import { SCOPE_PRECEDENCE, type Command, type Keymap } from './types';

/** The only commands that run while a modal dialog is open, so typing in dialogs is safe. */
const MODAL_SAFE = new Set(['app.palette', 'app.help']);

export interface KeyContext {
  /** Focus is in a text field (or an open menu/listbox). */
  inInput: boolean;
  modalOpen: boolean;
}

type Index = Map<string, Command[]>;
let cached: { registrations: readonly Registration[]; keymap: Keymap; platform: Platform; index: Index } | null = null;

/** canonical key -> registered commands bound to it, latest registration first; rebuilt only when its inputs change. */
function keyIndex(registrations: readonly Registration[], keymap: Keymap, platform: Platform): Index {
  if (cached && cached.registrations === registrations && cached.keymap === keymap && cached.platform === platform) return cached.index;
  const index: Index = new Map();
  for (let i = registrations.length - 1; i >= 0; i--) {
    const command = registrations[i]!.command;
    for (const raw of effectiveKeys(command, keymap)) {
      const key = normalizeKey(raw, platform);
      if (!key) continue;
      const list = index.get(key) ?? [];
      if (!list.some((c) => c.id === command.id)) list.push(command);
      index.set(key, list);
    }
  }
  cached = { registrations, keymap, platform, index };
  return index;
}

/**
 * The command a key runs: the innermost active scope first (spans > labeling > items > projects > global);
 * within the candidates, the first that may run in this context and whose when() is true.
 */
export function resolveCommand(state: CommandState, key: string, context: KeyContext): Command | null {
  const candidates = keyIndex(state.registrations, state.keymap, state.platform).get(key);
  if (!candidates) return null;
  for (const scope of SCOPE_PRECEDENCE) {
    if (!isScopeActive(state, scope)) continue;
    for (const command of candidates) {
      if (command.scope !== scope) continue;
      if (context.modalOpen && !MODAL_SAFE.has(command.id)) continue;
      if (context.inInput && !command.allowInInputs) continue;
      if (passesWhen(command)) return command;
    }
  }
  return null;
}

/**
 * Whether a modal was open when each key event began. Mantine closes a modal on Escape in a window
 * capture listener and React re-renders in the microtask right after it, before this document
 * listener runs; without this snapshot the Escape that closed a dialog would also go "back".
 */
const modalOpenAtStart = new WeakMap<Event, boolean>();
function snapshotModal(e: KeyboardEvent): void {
  modalOpenAtStart.set(e, isModalOpen());
}

/** The keydown handler: finds the command for the key and runs it. */
export function handleKeyDown(e: KeyboardEvent): void {
  // Handled already (the keymap editor's recorder), or an IME composing Chinese: the key is not ours.
  if (e.defaultPrevented || e.isComposing || e.keyCode === 229) return;
  const key = keyOfEvent(e);
  if (!key) return;
  const target = e.composedPath?.()[0] ?? e.target;
  const command = resolveCommand(useCommandStore.getState(), key, {
    inInput: isTypingTarget(target),
    modalOpen: modalOpenAtStart.get(e) ?? isModalOpen(),
  });
  if (!command) return;
  e.preventDefault();
  e.stopPropagation();
  if (e.repeat && !command.repeatable) return;
  try {
    command.run();
  } catch (error) {
    console.error(`commands: ${command.id} failed`, error);
  }
}

/** Installs the one keydown listener (document, capture phase) while mounted. */
export function useKeyboardDispatcher(): void {
  useEffect(() => {
    window.addEventListener('keydown', snapshotModal, true);
    document.addEventListener('keydown', handleKeyDown, true);
    return () => {
      window.removeEventListener('keydown', snapshotModal, true);
      document.removeEventListener('keydown', handleKeyDown, true);
    };
  }, []);
}
