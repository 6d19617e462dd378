import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { ReportsView } from '../../renderer/src/features/reports/ReportsView';
import { useReports } from '../../renderer/src/features/reports/store';
import { dayEnd, dayStart, isoToDay } from '../../renderer/src/features/reports/dates';
import { useNavigation } from '../../renderer/src/app/store';
import { useProjects } from '../../renderer/src/features/projects/store';
import { BRIDGE_NAME } from '../../shared/contract/channels';
import { ProjectReport, type AnnotatorReport, type ReportFilter } from '../../shared/contract/reports';
import { forgetRows } from '../../renderer/src/commands/rows';
import { project } from './fixtures';
import { renderWithKeyboard, renderWithTheme } from './render';

const ANNOTATORS = [
  { id: 'a1', name: '王芳' },
  { id: 'a2', name: '李伟' },
  { id: 'a3', name: '张敏' },
];

const acc = (n: number, correct: number) => ({ n, correct, accuracy: n ? correct / n : null });

function annotator(id: string, name: string, over: Partial<AnnotatorReport> = {}): AnnotatorReport {
  return {
    annotatorId: id,
    name,
    items: 40,
    submitted: 38,
    vsGold: { intents: acc(10, 9), sentiment: acc(10, 8), entitiesF1: 0.81 },
    vsMajority: { intents: acc(40, 34), sentiment: acc(40, 36), entitiesF1: 0.77 },
    vsAdjudicated: { intents: acc(0, 0), sentiment: acc(0, 0) },
    overrides: { adjudicated: 0, overridden: 0, auto: 0, byReason: [] },
    perLabel: [
      { label: '查询订单', precision: 0.9, recall: 0.818, f1: 0.857, support: 11 },
      { label: '投诉', precision: 0.75, recall: null, f1: null, support: 0 },
    ],
    speed: { itemsPerHour: 92.4, medianSeconds: 31.5 },
    drift: [
      { day: '2026-03-02', n: 20, accuracy: 0.8 },
      { day: '2026-03-03', n: 20, accuracy: 0.9 },
    ],
    selfConsistency: { items: 4, agreement: 0.75 },
    suggestions: { accepted: 12, acceptRate: 0.3, acceptedWrong: 1, acceptedWrongRate: 0.083 },
    outlier: [],
    ...over,
  };
}

const REPORT = ProjectReport.parse({
  projectId: 'p1',
  projectName: '售后意图 2026Q1',
  generatedAt: '2026-03-10T08:00:00.000Z',
  filter: {},
  totals: { items: 120, annotatedItems: 100, overlapItems: 40, goldItems: 10, annotations: 180, annotators: 3 },
  annotators: ANNOTATORS,
  agreement: [
    {
      task: 'intents',
      items: 40,
      annotators: 3,
      percent: 0.81,
      fleiss: { value: 0.712, low: 0.68, high: 0.741 },
      alpha: { value: 0.715, low: 0.683, high: 0.744 },
      cohenMean: 0.709,
      spans: null,
    },
    {
      task: 'sentiment',
      items: 40,
      annotators: 3,
      percent: 0.9,
      fleiss: { value: 0.801, low: 0.75, high: 0.85 },
      alpha: { value: 0.853, low: null, high: null },
      cohenMean: null,
      spans: null,
    },
    {
      task: 'entities',
      items: 38,
      annotators: 3,
      percent: 0.7,
      fleiss: null,
      alpha: null,
      cohenMean: null,
      spans: { exactF1: 0.74, overlapF1: 0.86, boundary: 6, type: 3, missing: 9 },
    },
  ],
  perLabel: [
    { task: 'intents', label: '查询订单', uses: 30, percent: 0.9, alpha: 0.82, f1: 0.88 },
    { task: 'intents', label: '投诉', uses: 12, percent: 0.7, alpha: 0.55, f1: 0.6 },
    { task: 'intents', label: '退换货', uses: 2, percent: 1, alpha: null, f1: null },
    { task: 'sentiment', label: '消极', uses: 20, percent: 0.85, alpha: 0.7, f1: 0.78 },
    { task: 'entities', label: '订单号', uses: 25, percent: null, alpha: 0.9, f1: 0.9 },
  ],
  pairwise: [
    {
      task: 'intents',
      annotatorIds: ['a1', 'a2', 'a3'],
      matrix: [
        [1, 0.72, 0.41],
        [0.72, 1, null],
        [0.41, null, 1],
      ],
      shared: [
        [40, 30, 12],
        [30, 40, 0],
        [12, 0, 40],
      ],
    },
    {
      task: 'sentiment',
      annotatorIds: ['a1', 'a2', 'a3'],
      matrix: [
        [1, 0.8, -0.1],
        [0.8, 1, 0.5],
        [-0.1, 0.5, 1],
      ],
      shared: [
        [40, 30, 12],
        [30, 40, 5],
        [12, 5, 40],
      ],
    },
  ],
  confusions: [
    { task: 'intents', a: '查询订单', b: '物流进度', count: 5 },
    { task: 'intents', a: '投诉', b: '退换货', count: 7 },
    { task: 'sentiment', a: '中性', b: '消极', count: 4 },
  ],
  disagreements: [
    {
      itemId: 'i17',
      ord: 17,
      text: '我的订单还没到，能帮我查一下吗',
      disagreement: 0.333,
      annotations: [
        { annotatorId: 'a1', intents: ['查询订单'], sentiment: '中性', entities: 0 },
        { annotatorId: 'a2', intents: ['物流进度'], sentiment: '中性', entities: 1 },
      ],
    },
    {
      itemId: 'i42',
      ord: 42,
      text: '你们这服务太差了，我要退货并投诉',
      disagreement: 1,
      annotations: [
        { annotatorId: 'a1', intents: ['投诉'], sentiment: '消极', entities: 0 },
        { annotatorId: 'a2', intents: ['退换货'], sentiment: '中性', entities: 0 },
        { annotatorId: 'a3', intents: [], sentiment: null, entities: 2 },
      ],
    },
  ],
  perAnnotator: [
    annotator('a1', '王芳'),
    annotator('a2', '李伟', { speed: { itemsPerHour: null, medianSeconds: null } }),
    annotator('a3', '张敏', {
      vsGold: { intents: acc(10, 5), sentiment: acc(10, 6), entitiesF1: 0.52 },
      speed: { itemsPerHour: 240.2, medianSeconds: 9 },
      outlier: ['fast-and-inaccurate', 'low-gold-accuracy'],
    }),
  ],
  seconds: 0.42,
});

const PROJECT = project({ itemCount: 120, annotatedCount: 100 });

const DEFAULT_FILTER: ReportFilter = { from: null, to: null, annotatorIds: [], labels: [] };

type Reply = { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } };

function fakeBridge(reports: (input: { projectId: string; filter: ReportFilter }) => Reply | Promise<Reply> = () => ({ ok: true, value: REPORT })) {
  const invoke = vi.fn(async (channel: string, input: unknown): Promise<Reply> => {
    switch (channel) {
      case 'reports.project':
        return reports(input as { projectId: string; filter: ReportFilter });
      case 'reports.render': {
        const { format } = input as { format: string };
        return { ok: true, value: { fileName: `quality-p1.${format}`, mime: 'application/json', content: '{"projectId":"p1"}' } };
      }
      case 'projects.get':
        return { ok: true, value: PROJECT };
      default:
        return { ok: false, error: { code: 'UNKNOWN_CHANNEL', message: channel } };
    }
  });
  (window as unknown as Record<string, unknown>)[BRIDGE_NAME] = { invoke, on: vi.fn(() => () => {}) };
  return invoke;
}

const callsOf = (invoke: ReturnType<typeof fakeBridge>, channel: string) =>
  invoke.mock.calls.filter(([c]) => c === channel).map(([, input]) => input);

const warn = console.warn.bind(console);

beforeEach(() => {
  // jsdom has no layout, so every chart measures 0×0 and recharts says so; the tests assert on the data around the charts.
  vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => {
    if (!String(args[0]).startsWith('The width(0) and height(0) of chart')) warn(...args);
  });
  useReports.setState(useReports.getInitialState(), true);
  useProjects.setState({ current: null });
  forgetRows();
  useNavigation.setState({ route: { name: 'reports', projectId: 'p1' } });
});

afterEach(() => {
  delete (window as unknown as Record<string, unknown>)[BRIDGE_NAME];
  vi.restoreAllMocks();
});

async function openReport() {
  renderWithKeyboard(<ReportsView projectId="p1" />);
  return screen.findByTestId('report');
}

const openTab = (name: string) => fireEvent.click(screen.getByRole('tab', { name }));

describe('ReportsView', () => {
  it('shows progress, asks for the whole project, then the overview with intervals', async () => {
    let answer: (r: Reply) => void = () => {};
    const invoke = fakeBridge(() => new Promise<Reply>((resolve) => (answer = resolve)));
    renderWithTheme(<ReportsView projectId="p1" />);
    const loading = await screen.findByTestId('reports-loading');
    expect(loading.textContent).toContain('正在计算质量报告…');
    expect(callsOf(invoke, 'reports.project')).toEqual([{ projectId: 'p1', filter: DEFAULT_FILTER }]);
    await act(async () => answer({ ok: true, value: REPORT }));
    await screen.findByTestId('report');
    expect(screen.queryByTestId('reports-loading')).toBeNull();
    expect(screen.getByTestId('reports-project').textContent).toContain('售后意图 2026Q1');

    const totals = screen.getByTestId('report-totals');
    expect(totals.querySelector('[data-total="overlapItems"]')!.textContent).toBe('多人标注条目40');

    const metric = (task: string, name: string) => screen.getByTestId(`agreement-${task}`).querySelector(`[data-metric="${name}"]`)!.textContent;
    expect(metric('intents', 'percent')).toBe('0.810');
    expect(metric('intents', 'fleiss')).toBe('0.712 [0.680, 0.741]');
    expect(metric('intents', 'alpha')).toBe('0.715 [0.683, 0.744]');
    expect(metric('intents', 'cohen')).toBe('0.709');
    // No interval: the value alone; undefined: a dash that says why.
    expect(metric('sentiment', 'alpha')).toBe('0.853');
    expect(metric('sentiment', 'cohen')).toBe('—');
    expect(screen.getByTestId('agreement-sentiment').querySelector('[data-metric="cohen"] [data-missing]')!.getAttribute('aria-label')).toContain(
      '只用到一个类别',
    );
    expect(within(screen.getByTestId('agreement-sentiment')).getByText('Krippendorff α（有序）')).toBeTruthy();
    // Entities: span scores and disagreements by kind, no kappa rows.
    expect(metric('entities', 'exactF1')).toBe('0.740');
    expect(metric('entities', 'overlapF1')).toBe('0.860');
    expect(screen.getByTestId('agreement-entities').querySelector('[data-metric="fleiss"]')).toBeNull();
    const kinds = screen.getByTestId('span-disagreements');
    expect(
      [...kinds.querySelectorAll('[data-kind]')].map((k) => [k.getAttribute('data-kind'), k.querySelector('[data-count]')!.textContent]),
    ).toEqual([
      ['boundary', '6'],
      ['type', '3'],
      ['missing', '9'],
    ]);
  });

  it('re-fetches with the chosen annotators and dates when the filter is applied', async () => {
    const invoke = fakeBridge();
    await openReport();
    const input = within(screen.getByTestId('report-filters')).getByLabelText('标注员');
    fireEvent.click(input);
    fireEvent.click(await screen.findByRole('option', { name: '李伟', hidden: true }));
    fireEvent.change(screen.getByLabelText('开始日期'), { target: { value: '2026-03-01' } });
    fireEvent.change(screen.getByLabelText('结束日期（含）'), { target: { value: '2026-03-07' } });
    fireEvent.click(screen.getByTestId('filter-apply'));
    await waitFor(() => expect(callsOf(invoke, 'reports.project')).toHaveLength(2));
    expect(callsOf(invoke, 'reports.project')[1]).toEqual({
      projectId: 'p1',
      filter: { from: dayStart('2026-03-01'), to: dayEnd('2026-03-07'), annotatorIds: ['a2'], labels: [] },
    });
    await screen.findByTestId('report');
    // The days come back as the user typed them; a backwards range cannot be applied.
    expect((screen.getByLabelText('结束日期（含）') as HTMLInputElement).value).toBe('2026-03-07');
    fireEvent.change(screen.getByLabelText('开始日期'), { target: { value: '2026-03-09' } });
    expect(screen.getByText('结束日期早于开始日期')).toBeTruthy();
    expect((screen.getByTestId('filter-apply') as HTMLButtonElement).disabled).toBe(true);
  });

  it('offers the schema labels grouped by task and filters by them', async () => {
    const invoke = fakeBridge();
    await openReport();
    await waitFor(() => expect(callsOf(invoke, 'projects.get')).toEqual([{ projectId: 'p1' }]));
    const input = within(screen.getByTestId('report-filters')).getByLabelText('标签');
    fireEvent.click(input);
    fireEvent.click(await screen.findByRole('option', { name: '投诉', hidden: true }));
    fireEvent.click(await screen.findByRole('option', { name: '订单号', hidden: true }));
    fireEvent.click(screen.getByTestId('filter-apply'));
    await waitFor(() => expect(callsOf(invoke, 'reports.project')).toHaveLength(2));
    expect(callsOf(invoke, 'reports.project')[1]).toEqual({ projectId: 'p1', filter: { ...DEFAULT_FILTER, labels: ['投诉', '订单号'] } });
  });

  it('shows an error in words, and retries', async () => {
    let fail = true;
    const invoke = fakeBridge(() => (fail ? { ok: false, error: { code: 'INTERNAL', message: 'boom' } } : { ok: true, value: REPORT }));
    renderWithTheme(<ReportsView projectId="p1" />);
    const alert = await screen.findByTestId('reports-error');
    expect(alert.textContent).toContain('内部错误: boom');
    fail = false;
    fireEvent.click(within(alert).getByRole('button', { name: '重试' }));
    await screen.findByTestId('report');
    expect(callsOf(invoke, 'reports.project')).toHaveLength(2);
  });

  it('lists labels by agreement, lowest first, with their task; and the most confused pairs', async () => {
    fakeBridge();
    await openReport();
    openTab('按标签');
    const rows = [...screen.getByTestId('label-table').querySelectorAll('tbody tr')];
    expect(rows.map((r) => r.getAttribute('data-label'))).toEqual(['投诉', '消极', '查询订单', '订单号', '退换货']);
    expect([...rows[0]!.querySelectorAll('td')].map((td) => td.textContent)).toEqual(['意图', '投诉', '12', '0.700', '0.550', '0.600']);
    expect(rows[3]!.querySelector('td')!.textContent).toBe('实体');
    expect(rows[4]!.querySelector('[data-metric="alpha"]')!.textContent).toBe('—');

    openTab('易混淆标签');
    const pairs = [...screen.getByTestId('confusion-table').querySelectorAll('tbody tr')];
    expect(pairs.map((r) => r.getAttribute('data-pair'))).toEqual(['投诉|退换货', '查询订单|物流进度', '中性|消极']);
    expect(pairs[0]!.querySelector('[data-count]')!.textContent).toBe('7');
  });

  it('flags outliers in red with the reason in words, and shows the picked annotator', async () => {
    fakeBridge();
    await openReport();
    openTab('标注员');
    const table = screen.getByTestId('annotator-table');
    const row = (id: string) => table.querySelector<HTMLElement>(`tr[data-annotator="${id}"]`)!;
    expect(row('a1').querySelectorAll('[data-outlier]')).toHaveLength(0);
    const badges = [...row('a3').querySelectorAll<HTMLElement>('[data-outlier]')];
    expect(badges.map((b) => b.textContent)).toEqual(['快但不准', '金标准准确率低']);
    expect(badges[0]!.className).toContain('Badge');
    expect(badges[0]!.style.getPropertyValue('--badge-color')).toContain('red');
    expect(row('a3').querySelector('[data-metric="vsGold"]')!.textContent).toBe('0.500');
    expect(row('a3').querySelector('[data-metric="itemsPerHour"]')!.textContent).toBe('240.2');
    expect(row('a2').querySelector('[data-metric="itemsPerHour"]')!.textContent).toBe('—');

    // The first annotator is selected and shown; the details follow the row keys (the registry's lists.* commands).
    expect(screen.getByTestId('annotator-detail').getAttribute('data-annotator')).toBe('a1');
    expect(row('a1').getAttribute('aria-selected')).toBe('true');
    act(() => row('a1').focus());
    fireEvent.keyDown(row('a1'), { key: 'ArrowDown' });
    expect(document.activeElement).toBe(row('a2'));
    expect(screen.getByTestId('annotator-detail').getAttribute('data-annotator')).toBe('a2');
    fireEvent.keyDown(row('a2'), { key: 'ArrowDown' });
    fireEvent.keyDown(row('a3'), { key: 'Enter' });
    expect(document.activeElement).toBe(row('a3'));
    expect([row('a1'), row('a2'), row('a3')].map((r) => r.tabIndex)).toEqual([-1, -1, 0]);
    const detail = screen.getByTestId('annotator-detail');
    expect(detail.getAttribute('data-annotator')).toBe('a3');
    expect(row('a3').getAttribute('aria-selected')).toBe('true');
    expect(within(detail).getByText('快但不准')).toBeTruthy();
    const perLabel = [...within(detail).getByTestId('annotator-per-label').querySelectorAll('tbody tr')];
    expect([...perLabel[0]!.querySelectorAll('td')].map((td) => td.textContent)).toEqual(['查询订单', '11', '0.900', '0.818', '0.857']);
    expect(within(detail).getByTestId('drift-summary').textContent).toBe('2026-03-02: 0.800 (20) · 2026-03-03: 0.900 (20)');
  });

  it('draws the pairwise heatmap as n×n cells with the values, grey where two share nothing', async () => {
    fakeBridge();
    await openReport();
    openTab('标注员');
    const heat = screen.getByTestId('pairwise-heatmap');
    expect([...heat.querySelectorAll('thead th')].map((th) => th.textContent)).toEqual(['', '王芳', '李伟', '张敏']);
    const cells = [...heat.querySelectorAll<HTMLElement>('td[data-value]')];
    expect(cells).toHaveLength(9);
    expect(cells.map((c) => c.textContent)).toEqual(['1.000', '0.720', '0.410', '0.720', '1.000', '—', '0.410', '—', '1.000']);
    const empty = within(heat).getByLabelText('李伟 与 张敏：无法计算（共同条目 0 条）');
    expect(empty.dataset.value).toBe('null');
    expect(empty.style.backgroundColor).toBe('var(--mantine-color-default-border)');
    const strong = within(heat).getByLabelText('王芳 与 李伟：0.720（共同条目 30 条）');
    expect(strong.style.backgroundColor).toBe('rgba(18, 184, 134, 0.598)');

    // Another task: below-chance agreement is red.
    fireEvent.click(within(screen.getByTestId('pairwise-task')).getByText('情感'));
    const negative = within(screen.getByTestId('pairwise-heatmap')).getByLabelText('王芳 与 张敏：-0.100（共同条目 12 条）');
    expect(negative.style.backgroundColor).toMatch(/^rgba\(250, 82, 82,/);
  });

  it('opens the labeling queue at a disagreement item, with the mouse or the keyboard', async () => {
    fakeBridge();
    await openReport();
    openTab('分歧条目');
    const table = screen.getByTestId('disagreement-table');
    const rows = [...table.querySelectorAll<HTMLElement>('tbody tr')];
    // Most disagreement first, with each annotator's decision by name.
    expect(rows.map((r) => r.dataset.ord)).toEqual(['42', '17']);
    expect(rows[0]!.querySelector('[data-metric="disagreement"]')!.textContent).toBe('1.000');
    expect(rows[0]!.querySelector('[data-annotator="a2"]')!.textContent).toBe('李伟: 退换货 · 中性 · 0 个实体');
    expect(rows[0]!.querySelector('[data-annotator="a3"]')!.textContent).toBe('张敏: — · — · 2 个实体');

    fireEvent.click(rows[0]!.querySelector('td:nth-child(2)')!);
    expect(useNavigation.getState().route).toEqual({ name: 'labeling', projectId: 'p1', filter: { status: 'all', order: 'position' }, startOrd: 42 });

    useNavigation.setState({ route: { name: 'reports', projectId: 'p1' } });
    const link = within(rows[1]!).getByRole('button', { name: '在标注队列中打开第 17 条' });
    expect(link.tagName).toBe('BUTTON');
    fireEvent.click(link);
    expect(useNavigation.getState().route).toMatchObject({ name: 'labeling', startOrd: 17 });
  });

  it('opens with focus on its tabs; ↓ enters the tab’s table, Enter opens a disagreement; coming back lands on that row', async () => {
    fakeBridge();
    const first = renderWithKeyboard(<ReportsView projectId="p1" />);
    await screen.findByTestId('report');
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('tab', { name: '总览' })));
    // Mantine's own tab keys switch tabs; the registry's ↓ goes into the table, ↑ on its first row comes back.
    for (let i = 0; i < 3; i++) fireEvent.keyDown(document.activeElement!, { key: 'ArrowRight' });
    expect(document.activeElement).toBe(screen.getByRole('tab', { name: '分歧条目' }));
    const row = (ord: number) => screen.getByTestId('disagreement-table').querySelector<HTMLElement>(`tr[data-ord="${ord}"]`)!;
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowDown' });
    expect(document.activeElement).toBe(row(42));
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowUp' });
    expect(document.activeElement).toBe(screen.getByRole('tab', { name: '分歧条目' }));
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowDown' });
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowDown' });
    expect(row(17).getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(document.activeElement!, { key: 'Enter' });
    expect(useNavigation.getState().route).toMatchObject({ name: 'labeling', projectId: 'p1', startOrd: 17 });
    first.unmount();

    // Back from the queue: the same tab, focus on the row opened.
    renderWithKeyboard(<ReportsView projectId="p1" />);
    await screen.findByTestId('disagreement-table');
    await waitFor(() => expect(document.activeElement).toBe(row(17)));
    expect(screen.getByRole('tab', { name: '分歧条目' }).getAttribute('aria-selected')).toBe('true');
  });

  it('exports the report as JSON in the UI language with the filter on screen, and downloads it', async () => {
    const invoke = fakeBridge();
    const createObjectURL = vi.fn((_blob: Blob) => 'blob:report');
    const revokeObjectURL = vi.fn();
    Object.assign(URL, { createObjectURL, revokeObjectURL });
    const clicked: { download: string; href: string }[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push({ download: this.download, href: this.getAttribute('href')! });
    });
    await openReport();
    fireEvent.click(screen.getByTestId('export-json'));
    await waitFor(() => expect(clicked).toHaveLength(1));
    expect(callsOf(invoke, 'reports.render')).toEqual([{ projectId: 'p1', filter: DEFAULT_FILTER, format: 'json', language: 'zh-CN' }]);
    expect(clicked[0]).toEqual({ download: 'quality-p1.json', href: 'blob:report' });
    const blob = createObjectURL.mock.calls[0]![0];
    expect(blob.type).toBe('application/json');
    expect(await blob.text()).toBe('{"projectId":"p1"}');
    // The temporary link is gone again.
    expect(document.querySelector('a[download]')).toBeNull();
  });
});

describe('report dates', () => {
  it('turns calendar days into an inclusive range of instants and back', () => {
    expect(dayStart('2026-03-01')).toBe(new Date(2026, 2, 1).toISOString());
    expect(dayEnd('2026-03-07')).toBe(new Date(2026, 2, 8).toISOString());
    expect(isoToDay(dayStart('2026-03-01'))).toBe('2026-03-01');
    expect(isoToDay(dayEnd('2026-03-07'), true)).toBe('2026-03-07');
    expect(dayStart('')).toBeNull();
    expect(isoToDay(null)).toBe('');
  });
});
