import { describe, expect, it, vi } from 'vitest';
import { fireEvent, screen } from '@testing-library/react';
import { spanText } from '../../shared/domain/spans';
import { SpanText, type SpanTextProps } from '../../renderer/src/features/labeling/spans/SpanText';
import { buildTextModel, selectionFromDom, type Span, type SpanEditorState } from '../../renderer/src/features/labeling/spans/model';
import { renderWithTheme } from './render';

// 订 单 D D 2 0 2 4 1 1 0 5 0 0 1 😡 的 i P h o n e ␠ 1 5 手 机 壳 (29 graphemes, one code point each)
const MIXED = '订单DD20241105001😡的iPhone 15手机壳';
// é (2 cp) 👍🏻 (2 cp) 👨‍👩‍👧 (5 cp) 𠮷 (1 cp) 野 家 好 吃
const CLUSTERS = 'e\u0301👍🏻👨‍👩‍👧𠮷野家好吃';
const COLORS = { 订单号: '#1c7ed6', 商品: '#f59f00', 型号: '#ae3ec9' };

const at = (boundary: number, selected: SpanEditorState['selected'] = null): SpanEditorState => ({ anchor: boundary, focus: boundary, selected });

function renderSpanText(props: Partial<SpanTextProps> & { text?: string } = {}) {
  const { text = MIXED, ...rest } = props;
  const onSelect = vi.fn<(state: SpanEditorState) => void>();
  const model = buildTextModel(text);
  renderWithTheme(
    <SpanText model={model} spans={[]} suggestions={[]} state={at(0)} colors={COLORS} onSelect={onSelect} ariaLabel="文本" {...rest} />,
  );
  const root = screen.getByTestId('span-text');
  return { model, onSelect, root, cell: (g: number) => root.querySelector(`[data-g="${g}"]`)! };
}

/** The text as rendered, without label tags. */
function renderedText(root: HTMLElement): string {
  return [...root.querySelectorAll('[data-g]')].map((el) => el.textContent).join('');
}

function markText(mark: Element): string {
  return [...mark.querySelectorAll('[data-g]')].map((el) => el.textContent).join('');
}

describe('SpanText rendering', () => {
  it('is a labelled read-only textbox with one element per grapheme', () => {
    const { root } = renderSpanText({ text: CLUSTERS });
    expect(screen.getByRole('textbox', { name: '文本' })).toBe(root);
    expect(root.getAttribute('aria-readonly')).toBe('true');
    expect([...root.querySelectorAll('[data-g]')].map((el) => el.textContent)).toEqual(['e\u0301', '👍🏻', '👨‍👩‍👧', '𠮷', '野', '家', '好', '吃']);
  });

  it('marks spans with code-point data attributes and a label tag after each', () => {
    const spans: Span[] = [
      { start: 2, end: 15, label: '订单号' },
      { start: 26, end: 29, label: '商品' },
    ];
    const { root } = renderSpanText({ spans });
    const marks = [...root.querySelectorAll('[data-span-label]')];
    expect(marks.map((m) => [m.getAttribute('data-span-label'), m.getAttribute('data-span-start'), m.getAttribute('data-span-end')])).toEqual([
      ['订单号', '2', '15'],
      ['商品', '26', '29'],
    ]);
    expect(marks.map(markText)).toEqual(spans.map((s) => spanText(MIXED, s)));
    expect(marks.map((m) => m.textContent)).toEqual(['DD20241105001', '手机壳']);
    expect(marks.map((m) => m.nextElementSibling?.textContent)).toEqual(['订单号', '商品']);
    expect((marks[0] as HTMLElement).style.getPropertyValue('--span-color')).toBe('#1c7ed6');
    expect(renderedText(root)).toBe(MIXED);
  });

  it('marks spans over emoji and Extension B clusters', () => {
    const spans: Span[] = [{ start: 4, end: 10, label: '商品' }];
    const { root } = renderSpanText({ text: CLUSTERS, spans });
    const mark = root.querySelector('[data-span-label="商品"]')!;
    expect(markText(mark)).toBe('👨‍👩‍👧𠮷');
    expect(mark.getAttribute('data-span-start')).toBe('4');
  });

  it('renders suggestions as separate marks with their own attributes and a lighter tag', () => {
    const spans: Span[] = [{ start: 2, end: 15, label: '订单号' }];
    const suggestions: Span[] = [{ start: 26, end: 29, label: '商品' }];
    const { root } = renderSpanText({ spans, suggestions });
    expect(root.querySelectorAll('[data-span-label]')).toHaveLength(1);
    const mark = root.querySelector('[data-suggestion-label="商品"]')!;
    expect(mark.getAttribute('data-suggestion-start')).toBe('26');
    expect(mark.getAttribute('data-suggestion-end')).toBe('29');
    expect(mark.getAttribute('data-kind')).toBe('suggestion');
    expect(mark.nextElementSibling?.getAttribute('data-kind')).toBe('suggestion');
    expect(mark.className).not.toBe(root.querySelector('[data-span-label]')?.className);
    expect(mark.nextElementSibling?.className).not.toBe(root.querySelector('[data-tag][data-kind="span"]')?.className);
  });

  it('renders nested and crossing overlaps legibly: one attributed element per span, stacked lanes', () => {
    const spans: Span[] = [
      { start: 17, end: 26, label: '商品' },
      { start: 24, end: 29, label: '型号' },
      { start: 17, end: 23, label: '订单号' },
    ];
    const { root } = renderSpanText({ spans });
    expect(renderedText(root)).toBe(MIXED);
    const byLabel = (label: string) => root.querySelectorAll(`[data-span-label="${label}"]`);
    for (const s of spans) expect(byLabel(s.label)).toHaveLength(1);
    expect(markText(byLabel('商品')[0]!)).toBe('iPhone 15');
    expect(markText(byLabel('订单号')[0]!)).toBe('iPhone');
    // 型号 crosses 商品: its first fragment is inside 商品, the rest continues after it
    const fragments = root.querySelectorAll('mark[data-kind="span"][data-index="1"]');
    expect([...fragments].map(markText)).toEqual(['15', '手机壳']);
    expect(fragments[1]?.hasAttribute('data-fragment')).toBe(true);
    const lane = (label: string) => (byLabel(label)[0] as HTMLElement).style.getPropertyValue('--span-lane');
    expect(lane('订单号')).not.toBe(lane('商品'));
    expect(lane('型号')).not.toBe(lane('商品'));
    expect(root.querySelectorAll('[data-tag]')).toHaveLength(3);
  });

  it('outlines the selected span or suggestion', () => {
    const spans: Span[] = [{ start: 2, end: 15, label: '订单号' }];
    const suggestions: Span[] = [{ start: 26, end: 29, label: '商品' }];
    const { root } = renderSpanText({ spans, suggestions, state: at(26, { kind: 'suggestion', index: 0 }) });
    expect(root.querySelector('[data-selected]')?.getAttribute('data-suggestion-label')).toBe('商品');
    expect(root.querySelector('[data-span-label]')?.hasAttribute('data-selected')).toBe(false);
  });

  it('highlights the selection range and shows no caret while it is non-empty', () => {
    const { root } = renderSpanText({ state: { anchor: 29, focus: 26, selected: null } });
    expect([...root.querySelectorAll('[data-in-selection]')].map((el) => el.textContent).join('')).toBe('手机壳');
    expect(screen.queryByTestId('span-caret')).toBeNull();
  });

  it('shows the caret at the cursor boundary, including the end of the text', () => {
    const { root } = renderSpanText({ state: at(15), spans: [{ start: 2, end: 15, label: '订单号' }] });
    const caret = screen.getByTestId('span-caret');
    expect(caret.nextElementSibling?.getAttribute('data-g')).toBe('15');
    expect(root.hasAttribute('data-focused')).toBe(true);
  });

  it('puts the caret last at the end and marks an unfocused editor', () => {
    const { root } = renderSpanText({ state: at(29), focused: false });
    expect(root.lastElementChild).toBe(screen.getByTestId('span-caret'));
    expect(root.hasAttribute('data-focused')).toBe(false);
  });
});

describe('selectionFromDom', () => {
  const selection = (anchorNode: Node, anchorOffset: number, focusNode: Node = anchorNode, focusOffset = anchorOffset) => ({
    anchorNode,
    anchorOffset,
    focusNode,
    focusOffset,
  });

  it('maps text-node positions to grapheme boundaries, keeping direction', () => {
    const { model, root, cell } = renderSpanText({ text: CLUSTERS });
    expect(selectionFromDom(model, root, selection(cell(1).firstChild!, 0, cell(3).firstChild!, 2))).toEqual({ anchor: 1, focus: 4 });
    expect(selectionFromDom(model, root, selection(cell(7).firstChild!, 1, cell(4).firstChild!, 0))).toEqual({ anchor: 8, focus: 4 });
  });

  it('snaps a position inside a cluster to the nearer edge', () => {
    const { model, root, cell } = renderSpanText({ text: CLUSTERS });
    const family = cell(2).firstChild!; // 8 UTF-16 units
    expect(selectionFromDom(model, root, selection(family, 1))).toEqual({ anchor: 2, focus: 2 });
    expect(selectionFromDom(model, root, selection(family, 5))).toEqual({ anchor: 3, focus: 3 });
    expect(selectionFromDom(model, root, selection(cell(3).firstChild!, 1))).toEqual({ anchor: 4, focus: 4 }); // inside 𠮷's surrogate pair
  });

  it('maps element positions, tags and points outside the text', () => {
    const { model, root, cell } = renderSpanText({ spans: [{ start: 26, end: 28, label: '商品' }] });
    expect(selectionFromDom(model, root, selection(cell(5), 0))).toEqual({ anchor: 5, focus: 5 });
    expect(selectionFromDom(model, root, selection(cell(5), 1))).toEqual({ anchor: 6, focus: 6 });
    expect(selectionFromDom(model, root, selection(root, 0))).toEqual({ anchor: 0, focus: 0 });
    expect(selectionFromDom(model, root, selection(root, root.childNodes.length))).toEqual({ anchor: 29, focus: 29 });
    const tag = root.querySelector('[data-tag]')!;
    expect(selectionFromDom(model, root, selection(tag.firstChild!, 1))).toEqual({ anchor: 28, focus: 28 });
    const mark = root.querySelector('[data-span-label]')!;
    expect(selectionFromDom(model, root, selection(mark, 0, mark, mark.childNodes.length))).toEqual({ anchor: 26, focus: 28 });
    const before = document.createElement('p');
    const after = document.createElement('p');
    document.body.prepend(before);
    document.body.append(after);
    expect(selectionFromDom(model, root, selection(before, 0, after, 0))).toEqual({ anchor: 0, focus: 29 });
    before.remove();
    after.remove();
  });

  it('returns null without a selection', () => {
    const { model, root } = renderSpanText();
    expect(selectionFromDom(model, root, { anchorNode: null, anchorOffset: 0, focusNode: null, focusOffset: 0 })).toBeNull();
  });
});

describe('SpanText mouse', () => {
  function select(start: Node, startOffset: number, end: Node, endOffset: number) {
    const range = document.createRange();
    range.setStart(start, startOffset);
    range.setEnd(end, endOffset);
    const sel = document.getSelection()!;
    sel.removeAllRanges();
    sel.addRange(range);
  }

  it('converts a drag selection on mouseup and clears the native selection', () => {
    const { onSelect, cell } = renderSpanText();
    select(cell(26).firstChild!, 0, cell(28).firstChild!, 1);
    fireEvent.mouseUp(cell(28));
    expect(onSelect).toHaveBeenCalledWith({ anchor: 26, focus: 29, selected: null });
    expect(document.getSelection()?.rangeCount).toBe(0);
  });

  it('a click places the cursor', () => {
    const { onSelect, cell } = renderSpanText();
    select(cell(16).firstChild!, 0, cell(16).firstChild!, 0);
    fireEvent.mouseUp(cell(16));
    expect(onSelect).toHaveBeenCalledWith(at(16));
  });

  it('a click on a span or its tag selects it; the innermost span wins', () => {
    const spans: Span[] = [
      { start: 17, end: 26, label: '商品' },
      { start: 24, end: 26, label: '型号' },
    ];
    const suggestions: Span[] = [{ start: 26, end: 29, label: '商品' }];
    const { onSelect, cell, root } = renderSpanText({ spans, suggestions });
    select(cell(25).firstChild!, 1, cell(25).firstChild!, 1);
    fireEvent.mouseUp(cell(25));
    expect(onSelect).toHaveBeenLastCalledWith(at(24, { kind: 'span', index: 1 }));
    select(cell(18).firstChild!, 0, cell(18).firstChild!, 0);
    fireEvent.mouseUp(cell(18));
    expect(onSelect).toHaveBeenLastCalledWith(at(17, { kind: 'span', index: 0 }));
    const suggestionTag = root.querySelector('[data-tag][data-kind="suggestion"]')!;
    select(suggestionTag.firstChild!, 0, suggestionTag.firstChild!, 0);
    fireEvent.mouseUp(suggestionTag);
    expect(onSelect).toHaveBeenLastCalledWith(at(26, { kind: 'suggestion', index: 0 }));
  });
});
