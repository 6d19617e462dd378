/**
 * Where a command applies. Inner scopes win over outer ones: alert > spans > labeling > lists > items > projects > global.
 * 'lists' is active while a list or table with keyboard rows is mounted (useRowList); 'alert' while an alert
 * that holds the keys is shown (a failed write in the labeling view).
 */
export type Scope = 'global' | 'projects' | 'items' | 'lists' | 'labeling' | 'spans' | 'alert';

/** Innermost first: the order the dispatcher looks for a command in. */
export const SCOPE_PRECEDENCE: readonly Scope[] = ['alert', 'spans', 'labeling', 'lists', 'items', 'projects', 'global'];
/** Outermost first: the order help and the keymap editor list scopes in. */
export const SCOPE_ORDER: readonly Scope[] = ['global', 'lists', 'projects', 'items', 'labeling', 'spans', 'alert'];

/** A command as the catalog knows it, before any feature supplies a handler. */
export interface CommandDef {
  id: string;
  /** i18n key of the title, e.g. 'commands.labeling.submit'. */
  titleKey: string;
  /** Default keys, e.g. ['mod+shift+Z', 'mod+Y']; [] = palette only. */
  keys: string[];
  scope: Scope;
  /** Sub-heading in help, e.g. 'navigation'; titled by 'commands.groups.<group>'. */
  group: string;
  /** Runs even while focus is in a text field. */
  allowInInputs?: boolean;
  /** Runs again on key auto-repeat (held key); only navigation commands are. */
  repeatable?: boolean;
}

/** A command with its handler, as a feature registers it with useCommands. */
export interface Command extends CommandDef {
  /** Literal title for dynamic commands, e.g. a label name; wins over titleKey. */
  title?: string;
  /** Whether the command applies right now; when false the key falls through to outer scopes. */
  when?: () => boolean;
  run: () => void;
}

/** Per-annotator key overrides: command id -> keys (replacing the defaults). */
export type Keymap = Record<string, string[]>;
