import { DEFAULT_COMMANDS } from './defaults';
import { useCommandStore, type CommandState, type Registration } from './store';
import { SCOPE_PRECEDENCE, type Command, type CommandDef, type Keymap, type Scope } from './types';

/** A command as help, the palette and the keymap editor show it: its definition and its handler, if mounted. */
export interface CatalogEntry {
  def: CommandDef & { title?: string };
  handler: Command | undefined;
}

type State = Pick<CommandState, 'registrations' | 'scopeCounts'>;

/** The latest registration of each id. */
export function handlersById(registrations: readonly Registration[]): Map<string, Command> {
  const out = new Map<string, Command>();
  for (const r of registrations) out.set(r.command.id, r.command);
  return out;
}

/** Every command: the static catalog in its order, then dynamic ones (schema labels) as registered. */
export function catalog(registrations: readonly Registration[]): CatalogEntry[] {
  const handlers = handlersById(registrations);
  const entries: CatalogEntry[] = DEFAULT_COMMANDS.map((def) => {
    const handler = handlers.get(def.id);
    return { def: handler ?? def, handler };
  });
  const known = new Set(DEFAULT_COMMANDS.map((d) => d.id));
  for (const [id, handler] of handlers) if (!known.has(id)) entries.push({ def: handler, handler });
  return entries;
}

export function effectiveKeys(def: Pick<CommandDef, 'id' | 'keys'>, keymap: Keymap): string[] {
  return keymap[def.id] ?? def.keys;
}

export function isScopeActive(state: State, scope: Scope): boolean {
  return scope === 'global' || state.scopeCounts[scope] > 0;
}

/** Active scopes, innermost first. */
export function activeScopes(state: State): Scope[] {
  return SCOPE_PRECEDENCE.filter((s) => isScopeActive(state, s));
}

/** A command's when(), with a throwing one counted as false rather than breaking the keyboard. */
export function passesWhen(command: Command): boolean {
  try {
    return command.when?.() ?? true;
  } catch (error) {
    console.error(`commands: when() of ${command.id} threw`, error);
    return false;
  }
}

/** Commands that can run right now: registered, in an active scope, when() true. */
export function availableCommands(state: State): Command[] {
  return [...handlersById(state.registrations).values()].filter((c) => isScopeActive(state, c.scope) && passesWhen(c));
}

/** Runs a registered command by id (from a button, say) if it is available now; returns whether it ran. */
export function runCommand(id: string, state: State = useCommandStore.getState()): boolean {
  const command = handlersById(state.registrations).get(id);
  if (!command || !isScopeActive(state, command.scope) || !passesWhen(command)) return false;
  command.run();
  return true;
}

/** The title to show: a dynamic command's literal title, else its translated titleKey. */
export function commandTitle(def: Pick<Command, 'titleKey' | 'title'>, t: (key: string) => string): string {
  return def.title ?? t(def.titleKey);
}
