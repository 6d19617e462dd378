import { describe, expect, it } from 'vitest';
import { DEFAULT_COMMANDS, schemaCommands } from '../../renderer/src/commands/defaults';
import { findConflicts, formatKeys, keyOfEvent, normalizeKey, portableKey } from '../../renderer/src/commands/keys';
import { DEFAULT_SCHEMA, LabelSchema } from '../../shared/domain/labelSchema';

const noop = { intent: () => {}, entity: () => {}, sentiment: () => {} };
const key = (init: KeyboardEventInit) => keyOfEvent(new KeyboardEvent('keydown', init));

describe('one key, one action per scope', () => {
  it.each(['linux', 'windows', 'mac'] as const)('the default catalog plus the default schema has no conflict on %s', (platform) => {
    const all = [...DEFAULT_COMMANDS, ...schemaCommands(LabelSchema.parse(DEFAULT_SCHEMA), noop)];
    expect(findConflicts(all, undefined, platform)).toEqual([]);
  });

  it('every default key is a valid key string and every id is unique', () => {
    for (const def of DEFAULT_COMMANDS) for (const k of def.keys) expect(normalizeKey(k, 'linux'), `${def.id}: ${k}`).not.toBeNull();
    expect(new Set(DEFAULT_COMMANDS.map((d) => d.id)).size).toBe(DEFAULT_COMMANDS.length);
  });

  it('detects an injected duplicate in one scope, however the key is spelled', () => {
    const injected = [...DEFAULT_COMMANDS, { id: 'labeling.extra', keys: ['ctrl+shift+z'], scope: 'labeling' }];
    expect(findConflicts(injected, undefined, 'linux')).toEqual([
      { scope: 'labeling', key: 'ctrl+shift+z', ids: ['labeling.redo', 'labeling.extra'] },
    ]);
    // On a Mac mod is ⌘, so Ctrl+Shift+Z is a different key there.
    expect(findConflicts(injected, undefined, 'mac')).toEqual([]);
  });

  it('detects a schema hotkey clashing with a static command, and a keymap override clashing with a default', () => {
    const schema = LabelSchema.parse({ intents: { labels: [{ name: '投诉', hotkey: '=' }] } });
    expect(findConflicts([...DEFAULT_COMMANDS, ...schemaCommands(schema, noop)], undefined, 'linux')).toEqual([
      { scope: 'labeling', key: '=', ids: ['labeling.acceptSuggestion', 'label.intent.投诉'] },
    ]);
    expect(findConflicts(DEFAULT_COMMANDS, { 'labeling.skip': ['Enter'] }, 'linux')).toEqual([
      { scope: 'labeling', key: 'enter', ids: ['labeling.submit', 'labeling.skip'] },
    ]);
  });

  it('allows the same key in an inner and an outer scope (Escape: alert.reload, spans.clear and app.back; / in items and labeling)', () => {
    const escape = DEFAULT_COMMANDS.filter((d) => d.keys.includes('Escape')).map((d) => d.scope);
    expect(escape.sort()).toEqual(['alert', 'global', 'spans']);
    expect(findConflicts(DEFAULT_COMMANDS, undefined, 'linux')).toEqual([]);
  });

  it('the row keys are one set in the lists scope; Enter opens a row there, submits in labeling, retries in an alert', () => {
    const ids = (scope: string) => DEFAULT_COMMANDS.filter((d) => d.scope === scope).map((d) => d.id);
    expect(ids('lists')).toEqual(['lists.up', 'lists.down', 'lists.pageUp', 'lists.pageDown', 'lists.first', 'lists.last', 'lists.open']);
    const enter = DEFAULT_COMMANDS.filter((d) => d.keys.includes('Enter')).map((d) => `${d.scope}:${d.id}`);
    expect(enter.sort()).toEqual(['alert:alert.retry', 'labeling:labeling.submit', 'lists:lists.open']);
    // A second row command on ↓ in the same scope is caught.
    expect(findConflicts([...DEFAULT_COMMANDS, { id: 'lists.extra', keys: ['ArrowDown'], scope: 'lists' }], undefined, 'linux')).toEqual([
      { scope: 'lists', key: 'arrowdown', ids: ['lists.down', 'lists.extra'] },
    ]);
  });
});

describe('schemaCommands', () => {
  it('makes one command per intent, entity type and sentiment level, keyed by its hotkey', () => {
    const schema = LabelSchema.parse(DEFAULT_SCHEMA);
    const calls: string[] = [];
    const commands = schemaCommands(schema, {
      intent: (n) => calls.push(`intent:${n}`),
      entity: (n) => calls.push(`entity:${n}`),
      sentiment: (n) => calls.push(`sentiment:${n}`),
    });
    expect(commands).toHaveLength(schema.intents.labels.length + schema.entities.types.length + schema.sentiment.levels.length);
    expect(commands.find((c) => c.id === 'label.intent.查询订单')).toMatchObject({
      title: '查询订单',
      keys: ['1'],
      scope: 'labeling',
      group: 'intents',
    });
    expect(commands.find((c) => c.id === 'label.entity.订单号')).toMatchObject({ title: '订单号', keys: ['o'], scope: 'spans', group: 'entities' });
    expect(commands.find((c) => c.id === 'label.sentiment.消极')).toMatchObject({ keys: ['z'], scope: 'labeling', group: 'sentiment' });
    commands.find((c) => c.id === 'label.entity.日期')!.run();
    commands.find((c) => c.id === 'label.sentiment.积极')!.run();
    expect(calls).toEqual(['entity:日期', 'sentiment:积极']);
  });

  it('a label without a hotkey gets no key (palette only)', () => {
    const schema = LabelSchema.parse({ intents: { labels: [{ name: '催单' }] } });
    expect(schemaCommands(schema, noop).find((c) => c.id === 'label.intent.催单')?.keys).toEqual([]);
  });
});

describe('key strings', () => {
  it('normalizes mod per platform, orders modifiers and ignores letter case and spaces', () => {
    expect(normalizeKey('mod+shift+Z', 'linux')).toBe('ctrl+shift+z');
    expect(normalizeKey('Shift+Mod+z', 'windows')).toBe('ctrl+shift+z');
    expect(normalizeKey('mod+shift+Z', 'mac')).toBe('shift+meta+z');
    expect(normalizeKey('mod + K', 'mac')).toBe('meta+k');
    expect(normalizeKey('alt+shift+ArrowLeft', 'linux')).toBe('alt+shift+arrowleft');
    expect(normalizeKey('cmd+option+k', 'linux')).toBe('alt+meta+k');
  });

  it('treats a printable non-letter as itself, Shift implied; + is a key too', () => {
    expect(normalizeKey('?', 'linux')).toBe('?');
    expect(normalizeKey('shift+?', 'linux')).toBe('?');
    expect(normalizeKey('+', 'linux')).toBe('+');
    expect(normalizeKey('mod++', 'linux')).toBe('ctrl++');
    expect(normalizeKey('N', 'linux')).toBe('n');
    expect(normalizeKey('shift+n', 'linux')).toBe('shift+n');
  });

  it('knows named keys and their aliases, and rejects garbage', () => {
    expect(normalizeKey('Esc', 'linux')).toBe('escape');
    expect(normalizeKey('PageDown', 'linux')).toBe('pagedown');
    expect(normalizeKey('F5', 'linux')).toBe('f5');
    expect(normalizeKey('Space', 'linux')).toBe('space');
    expect(normalizeKey('', 'linux')).toBeNull();
    expect(normalizeKey('hyper+k', 'linux')).toBeNull();
    expect(normalizeKey('ctrl+Foo', 'linux')).toBeNull();
  });

  it('stores the platform mod key portably as mod', () => {
    expect(portableKey('ctrl+u', 'linux')).toBe('mod+u');
    expect(portableKey('meta+u', 'mac')).toBe('mod+u');
    expect(portableKey('ctrl+u', 'mac')).toBe('ctrl+u');
    expect(portableKey('ctrl+shift+arrowleft', 'windows')).toBe('mod+shift+arrowleft');
    expect(portableKey('?', 'linux')).toBe('?');
  });

  it('formats for display: ⌘ on a Mac, Ctrl elsewhere', () => {
    expect(formatKeys('mod+shift+Z', 'mac')).toBe('⇧⌘Z');
    expect(formatKeys('mod+shift+Z', 'linux')).toBe('Ctrl+Shift+Z');
    expect(formatKeys('mod+K', 'windows')).toBe('Ctrl+K');
    expect(formatKeys('alt+ArrowLeft', 'linux')).toBe('Alt+←');
    expect(formatKeys('Escape', 'mac')).toBe('Esc');
    expect(formatKeys('?', 'linux')).toBe('?');
    expect(formatKeys('mod++', 'linux')).toBe('Ctrl++');
    expect(formatKeys('PageDown', 'linux')).toBe('PgDn');
  });
});

describe('keyOfEvent', () => {
  it('matches printable characters on e.key with Shift implied, so ? ! + = / work on any layout', () => {
    expect(key({ key: '?', code: 'Slash', shiftKey: true })).toBe('?');
    expect(key({ key: '!', code: 'Digit1', shiftKey: true })).toBe('!');
    expect(key({ key: '+', code: 'Equal', shiftKey: true })).toBe('+');
    // A German layout types + without Shift, on another physical key: still '+'.
    expect(key({ key: '+', code: 'BracketRight' })).toBe('+');
    expect(key({ key: '=', code: 'Equal' })).toBe('=');
    expect(key({ key: '/', code: 'Slash' })).toBe('/');
    expect(key({ key: '1', code: 'Numpad1' })).toBe('1');
  });

  it('keeps Shift on letters and ignores case (Caps Lock)', () => {
    expect(key({ key: 'n', code: 'KeyN' })).toBe('n');
    expect(key({ key: 'N', code: 'KeyN' })).toBe('n');
    expect(key({ key: 'L', code: 'KeyL', ctrlKey: true, shiftKey: true })).toBe('ctrl+shift+l');
  });

  it('builds modifiers + name for named keys', () => {
    expect(key({ key: 'Enter', code: 'Enter' })).toBe('enter');
    expect(key({ key: 'Enter', code: 'Enter', shiftKey: true })).toBe('shift+enter');
    expect(key({ key: 'Tab', code: 'Tab', shiftKey: true })).toBe('shift+tab');
    expect(key({ key: 'ArrowLeft', code: 'ArrowLeft', altKey: true, shiftKey: true })).toBe('alt+shift+arrowleft');
    expect(key({ key: 'Backspace', code: 'Backspace', ctrlKey: true })).toBe('ctrl+backspace');
    expect(key({ key: 'F2', code: 'F2' })).toBe('f2');
    expect(key({ key: ' ', code: 'Space' })).toBe('space');
  });

  it('matches mod per platform: Ctrl+K on Linux, ⌘K on a Mac', () => {
    expect(key({ key: 'k', code: 'KeyK', ctrlKey: true })).toBe(normalizeKey('mod+K', 'linux'));
    expect(key({ key: 'k', code: 'KeyK', metaKey: true })).toBe(normalizeKey('mod+K', 'mac'));
    expect(key({ key: 'k', code: 'KeyK', metaKey: true })).not.toBe(normalizeKey('mod+K', 'linux'));
    expect(key({ key: 'z', code: 'KeyZ', metaKey: true, shiftKey: true })).toBe(normalizeKey('mod+shift+Z', 'mac'));
  });

  it('uses the physical key when a modifier makes e.key a foreign character', () => {
    expect(key({ key: 'å', code: 'KeyA', altKey: true })).toBe('alt+a');
    expect(key({ key: 'л', code: 'KeyK', ctrlKey: true })).toBe('ctrl+k');
  });

  it('returns nothing for lone modifiers, dead keys and IME processing', () => {
    for (const k of ['Shift', 'Control', 'Alt', 'Meta', 'Dead', 'Process', 'Unidentified']) expect(key({ key: k })).toBe('');
  });
});
