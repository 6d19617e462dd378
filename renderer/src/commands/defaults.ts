import type { LabelSchema } from '../../../shared/domain/labelSchema';
import type { Command, CommandDef, Scope } from './types';

type Entry = { keys: string[]; scope: Scope; group: string; allowInInputs?: boolean; repeatable?: boolean };
const nav = { repeatable: true } as const;

/** Every static command of the app, in the order help lists them. */
const CATALOG = {
  'app.help': { keys: ['?'], scope: 'global', group: 'general' },
  'app.palette': { keys: ['mod+K'], scope: 'global', group: 'general', allowInInputs: true },
  'app.keymap': { keys: [], scope: 'global', group: 'general' },
  'app.toggleScheme': { keys: ['mod+shift+L'], scope: 'global', group: 'general', allowInInputs: true },
  'app.switchAnnotator': { keys: [], scope: 'global', group: 'general' },
  'app.language': { keys: [], scope: 'global', group: 'general' },
  'app.back': { keys: ['Escape'], scope: 'global', group: 'navigation' },

  'lists.up': { keys: ['ArrowUp'], scope: 'lists', group: 'rows', ...nav },
  'lists.down': { keys: ['ArrowDown'], scope: 'lists', group: 'rows', ...nav },
  'lists.pageUp': { keys: ['PageUp'], scope: 'lists', group: 'rows', ...nav },
  'lists.pageDown': { keys: ['PageDown'], scope: 'lists', group: 'rows', ...nav },
  'lists.first': { keys: ['Home'], scope: 'lists', group: 'rows' },
  'lists.last': { keys: ['End'], scope: 'lists', group: 'rows' },
  'lists.open': { keys: ['Enter'], scope: 'lists', group: 'rows' },

  'projects.new': { keys: ['n'], scope: 'projects', group: 'projects' },

  'items.search': { keys: ['/'], scope: 'items', group: 'items' },
  'items.import': { keys: ['i'], scope: 'items', group: 'items' },
  'items.export': { keys: ['e'], scope: 'items', group: 'items' },
  'items.label': { keys: ['l'], scope: 'items', group: 'items' },
  'items.prelabel': { keys: ['shift+P'], scope: 'items', group: 'items' },
  'items.reports': { keys: ['r'], scope: 'items', group: 'items' },

  'labeling.submit': { keys: ['Enter'], scope: 'labeling', group: 'decision' },
  'labeling.skip': { keys: ['shift+Enter'], scope: 'labeling', group: 'decision' },
  'labeling.flag': { keys: ['!'], scope: 'labeling', group: 'decision' },
  'labeling.next': { keys: ['PageDown'], scope: 'labeling', group: 'navigation', ...nav },
  'labeling.prev': { keys: ['PageUp'], scope: 'labeling', group: 'navigation', ...nav },
  'labeling.jump': { keys: ['mod+G'], scope: 'labeling', group: 'navigation' },
  'labeling.undo': { keys: ['mod+Z'], scope: 'labeling', group: 'editing' },
  'labeling.redo': { keys: ['mod+shift+Z', 'mod+Y'], scope: 'labeling', group: 'editing' },
  'labeling.intentPicker': { keys: ['/'], scope: 'labeling', group: 'editing' },
  'labeling.clearIntents': { keys: ['mod+Backspace'], scope: 'labeling', group: 'editing' },
  'labeling.explain': { keys: ['mod+E'], scope: 'labeling', group: 'suggestions' },
  'labeling.acceptAll': { keys: ['+'], scope: 'labeling', group: 'suggestions' },
  'labeling.acceptSuggestion': { keys: ['='], scope: 'labeling', group: 'suggestions' },
  'labeling.rejectSuggestion': { keys: ['-'], scope: 'labeling', group: 'suggestions' },

  'spans.left': { keys: ['ArrowLeft'], scope: 'spans', group: 'cursor', ...nav },
  'spans.right': { keys: ['ArrowRight'], scope: 'spans', group: 'cursor', ...nav },
  'spans.wordLeft': { keys: ['mod+ArrowLeft'], scope: 'spans', group: 'cursor', ...nav },
  'spans.wordRight': { keys: ['mod+ArrowRight'], scope: 'spans', group: 'cursor', ...nav },
  'spans.home': { keys: ['Home'], scope: 'spans', group: 'cursor', ...nav },
  'spans.end': { keys: ['End'], scope: 'spans', group: 'cursor', ...nav },
  'spans.extendLeft': { keys: ['shift+ArrowLeft'], scope: 'spans', group: 'selection', ...nav },
  'spans.extendRight': { keys: ['shift+ArrowRight'], scope: 'spans', group: 'selection', ...nav },
  'spans.extendWordLeft': { keys: ['mod+shift+ArrowLeft'], scope: 'spans', group: 'selection', ...nav },
  'spans.extendWordRight': { keys: ['mod+shift+ArrowRight'], scope: 'spans', group: 'selection', ...nav },
  'spans.nextSpan': { keys: ['Tab'], scope: 'spans', group: 'spanNavigation', ...nav },
  'spans.prevSpan': { keys: ['shift+Tab'], scope: 'spans', group: 'spanNavigation', ...nav },
  'spans.startLeft': { keys: ['alt+ArrowLeft'], scope: 'spans', group: 'boundaries', ...nav },
  'spans.startRight': { keys: ['alt+ArrowRight'], scope: 'spans', group: 'boundaries', ...nav },
  'spans.endLeft': { keys: ['alt+shift+ArrowLeft'], scope: 'spans', group: 'boundaries', ...nav },
  'spans.endRight': { keys: ['alt+shift+ArrowRight'], scope: 'spans', group: 'boundaries', ...nav },
  'spans.delete': { keys: ['Delete', 'Backspace'], scope: 'spans', group: 'spanEditing' },
  'spans.clear': { keys: ['Escape'], scope: 'spans', group: 'spanEditing' },

  'alert.retry': { keys: ['Enter'], scope: 'alert', group: 'recovery' },
  'alert.reload': { keys: ['Escape'], scope: 'alert', group: 'recovery' },
} satisfies Record<string, Entry>;

/** The id of a command in the static catalog. */
export type StaticCommandId = keyof typeof CATALOG;

/** The static catalog of every command in the app; titles are 'commands.<id>'. */
export const DEFAULT_COMMANDS: CommandDef[] = Object.entries(CATALOG).map(([id, entry]: [string, Entry]) => ({
  id,
  titleKey: `commands.${id}`,
  ...entry,
  keys: [...entry.keys],
}));

const byId = new Map(DEFAULT_COMMANDS.map((d) => [d.id, d]));

/** The catalog definition of a static command. */
export function defaultCommand(id: StaticCommandId): CommandDef {
  const def = byId.get(id);
  if (!def) throw new Error(`unknown command ${id}`);
  return def;
}

/** A static command with its handler, for useCommands: `command('labeling.submit', submit)`. */
export function command(id: StaticCommandId, run: () => void, when?: () => boolean): Command {
  return when ? { ...defaultCommand(id), run, when } : { ...defaultCommand(id), run };
}

export interface SchemaHandlers {
  intent(name: string): void;
  entity(name: string): void;
  sentiment(name: string): void;
}

const GROUP = { intent: 'intents', entity: 'entities', sentiment: 'sentiment' } as const;

/** One command per intent, entity type and sentiment level of a project's schema, keyed by its hotkey. */
export function schemaCommands(schema: LabelSchema, handlers: SchemaHandlers): Command[] {
  const make = (kind: 'intent' | 'entity' | 'sentiment', name: string, hotkey: string): Command => ({
    id: `label.${kind}.${name}`,
    titleKey: `commands.groups.${GROUP[kind]}`,
    title: name,
    keys: hotkey ? [hotkey] : [],
    scope: kind === 'entity' ? 'spans' : 'labeling',
    group: GROUP[kind],
    run: () => handlers[kind](name),
  });
  return [
    ...schema.intents.labels.map((l) => make('intent', l.name, l.hotkey)),
    ...schema.entities.types.map((e) => make('entity', e.name, e.hotkey)),
    ...schema.sentiment.levels.map((l) => make('sentiment', l.name, l.hotkey)),
  ];
}
