import { createContext, useCallback, useContext, useEffect, useId, useLayoutEffect, useRef, useState } from 'react';
import { useCommands, useScope } from './hooks';
import { LIST_COMMANDS, mountRowList, nothingFocused, recallRow, rememberRow, type RowListHandle, type RowMove } from './rows';
import classes from './rows.module.css';

/** Where a list sits below something else that leads into it: ↓ there enters the list, ↑ on its first row goes back. */
export interface RowListEntry {
  entry(): HTMLElement | null;
  exitTop(): void;
}

/** Provided around a list by a view that leads into it (the report's tab list above its tables). */
export const RowListEntryContext = createContext<RowListEntry | null>(null);

export interface RowListOptions {
  /** Names the list; its selected row is remembered under this name for when the view comes back. */
  id: string;
  count: number;
  /** A stable key of row i (a project id, an item number), so the remembered row is found again after the rows change. */
  keyOf?: (index: number) => string;
  /** Enter on the selected row; without it Enter is not the list's. */
  onOpen?: (index: number) => void;
  /**
   * 'row' (default): the selected row itself takes focus (roving tabindex). 'container': the list
   * element keeps focus and points at the selected row with aria-activedescendant — for a
   * virtualized list, whose rows come and go as it scrolls.
   */
  focus?: 'row' | 'container';
  /** The view's main list (default true): takes focus when its rows appear and nothing else has focus. */
  primary?: boolean;
  /** Rows per PageUp/PageDown; a screenful by default. */
  pageSize?: () => number;
  /** Brings row i into view; a virtualized list scrolls itself (default: the row element's scrollIntoView). */
  scrollTo?: (index: number) => void;
  /** ↑ on the first row (default: back to the entry of a RowListEntryContext, if any). */
  onExitTop?: () => void;
  /** ↓ on the last row. */
  onExitBottom?: () => void;
}

export interface RowProps {
  id: string;
  ref?: (el: HTMLElement | null) => void;
  tabIndex?: 0 | -1;
  'aria-selected': boolean;
  'data-selected': '' | undefined;
  className: string | undefined;
  onFocus?: () => void;
}

export interface ListProps {
  ref: (el: HTMLElement | null) => void;
  tabIndex?: 0;
  'aria-activedescendant'?: string | undefined;
  'data-row-list': '';
}

export interface RowList {
  /** The selected row (0 when the list is empty). */
  selected: number;
  /** Selects row i (clamped to the list) and puts focus on it. */
  focusRow(index: number): void;
  /** Props for the element holding the rows. */
  listProps: ListProps;
  /** Props for row i: its id, the selection for screen readers and styles, and in 'row' focus its tab stop. */
  rowProps(index: number): RowProps;
  /** Class for the list element in 'container' focus (outlines the selected row while the list has focus). */
  containerClassName: string | undefined;
}

const clamp = (i: number, count: number) => Math.max(0, Math.min(count - 1, i));
const FALLBACK_PAGE = 10;

/** The row a remembered selection stands for now: the same key if it is still there, else the same position. */
function resolveRow(picked: { index: number; key: string | undefined }, count: number, keyOf: RowListOptions['keyOf']): number {
  if (count === 0) return 0;
  if (keyOf && picked.key !== undefined && (picked.index >= count || keyOf(picked.index) !== picked.key)) {
    for (let i = 0; i < count; i++) if (keyOf(i) === picked.key) return i;
  }
  return clamp(picked.index, count);
}

/**
 * A list or table driven by the keyboard through the command registry: its first row (or the one
 * left from) selected, ↑/↓, PageUp/PageDown, Home/End and Enter as the 'lists' commands, the
 * selection shown (data-selected, aria-selected) and focus on the selected row, and focus taken
 * when the view opens. Every key lives in the registry (rows.ts), so the keymap and help apply.
 */
export function useRowList(options: RowListOptions): RowList {
  const { id, count, keyOf, focus = 'row', primary = true } = options;
  const entryContext = useContext(RowListEntryContext);
  const domId = useId();
  const [picked, setPicked] = useState(() => ({ id, ...recallRow(id) }));
  const current = picked.id === id ? picked : { id, ...recallRow(id) };
  const selected = resolveRow(current, count, keyOf);

  const root = useRef<HTMLElement | null>(null);
  const rows = useRef(new Map<number, HTMLElement>());
  const latest = useRef({ options, selected, entryContext });
  useLayoutEffect(() => {
    latest.current = { options, selected, entryContext };
  });

  const rowId = useCallback((index: number) => `${domId}row-${index}`, [domId]);

  /** Selects row i and (with focus) puts focus on it and brings it into view. */
  const select = useCallback((index: number, withFocus: boolean) => {
    const { options: o } = latest.current;
    if (o.count === 0) return;
    const next = clamp(index, o.count);
    const key = o.keyOf?.(next);
    rememberRow(o.id, next, key);
    setPicked({ id: o.id, index: next, key });
    latest.current = { ...latest.current, selected: next };
    if (o.scrollTo) o.scrollTo(next);
    else rows.current.get(next)?.scrollIntoView({ block: 'nearest' });
    if (!withFocus) return;
    const target = (o.focus ?? 'row') === 'row' ? rows.current.get(next) : root.current;
    if (target && document.activeElement !== target) target.focus({ preventScroll: true });
  }, []);

  const [handle] = useState<RowListHandle>(() => {
    const pageSize = () => {
      const { options: o, selected: at } = latest.current;
      if (o.pageSize) return Math.max(1, o.pageSize());
      const height = rows.current.get(at)?.offsetHeight ?? 0;
      return height > 0 ? Math.max(1, Math.floor(window.innerHeight / height) - 1) : FALLBACK_PAGE;
    };
    return {
      root: () => root.current,
      entry: () => latest.current.entryContext?.entry() ?? null,
      isPrimary: () => latest.current.options.primary ?? true,
      move(to: RowMove) {
        const { options: o, selected: at, entryContext: ctx } = latest.current;
        const exitTop = o.onExitTop ?? ctx?.exitTop;
        if (to === 'up' && at === 0 && exitTop) return exitTop();
        if (to === 'down' && at >= o.count - 1 && o.onExitBottom) return o.onExitBottom();
        const targets: Record<RowMove, () => number> = {
          up: () => at - 1,
          down: () => at + 1,
          pageUp: () => at - pageSize(),
          pageDown: () => at + pageSize(),
          first: () => 0,
          last: () => o.count - 1,
        };
        select(targets[to](), true);
      },
      enter: () => select(latest.current.selected, true),
      canOpen: () => !!latest.current.options.onOpen && latest.current.options.count > 0,
      open() {
        const { options: o, selected: at } = latest.current;
        if (o.count > 0) o.onOpen?.(at);
      },
    };
  });

  useScope('lists');
  useCommands(LIST_COMMANDS);
  useEffect(() => mountRowList(handle), [handle]);

  // The view's main list takes focus when its rows appear, unless the person is somewhere else already.
  const hasRows = count > 0;
  useEffect(() => {
    if (primary && hasRows && nothingFocused()) handle.enter();
  }, [primary, hasRows, id, handle]);

  const setRoot = useCallback((el: HTMLElement | null) => {
    root.current = el;
  }, []);

  const rowProps = (index: number): RowProps => {
    const isSelected = index === selected && count > 0;
    const common = {
      id: rowId(index),
      'aria-selected': isSelected,
      'data-selected': isSelected ? ('' as const) : undefined,
      className: classes.row,
    };
    if (focus === 'container') return common;
    return {
      ...common,
      tabIndex: isSelected ? 0 : -1,
      ref: (el) => {
        if (el) rows.current.set(index, el);
        else rows.current.delete(index);
      },
      // A click (or a Tab onto a link inside the row) selects it.
      onFocus: () => {
        if (latest.current.selected !== index) select(index, false);
      },
    };
  };

  const listProps: ListProps =
    focus === 'container'
      ? { ref: setRoot, tabIndex: 0, 'aria-activedescendant': count > 0 ? rowId(selected) : undefined, 'data-row-list': '' }
      : { ref: setRoot, 'data-row-list': '' };

  return { selected, focusRow: (index) => select(index, true), listProps, rowProps, containerClassName: classes.container };
}
