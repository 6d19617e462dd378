import { findConflicts, type KeyConflict, type Platform } from './keys';
import type { CommandDef, Keymap } from './types';

const sameKeys = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((k, i) => k === b[i]);

/** The draft with a command's keys replaced; an override equal to the defaults is dropped. */
export function withKeys(draft: Keymap, def: Pick<CommandDef, 'id' | 'keys'>, keys: string[]): Keymap {
  const { [def.id]: _old, ...rest } = draft;
  return sameKeys(keys, def.keys) ? rest : { ...rest, [def.id]: keys };
}

/** The draft without an override for the command: its default keys apply again. */
export function withDefault(draft: Keymap, id: string): Keymap {
  const { [id]: _old, ...rest } = draft;
  return rest;
}

/** The conflicts binding `keys` to `def` would create, or [] when the new keys are free in their scope. */
export function conflictsOfChange(defs: readonly CommandDef[], draft: Keymap, def: CommandDef, keys: string[], platform: Platform): KeyConflict[] {
  return findConflicts(defs, withKeys(draft, def, keys), platform).filter((c) => c.ids.includes(def.id));
}
