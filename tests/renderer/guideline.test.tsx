import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { guidelineHeadings, guidelineSection, guidelineSectionByRef, guidelineTemplate } from '../../shared/domain/guideline';
import { DEFAULT_REASON_CODES, type AnnotatorFeedback, type Guideline } from '../../shared/contract/adjudication';
import { BRIDGE_NAME } from '../../shared/contract/channels';
import { useCommandStore } from '../../renderer/src/commands/store';
import { forgetRows } from '../../renderer/src/commands/rows';
import { useNavigation } from '../../renderer/src/app/store';
import { useAnnotators } from '../../renderer/src/features/annotators/store';
import { useProjects } from '../../renderer/src/features/projects/store';
import { GuidelinePage, templateFor } from '../../renderer/src/features/guideline/GuidelinePage';
import { useGuidelineDrafts } from '../../renderer/src/features/guideline/store';
import { labelingTopics } from '../../renderer/src/features/guideline/useGuidelinePanel';
import { FeedbackPage } from '../../renderer/src/features/feedback/FeedbackPage';
import { rowTopics, valueText } from '../../renderer/src/features/feedback/format';
import { ProjectSettingsPage, rowProblem } from '../../renderer/src/features/projectSettings/ProjectSettingsPage';
import { project } from './fixtures';
import { renderWithKeyboard } from './render';

const PROJECT = project({ itemCount: 10, annotatedCount: 2 });
const INTENTS = PROJECT.schema.intents.labels.map((l) => l.name);
const ENTITIES = PROJECT.schema.entities.types.map((e) => e.name);

const press = (key: string, init: Partial<KeyboardEventInit> = {}) =>
  fireEvent.keyDown(document.activeElement ?? document.body, { key, code: key, ...init });
const person = (id: string, name: string, roles: ('annotator' | 'reviewer' | 'lead')[]) => ({
  id,
  name,
  origin: 'local' as const,
  createdAt: '2026-03-01T00:00:00.000Z',
  roles,
});

type Handler = (channel: string, input: unknown) => unknown;
function bridge(handle: Handler) {
  const invoke = vi.fn(async (channel: string, input: unknown) => {
    try {
      return { ok: true, value: await handle(channel, input) };
    } catch (error) {
      return { ok: false, error: error as object };
    }
  });
  (window as unknown as Record<string, unknown>)[BRIDGE_NAME] = { invoke, on: vi.fn(() => () => {}) };
  return invoke;
}
const callsOf = (invoke: ReturnType<typeof bridge>, channel: string) => invoke.mock.calls.filter(([c]) => c === channel).map(([, input]) => input);

beforeEach(() => {
  useCommandStore.setState(useCommandStore.getInitialState(), true);
  useCommandStore.getState().setPlatform('linux');
  forgetRows();
  useGuidelineDrafts.setState({ drafts: {} });
  useProjects.setState({ current: PROJECT });
  useNavigation.setState({ route: { name: 'guideline', projectId: 'p1' }, history: [] });
  vi.spyOn(console, 'warn').mockImplementation(() => {});
});
afterEach(() => {
  delete (window as unknown as Record<string, unknown>)[BRIDGE_NAME];
  vi.restoreAllMocks();
});

describe('the guideline as Markdown (shared/domain/guideline)', () => {
  it('builds the template the core builds (guidelineTemplate in electron/core), with a section per intent and entity type', () => {
    const section = (heading: string) =>
      `### ${heading}\n\n- 定义 / Definition:\n- 包括 / Include:\n- 不包括 / Exclude:\n- 正例 / Positive examples:\n- 反例 / Negative examples:\n`;
    expect(guidelineTemplate(['查询订单', '投诉'], ['订单号'])).toBe(
      [
        '# 标注规范 / Labeling guideline\n',
        '## 1 意图 / Intents\n',
        section('1.1 查询订单'),
        section('1.2 投诉'),
        '## 2 实体 / Entities\n',
        `${section('2.1 订单号')}- 边界 / Span boundaries:\n`,
      ].join('\n'),
    );
    const template = guidelineTemplate(INTENTS, ENTITIES);
    expect(templateFor(PROJECT.schema)).toBe(template);
    for (const name of [...INTENTS, ...ENTITIES]) expect(guidelineSection(template, name)).toMatch(/^### \d\.\d+ .+\n\n- 定义 \/ Definition:/);
    expect(guidelineSection(template, ENTITIES[0]!)).toContain('边界 / Span boundaries');
    expect(guidelineSection(template, INTENTS[0]!)).not.toContain(INTENTS[1]!);
  });

  it('finds a section by reference, skips headings in code blocks, and names with spaces', () => {
    const md = [
      '# G',
      '## 3 Rules',
      '### 3.2 order status',
      'Text.',
      '```',
      '# not a heading',
      '```',
      '#### 3.2.1 Detail',
      'More.',
      '### 3.3 Other',
      'x',
    ].join('\n');
    expect(guidelineHeadings(md).map((h) => h.number)).toEqual([null, '3', '3.2', '3.2.1', '3.3']);
    expect(guidelineSectionByRef(md, 'guideline 3.2')).toBe(
      ['### 3.2 order status', 'Text.', '```', '# not a heading', '```', '#### 3.2.1 Detail', 'More.'].join('\n'),
    );
    expect(guidelineSectionByRef(md, '§3.3')).toBe('### 3.3 Other\nx');
    expect(guidelineSectionByRef(md, '9.9')).toBeNull();
    expect(guidelineSection(md, 'order status')).toContain('Text.');
    expect(guidelineSection(md, 'nothing')).toBeNull();
  });
});

describe('what the guideline panel is about', () => {
  const item = (intents: string[], entities: { start: number; end: number; label: string }[], suggested: string[] = []) => ({
    item: { id: 'i1', ord: 1, text: '订单123', meta: {}, externalId: null, gold: false, annotationCount: 0, sourceFile: null, sourceLine: null },
    annotation: { intents, sentiment: null, entities, status: 'draft' as const, flagged: false, note: '' },
    suggestions: suggested.length
      ? [{ id: 's1', kind: 'intents' as const, value: suggested, score: 0.8, modelVersion: 'm1', createdAt: '2026-03-01T00:00:00.000Z' }]
      : [],
    context: [],
  });
  const editor = (selected: { kind: 'span' | 'suggestion'; index: number } | null) => ({ anchor: 0, focus: 0, selected });

  it('the selected span’s entity type first, then the chosen intents; the suggestion only when none is chosen', () => {
    const current = item(['查询订单'], [{ start: 2, end: 5, label: '订单号' }], ['投诉']) as never;
    expect(labelingTopics({ current, editor: editor({ kind: 'span', index: 0 }), pendingSpans: [] })).toEqual([
      { kind: 'entity', name: '订单号' },
      { kind: 'intent', name: '查询订单' },
    ]);
    expect(labelingTopics({ current: item([], [], ['投诉']) as never, editor: editor(null), pendingSpans: [] })).toEqual([
      { kind: 'intent', name: '投诉', suggested: true },
    ]);
    expect(labelingTopics({ current: null, editor: editor(null), pendingSpans: [] })).toEqual([]);
  });
});

describe('the guideline page', () => {
  function guidelineCore(roles: ('annotator' | 'reviewer' | 'lead')[]) {
    const versions: Guideline[] = [];
    const me = person('a1', '王组长', roles);
    useAnnotators.setState({ annotators: [me], current: me, loaded: true });
    const invoke = bridge((channel, input) => {
      const i = input as { version?: number; markdown?: string };
      if (channel === 'annotators.list') return [me];
      if (channel === 'guidelines.get') {
        if (i.version) return versions[i.version - 1];
        return versions.at(-1) ?? { projectId: 'p1', version: 0, markdown: '', createdAt: null, authorName: null };
      }
      if (channel === 'guidelines.save') {
        versions.push({
          projectId: 'p1',
          version: versions.length + 1,
          markdown: i.markdown!,
          createdAt: '2026-03-02T08:00:00.000Z',
          authorName: '王组长',
        });
        return versions.at(-1);
      }
      if (channel === 'guidelines.queueRecheck') return { queued: 7 };
      throw new Error(`unexpected ${channel}`);
    });
    return { invoke, versions };
  }

  it('T fills the template, Ctrl+S saves a new version as the current profile, Q queues the re-check with the count', async () => {
    const { invoke } = guidelineCore(['annotator', 'lead']);
    renderWithKeyboard(<GuidelinePage projectId="p1" />);
    expect((await screen.findByTestId('guideline-version')).textContent).toContain('尚未保存');
    await waitFor(() => expect(callsOf(invoke, 'annotators.list')).toHaveLength(1));
    await screen.findByTestId('guideline-template');
    press('t');
    const editor = screen.getByTestId('guideline-editor') as HTMLTextAreaElement;
    expect(editor.value).toBe(templateFor(PROJECT.schema));
    expect(screen.getByTestId('guideline-dirty')).toBeTruthy();
    expect(screen.getByTestId('guideline-preview').textContent).toContain(INTENTS[0]!);
    editor.focus();
    press('s', { ctrlKey: true });
    await waitFor(() => expect(screen.getByTestId('guideline-version').textContent).toContain('第 1 版'));
    expect(callsOf(invoke, 'guidelines.save')).toEqual([{ projectId: 'p1', authorId: 'a1', markdown: templateFor(PROJECT.schema) }]);
    expect(screen.queryByTestId('guideline-dirty')).toBeNull();

    // A second version, then v1 read back from the history.
    fireEvent.change(editor, { target: { value: `${editor.value}\n补充` } });
    act(() => editor.blur());
    press('s', { ctrlKey: true });
    await waitFor(() => expect(screen.getByTestId('guideline-version').textContent).toContain('第 2 版'));
    press('q');
    expect((await screen.findByTestId('guideline-recheck-result')).textContent).toContain('已将 7 个在第 2 版之前标注的条目排入复查');
    expect(callsOf(invoke, 'guidelines.queueRecheck')).toEqual([{ projectId: 'p1', leadId: 'a1' }]);
    fireEvent.change(screen.getByTestId('guideline-history'), { target: { value: '1' } });
    expect((await screen.findByTestId('guideline-older')).textContent).toContain('第 1 版');
    expect(screen.getByTestId('guideline-preview').textContent).not.toContain('补充');
    expect(screen.queryByTestId('guideline-editor')).toBeNull();
  });

  it('T asks before replacing text already written', async () => {
    guidelineCore(['reviewer']);
    useGuidelineDrafts.setState({ drafts: { p1: '# 我的草稿' } });
    renderWithKeyboard(<GuidelinePage projectId="p1" />);
    await screen.findByTestId('guideline-template');
    press('t');
    const dialog = await screen.findByRole('dialog');
    fireEvent.click(within(dialog).getByRole('button', { name: '替换' }));
    await waitFor(() => expect((screen.getByTestId('guideline-editor') as HTMLTextAreaElement).value).toBe(templateFor(PROJECT.schema)));
    // A reviewer saves but does not queue re-checks.
    expect(screen.queryByTestId('guideline-recheck')).toBeNull();
  });

  it('an annotator reads the guideline but cannot edit it', async () => {
    const { versions } = guidelineCore(['annotator']);
    versions.push({
      projectId: 'p1',
      version: 1,
      markdown: '# 规范\n\n## 1.1 查询订单\n\n定义',
      createdAt: '2026-03-02T08:00:00.000Z',
      authorName: '王组长',
    });
    renderWithKeyboard(<GuidelinePage projectId="p1" />);
    expect(await screen.findByTestId('guideline-readonly')).toBeTruthy();
    expect(screen.getByTestId('guideline-preview').textContent).toContain('查询订单');
    expect(screen.queryByTestId('guideline-editor')).toBeNull();
    expect(screen.queryByTestId('guideline-save')).toBeNull();
  });

  it('renders no raw HTML and keeps links and images inert', async () => {
    const { versions } = guidelineCore(['annotator']);
    versions.push({
      projectId: 'p1',
      version: 1,
      markdown: '# 规范\n\n<script>window.bad = 1</script><b>粗</b>\n\n[外链](https://example.com) ![图](https://example.com/x.png)',
      createdAt: null,
      authorName: null,
    });
    renderWithKeyboard(<GuidelinePage projectId="p1" />);
    const preview = await screen.findByTestId('guideline-preview');
    expect(preview.querySelector('script, b, a, img')).toBeNull();
    expect(preview.textContent).toContain('外链');
    expect(preview.textContent).toContain('[图]');
  });
});

describe('the feedback page', () => {
  const FEEDBACK: AnnotatorFeedback = {
    rows: [
      {
        itemId: 'i3',
        ord: 3,
        text: '快递到哪了',
        field: 'intents',
        yours: '查询订单',
        adjudicated: '物流进度',
        reasonCode: 'guideline',
        reasonLabel: '违反标注规范 / guideline',
        note: '问的是快递',
        at: '2026-03-03T08:00:00.000Z',
      },
      {
        itemId: 'i5',
        ord: 5,
        text: '买的吸尘器坏了',
        field: 'entities:2-5',
        yours: [],
        adjudicated: [{ start: 2, end: 5, label: '商品' }],
        reasonCode: null,
        reasonLabel: null,
        note: null,
        at: '2026-03-02T08:00:00.000Z',
      },
    ],
    accuracy: [
      { week: '2026-W09', fields: 10, agreed: 8, accuracy: 0.8 },
      { week: '2026-W10', fields: 10, agreed: 9, accuracy: 0.9 },
    ],
  };
  const GUIDELINE = templateFor(PROJECT.schema).replace(
    '### 1.2 物流进度\n\n- 定义 / Definition:',
    '### 1.2 物流进度\n\n- 定义 / Definition: 快递在哪',
  );

  it('lists where the adjudication differs; G shows the section the reason refers to; Enter opens the item', async () => {
    const me = person('a2', '小李', ['annotator']);
    useAnnotators.setState({ annotators: [me], current: me, loaded: true });
    useNavigation.setState({ route: { name: 'feedback', projectId: 'p1' }, history: [] });
    const invoke = bridge((channel) => {
      if (channel === 'adjudication.feedback') return FEEDBACK;
      if (channel === 'adjudication.settings')
        return { blind: true, reasonCodes: DEFAULT_REASON_CODES.map((r) => (r.code === 'guideline' ? { ...r, guidelineRef: '1.2' } : r)) };
      if (channel === 'guidelines.get') return { projectId: 'p1', version: 4, markdown: GUIDELINE, createdAt: null, authorName: null };
      throw new Error(`unexpected ${channel}`);
    });
    renderWithKeyboard(<FeedbackPage projectId="p1" />);
    const table = await screen.findByTestId('feedback-rows');
    expect(callsOf(invoke, 'adjudication.feedback')).toEqual([{ projectId: 'p1', annotatorId: 'a2' }]);
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    expect(rows[0]!.textContent).toContain('查询订单');
    expect(rows[0]!.textContent).toContain('物流进度');
    expect(rows[0]!.textContent).toContain('规范 1.2');
    expect(rows[0]!.textContent).toContain('问的是快递');
    expect(rows[1]!.textContent).toContain('商品「吸尘器」');
    expect(rows[1]!.textContent).toContain('（无实体）');
    expect(screen.getByTestId('feedback-accuracy').textContent).toContain('85%（17/20）');
    expect(screen.getByTestId('feedback-weeks').textContent).toContain('2026-W10');
    await waitFor(() => expect(document.activeElement).toBe(rows[0]));

    press('g');
    expect((await screen.findByTestId('guideline-panel-section')).textContent).toContain('快递在哪');
    expect(screen.getByTestId('guideline-panel-version').textContent).toContain('第 4 版');
    press('Escape');
    expect(screen.queryByTestId('guideline-panel')).toBeNull();
    expect(useNavigation.getState().route.name).toBe('feedback');

    press('ArrowDown');
    press('Enter');
    expect(useNavigation.getState().route).toEqual({ name: 'labeling', projectId: 'p1', filter: { status: 'all', order: 'position' }, startOrd: 5 });
  });

  it('formats values and picks the sections a row is about', () => {
    const t = ((k: string) => k) as never;
    expect(valueText(null, '', t)).toBe('feedback.none');
    expect(valueText(true, '', t)).toBe('feedback.yes');
    expect(rowTopics({ field: 'intents:投诉', yours: false, adjudicated: true }, null)).toEqual([{ kind: 'intent', name: '投诉' }]);
    expect(rowTopics(FEEDBACK.rows[0]!, '1.2')).toEqual([
      { kind: 'ref', name: '1.2' },
      { kind: 'intent', name: '物流进度' },
      { kind: 'intent', name: '查询订单' },
    ]);
  });
});

describe('the project settings', () => {
  it('checks reason codes: the pattern, duplicates and a name', () => {
    const all = [{ code: 'a' }, { code: 'a' }, { code: 'b' }];
    expect(rowProblem({ code: 'Bad Code', label: 'x' }, [])).toBe('code');
    expect(rowProblem({ code: 'a', label: 'x' }, all)).toBe('duplicate');
    expect(rowProblem({ code: 'b', label: ' ' }, all)).toBe('label');
    expect(rowProblem({ code: 'b', label: 'x' }, all)).toBeNull();
  });

  it('adds, renames and removes reason codes, turns blind review off and saves with the profile as actor', async () => {
    const me = person('a1', '审核员', ['reviewer']);
    useAnnotators.setState({ annotators: [me], current: me, loaded: true });
    const invoke = bridge((channel, input) => {
      if (channel === 'annotators.list') return [me];
      if (channel === 'adjudication.settings') return { blind: true, reasonCodes: DEFAULT_REASON_CODES };
      if (channel === 'adjudication.saveSettings') return (input as { settings: unknown }).settings;
      throw new Error(`unexpected ${channel}`);
    });
    renderWithKeyboard(<ProjectSettingsPage projectId="p1" />);
    await screen.findByTestId('settings-reasons');
    await waitFor(() => expect(callsOf(invoke, 'annotators.list')).toHaveLength(1));
    const save = screen.getByTestId('settings-save');
    expect((save as HTMLButtonElement).disabled).toBe(true);
    press('n');
    const code = screen.getByLabelText('第 5 个理由的代码');
    await waitFor(() => expect(document.activeElement).toBe(code));
    fireEvent.change(code, { target: { value: 'Span' } });
    expect((save as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(code, { target: { value: 'span' } });
    fireEvent.change(screen.getByLabelText('第 5 个理由的名称'), { target: { value: '实体边界' } });
    fireEvent.change(screen.getByLabelText('第 5 个理由引用的规范小节'), { target: { value: '2.1' } });
    fireEvent.change(screen.getByLabelText('第 1 个理由的名称'), { target: { value: '不符合规范' } });
    expect(screen.getByLabelText('第 1 个理由的代码').hasAttribute('readonly')).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: /删除第 3 个理由/ }));
    fireEvent.click(screen.getByRole('switch'));
    expect((save as HTMLButtonElement).disabled).toBe(false);
    fireEvent.click(save);
    await waitFor(() => expect(callsOf(invoke, 'adjudication.saveSettings')).toHaveLength(1));
    expect(callsOf(invoke, 'adjudication.saveSettings')[0]).toEqual({
      projectId: 'p1',
      actorId: 'a1',
      settings: {
        blind: false,
        reasonCodes: [
          { ...DEFAULT_REASON_CODES[0]!, label: '不符合规范' },
          DEFAULT_REASON_CODES[1],
          DEFAULT_REASON_CODES[3],
          { code: 'span', label: '实体边界', guidelineRef: '2.1' },
        ],
      },
    });
  });
});
