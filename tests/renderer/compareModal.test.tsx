import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { CompareModal } from '../../renderer/src/features/model/CompareModal';
import { ModelPanel } from '../../renderer/src/features/model/ModelPanel';
import { BRIDGE_NAME } from '../../shared/contract/channels';
import { ModelComparison, type ComparedVersion, type ModelVersion } from '../../shared/contract/schemas';
import { renderWithTheme } from './render';

const version = (id: string, task: ModelVersion['task'], n: number, trainedOn: number): ModelVersion => ({
  id,
  projectId: 'p1',
  task,
  version: n,
  kind: 'logreg',
  embedder: 'BAAI/bge-small-zh-v1.5',
  metrics: { source: 'supervised' },
  trainedOn,
  createdAt: `2026-03-0${n}T08:00:00.000Z`,
});

// Newest first, as models.versions lists them.
const VERSIONS = [
  version('i3', 'intents', 3, 90),
  version('i2', 'intents', 2, 60),
  version('i1', 'intents', 1, 30),
  version('s1', 'sentiment', 1, 30),
];

const LABELS = ['查询订单', '投诉', '其他/转人工'];

function side(id: string, n: number, matrix: number[][], training: ComparedVersion['trainingItems']): ComparedVersion {
  const total = matrix.flat().reduce((s, x) => s + x, 0);
  const correct = matrix.reduce((s, row, i) => s + row[i]!, 0);
  const perLabel = LABELS.map((label, i) => {
    const tp = matrix[i]![i]!;
    const support = matrix[i]!.reduce((s, x) => s + x, 0);
    const predicted = matrix.reduce((s, row) => s + row[i]!, 0);
    const precision = predicted ? tp / predicted : 0;
    const recall = support ? tp / support : 0;
    return { label, precision, recall, f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0, support };
  });
  return {
    id,
    version: n,
    kind: 'logreg',
    source: 'supervised',
    trainedOn: n * 30,
    createdAt: `2026-03-0${n}T08:00:00.000Z`,
    correct,
    accuracy: correct / total,
    macroF1: perLabel.reduce((s, x) => s + x.f1, 0) / LABELS.length,
    perLabel,
    confusion: { labels: LABELS, matrix },
    trainingItems: training,
  };
}

const RESULT: ModelComparison = ModelComparison.parse({
  projectId: 'p1',
  task: 'intents',
  n: 20,
  scope: 'all',
  labeled: 20,
  heldOut: 0,
  a: side(
    'i2',
    2,
    [
      [6, 1, 1],
      [2, 4, 0],
      [1, 1, 4],
    ],
    { count: 14, exact: true },
  ),
  b: side(
    'i3',
    3,
    [
      [8, 0, 0],
      [0, 6, 0],
      [0, 1, 5],
    ],
    { count: 20, exact: true },
  ),
  mcnemar: { b: 0, c: 5, statistic: 0, pValue: 0.0625, exact: true },
  alpha: 0.05,
  verdict: 'tie',
  summary: 'No significant difference',
  includesTrainingItems: true,
  caveat: 'v2 was trained on 14 of the 20 evaluation items; v3 was trained on 20 of the 20 evaluation items.',
});

function fakeBridge(compare: (input: { a: string; b: string }) => ModelComparison | { code: string; message: string } = () => RESULT) {
  const invoke = vi.fn(async (channel: string, input: unknown) => {
    switch (channel) {
      case 'models.compare': {
        const r = compare(input as { a: string; b: string });
        return 'code' in r ? { ok: false, error: r } : { ok: true, value: r };
      }
      case 'models.status':
        return { ok: true, value: { state: 'ready', modelId: 'BAAI/bge-small-zh-v1.5', dir: '/m', message: 'ok' } };
      case 'models.versions':
        return { ok: true, value: VERSIONS };
      case 'prelabel.get':
        return { ok: true, value: null };
      default:
        return { ok: false, error: { code: 'UNKNOWN_CHANNEL', message: channel } };
    }
  });
  (window as unknown as Record<string, unknown>)[BRIDGE_NAME] = { invoke, on: vi.fn(() => () => {}) };
  return invoke;
}

afterEach(() => {
  delete (window as unknown as Record<string, unknown>)[BRIDGE_NAME];
});

/** The dropdown a Select's input controls (Mantine keeps every dropdown mounted). */
const listOf = (input: HTMLElement): HTMLElement => document.getElementById(input.getAttribute('aria-controls') ?? '')!;

const compareCalls = (invoke: ReturnType<typeof fakeBridge>) => invoke.mock.calls.filter(([c]) => c === 'models.compare').map(([, input]) => input);

describe('CompareModal', () => {
  it('compares the two newest versions of the first task and shows scores, the test in words, per-label scores and heat-maps', async () => {
    const invoke = fakeBridge();
    renderWithTheme(<CompareModal projectId="p1" versions={VERSIONS} opened onClose={() => {}} />);
    const dialog = await screen.findByRole('dialog', { name: '比较模型版本' });
    await within(dialog).findByTestId('compare-result');
    expect(compareCalls(invoke)).toEqual([{ projectId: 'p1', a: 'i2', b: 'i3', scope: 'held-out' }]);
    // Held-out items by default; all labeled items on request.
    fireEvent.click(within(dialog).getByText('全部已标注条目'));
    await waitFor(() => expect(compareCalls(invoke)).toHaveLength(2));
    expect(compareCalls(invoke)[1]).toEqual({ projectId: 'p1', a: 'i2', b: 'i3', scope: 'all' });
    await within(dialog).findByTestId('compare-result');

    const overview = within(dialog).getByTestId('compare-overview');
    expect([...overview.querySelectorAll('[data-metric="accuracy"]')].map((c) => c.textContent)).toEqual(['0.700', '0.950']);
    expect(within(overview).getByText('准确率')).toBeTruthy();
    expect(within(overview).getByText('宏平均 F1')).toBeTruthy();
    expect(within(overview).getByText('60 例，其中 14 条在评估集中')).toBeTruthy();

    const verdict = within(dialog).getByTestId('compare-verdict');
    expect(verdict.dataset.verdict).toBe('tie');
    expect(verdict.textContent).toContain('两个版本没有显著差别：只有 v2 答对的有 0 条，只有 v3 答对的有 5 条（p = 0.063，不小于 0.05）。');
    expect(verdict.textContent).toContain('精确二项检验');
    expect(within(dialog).getByTestId('compare-caveat').textContent).toContain('v3 训练时用过其中 20 条。');

    const perLabel = within(dialog).getByTestId('compare-per-label');
    const complaint = perLabel.querySelector('[data-label="投诉"]')!;
    // support, then P/R/F1 of v2, then of v3.
    expect([...complaint.querySelectorAll('td')].map((td) => td.textContent)).toEqual([
      '投诉',
      '6',
      '0.667',
      '0.667',
      '0.667',
      '0.857',
      '1.000',
      '0.923',
    ]);

    const heat = within(dialog).getByTestId('confusion-a');
    const cells = [...heat.querySelectorAll<HTMLElement>('td[data-count]')];
    expect(cells.map((c) => Number(c.dataset.count))).toEqual([6, 1, 1, 2, 4, 0, 1, 1, 4]);
    expect(cells.reduce((s, c) => s + Number(c.dataset.count), 0)).toBe(20);
    const diagonal = within(heat).getByLabelText('人工“查询订单”，预测“查询订单”：6 条');
    const offDiagonal = within(heat).getByLabelText('人工“查询订单”，预测“投诉”：1 条');
    const empty = within(heat).getByLabelText('人工“投诉”，预测“其他/转人工”：0 条');
    expect(diagonal.style.backgroundColor).toMatch(/^rgba\(18, 184, 134, 0\.7/);
    expect(offDiagonal.style.backgroundColor).toMatch(/^rgba\(250, 82, 82, 0\.2/);
    expect(empty.style.backgroundColor).toBe('');
    expect(within(dialog).getByTestId('confusion-b').querySelectorAll('td[data-diagonal]')).toHaveLength(3);
  });

  it('picks another version by keyboard and compares again; shows a failure in words', async () => {
    const invoke = fakeBridge(({ a }) => (a === 'i1' ? { code: 'VALIDATION', message: 'boom' } : RESULT));
    renderWithTheme(<CompareModal projectId="p1" versions={VERSIONS} opened onClose={() => {}} />);
    const dialog = await screen.findByRole('dialog', { name: '比较模型版本' });
    await within(dialog).findByTestId('compare-result');

    const a = within(dialog).getByRole('combobox', { name: '版本 A' });
    act(() => a.focus());
    fireEvent.keyDown(a, { key: 'ArrowDown', code: 'ArrowDown' });
    await waitFor(() => expect(a.getAttribute('aria-expanded')).toBe('true'));
    const listbox = listOf(a);
    // Newest first; the version already picked as B cannot be A too.
    const options = within(listbox).getAllByRole('option', { hidden: true });
    expect(options.map((o) => o.textContent?.split(' · ')[0])).toEqual(['v3', 'v2', 'v1']);
    expect(options[0]!.getAttribute('data-combobox-disabled')).toBe('true');
    fireEvent.keyDown(a, { key: 'ArrowDown', code: 'ArrowDown' });
    fireEvent.keyDown(a, { key: 'Enter', code: 'Enter' });
    await waitFor(() => expect(compareCalls(invoke).at(-1)).toEqual({ projectId: 'p1', a: 'i1', b: 'i3', scope: 'held-out' }));
    expect(await within(dialog).findByText('输入有误: boom')).toBeTruthy();

    // Switching the task picks that task's newest two; sentiment has only one version, so it is not offered.
    const task = within(dialog).getByRole('combobox', { name: '任务' });
    fireEvent.click(task);
    await waitFor(() => expect(task.getAttribute('aria-expanded')).toBe('true'));
    expect(
      within(listOf(task))
        .getAllByRole('option', { hidden: true })
        .map((o) => o.textContent),
    ).toEqual(['意图']);
  });
});

describe('ModelPanel', () => {
  it('offers “比较版本” once a task has two versions, and it opens the comparison', async () => {
    fakeBridge();
    renderWithTheme(<ModelPanel projectId="p1" onFinished={() => {}} />);
    const open = await screen.findByTestId('compare-open');
    expect(open.textContent).toBe('比较版本');
    await waitFor(() => expect((open as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(open);
    const dialog = await screen.findByRole('dialog', { name: '比较模型版本' });
    expect(await within(dialog).findByTestId('compare-result')).toBeTruthy();
  });

  it('has no compare button with one version per task', async () => {
    const invoke = fakeBridge();
    invoke.mockImplementation(async (channel: string) =>
      channel === 'models.versions'
        ? { ok: true, value: [VERSIONS[0]!, VERSIONS[3]!] }
        : channel === 'models.status'
          ? { ok: true, value: { state: 'ready', modelId: 'm', dir: '/m', message: 'ok' } }
          : { ok: true, value: null },
    );
    renderWithTheme(<ModelPanel projectId="p1" onFinished={() => {}} />);
    await screen.findByText('m · 就绪');
    await waitFor(() => expect(invoke).toHaveBeenCalledWith('models.versions', { projectId: 'p1' }));
    expect(screen.queryByTestId('compare-open')).toBeNull();
  });
});
