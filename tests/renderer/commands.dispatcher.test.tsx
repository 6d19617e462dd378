import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/react';
import { command, schemaCommands } from '../../renderer/src/commands/defaults';
import { useKeyboardDispatcher } from '../../renderer/src/commands/dispatcher';
import { useCommands, useScope } from '../../renderer/src/commands/hooks';
import { runCommand } from '../../renderer/src/commands/catalog';
import { setKeymap, useCommandStore } from '../../renderer/src/commands/store';
import type { Command, Scope } from '../../renderer/src/commands/types';
import { DEFAULT_SCHEMA, LabelSchema } from '../../shared/domain/labelSchema';

function ScopeOn({ scope }: { scope: Scope }) {
  useScope(scope);
  return null;
}

function Harness({ commands, scopes = [] }: { commands: Command[]; scopes?: Scope[] }) {
  useKeyboardDispatcher();
  useCommands(commands);
  return (
    <>
      {scopes.map((s) => (
        <ScopeOn key={s} scope={s} />
      ))}
      <input aria-label="field" />
      <input aria-label="check" type="checkbox" />
      <div aria-label="editor" contentEditable suppressContentEditableWarning>
        text
      </div>
    </>
  );
}

const press = (init: KeyboardEventInit, target: Element = document.body) => fireEvent.keyDown(target, init);

beforeEach(() => {
  useCommandStore.setState(useCommandStore.getInitialState(), true);
  useCommandStore.getState().setPlatform('linux');
});
afterEach(() => document.querySelectorAll('[data-fake-modal]').forEach((el) => el.remove()));

describe('dispatcher: scopes', () => {
  it('the innermost active scope wins when two scopes bind one key', () => {
    const search = vi.fn();
    const picker = vi.fn();
    const commands = [command('items.search', search), command('labeling.intentPicker', picker)];
    const { rerender } = render(<Harness commands={commands} scopes={['items']} />);
    press({ key: '/', code: 'Slash' });
    expect(search).toHaveBeenCalledTimes(1);
    rerender(<Harness commands={commands} scopes={['items', 'labeling']} />);
    press({ key: '/', code: 'Slash' });
    expect(picker).toHaveBeenCalledTimes(1);
    expect(search).toHaveBeenCalledTimes(1);
  });

  it('a command of an inactive scope does not run; global always does', () => {
    const submit = vi.fn();
    const toggle = vi.fn();
    render(<Harness commands={[command('labeling.submit', submit), command('app.toggleScheme', toggle)]} />);
    press({ key: 'Enter', code: 'Enter' });
    press({ key: 'L', code: 'KeyL', ctrlKey: true, shiftKey: true });
    expect(submit).not.toHaveBeenCalled();
    expect(toggle).toHaveBeenCalledTimes(1);
  });

  it('falls through to an outer scope when the inner command’s when() is false (Escape)', () => {
    let spanSelected = true;
    const clear = vi.fn(() => (spanSelected = false));
    const back = vi.fn();
    render(<Harness commands={[command('spans.clear', clear, () => spanSelected), command('app.back', back)]} scopes={['labeling', 'spans']} />);
    press({ key: 'Escape', code: 'Escape' });
    expect(clear).toHaveBeenCalledTimes(1);
    expect(back).not.toHaveBeenCalled();
    press({ key: 'Escape', code: 'Escape' });
    expect(clear).toHaveBeenCalledTimes(1);
    expect(back).toHaveBeenCalledTimes(1);
  });

  it('schema hotkeys: entity keys in spans, intent keys fall through to labeling', () => {
    const intent = vi.fn();
    const entity = vi.fn();
    const commands = schemaCommands(LabelSchema.parse(DEFAULT_SCHEMA), { intent, entity, sentiment: vi.fn() });
    render(<Harness commands={commands} scopes={['labeling', 'spans']} />);
    press({ key: 'o', code: 'KeyO' });
    press({ key: '1', code: 'Digit1' });
    expect(entity).toHaveBeenCalledWith('订单号');
    expect(intent).toHaveBeenCalledWith('查询订单');
  });

  it('runCommand runs an available command by id and refuses one whose scope is inactive', () => {
    const next = vi.fn();
    const back = vi.fn();
    render(<Harness commands={[command('labeling.next', next), command('app.back', back)]} />);
    expect(runCommand('labeling.next')).toBe(false);
    expect(runCommand('app.back')).toBe(true);
    expect(back).toHaveBeenCalledTimes(1);
    expect(next).not.toHaveBeenCalled();
  });
});

describe('dispatcher: what it leaves alone', () => {
  it('ignores keys typed into inputs and contenteditable unless the command allows inputs', () => {
    const create = vi.fn();
    const palette = vi.fn();
    render(<Harness commands={[command('projects.new', create), command('app.palette', palette)]} scopes={['projects']} />);
    const field = screen.getByRole('textbox', { name: 'field' });
    expect(press({ key: 'n', code: 'KeyN' }, field)).toBe(true);
    press({ key: 'n', code: 'KeyN' }, screen.getByLabelText('editor'));
    expect(create).not.toHaveBeenCalled();
    press({ key: 'k', code: 'KeyK', ctrlKey: true }, field);
    expect(palette).toHaveBeenCalledTimes(1);
    // A checkbox is not a text field.
    press({ key: 'n', code: 'KeyN' }, screen.getByRole('checkbox', { name: 'check' }));
    expect(create).toHaveBeenCalledTimes(1);
  });

  it('ignores keys while an IME composition is active (Chinese input)', () => {
    const create = vi.fn();
    render(<Harness commands={[command('projects.new', create)]} scopes={['projects']} />);
    press({ key: 'n', code: 'KeyN', isComposing: true });
    press({ key: 'Process', code: 'KeyN', keyCode: 229 });
    press({ key: 'n', code: 'KeyN', keyCode: 229 });
    expect(create).not.toHaveBeenCalled();
    press({ key: 'n', code: 'KeyN' });
    expect(create).toHaveBeenCalledTimes(1);
  });

  it('ignores auto-repeat for non-navigation commands but repeats navigation', () => {
    const submit = vi.fn();
    const right = vi.fn();
    render(<Harness commands={[command('labeling.submit', submit), command('spans.right', right)]} scopes={['labeling', 'spans']} />);
    press({ key: 'Enter', code: 'Enter' });
    expect(press({ key: 'Enter', code: 'Enter', repeat: true })).toBe(false);
    press({ key: 'ArrowRight', code: 'ArrowRight' });
    press({ key: 'ArrowRight', code: 'ArrowRight', repeat: true });
    expect(submit).toHaveBeenCalledTimes(1);
    expect(right).toHaveBeenCalledTimes(2);
  });

  it('prevents the default and stops propagation when a command runs, and only then', () => {
    const submit = vi.fn();
    const seen = vi.fn();
    render(<Harness commands={[command('labeling.submit', submit)]} scopes={['labeling']} />);
    document.body.addEventListener('keydown', seen);
    expect(press({ key: 'Enter', code: 'Enter' })).toBe(false);
    expect(seen).not.toHaveBeenCalled();
    expect(press({ key: 'x', code: 'KeyX' })).toBe(true);
    expect(seen).toHaveBeenCalledTimes(1);
    document.body.removeEventListener('keydown', seen);
  });

  it('while a modal dialog is open only app.help and app.palette run', () => {
    const create = vi.fn();
    const help = vi.fn();
    const palette = vi.fn();
    render(
      <Harness commands={[command('projects.new', create), command('app.help', help), command('app.palette', palette)]} scopes={['projects']} />,
    );
    const modal = document.createElement('section');
    modal.setAttribute('role', 'dialog');
    modal.setAttribute('aria-modal', 'true');
    modal.dataset.fakeModal = '';
    document.body.append(modal);
    press({ key: 'n', code: 'KeyN' }, modal);
    press({ key: '?', code: 'Slash', shiftKey: true }, modal);
    press({ key: 'k', code: 'KeyK', ctrlKey: true }, modal);
    expect(create).not.toHaveBeenCalled();
    expect(help).toHaveBeenCalledTimes(1);
    expect(palette).toHaveBeenCalledTimes(1);
    // A kept-mounted closed modal is display:none and does not count.
    modal.style.display = 'none';
    press({ key: 'n', code: 'KeyN' });
    expect(create).toHaveBeenCalledTimes(1);
  });
});

describe('dispatcher: keymap and platform', () => {
  it('keymap overrides replace the default keys', () => {
    const submit = vi.fn();
    render(<Harness commands={[command('labeling.submit', submit)]} scopes={['labeling']} />);
    setKeymap({ 'labeling.submit': ['mod+Enter'] });
    press({ key: 'Enter', code: 'Enter' });
    expect(submit).not.toHaveBeenCalled();
    press({ key: 'Enter', code: 'Enter', ctrlKey: true });
    expect(submit).toHaveBeenCalledTimes(1);
    setKeymap({});
    press({ key: 'Enter', code: 'Enter' });
    expect(submit).toHaveBeenCalledTimes(2);
  });

  it('mod is Ctrl on Linux and ⌘ on a Mac', () => {
    const undo = vi.fn();
    render(<Harness commands={[command('labeling.undo', undo)]} scopes={['labeling']} />);
    press({ key: 'z', code: 'KeyZ', ctrlKey: true });
    expect(undo).toHaveBeenCalledTimes(1);
    useCommandStore.getState().setPlatform('mac');
    press({ key: 'z', code: 'KeyZ', ctrlKey: true });
    expect(undo).toHaveBeenCalledTimes(1);
    press({ key: 'z', code: 'KeyZ', metaKey: true });
    expect(undo).toHaveBeenCalledTimes(2);
  });
});

describe('useCommands', () => {
  it('calls the latest closures without re-registering, and unregisters on unmount', () => {
    const first = vi.fn();
    const second = vi.fn();
    const { rerender, unmount } = render(<Harness commands={[command('labeling.next', first)]} scopes={['labeling']} />);
    const registered = useCommandStore.getState().registrations;
    rerender(<Harness commands={[command('labeling.next', second)]} scopes={['labeling']} />);
    expect(useCommandStore.getState().registrations).toBe(registered);
    press({ key: 'PageDown', code: 'PageDown' });
    expect(first).not.toHaveBeenCalled();
    expect(second).toHaveBeenCalledTimes(1);
    unmount();
    expect(useCommandStore.getState().registrations).toEqual([]);
    expect(useCommandStore.getState().scopeCounts.labeling).toBe(0);
  });

  it('re-registers when the set of commands changes', () => {
    const intent = vi.fn();
    const handlers = { intent, entity: vi.fn(), sentiment: vi.fn() };
    const a = schemaCommands(LabelSchema.parse({ intents: { labels: [{ name: '催单', hotkey: '8' }] } }), handlers);
    const b = schemaCommands(LabelSchema.parse({ intents: { labels: [{ name: '发票', hotkey: '8' }] } }), handlers);
    const { rerender } = render(<Harness commands={a} scopes={['labeling']} />);
    rerender(<Harness commands={b} scopes={['labeling']} />);
    press({ key: '8', code: 'Digit8' });
    expect(intent).toHaveBeenCalledExactlyOnceWith('发票');
    expect(useCommandStore.getState().registrations.map((r) => r.command.id)).not.toContain('label.intent.催单');
  });
});
