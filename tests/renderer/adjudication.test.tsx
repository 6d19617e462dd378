import { beforeEach, describe, expect, it, vi } from 'vitest';
import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import type { AdjudicationField, AdjudicationItem } from '../../shared/contract/adjudication';
import { DEFAULT_REASON_CODES } from '../../shared/contract/adjudication';
import { BRIDGE_NAME } from '../../shared/contract/channels';
import { DEFAULT_SCHEMA, LabelSchema } from '../../shared/domain/labelSchema';
import { useCommandStore } from '../../renderer/src/commands/store';
import { AdjudicationView } from '../../renderer/src/features/adjudication/AdjudicationView';
import { newClusterField, splitSpans, valueKey } from '../../renderer/src/features/adjudication/fields';
import { sectionsFor } from '../../renderer/src/features/adjudication/guidelineSections';
import { forgetDrafts, useAdjudication } from '../../renderer/src/features/adjudication/store';
import { renderWithKeyboard } from './render';

const schema = LabelSchema.parse(DEFAULT_SCHEMA);

describe('span clusters after editing', () => {
  const clusters: AdjudicationField[] = [newClusterField(2, 6), newClusterField(10, 14)];

  it('puts each span in the cluster that contains it and makes clusters of spans outside every cluster', () => {
    const split = splitSpans(
      [
        { start: 11, end: 13, label: '商品' },
        { start: 2, end: 5, label: '日期' },
        { start: 20, end: 22, label: '金额' },
        { start: 21, end: 24, label: '金额' },
      ],
      clusters,
    );
    expect(split.ok).toBe(true);
    if (!split.ok) return;
    expect(split.byField['entities:2-6']).toEqual([{ start: 2, end: 5, label: '日期' }]);
    expect(split.byField['entities:10-14']).toEqual([{ start: 11, end: 13, label: '商品' }]);
    expect(split.added.map((f) => f.field)).toEqual(['entities:20-24']);
    expect(split.byField['entities:20-24']).toHaveLength(2);
  });

  it('refuses a span that crosses the edge of a cluster', () => {
    const split = splitSpans([{ start: 4, end: 8, label: '商品' }], clusters);
    expect(split).toEqual({ ok: false, span: { start: 4, end: 8, label: '商品' } });
  });

  it('compares span lists in position order, as the core does', () => {
    expect(valueKey([{ start: 5, end: 6, label: 'b' }, { start: 1, end: 2, label: 'a' }])).toBe(valueKey([{ start: 1, end: 2, label: 'a' }, { start: 5, end: 6, label: 'b' }]));
  });
});

describe('guideline sections', () => {
  const md = '# 规范\n\n## 1 意图\n提到退换货和投诉的区别。\n\n### 1.3 退换货\n- 退货、换货\n\n### 1.4 投诉\n表达不满\n\n## 2 实体\n';
  it('finds the deepest heading that names the label, up to the next heading of its level', () => {
    const [refund, complaint] = sectionsFor(md, ['退换货', '投诉', '不存在']);
    expect(refund).toMatchObject({ heading: '1.3 退换货', body: '- 退货、换货' });
    expect(complaint).toMatchObject({ heading: '1.4 投诉', body: '表达不满' });
    expect(sectionsFor(md, ['不存在'])).toEqual([]);
  });
});

/** Two versions, blind: intent split, sentiment agreed, one span both marked. */
const ITEM: AdjudicationItem = {
  itemId: 'i1',
  ord: 7,
  text: '吸尘器坏了我要退货',
  state: 'disputed',
  score: 0.5,
  blind: true,
  guidelineVersion: null,
  versions: [
    { tag: 'A', intents: ['退换货'], sentiment: '消极', entities: [{ start: 0, end: 3, label: '商品' }] },
    { tag: 'B', intents: ['投诉'], sentiment: '消极', entities: [{ start: 0, end: 3, label: '商品' }] },
  ],
  fields: [
    { field: 'intents', task: 'intents', label: null, extent: null, options: [{ value: '退换货', versions: [0] }, { value: '投诉', versions: [1] }], agreement: 0.5, decided: null },
    { field: 'sentiment', task: 'sentiment', label: null, extent: null, options: [{ value: '消极', versions: [0, 1] }], agreement: 1, prefill: '消极', majority: '消极', decided: null },
    {
      field: 'entities:0-3',
      task: 'entities',
      label: null,
      extent: { start: 0, end: 3 },
      options: [{ value: [{ start: 0, end: 3, label: '商品' }], versions: [0, 1] }],
      agreement: 1,
      prefill: [{ start: 0, end: 3, label: '商品' }],
      majority: [{ start: 0, end: 3, label: '商品' }],
      decided: null,
    },
  ],
};

function bridge() {
  const invoke = vi.fn(async (channel: string, _input: unknown) => {
    const value: Record<string, unknown> = {
      'adjudication.settings': { blind: true, reasonCodes: DEFAULT_REASON_CODES },
      'adjudication.queue': { counts: { disputed: 3, auto: 0, human: 0, flagged: 0 }, total: 3, rows: [] },
      'adjudication.next': invoke.mock.calls.filter(([c]) => c === 'adjudication.next').length > 1 ? null : ITEM,
      'adjudication.commit': { itemId: 'i1', state: 'human', actionId: 'x', events: 3 },
    };
    return { ok: true, value: value[channel] ?? null };
  });
  (window as unknown as Record<string, unknown>)[BRIDGE_NAME] = { invoke, on: vi.fn() };
  return invoke;
}

const press = (key: string) => fireEvent.keyDown(document.activeElement ?? document.body, { key, code: key });

beforeEach(() => {
  useCommandStore.setState(useCommandStore.getInitialState(), true);
  useCommandStore.getState().setPlatform('linux');
  forgetDrafts();
});

describe('the adjudication view by keyboard', () => {
  it('takes a version, refuses to commit against the majority without a reason, then commits with one', async () => {
    const invoke = bridge();
    renderWithKeyboard(<AdjudicationView projectId="p1" projectName="演示" reviewerId="r1" schema={schema} filter={{}} onBack={() => {}} />);
    await screen.findByTestId('adjudication-item');
    // The intent is split: no pre-fill; the first disputed field is current.
    expect(screen.getByTestId('field-panel').getAttribute('data-field')).toBe('intents');
    await act(async () => press('2'));
    await waitFor(() => expect(useAdjudication.getState().decisions.intents?.value).toBe('投诉'));
    // To the span both versions marked, and reject it: against the majority.
    await act(async () => press('ArrowDown'));
    await act(async () => press('ArrowDown'));
    await act(async () => press('x'));
    await act(async () => press('Enter'));
    await waitFor(() => expect(screen.getByTestId('adjudication-notice').getAttribute('data-kind')).toBe('reasonNeeded'));
    expect(invoke.mock.calls.some(([c]) => c === 'adjudication.commit')).toBe(false);
    const list = await screen.findByTestId('reason-list');
    await act(async () => fireEvent.keyDown(list, { key: '3' }));
    await waitFor(() => expect(useAdjudication.getState().decisions['entities:0-3']?.reasonCode).toBe('ambiguous-text'));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    await act(async () => press('Enter'));
    await waitFor(() => expect(invoke.mock.calls.some(([c]) => c === 'adjudication.commit')).toBe(true));
    const [, input] = invoke.mock.calls.find(([c]) => c === 'adjudication.commit')!;
    expect(input).toMatchObject({
      projectId: 'p1',
      itemId: 'i1',
      reviewerId: 'r1',
      flag: false,
      decisions: [
        { field: 'intents', value: '投诉' },
        { field: 'sentiment', value: '消极' },
        { field: 'entities:0-3', value: [], reasonCode: 'ambiguous-text' },
      ],
    });
    await screen.findByTestId('adjudication-finished');
  });
});
