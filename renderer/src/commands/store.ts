import { create } from 'zustand';
import { detectPlatform, type Platform } from './keys';
import type { Command, Keymap, Scope } from './types';

/** One handler registered by a mounted component; the latest registration of an id wins. */
export interface Registration {
  token: number;
  command: Command;
}

export interface CommandState {
  registrations: readonly Registration[];
  /** How many mounted components hold each scope; 'global' is always active. */
  scopeCounts: Readonly<Record<Scope, number>>;
  /** The current annotator's overrides: command id -> keys, replacing the default keys. */
  keymap: Keymap;
  platform: Platform;
  /** Registers handlers; returns the function that unregisters exactly these. */
  register(commands: readonly Command[]): () => void;
  /** Activates a scope; returns the function that releases it. */
  pushScope(scope: Scope): () => void;
  setKeymap(keymap: Keymap): void;
  setPlatform(platform: Platform): void;
}

const NO_SCOPES: Record<Scope, number> = { global: 1, projects: 0, items: 0, lists: 0, labeling: 0, spans: 0, alert: 0 };
let nextToken = 1;

export const useCommandStore = create<CommandState>()((set) => ({
  registrations: [],
  scopeCounts: NO_SCOPES,
  keymap: {},
  platform: detectPlatform(),
  register(commands) {
    const added = commands.map((command) => ({ token: nextToken++, command }));
    const tokens = new Set(added.map((r) => r.token));
    set((s) => ({ registrations: [...s.registrations, ...added] }));
    return () => set((s) => ({ registrations: s.registrations.filter((r) => !tokens.has(r.token)) }));
  },
  pushScope(scope) {
    if (scope === 'global') return () => {};
    const change = (by: number) => set((s) => ({ scopeCounts: { ...s.scopeCounts, [scope]: Math.max(0, s.scopeCounts[scope] + by) } }));
    change(1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      change(-1);
    };
  },
  setKeymap: (keymap) => set({ keymap }),
  setPlatform: (platform) => set({ platform }),
}));

/** Applies an annotator's key overrides (command id -> keys); {} restores every default. */
export function setKeymap(keymap: Keymap): void {
  useCommandStore.getState().setKeymap(keymap);
}
