import { command } from './defaults';
import { isModalOpen } from './dom';
import type { Command } from './types';

/** Where a row key moves the selection. */
export type RowMove = 'up' | 'down' | 'pageUp' | 'pageDown' | 'first' | 'last';

/** A mounted list or table with keyboard rows, as the list commands see it (useRowList makes one). */
export interface RowListHandle {
  /** The element holding the rows; focus inside it sends the row keys here. */
  root(): HTMLElement | null;
  /** An element outside the list from which ↓ enters it (the tab list above a report table), if any. */
  entry(): HTMLElement | null;
  /** The view's main list: it takes focus when it appears and gets the row keys while nothing has focus. */
  isPrimary(): boolean;
  move(to: RowMove): void;
  /** Puts focus on the selected row (without moving the selection). */
  enter(): void;
  canOpen(): boolean;
  open(): void;
}

/** Mounted lists, oldest first. */
const mounted: RowListHandle[] = [];

export function mountRowList(list: RowListHandle): () => void {
  mounted.push(list);
  return () => {
    const at = mounted.indexOf(list);
    if (at >= 0) mounted.splice(at, 1);
  };
}

/**
 * Whether no element has focus that keys could be meant for: the page itself, or the app header
 * (its back button after a click). A view's main list takes focus then, and gets the row keys.
 */
export function nothingFocused(doc: Document = document): boolean {
  const el = doc.activeElement;
  if (isModalOpen(doc)) return false;
  return !el || el === doc.body || el === doc.documentElement || !!el.closest('[data-app-header]');
}

export interface RowTarget {
  list: RowListHandle;
  /** inside: focus is in the list; entry: on its entry element; idle: nothing has focus. */
  via: 'inside' | 'entry' | 'idle';
}

/** The list the row keys go to: the one with focus, else the one whose entry has focus, else (nothing focused) the newest main list. */
export function rowTarget(doc: Document = document): RowTarget | null {
  const active = doc.activeElement;
  const newestFirst = [...mounted].reverse();
  if (active) {
    const inside = newestFirst.find((l) => l.root()?.contains(active));
    if (inside) return { list: inside, via: 'inside' };
    const entered = newestFirst.find((l) => l.entry()?.contains(active));
    if (entered) return { list: entered, via: 'entry' };
  }
  const primary = nothingFocused(doc) ? newestFirst.find((l) => l.isPrimary()) : undefined;
  return primary ? { list: primary, via: 'idle' } : null;
}

/** A row key: moves the selection of the focused list; from the list's entry, or with nothing focused, it first puts focus on the selected row. */
const moveTo = (to: RowMove) => () => {
  const target = rowTarget();
  if (target?.via === 'inside') target.list.move(to);
  else target?.list.enter();
};
/** Up, Home, End and the page keys belong to the entry element itself (a tab list has its own Home and End). */
const notOnEntry = () => {
  const target = rowTarget();
  return !!target && target.via !== 'entry';
};

/** The row keys of every list: registered by each useRowList, all routed to rowTarget(). */
export const LIST_COMMANDS: readonly Command[] = [
  command('lists.up', moveTo('up'), notOnEntry),
  command('lists.down', moveTo('down'), () => rowTarget() !== null),
  command('lists.pageUp', moveTo('pageUp'), notOnEntry),
  command('lists.pageDown', moveTo('pageDown'), notOnEntry),
  command('lists.first', moveTo('first'), notOnEntry),
  command('lists.last', moveTo('last'), notOnEntry),
  command(
    'lists.open',
    () => rowTarget()?.list.open(),
    () => notOnEntry() && !!rowTarget()?.list.canOpen(),
  ),
];

/** The selected row of each list by its id, kept while the list is unmounted, so coming back to a view lands on the row left from. */
const remembered = new Map<string, { index: number; key: string | undefined }>();

export function recallRow(id: string): { index: number; key: string | undefined } {
  return remembered.get(id) ?? { index: 0, key: undefined };
}

export function rememberRow(id: string, index: number, key: string | undefined): void {
  remembered.set(id, { index, key });
}

/** Forgets every remembered selection (tests; a new session). */
export function forgetRows(): void {
  remembered.clear();
}
