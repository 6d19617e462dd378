import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import i18next from 'i18next';
import { App } from '../../renderer/src/app/App';
import { forgetRows } from '../../renderer/src/commands/rows';
import { useCommandStore } from '../../renderer/src/commands/store';
import { useAnnotators } from '../../renderer/src/features/annotators/store';
import { reloader, useRecovery } from '../../renderer/src/features/recovery/store';
import { BRIDGE_NAME } from '../../shared/contract/channels';
import type { DatabaseHealth, RestoreResult } from '../../shared/contract/database';
import type { Result } from '../../shared/contract/errors';
import { renderWithKeyboard } from './render';

const FILE = '/home/标注员/.config/annotation-workstation/workstation.db';
const DIR = `${FILE}-backups`;
const NEWEST = {
  name: 'workstation-2026-12-03T08-00-00.db',
  path: `${DIR}/workstation-2026-12-03T08-00-00.db`,
  createdAt: '2026-12-03T08:00:00.000Z',
  size: 12_897_280,
};
const OLDER = {
  name: 'workstation-2026-12-02T17-30-00.db',
  path: `${DIR}/workstation-2026-12-02T17-30-00.db`,
  createdAt: '2026-12-02T17:30:00.000Z',
  size: 524_288,
};

function health(state: DatabaseHealth['state'], backups = [NEWEST, OLDER]): DatabaseHealth {
  return {
    state,
    file: FILE,
    problem: state === 'corrupt' ? 'quick_check: Tree 8 page 8: btreeInitPage() returns error code 11' : null,
    checkedAt: '2026-12-03T09:00:00.000Z',
    backupDir: DIR,
    backups,
    backupError: null,
    restoreCommand: `annot restore --db '${FILE}' --latest`,
  };
}

/** The core behind the bridge: database.health as given, restores answered (or failed) as told; events can be pushed. */
function fakeCore(initial: DatabaseHealth, restore: (input: { backup?: string }) => Result<unknown> = restored) {
  let current = initial;
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const invoke = vi.fn(async (channel: string, input: unknown): Promise<Result<unknown>> => {
    switch (channel) {
      case 'database.health':
        return { ok: true, value: current };
      case 'database.restoreBackup':
      case 'database.moveAside':
        return restore(input as { backup?: string });
      case 'annotators.list':
        return current.state === 'corrupt' ? { ok: false, error: { code: 'DB_CORRUPT', message: 'damaged' } } : { ok: true, value: [] };
      default:
        return { ok: true, value: [] };
    }
  });
  const on = (event: string, listener: (p: unknown) => void) => {
    if (!listeners.has(event)) listeners.set(event, new Set());
    listeners.get(event)!.add(listener);
    return () => listeners.get(event)?.delete(listener);
  };
  (window as unknown as Record<string, unknown>)[BRIDGE_NAME] = { invoke, on };
  return {
    invoke,
    calls: (channel: string) => invoke.mock.calls.filter(([c]) => c === channel).map(([, i]) => i),
    push(next: DatabaseHealth) {
      current = next;
      act(() => listeners.get('database.health')?.forEach((l) => l(next)));
    },
  };
}

function restored(input: { backup?: string }): Result<RestoreResult> {
  const from = input.backup === OLDER.name ? OLDER : NEWEST;
  return { ok: true, value: { file: FILE, restoredFrom: from, movedAside: [`${FILE}.corrupt-2026-12-03T09-01-00`], skipped: [] } };
}

const press = (key: string) => fireEvent.keyDown(document.activeElement ?? document.body, { key, code: key });

beforeEach(() => {
  useRecovery.setState(useRecovery.getInitialState(), true);
  useAnnotators.setState(useAnnotators.getInitialState(), true);
  useCommandStore.setState(useCommandStore.getInitialState(), true);
  useCommandStore.getState().setPlatform('linux');
  forgetRows();
  localStorage.clear();
});

afterEach(async () => {
  delete (window as unknown as Record<string, unknown>)[BRIDGE_NAME];
  await act(() => i18next.changeLanguage('zh-CN'));
});

describe('the recovery screen', () => {
  it('a damaged file at start: names the file, lists the backups, Enter restores the newest; then Continue starts the app again (zh-CN)', async () => {
    const core = fakeCore(health('corrupt'));
    const reload = vi.spyOn(reloader, 'reload').mockImplementation(() => {});
    renderWithKeyboard(<App />);
    const screenEl = await screen.findByTestId('recovery');
    expect(within(screenEl).getByRole('heading').textContent).toBe('数据库文件已损坏');
    expect(screen.getByTestId('recovery-file').textContent).toBe(FILE);
    expect(screenEl.textContent).toContain('不会再向它写入任何内容');
    expect(screenEl.textContent).toContain('btreeInitPage');
    expect(screenEl.textContent).toContain(`annot restore --db '${FILE}' --latest`);
    const rows = screen.getAllByTestId('recovery-backup');
    expect(rows).toHaveLength(2);
    expect(rows[0]!.textContent).toContain('最新');
    expect(rows[0]!.textContent).toContain('12.3 MB');
    expect(rows[1]!.textContent).toContain('512 KB');
    // The newest backup is selected and has focus: one key restores it.
    await waitFor(() => expect(document.activeElement).toBe(rows[0]));
    expect(rows[0]!.getAttribute('aria-selected')).toBe('true');
    press('Enter');
    await screen.findByText('已恢复');
    expect(core.calls('database.restoreBackup')).toEqual([{ backup: NEWEST.name }]);
    expect(screen.getByTestId('recovery').textContent).toContain(`${FILE}.corrupt-2026-12-03T09-01-00`);
    const continueButton = screen.getByTestId('recovery-continue');
    expect(document.activeElement).toBe(continueButton);
    fireEvent.click(continueButton);
    expect(reload).toHaveBeenCalledOnce();
  });

  it('in English: ↓ then Enter restores the older backup by name', async () => {
    await act(() => i18next.changeLanguage('en'));
    const core = fakeCore(health('corrupt'));
    renderWithKeyboard(<App />);
    await screen.findByText('The database file is damaged');
    const rows = screen.getAllByTestId('recovery-backup');
    await waitFor(() => expect(document.activeElement).toBe(rows[0]));
    press('ArrowDown');
    expect(document.activeElement).toBe(rows[1]);
    press('Enter');
    await screen.findByText('Restored');
    expect(core.calls('database.restoreBackup')).toEqual([{ backup: OLDER.name }]);
    expect(screen.getByTestId('recovery').textContent).toContain('The previous file is kept at:');
  });

  it('appears when the core reports damage later (the check of a big file, or a call), over whatever was shown', async () => {
    const core = fakeCore(health('checking'));
    renderWithKeyboard(<App />);
    await waitFor(() => expect(core.calls('database.health')).toHaveLength(1));
    expect(screen.queryByTestId('recovery')).toBeNull();
    core.push(health('corrupt'));
    expect(await screen.findByTestId('recovery')).toBeTruthy();
  });

  it('without backups: says so and offers to move the damaged file aside (focused), which starts empty', async () => {
    const core = fakeCore(health('corrupt', []), () => ({
      ok: true,
      value: { file: FILE, restoredFrom: null, movedAside: [`${FILE}.corrupt-x`], skipped: [] },
    }));
    renderWithKeyboard(<App />);
    const screenEl = await screen.findByTestId('recovery');
    expect(screenEl.textContent).toContain(`还没有备份（备份文件夹：${DIR}）`);
    const move = screen.getByRole('button', { name: '移开损坏的文件，从空数据库开始' });
    expect(document.activeElement).toBe(move);
    fireEvent.click(move);
    await screen.findByText('损坏的文件已移开，应用将从一个空数据库开始。');
    expect(core.calls('database.moveAside')).toEqual([{}]);
  });

  it('a restore that fails says why in the user’s language and lets them try another backup', async () => {
    const core = fakeCore(health('corrupt'), (input) =>
      input.backup === NEWEST.name ? { ok: false, error: { code: 'BAD_FILE', message: 'no backup passes its integrity check' } } : restored(input),
    );
    renderWithKeyboard(<App />);
    const rows = await screen.findAllByTestId('recovery-backup');
    await waitFor(() => expect(document.activeElement).toBe(rows[0]));
    press('Enter');
    expect((await screen.findByRole('alert')).textContent).toBe('文件有问题: no backup passes its integrity check');
    expect(core.calls('database.health').length).toBeGreaterThan(1);
    fireEvent.click(screen.getAllByTestId('recovery-backup')[1]!);
    await screen.findByText('已恢复');
  });
});
