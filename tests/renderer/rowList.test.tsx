import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { useMemo, useRef } from 'react';
import { useNavigation } from '../../renderer/src/app/store';
import { RowListEntryContext, useRowList } from '../../renderer/src/commands/useRowList';
import { forgetRows } from '../../renderer/src/commands/rows';
import { setKeymap, useCommandStore } from '../../renderer/src/commands/store';
import { ProfilePicker } from '../../renderer/src/features/annotators/ProfilePicker';
import { useAnnotators } from '../../renderer/src/features/annotators/store';
import { ItemTable } from '../../renderer/src/features/items/ItemTable';
import { ProjectList } from '../../renderer/src/features/projects/ProjectList';
import { useProjects } from '../../renderer/src/features/projects/store';
import { BRIDGE_NAME } from '../../shared/contract/channels';
import { itemRow } from './fixtures';
import { renderWithKeyboard } from './render';

function Rows({ id = 'test', names, onOpen }: { id?: string; names: string[]; onOpen?: (i: number) => void }) {
  const list = useRowList({ id, count: names.length, keyOf: (i) => names[i]!, ...(onOpen ? { onOpen } : {}) });
  return (
    <ul {...list.listProps} role="listbox" aria-label="rows">
      {names.map((n, i) => (
        <li key={n} {...list.rowProps(i)} role="option">
          {n}
        </li>
      ))}
    </ul>
  );
}

/** A list below a button that leads into it, as the report's tab list leads into its tables. */
function WithEntry({ names }: { names: string[] }) {
  const button = useRef<HTMLButtonElement>(null);
  const entry = useMemo(() => ({ entry: () => button.current, exitTop: () => button.current?.focus() }), []);
  return (
    <>
      <button ref={button}>tabs</button>
      <RowListEntryContext value={entry}>
        <Rows names={names} />
      </RowListEntryContext>
    </>
  );
}

const NAMES = Array.from({ length: 30 }, (_, i) => `row ${i + 1}`);
const press = (key: string) => fireEvent.keyDown(document.activeElement ?? document.body, { key, code: key });
const focused = () => document.activeElement?.textContent;
const option = (name: string) => screen.getByRole('option', { name });

beforeEach(() => {
  useCommandStore.setState(useCommandStore.getInitialState(), true);
  useCommandStore.getState().setPlatform('linux');
  forgetRows();
});
afterEach(() => {
  delete (window as unknown as Record<string, unknown>)[BRIDGE_NAME];
});

describe('useRowList: keyboard rows through the command registry', () => {
  it('selects and focuses the first row; ↑/↓, PageUp/PageDown, Home/End move; Enter opens the selected row', () => {
    const open = vi.fn();
    renderWithKeyboard(<Rows names={NAMES} onOpen={open} />);
    expect(focused()).toBe('row 1');
    expect(option('row 1').getAttribute('aria-selected')).toBe('true');
    expect(screen.getAllByRole('option').filter((o) => o.tabIndex === 0)).toEqual([option('row 1')]);

    press('ArrowDown');
    press('ArrowDown');
    expect(focused()).toBe('row 3');
    press('ArrowUp');
    expect(focused()).toBe('row 2');
    press('PageDown'); // jsdom has no layout: a page is 10 rows
    expect(focused()).toBe('row 12');
    press('End');
    expect(focused()).toBe('row 30');
    press('ArrowDown'); // stays on the last row
    expect(focused()).toBe('row 30');
    press('PageUp');
    expect(focused()).toBe('row 20');
    press('Home');
    expect(focused()).toBe('row 1');
    press('ArrowUp');
    expect(focused()).toBe('row 1');
    press('ArrowDown');
    press('Enter');
    expect(open).toHaveBeenCalledExactlyOnceWith(1);
    expect(option('row 2').dataset.selected).toBe('');
    expect(option('row 1').dataset.selected).toBeUndefined();
  });

  it('leaves focus and keys alone when they are somewhere else; a click selects a row', () => {
    const open = vi.fn();
    renderWithKeyboard(
      <>
        <button autoFocus>elsewhere</button>
        <Rows names={NAMES} onOpen={open} />
      </>,
    );
    expect(focused()).toBe('elsewhere');
    press('ArrowDown');
    press('Enter');
    expect(open).not.toHaveBeenCalled();
    expect(option('row 1').getAttribute('aria-selected')).toBe('true');
    act(() => option('row 5').focus());
    expect(option('row 5').getAttribute('aria-selected')).toBe('true');
    press('ArrowDown');
    expect(focused()).toBe('row 6');
  });

  it('without a command for the list (no onOpen), Enter is left to others', () => {
    renderWithKeyboard(<Rows names={NAMES} />);
    expect(press('Enter')).toBe(true); // not prevented
    expect(press('ArrowDown')).toBe(false);
  });

  it('remembers the selected row by its key, so coming back lands on it even if the rows moved', () => {
    const first = renderWithKeyboard(<Rows names={NAMES} />);
    press('ArrowDown');
    press('ArrowDown');
    first.unmount();
    renderWithKeyboard(<Rows names={['new row', ...NAMES]} />);
    expect(focused()).toBe('row 3');
    expect(option('row 3').getAttribute('aria-selected')).toBe('true');
  });

  it('the keys are the registry’s: a remapped key moves the rows, the old one no longer does', () => {
    renderWithKeyboard(<Rows names={NAMES} />);
    act(() => setKeymap({ 'lists.down': ['j'] }));
    press('ArrowDown');
    expect(focused()).toBe('row 1');
    fireEvent.keyDown(document.activeElement!, { key: 'j', code: 'KeyJ' });
    expect(focused()).toBe('row 2');
    act(() => setKeymap({}));
  });

  it('↓ on the element leading into the list enters it; ↑ on the first row goes back there', () => {
    renderWithKeyboard(<WithEntry names={NAMES} />);
    act(() => screen.getByRole('button', { name: 'tabs' }).focus());
    press('Home'); // the entry's own key, not the list's
    expect(focused()).toBe('tabs');
    press('ArrowDown');
    expect(focused()).toBe('row 1');
    press('ArrowDown');
    press('ArrowUp');
    press('ArrowUp');
    expect(focused()).toBe('tabs');
  });
});

const PROJECTS = ['售后意图', '演示：电商客服', '物流投诉'].map((name, i) => ({
  id: `p${i + 1}`,
  name,
  description: '',
  createdAt: '2026-03-01T00:00:00.000Z',
  schemaVersion: 1,
  itemCount: 100 * (i + 1),
  annotatedCount: 10,
}));

function bridge(handle: (channel: string, input: unknown) => unknown) {
  const invoke = vi.fn(async (channel: string, input: unknown) => ({ ok: true, value: handle(channel, input) }));
  (window as unknown as Record<string, unknown>)[BRIDGE_NAME] = { invoke, on: vi.fn(() => () => {}) };
  return invoke;
}

describe('the project list', () => {
  it('opens with its first project focused; ↓ and Enter open the second; coming back focuses that one again', async () => {
    bridge((channel) => (channel === 'projects.list' ? PROJECTS : null));
    useProjects.setState({ projects: [], loaded: false });
    useNavigation.setState({ route: { name: 'projects' }, history: [] });
    const view = renderWithKeyboard(<ProjectList />);
    await waitFor(() => expect((document.activeElement as HTMLElement).dataset.projectName).toBe('售后意图'));
    const row = (name: string) => screen.getByTestId('project-table').querySelector<HTMLElement>(`[data-project-name="${name}"]`)!;
    expect(row('售后意图').getAttribute('aria-selected')).toBe('true');
    expect(screen.getByRole('grid', { name: '项目' })).toBeTruthy();

    press('ArrowDown');
    expect(document.activeElement).toBe(row('演示：电商客服'));
    press('Enter');
    expect(useNavigation.getState().route).toEqual({ name: 'project', projectId: 'p2' });
    view.unmount();

    act(() => useNavigation.getState().back());
    renderWithKeyboard(<ProjectList />);
    await waitFor(() => expect(document.activeElement).toBe(row('演示：电商客服')));
  });
});

describe('the profile picker', () => {
  const person = (id: string, name: string) => ({ id, name, origin: 'local' as const, createdAt: '2026-03-01T00:00:00.000Z', roles: ['annotator' as const] });

  it('with no profile yet, the name field has focus', () => {
    useAnnotators.setState({ annotators: [], current: null, loaded: true });
    renderWithKeyboard(<ProfilePicker />);
    expect(document.activeElement).toBe(screen.getByRole('textbox', { name: '新建档案' }));
  });

  it('the profiles are keyboard rows: the first focused, ↓ past the last into the name field, ↑ back, Enter picks', () => {
    useAnnotators.setState({ annotators: [person('a1', '王芳'), person('a2', '李伟')], current: null, loaded: true });
    renderWithKeyboard(<ProfilePicker />);
    expect(focused()).toContain('王芳');
    press('ArrowDown');
    press('ArrowDown');
    const field = screen.getByRole('textbox', { name: '新建档案' });
    expect(document.activeElement).toBe(field);
    press('ArrowUp');
    expect(focused()).toContain('李伟');
    press('Enter');
    expect(useAnnotators.getState().current?.id).toBe('a2');
  });
});

describe('the item table (virtualized: the list keeps focus and points at the selected row)', () => {
  it('focuses the list with the first row selected; End and Home move; Enter opens the selected item', async () => {
    const invoke = bridge((channel, input) => {
      if (channel !== 'items.list') return null;
      const { offset, limit } = input as { offset: number; limit: number };
      const items = Array.from({ length: limit }, (_, i) => itemRow(offset + i + 1, `第${offset + i + 1}条`));
      return { total: 1000, items };
    });
    const open = vi.fn();
    renderWithKeyboard(<ItemTable projectId="p1" version={0} onOpen={open} />);
    const table = await screen.findByTestId('item-table');
    await waitFor(() => expect(document.activeElement).toBe(table));
    const selectedId = () => table.getAttribute('aria-activedescendant')!;
    expect(document.getElementById(selectedId())!.textContent).toContain('第1条');
    expect(document.getElementById(selectedId())!.getAttribute('aria-selected')).toBe('true');

    press('ArrowDown');
    expect(document.getElementById(selectedId())!.textContent).toContain('第2条');
    press('End');
    expect(selectedId()).toMatch(/row-999$/);
    press('Home');
    press('Enter');
    expect(open).toHaveBeenCalledExactlyOnceWith('i1');
    expect(invoke).toHaveBeenCalledWith('items.list', expect.objectContaining({ projectId: 'p1', offset: 0 }));
  });
});

describe('navigation history', () => {
  it('Esc goes back where the person came from: a disagreement’s queue back to the report, then the project, then the list', () => {
    useNavigation.setState({ route: { name: 'projects' }, history: [] });
    const { go, back } = useNavigation.getState();
    go({ name: 'project', projectId: 'p1' });
    go({ name: 'reports', projectId: 'p1' });
    go({ name: 'labeling', projectId: 'p1', startOrd: 42 });
    back();
    expect(useNavigation.getState().route).toEqual({ name: 'reports', projectId: 'p1' });
    back();
    expect(useNavigation.getState().route).toEqual({ name: 'project', projectId: 'p1' });
    back();
    expect(useNavigation.getState().route).toEqual({ name: 'projects' });
    // Without a history (a reload), back is one level up.
    useNavigation.setState({ route: { name: 'labeling', projectId: 'p1' }, history: [] });
    back();
    expect(useNavigation.getState().route).toEqual({ name: 'project', projectId: 'p1' });
  });
});
