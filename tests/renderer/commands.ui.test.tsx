import { beforeAll, beforeEach, afterEach, describe, expect, it, vi } from 'vitest';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import i18next from 'i18next';
import { CommandLayer } from '../../renderer/src/commands/CommandLayer';
import { command, schemaCommands } from '../../renderer/src/commands/defaults';
import { useCommands, useScope } from '../../renderer/src/commands/hooks';
import { commandMessages } from '../../renderer/src/commands/locales';
import { openKeymapEditor, palette, paletteStore, useOverlays } from '../../renderer/src/commands/overlays';
import { useCommandStore } from '../../renderer/src/commands/store';
import type { Command, Scope } from '../../renderer/src/commands/types';
import { BRIDGE_NAME } from '../../shared/contract/channels';
import { DEFAULT_SCHEMA, LabelSchema } from '../../shared/domain/labelSchema';
import { renderWithTheme } from './render';

function Feature({ commands, scope }: { commands: Command[]; scope: Scope }) {
  useScope(scope);
  useCommands(commands);
  return null;
}

function setBridge(invoke: (channel: string, input: unknown) => Promise<unknown>) {
  (window as unknown as Record<string, unknown>)[BRIDGE_NAME] = { invoke, on: vi.fn() };
}

const press = (init: KeyboardEventInit, target: Element = document.activeElement ?? document.body) => fireEvent.keyDown(target, init);

beforeAll(() => {
  i18next.addResourceBundle('zh-CN', 'translation', { commands: commandMessages['zh-CN'] }, true, true);
  i18next.addResourceBundle('en', 'translation', { commands: commandMessages.en }, true, true);
});
beforeEach(() => {
  useCommandStore.setState(useCommandStore.getInitialState(), true);
  useCommandStore.getState().setPlatform('linux');
  useOverlays.setState(useOverlays.getInitialState(), true);
  act(() => palette.close());
});
afterEach(() => {
  delete (window as unknown as Record<string, unknown>)[BRIDGE_NAME];
});

describe('help overlay', () => {
  it('? lists every command by scope with its keys in zh-CN, dimming the unavailable ones', async () => {
    const schema = LabelSchema.parse(DEFAULT_SCHEMA);
    const handlers = { intent: vi.fn(), entity: vi.fn(), sentiment: vi.fn() };
    renderWithTheme(
      <>
        <CommandLayer annotatorId={null} />
        <Feature
          scope="labeling"
          commands={[command('labeling.submit', vi.fn()), command('labeling.redo', vi.fn(), () => false), ...schemaCommands(schema, handlers)]}
        />
      </>,
    );
    press({ key: '?', code: 'Slash', shiftKey: true }, document.body);
    const dialog = await screen.findByRole('dialog', { name: '键盘快捷键' });

    const scopes = [...dialog.querySelectorAll('section[data-scope]')].map((s) => s.getAttribute('aria-label'));
    expect(scopes).toEqual(['全局', '列表和表格', '项目列表', '条目列表', '标注', '实体标注', '出错提示']);

    const row = (id: string) => dialog.querySelector<HTMLElement>(`[data-command="${id}"]`)!;
    expect(row('labeling.submit').textContent).toContain('提交并下一条');
    expect(within(row('labeling.submit')).getByText('Enter').tagName).toBe('KBD');
    expect(row('labeling.submit').dataset.available).toBe('true');
    expect(within(row('labeling.redo')).getAllByText(/Ctrl\+(Shift\+Z|Y)/)).toHaveLength(2);
    expect(row('labeling.redo').dataset.available).toBe('false'); // when() is false
    expect(row('labeling.undo').dataset.available).toBe('false'); // no handler
    expect(row('app.palette').textContent).toContain('命令面板');
    expect(row('app.palette').textContent).toContain('Ctrl+K');
    expect(row('app.keymap').textContent).toContain('仅命令面板');
    expect(row('label.intent.查询订单').textContent).toContain('1');
    expect(row('label.entity.订单号').closest('section')?.dataset.scope).toBe('spans');

    fireEvent.change(within(dialog).getByRole('textbox', { name: '搜索命令或按键' }), { target: { value: '撤销' } });
    expect([...dialog.querySelectorAll('[data-command]')].map((r) => r.getAttribute('data-command'))).toEqual(['labeling.undo']);
  });
});

describe('command palette', () => {
  it('mod+K offers the commands that can run now; typing and Enter runs one', async () => {
    const next = vi.fn();
    const flag = vi.fn();
    renderWithTheme(
      <>
        <CommandLayer annotatorId={null} />
        <Feature scope="labeling" commands={[command('labeling.next', next), command('labeling.flag', flag, () => false)]} />
      </>,
    );
    press({ key: 'k', code: 'KeyK', ctrlKey: true }, document.body);
    const search = await screen.findByPlaceholderText('输入命令名称…');
    expect(screen.getByText('下一条')).toBeTruthy();
    expect(screen.queryByText('标记为疑难')).toBeNull();
    expect(screen.getByText('PgDn')).toBeTruthy();

    fireEvent.change(search, { target: { value: '下一条' } });
    press({ key: 'Enter', code: 'Enter' }, search);
    expect(next).toHaveBeenCalledTimes(1);
    expect(flag).not.toHaveBeenCalled();
  });
});

describe('keymap editor', () => {
  it('loads the annotator keymap, records a new key, refuses a conflicting one and saves', async () => {
    const invoke = vi.fn(async (channel: string, input: unknown) => {
      if (channel === 'annotators.getSettings') return { ok: true, value: { keymap: { 'labeling.skip': ['mod+S'] } } };
      return { ok: true, value: (input as { settings: unknown }).settings };
    });
    setBridge(invoke);
    const undo = vi.fn();
    renderWithTheme(
      <>
        <CommandLayer annotatorId="a1" />
        <Feature scope="labeling" commands={[command('labeling.undo', undo)]} />
      </>,
    );
    await waitFor(() => expect(useCommandStore.getState().keymap).toEqual({ 'labeling.skip': ['mod+S'] }));
    expect(invoke).toHaveBeenCalledWith('annotators.getSettings', { annotatorId: 'a1' });

    act(() => openKeymapEditor());
    const dialog = await screen.findByRole('dialog', { name: '自定义快捷键' });
    const row = (id: string) => dialog.querySelector<HTMLElement>(`[data-keymap-row="${id}"]`)!;
    expect(row('labeling.skip').textContent).toContain('Ctrl+S');
    expect(row('labeling.skip').textContent).toContain('已自定义');

    const filter = within(dialog).getByRole('textbox', { name: '搜索命令或按键' });
    fireEvent.change(filter, { target: { value: '撤销' } });
    press({ key: 'Enter', code: 'Enter' }, filter);
    expect(within(row('labeling.undo')).getByRole('status').textContent).toContain('请按下新的组合键');

    // Enter is labeling.submit's key in the same scope: refused, still recording.
    press({ key: 'Enter', code: 'Enter' });
    expect(within(dialog).getByRole('alert').textContent).toContain('Enter 已被「提交并下一条」使用');
    expect(within(row('labeling.undo')).getByRole('status')).toBeTruthy();

    // Ctrl+U is free: recorded (a lone Ctrl press first is ignored).
    press({ key: 'Control', code: 'ControlLeft', ctrlKey: true });
    press({ key: 'u', code: 'KeyU', ctrlKey: true });
    expect(within(row('labeling.undo')).queryByRole('status')).toBeNull();
    expect(row('labeling.undo').textContent).toContain('Ctrl+U');
    expect(within(dialog).queryByRole('alert')).toBeNull();
    // Recording swallowed the keys: the old binding did not run.
    expect(undo).not.toHaveBeenCalled();

    fireEvent.click(within(dialog).getByRole('button', { name: '保存' }));
    await waitFor(() =>
      expect(invoke).toHaveBeenCalledWith('annotators.saveSettings', {
        annotatorId: 'a1',
        settings: { keymap: { 'labeling.skip': ['mod+S'], 'labeling.undo': ['mod+u'] } },
      }),
    );
    await waitFor(() => expect(useCommandStore.getState().keymap['labeling.undo']).toEqual(['mod+u']));
    expect(useOverlays.getState().keymapOpen).toBe(false);
  });

  it('Escape cancels recording without closing the editor; reset restores the default', async () => {
    renderWithTheme(<CommandLayer annotatorId={null} />);
    act(() => openKeymapEditor());
    const dialog = await screen.findByRole('dialog', { name: '自定义快捷键' });
    expect(within(dialog).getByText('尚未选择标注员：更改只在本次运行中有效，不会保存。')).toBeTruthy();
    const row = () => dialog.querySelector<HTMLElement>('[data-keymap-row="app.toggleScheme"]')!;

    fireEvent.click(within(row()).getByRole('button', { name: '录制新快捷键' }));
    // Ctrl+K belongs to the command palette (global): refused, and the palette did not open.
    press({ key: 'k', code: 'KeyK', ctrlKey: true });
    expect(within(dialog).getByText(/Ctrl\+K 已被「命令面板」使用/)).toBeTruthy();
    expect(paletteStore.getState().opened).toBe(false);
    press({ key: 'Escape', code: 'Escape' });
    expect(within(row()).queryByRole('status')).toBeNull();
    expect(useOverlays.getState().keymapOpen).toBe(true);

    fireEvent.click(within(row()).getByRole('button', { name: '录制新快捷键' }));
    press({ key: 'F9', code: 'F9' });
    expect(row().textContent).toContain('F9');
    fireEvent.click(within(row()).getByRole('button', { name: '恢复默认' }));
    expect(row().textContent).toContain('Ctrl+Shift+L');

    fireEvent.click(within(row()).getByRole('button', { name: '录制新快捷键' }));
    press({ key: 'F9', code: 'F9' });
    fireEvent.click(within(dialog).getByRole('button', { name: '保存' }));
    await waitFor(() => expect(useCommandStore.getState().keymap).toEqual({ 'app.toggleScheme': ['f9'] }));
  });
});
