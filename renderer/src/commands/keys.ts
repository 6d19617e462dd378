/**
 * Key strings: 'mod+shift+Z', 'Escape', '?', 'alt+ArrowLeft'. Canonical form: lower case, modifiers in the
 * order ctrl, alt, shift, meta, then the key ('ctrl+shift+z'). 'mod' is Ctrl on Linux/Windows and ⌘ on macOS.
 * A printable character that is not a letter ('?', '!', '+', '1') is matched by the character itself, with
 * Shift implied, so it works on any keyboard layout; letters keep Shift explicit and ignore case.
 */

export type Platform = 'mac' | 'windows' | 'linux';
type Modifier = 'ctrl' | 'alt' | 'shift' | 'meta';

const MODIFIER_ORDER: readonly Modifier[] = ['ctrl', 'alt', 'shift', 'meta'];
const MODIFIER_ALIASES: Record<string, Modifier | 'mod'> = {
  mod: 'mod',
  ctrl: 'ctrl',
  control: 'ctrl',
  alt: 'alt',
  option: 'alt',
  opt: 'alt',
  shift: 'shift',
  meta: 'meta',
  cmd: 'meta',
  command: 'meta',
  super: 'meta',
  win: 'meta',
};
const NAMED_ALIASES: Record<string, string> = {
  esc: 'escape',
  return: 'enter',
  del: 'delete',
  spacebar: 'space',
  left: 'arrowleft',
  right: 'arrowright',
  up: 'arrowup',
  down: 'arrowdown',
  pgup: 'pageup',
  pgdn: 'pagedown',
  plus: '+',
};
const NAMED_KEYS = new Set([
  'enter',
  'tab',
  'escape',
  'space',
  'backspace',
  'delete',
  'insert',
  'home',
  'end',
  'pageup',
  'pagedown',
  'arrowleft',
  'arrowright',
  'arrowup',
  'arrowdown',
  'contextmenu',
]);
/** e.key values that never make a shortcut on their own. */
const NON_KEYS = new Set(['Shift', 'Control', 'Alt', 'Meta', 'AltGraph', 'CapsLock', 'Fn', 'FnLock', 'OS', 'Dead', 'Process', 'Unidentified', '']);

export function detectPlatform(): Platform {
  if (typeof navigator === 'undefined') return 'linux';
  const nav = navigator as Navigator & { userAgentData?: { platform?: string } };
  const name = nav.userAgentData?.platform ?? nav.platform ?? '';
  if (/mac|iphone|ipad/i.test(name)) return 'mac';
  if (/win/i.test(name)) return 'windows';
  return 'linux';
}

interface ParsedKey {
  mods: Set<Modifier | 'mod'>;
  key: string;
}

function isSingleChar(s: string): boolean {
  return [...s].length === 1;
}

function isLetter(ch: string): boolean {
  return ch.toLowerCase() !== ch.toUpperCase();
}

function canonicalKeyName(raw: string): string | null {
  if (raw === ' ') return 'space';
  if (isSingleChar(raw)) return isLetter(raw) ? raw.toLowerCase() : raw;
  const lower = raw.toLowerCase();
  const name = NAMED_ALIASES[lower] ?? lower;
  if (NAMED_KEYS.has(name) || /^f([1-9]|1\d|2[0-4])$/.test(name) || isSingleChar(name)) return name;
  return null;
}

/** Parses 'mod+shift+Z', 'ctrl++', 'mod + K'; null when the string is not a key. */
function parseKey(input: string): ParsedKey | null {
  const compact = input === ' ' ? ' ' : input.replace(/\s+/g, '');
  if (compact === '') return null;
  let keyPart: string;
  let modPart: string;
  if (compact === '+') [keyPart, modPart] = ['+', ''];
  else if (compact.endsWith('++')) [keyPart, modPart] = ['+', compact.slice(0, -2)];
  else {
    const i = compact.lastIndexOf('+');
    [keyPart, modPart] = [compact.slice(i + 1), i >= 0 ? compact.slice(0, i) : ''];
  }
  const key = canonicalKeyName(keyPart);
  if (!key) return null;
  const mods = new Set<Modifier | 'mod'>();
  for (const part of modPart ? modPart.split('+') : []) {
    const mod = MODIFIER_ALIASES[part.toLowerCase()];
    if (!mod) return null;
    mods.add(mod);
  }
  return { mods, key };
}

interface Canonical {
  mods: Modifier[];
  key: string;
}

function canonical(mods: ReadonlySet<Modifier | 'mod'>, key: string, platform: Platform): Canonical {
  const resolved = new Set<Modifier>();
  for (const m of mods) resolved.add(m === 'mod' ? (platform === 'mac' ? 'meta' : 'ctrl') : m);
  // Shift is implied by a printable non-letter: '?' is '?', whatever keys make it on this layout.
  const shiftImplied = isSingleChar(key) && !isLetter(key);
  return { mods: MODIFIER_ORDER.filter((m) => resolved.has(m) && !(m === 'shift' && shiftImplied)), key };
}

const joined = (c: Canonical): string => [...c.mods, c.key].join('+');

/** The canonical form of a key string on a platform ('mod+shift+Z' -> 'ctrl+shift+z' on Linux); null if invalid. */
export function normalizeKey(key: string, platform: Platform = detectPlatform()): string | null {
  const parsed = parseKey(key);
  return parsed ? joined(canonical(parsed.mods, parsed.key, platform)) : null;
}

/** The portable form to store in a keymap: the platform's mod key written as 'mod' ('ctrl+u' -> 'mod+u' on Linux). */
export function portableKey(key: string, platform: Platform = detectPlatform()): string | null {
  const parsed = parseKey(key);
  if (!parsed) return null;
  const c = canonical(parsed.mods, parsed.key, platform);
  const modKey: Modifier = platform === 'mac' ? 'meta' : 'ctrl';
  return [...(c.mods.includes(modKey) ? ['mod'] : []), ...c.mods.filter((m) => m !== modKey), c.key].join('+');
}

/** The canonical key string of a keydown event, or '' for a lone modifier, a dead key or IME processing. */
export function keyOfEvent(e: KeyboardEvent): string {
  if (NON_KEYS.has(e.key)) return '';
  const mods = new Set<Modifier | 'mod'>();
  if (e.ctrlKey) mods.add('ctrl');
  if (e.altKey) mods.add('alt');
  if (e.shiftKey) mods.add('shift');
  if (e.metaKey) mods.add('meta');
  let key = e.key;
  if (isSingleChar(key) && key !== ' ' && (e.ctrlKey || e.altKey || e.metaKey) && !/^[\x21-\x7e]$/.test(key)) {
    // Option+A on a Mac types 'å', Ctrl+K on a Russian layout 'л': use the physical key for such combinations.
    const physical = /^(?:Key([A-Z])|Digit(\d))$/.exec(e.code);
    if (physical) key = (physical[1] ?? physical[2])!;
  }
  // An event carries real modifiers, never 'mod', so the platform argument does not matter here.
  return joined(canonical(mods, canonicalKeyName(key) ?? key.toLowerCase(), 'linux'));
}

const MODIFIER_LABELS: Record<Platform, Record<Modifier, string>> = {
  mac: { ctrl: '⌃', alt: '⌥', shift: '⇧', meta: '⌘' },
  windows: { ctrl: 'Ctrl', alt: 'Alt', shift: 'Shift', meta: 'Win' },
  linux: { ctrl: 'Ctrl', alt: 'Alt', shift: 'Shift', meta: 'Super' },
};
const KEY_LABELS: Record<string, string> = {
  arrowleft: '←',
  arrowright: '→',
  arrowup: '↑',
  arrowdown: '↓',
  escape: 'Esc',
  enter: 'Enter',
  tab: 'Tab',
  space: 'Space',
  backspace: 'Backspace',
  delete: 'Del',
  insert: 'Ins',
  home: 'Home',
  end: 'End',
  pageup: 'PgUp',
  pagedown: 'PgDn',
  contextmenu: 'Menu',
};

/** How a key reads on screen: '⇧⌘Z' on a Mac, 'Ctrl+Shift+Z' elsewhere. */
export function formatKeys(key: string, platform: Platform = detectPlatform()): string {
  const parsed = parseKey(key);
  if (!parsed) return key;
  const c = canonical(parsed.mods, parsed.key, platform);
  const keyLabel = KEY_LABELS[c.key] ?? c.key.toUpperCase();
  const labels = [...c.mods.map((m) => MODIFIER_LABELS[platform][m]), keyLabel];
  return labels.join(platform === 'mac' ? '' : '+');
}

export interface KeyConflict {
  scope: string;
  /** Canonical key string. */
  key: string;
  ids: string[];
}

/**
 * Keys bound to two commands in one scope. The same key in an inner and an outer scope is allowed:
 * the inner command wins, or the outer one when the inner one's when() is false.
 */
export function findConflicts(
  commands: readonly { id: string; keys: readonly string[]; scope: string }[],
  keymap?: Readonly<Record<string, readonly string[]>>,
  platform: Platform = detectPlatform(),
): KeyConflict[] {
  const owners = new Map<string, { scope: string; key: string; ids: Set<string> }>();
  for (const c of commands) {
    for (const raw of keymap?.[c.id] ?? c.keys) {
      const key = normalizeKey(raw, platform);
      if (!key) continue;
      const slot = `${c.scope}\u0000${key}`;
      const owner = owners.get(slot) ?? { scope: c.scope, key, ids: new Set<string>() };
      owner.ids.add(c.id);
      owners.set(slot, owner);
    }
  }
  return [...owners.values()].filter((o) => o.ids.size > 1).map((o) => ({ scope: o.scope, key: o.key, ids: [...o.ids] }));
}
