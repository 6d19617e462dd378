import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import { LabelingRoute } from '../../renderer/src/features/labeling/LabelingRoute';
import { useLabeling } from '../../renderer/src/features/labeling/store';
import { useProjects } from '../../renderer/src/features/projects/store';
import { BRIDGE_NAME } from '../../shared/contract/channels';
import { itemRow, labelingItem, project } from './fixtures';
import { renderWithTheme } from './render';

const PROJECT = project({ itemCount: 100, annotatedCount: 40 });
const item = (ord: number, text: string) => labelingItem(itemRow(ord, text, 2));

function fakeBridge() {
  const invoke = vi.fn(async (channel: string, input: unknown) => {
    switch (channel) {
      case 'projects.get':
        return { ok: true, value: PROJECT };
      case 'labeling.progress':
        return { ok: true, value: { done: 40, skipped: 0, total: 100 } };
      case 'labeling.next': {
        const { afterOrd } = input as { afterOrd: number };
        return { ok: true, value: item(afterOrd + 1, `第 ${afterOrd + 1} 条`) };
      }
      case 'labeling.at': {
        const { ord } = input as { ord: number };
        return { ok: true, value: ord === 42 ? item(42, '你们这服务太差了，我要退货并投诉') : null };
      }
      default:
        return { ok: true, value: null };
    }
  });
  (window as unknown as Record<string, unknown>)[BRIDGE_NAME] = { invoke, on: vi.fn(() => () => {}) };
  return invoke;
}

const calls = (invoke: ReturnType<typeof fakeBridge>, channel: string) => invoke.mock.calls.filter(([c]) => c === channel).map(([, i]) => i);

beforeEach(() => {
  useProjects.setState({ current: null, error: null });
});

afterEach(() => {
  delete (window as unknown as Record<string, unknown>)[BRIDGE_NAME];
});

describe('LabelingRoute with startOrd (a link from the quality report)', () => {
  it('opens the queue at that item once the project is loaded', async () => {
    const invoke = fakeBridge();
    renderWithTheme(<LabelingRoute projectId="p1" annotatorId="a1" filter={{ status: 'all' }} startOrd={42} />);
    await waitFor(() => expect(useLabeling.getState().current?.item.ord).toBe(42));
    await waitFor(() => expect(screen.getByTestId('item-ord').textContent).toBe('#42'));
    expect(calls(invoke, 'labeling.at')).toEqual([{ projectId: 'p1', annotatorId: 'a1', ord: 42 }]);
    // The queue was opened first (with the report's filter), so the jump is what stays on screen.
    expect(calls(invoke, 'labeling.next')[0]).toMatchObject({ projectId: 'p1', annotatorId: 'a1', afterOrd: 0, filter: { status: 'all' } });
    expect(useLabeling.getState().filter).toEqual({ status: 'all' });
  });

  it('starts at the filter’s first item without startOrd', async () => {
    const invoke = fakeBridge();
    renderWithTheme(<LabelingRoute projectId="p1" annotatorId="a1" />);
    await waitFor(() => expect(useLabeling.getState().current?.item.ord).toBe(1));
    await waitFor(() => expect(screen.getByTestId('item-ord').textContent).toBe('#1'));
    expect(calls(invoke, 'labeling.at')).toEqual([]);
  });
});
