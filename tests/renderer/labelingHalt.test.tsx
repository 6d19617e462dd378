import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import i18next from 'i18next';
import { useCommandStore } from '../../renderer/src/commands/store';
import { LabelingRoute } from '../../renderer/src/features/labeling/LabelingRoute';
import { useLabeling } from '../../renderer/src/features/labeling/store';
import { useProjects } from '../../renderer/src/features/projects/store';
import { BRIDGE_NAME } from '../../shared/contract/channels';
import type { AnnotationChange, AnnotationState } from '../../shared/domain/annotation';
import { itemRow, labelingItem, project } from './fixtures';
import { renderWithKeyboard } from './render';

const PROJECT = project({ itemCount: 100, annotatedCount: 0 });
const item = (ord: number, annotation: AnnotationState | null = null) => labelingItem(itemRow(ord, `第 ${ord} 条：我的快递到哪了`), annotation);

interface Apply {
  itemId: string;
  changes: AnnotationChange[];
}

/**
 * The core as the bridge shows it, with an annotation store per item; `failIntents` makes the next
 * that many intent changes fail the way a write that could not be committed does.
 */
function fakeCore() {
  const stored = new Map<string, AnnotationState>();
  const state = { failIntents: 0 };
  const annotationOf = (itemId: string): AnnotationState =>
    stored.get(itemId) ?? {
      itemId,
      annotatorId: 'a1',
      annotator: '测试员',
      intents: [],
      entities: [],
      sentiment: null,
      flagged: false,
      note: '',
      status: 'draft',
      updatedAt: '2026-03-01T00:00:00.000Z',
    };
  const invoke = vi.fn(async (channel: string, input: unknown) => {
    switch (channel) {
      case 'projects.get':
        return { ok: true, value: PROJECT };
      case 'labeling.progress':
        return { ok: true, value: { done: 0, skipped: 0, total: 100 } };
      case 'labeling.next': {
        const { afterOrd } = input as { afterOrd: number };
        return { ok: true, value: item(afterOrd + 1, stored.get(`i${afterOrd + 1}`) ?? null) };
      }
      case 'labeling.item': {
        const { itemId } = input as { itemId: string };
        return { ok: true, value: item(Number(itemId.slice(1)), stored.get(itemId) ?? null) };
      }
      case 'labeling.apply': {
        const { itemId, changes } = input as Apply;
        if (state.failIntents > 0 && changes.some((c) => c.kind === 'intents')) {
          state.failIntents--;
          return { ok: false, error: { code: 'INTERNAL', message: 'database is locked' } };
        }
        const next = { ...annotationOf(itemId) };
        for (const c of changes) {
          if (c.kind === 'intents') next.intents = c.value;
          if (c.kind === 'status') next.status = c.value;
          if (c.kind === 'sentiment') next.sentiment = c.value;
        }
        stored.set(itemId, next);
        const done = [...stored.values()].filter((a) => a.status === 'submitted').length;
        return { ok: true, value: { annotation: next, actionId: `act${invoke.mock.calls.length}`, progress: { done, skipped: 0, total: 100 } } };
      }
      default:
        return { ok: true, value: null };
    }
  });
  (window as unknown as Record<string, unknown>)[BRIDGE_NAME] = { invoke, on: vi.fn(() => () => {}) };
  const applied = () => invoke.mock.calls.filter(([c]) => c === 'labeling.apply').map(([, i]) => i as Apply);
  return { invoke, state, applied, calls: (channel: string) => invoke.mock.calls.filter(([c]) => c === channel) };
}

const press = (key: string, code = key) => fireEvent.keyDown(document.activeElement ?? document.body, { key, code });
const shownOrd = () => screen.getByTestId('item-ord').textContent;
const intentOn = (name: string) => screen.getByTestId('intent-panel').querySelector(`[data-intent="${name}"]`)!.getAttribute('aria-pressed');

async function openQueue() {
  renderWithKeyboard(<LabelingRoute projectId="p1" annotatorId="a1" />);
  await waitFor(() => expect(shownOrd()).toBe('#1'));
  // The view opens with focus on the item, where its keys go.
  await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('item-card')));
}

/** `1` (an intent) whose write fails, then Enter pressed before the failure comes back. */
async function failIntentThenEnter(core: ReturnType<typeof fakeCore>) {
  core.state.failIntents = 1;
  press('1', 'Digit1');
  press('Enter');
  return screen.findByRole('alert');
}

beforeEach(() => {
  useProjects.setState({ current: null, error: null });
  useLabeling.setState(useLabeling.getInitialState(), true);
  useCommandStore.setState(useCommandStore.getInitialState(), true);
  useCommandStore.getState().setPlatform('linux');
});

afterEach(async () => {
  delete (window as unknown as Record<string, unknown>)[BRIDGE_NAME];
  await act(() => i18next.changeLanguage('zh-CN'));
});

describe('labeling after a failed write', () => {
  it('drops the keys queued after it (no submit without the intent), refuses new ones, and says what to do', async () => {
    const core = fakeCore();
    await openQueue();
    const alert = await failIntentThenEnter(core);

    // The intent was tried once; the Enter behind it never reached the core.
    await waitFor(() => expect(useLabeling.getState().saving).toBe(0));
    expect(core.applied()).toEqual([expect.objectContaining({ itemId: 'i1', changes: [{ kind: 'intents', value: ['查询订单'] }] })]);
    expect(core.applied().some((a) => a.changes.some((c) => c.kind === 'status'))).toBe(false);
    expect(shownOrd()).toBe('#1');
    expect(intentOn('查询订单')).toBe('false');

    // The alert names the error in words, with its detail, and how to go on, with the keys.
    expect(within(alert).getByTestId('labeling-halted-error').textContent).toBe('内部错误: database is locked');
    expect(alert.textContent).toContain('刚才的操作没有完成，按键已暂停');
    expect(alert.textContent).toContain('已丢弃之后按下的 1 个键。');
    expect(alert.textContent).toContain('按 Enter 重试失败的操作；或按 Esc 放弃它，重新载入这条已保存的标注。');
    expect(within(alert).getByRole('button', { name: /重试/ })).toBe(document.activeElement);

    // New labeling keys are refused until the person acknowledges: by the keys and by the store (a click).
    press('2', 'Digit2');
    press('z', 'KeyZ');
    press('PageDown');
    fireEvent.click(screen.getByTestId('intent-panel').querySelector('[data-intent="物流进度"]')!);
    await act(() => useLabeling.getState().next());
    expect(core.applied()).toHaveLength(1);
    expect(
      core.calls('labeling.next').every(([, i]) => (i as { direction: string }).direction === 'next' && (i as { afterOrd: number }).afterOrd <= 1),
    ).toBe(true);
    expect(shownOrd()).toBe('#1');
  });

  it('the alert’s key (Enter) retries the failed action; then labeling goes on', async () => {
    const core = fakeCore();
    await openQueue();
    await failIntentThenEnter(core);

    press('Enter');
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
    await waitFor(() => expect(intentOn('查询订单')).toBe('true'));
    expect(core.applied().map((a) => a.changes)).toEqual([[{ kind: 'intents', value: ['查询订单'] }], [{ kind: 'intents', value: ['查询订单'] }]]);
    // Focus is back on the item, and Enter submits again.
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('item-card')));
    press('Enter');
    await waitFor(() => expect(shownOrd()).toBe('#2'));
    expect(core.applied().at(-1)).toEqual(expect.objectContaining({ itemId: 'i1', changes: [{ kind: 'status', value: 'submitted' }] }));
  });

  it('Esc gives the failed action up and reloads the item as stored; a retry that fails again stays stopped', async () => {
    const core = fakeCore();
    await openQueue();
    await failIntentThenEnter(core);

    // Retrying while the store still refuses: stopped again, nothing else sent.
    core.state.failIntents = 1;
    press('Enter');
    await waitFor(() => expect(core.applied()).toHaveLength(2));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('database is locked');

    press('Escape');
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
    expect(core.calls('labeling.item')).toEqual([['labeling.item', { itemId: 'i1', annotatorId: 'a1' }]]);
    expect(shownOrd()).toBe('#1');
    // Esc acknowledged; it did not also leave the view. Keys work again.
    expect(screen.getByTestId('labeling-view')).toBeTruthy();
    press('2', 'Digit2');
    await waitFor(() => expect(intentOn('物流进度')).toBe('true'));
    press('Enter');
    await waitFor(() => expect(shownOrd()).toBe('#2'));
    expect(core.applied().map((a) => a.changes[0]!.kind)).toEqual(['intents', 'intents', 'intents', 'status']);
  });

  it('speaks English too', async () => {
    const core = fakeCore();
    await act(() => i18next.changeLanguage('en'));
    await openQueue();
    const alert = await failIntentThenEnter(core);
    expect(alert.textContent).toContain('That action did not go through — keys are paused');
    expect(alert.textContent).toContain('Press Enter to retry the failed action, or Esc to give it up and reload this item as saved.');
    expect(within(alert).getByTestId('labeling-halted-error').textContent).toMatch(/: database is locked$/);
    expect(within(alert).getByRole('button', { name: /Reload item/ })).toBeTruthy();
  });
});
