import { describe, expect, it } from 'vitest';
import { codePointLength, spanText } from '../../shared/domain/spans';
import {
  acceptSuggestion,
  buildTextModel,
  changeSpanType,
  clearSelection,
  codePointOfBoundary,
  createSpan,
  deleteSpan,
  graphemeIndexAtCodePoint,
  initialState,
  moveBoundary,
  moveCursor,
  rejectSuggestion,
  selectSpan,
  selectionToSpan,
  spanAtCursor,
  spanBoundaries,
  type CursorUnit,
  type Span,
  type SpanEditorState,
  type TextModel,
} from '../../renderer/src/features/labeling/spans/model';

// 订 单 D D 2 0 2 4 1 1 0 5 0 0 1 😡 的 i P h o n e ␠ 1 5 手 机 壳 (29 graphemes, one code point each)
const MIXED = '订单DD20241105001😡的iPhone 15手机壳';
// é = e + U+0301 (2 cp), 👍🏻 (2 cp), 👨‍👩‍👧 (5 cp), 𠮷 (1 cp, 2 UTF-16 units), then 野家好吃
const CLUSTERS = 'e\u0301👍🏻👨‍👩‍👧𠮷野家好吃';
const CLUSTER_TEXTS = ['e\u0301', '👍🏻', '👨‍👩‍👧', '𠮷', '野', '家', '好', '吃'];

const at = (boundary: number, selected: SpanEditorState['selected'] = null): SpanEditorState => ({ anchor: boundary, focus: boundary, selected });
const range = (anchor: number, focus: number): SpanEditorState => ({ anchor, focus, selected: null });
const spanSel = (index: number): SpanEditorState['selected'] => ({ kind: 'span', index });
const suggestionSel = (index: number): SpanEditorState['selected'] => ({ kind: 'suggestion', index });

/** Applies the same move repeatedly and records the cursor boundary after each. */
function walk(model: TextModel, start: SpanEditorState, direction: -1 | 1, unit: CursorUnit, steps: number): number[] {
  const seen: number[] = [];
  let state = start;
  for (let i = 0; i < steps; i++) {
    state = moveCursor(model, state, direction, unit, false);
    seen.push(state.focus);
  }
  return seen;
}

function textOf(model: TextModel, state: SpanEditorState): string | null {
  const span = selectionToSpan(model, state, 'x');
  return span && spanText(model.text, span);
}

describe('buildTextModel', () => {
  it('segments emoji, ZWJ sequences, skin tones, combining marks and Extension B as whole graphemes', () => {
    const model = buildTextModel(CLUSTERS);
    expect(model.graphemes.map((g) => g.text)).toEqual(CLUSTER_TEXTS);
    expect(model.graphemes.map((g) => [g.cpStart, g.cpEnd])).toEqual([
      [0, 2],
      [2, 4],
      [4, 9],
      [9, 10],
      [10, 11],
      [11, 12],
      [12, 13],
      [13, 14],
    ]);
    expect(model.graphemes.map((g) => g.u16Start)).toEqual([0, 2, 6, 14, 16, 17, 18, 19]);
    for (const g of model.graphemes) {
      expect(CLUSTERS.slice(g.u16Start, g.u16End)).toBe(g.text);
      expect(spanText(CLUSTERS, { start: g.cpStart, end: g.cpEnd })).toBe(g.text);
    }
    expect(model.graphemes.at(-1)?.cpEnd).toBe(codePointLength(CLUSTERS));
  });

  it('finds Chinese word boundaries, including 0 and the end', () => {
    const model = buildTextModel(MIXED);
    const words = model.wordBoundaries.slice(1).map((end, i) => spanText(MIXED, { start: model.wordBoundaries[i]!, end }));
    expect(words).toEqual(['订单', 'DD20241105001', '😡', '的', 'iPhone', ' ', '15', '手机', '壳']);
  });

  it('handles empty text', () => {
    const model = buildTextModel('');
    expect(model.graphemes).toEqual([]);
    expect(model.wordBoundaries).toEqual([0]);
    expect(moveCursor(model, initialState(), 1, 'char', false)).toEqual(at(0));
    expect(selectSpan(model, initialState(), [], [], 1)).toEqual(initialState());
  });
});

describe('offset conversion', () => {
  const model = buildTextModel(CLUSTERS);

  it('maps code points to the grapheme containing them and boundaries back to code points', () => {
    expect([0, 1, 2, 3, 4, 8, 9, 10, 13].map((cp) => graphemeIndexAtCodePoint(model, cp))).toEqual([0, 0, 1, 1, 2, 2, 3, 4, 7]);
    expect(graphemeIndexAtCodePoint(model, 14)).toBe(8);
    expect(graphemeIndexAtCodePoint(model, 99)).toBe(8);
    expect([0, 1, 2, 3, 4, 8].map((b) => codePointOfBoundary(model, b))).toEqual([0, 2, 4, 9, 10, 14]);
    expect(codePointOfBoundary(model, -1)).toBe(0);
    expect(codePointOfBoundary(model, 99)).toBe(14);
  });

  it('widens span offsets that fall inside a cluster to whole graphemes', () => {
    expect(spanBoundaries(model, { start: 4, end: 9 })).toEqual({ start: 2, end: 3 });
    expect(spanBoundaries(model, { start: 5, end: 7 })).toEqual({ start: 2, end: 3 });
    expect(spanBoundaries(model, { start: 1, end: 5 })).toEqual({ start: 0, end: 3 });
  });
});

describe('moveCursor', () => {
  it('moves by grapheme and never lands inside a cluster', () => {
    const model = buildTextModel(CLUSTERS);
    const right = walk(model, initialState(), 1, 'char', 9);
    expect(right).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 8]);
    const starts = new Set(model.graphemes.map((g) => g.cpStart).concat(14));
    for (const b of right) expect(starts.has(codePointOfBoundary(model, b))).toBe(true);
    expect(walk(model, at(8), -1, 'char', 9)).toEqual([7, 6, 5, 4, 3, 2, 1, 0, 0]);
  });

  it('moves by Chinese word, skipping whitespace', () => {
    const model = buildTextModel(MIXED);
    const right = walk(model, initialState(), 1, 'word', 9);
    expect(right).toEqual([2, 15, 16, 17, 23, 26, 28, 29, 29]);
    expect(
      right.map((b, i) => spanText(MIXED, { start: codePointOfBoundary(model, right[i - 1] ?? 0), end: codePointOfBoundary(model, b) })),
    ).toEqual(['订单', 'DD20241105001', '😡', '的', 'iPhone', ' 15', '手机', '壳', '']);
    expect(walk(model, at(29), -1, 'word', 9)).toEqual([28, 26, 24, 17, 16, 15, 2, 0, 0]);
  });

  it('moves by word over emoji clusters without splitting them', () => {
    const model = buildTextModel('你好😡 谢谢👍🏻');
    expect(walk(model, initialState(), 1, 'word', 4)).toEqual([2, 3, 6, 7]);
  });

  it("moves to the text's start and end by line", () => {
    const model = buildTextModel(MIXED);
    expect(moveCursor(model, at(10), 1, 'line', false)).toEqual(at(29));
    expect(moveCursor(model, at(10), -1, 'line', false)).toEqual(at(0));
  });

  it('extends the selection with shift, keeping the anchor', () => {
    const model = buildTextModel(MIXED);
    let state = moveCursor(model, initialState(), 1, 'word', true);
    state = moveCursor(model, state, 1, 'word', true);
    expect(state).toEqual(range(0, 15));
    expect(textOf(model, state)).toBe('订单DD20241105001');
    state = moveCursor(model, state, 1, 'char', true);
    expect(textOf(model, state)).toBe('订单DD20241105001😡');
    expect(selectionToSpan(model, state, '订单号')).toEqual({ start: 0, end: 16, label: '订单号' });
    expect(textOf(model, moveCursor(model, at(17), 1, 'line', true))).toBe('iPhone 15手机壳');
  });

  it('extends backwards across an emoji', () => {
    const model = buildTextModel(MIXED);
    let state = at(17);
    state = moveCursor(model, state, -1, 'char', true);
    state = moveCursor(model, state, -1, 'char', true);
    expect(state).toEqual(range(17, 15));
    expect(textOf(model, state)).toBe('😡的');
    expect(selectionToSpan(model, state, 'x')).toEqual({ start: 15, end: 17, label: 'x' });
  });

  it('collapses a selection to its start (←) or end (→) without extend', () => {
    const model = buildTextModel(MIXED);
    const selection = range(15, 2);
    expect(moveCursor(model, selection, -1, 'char', false)).toEqual(at(2));
    expect(moveCursor(model, selection, 1, 'char', false)).toEqual(at(15));
    expect(moveCursor(model, selection, 1, 'word', false)).toEqual(at(16));
    expect(moveCursor(model, selection, -1, 'word', false)).toEqual(at(0));
  });

  it('clears the span selection and never auto-selects the span it lands in', () => {
    const model = buildTextModel(MIXED);
    const spans: Span[] = [{ start: 26, end: 29, label: '商品' }];
    const landed = moveCursor(model, at(25, spanSel(0)), 1, 'char', false);
    expect(landed).toEqual(at(26));
    expect(moveCursor(model, landed, 1, 'char', false)).toEqual(at(27));
    expect(spanAtCursor(model, at(27), spans)).toBe(0);
  });
});

describe('createSpan', () => {
  it('stores code-point offsets for text after astral characters', () => {
    const model = buildTextModel(MIXED);
    const { spans, state, error } = createSpan(model, range(26, 29), [], '商品', false);
    expect(error).toBeUndefined();
    expect(spans).toEqual([{ start: 26, end: 29, label: '商品' }]);
    expect(MIXED.indexOf('手机壳')).toBe(27); // the UTF-16 offset differs: 😡 is a surrogate pair
    expect(spanText(MIXED, spans[0]!)).toBe('手机壳');
    expect(state).toEqual(at(29, spanSel(0)));
  });

  it('covers whole clusters: ZWJ family, Extension B, skin tone, combining mark', () => {
    const model = buildTextModel(CLUSTERS);
    const family = createSpan(model, range(2, 4), [], 'emoji', false);
    expect(family.spans).toEqual([{ start: 4, end: 10, label: 'emoji' }]);
    expect(spanText(CLUSTERS, family.spans[0]!)).toBe('👨‍👩‍👧𠮷');
    const first = createSpan(model, range(0, 2), family.spans, 'x', false);
    expect(spanText(CLUSTERS, first.spans[0]!)).toBe('e\u0301👍🏻');
    expect(first.spans[0]).toEqual({ start: 0, end: 4, label: 'x' });
  });

  it('keeps spans sorted and selects the new one', () => {
    const model = buildTextModel(MIXED);
    const later = createSpan(model, range(26, 29), [], '商品', false);
    const earlier = createSpan(model, range(2, 15), later.spans, '订单号', false);
    expect(earlier.spans.map((s) => s.label)).toEqual(['订单号', '商品']);
    expect(earlier.state).toEqual(at(15, spanSel(0)));
  });

  it('refuses an empty selection', () => {
    const model = buildTextModel(MIXED);
    const result = createSpan(model, at(3), [], '商品', false);
    expect(result.error).toBe('empty');
    expect(result.spans).toEqual([]);
  });

  it('refuses overlap unless allowed; an identical span is selected, not duplicated', () => {
    const model = buildTextModel(MIXED);
    const spans: Span[] = [{ start: 17, end: 26, label: '商品' }];
    const refused = createSpan(model, range(24, 29), spans, '型号', false);
    expect(refused.error).toBe('overlap');
    expect(refused.spans).toBe(spans);
    expect(refused.state).toEqual(range(24, 29));
    const allowed = createSpan(model, range(24, 29), spans, '型号', true);
    expect(allowed.error).toBeUndefined();
    expect(allowed.spans).toEqual([spans[0], { start: 24, end: 29, label: '型号' }]);
    const adjacent = createSpan(model, range(26, 29), spans, '商品', false);
    expect(adjacent.error).toBeUndefined();
    const duplicate = createSpan(model, range(17, 26), spans, '商品', true);
    expect(duplicate.spans).toBe(spans);
    expect(duplicate.state.selected).toEqual(spanSel(0));
  });
});

describe('selectSpan', () => {
  const model = buildTextModel(MIXED);
  const spans: Span[] = [
    { start: 0, end: 2, label: 'A' },
    { start: 26, end: 29, label: 'C' },
  ];
  // deliberately not in text order
  const suggestions: Span[] = [
    { start: 17, end: 23, label: 'D' },
    { start: 2, end: 15, label: 'B' },
  ];
  const labelOf = (state: SpanEditorState) => {
    const sel = state.selected;
    return sel && (sel.kind === 'span' ? spans : suggestions)[sel.index]?.label;
  };

  it('cycles through spans and suggestions together in text order, wrapping', () => {
    const seen: (string | null | undefined)[] = [];
    let state = initialState();
    for (let i = 0; i < 5; i++) {
      state = selectSpan(model, state, spans, suggestions, 1);
      seen.push(labelOf(state));
    }
    expect(seen).toEqual(['A', 'B', 'D', 'C', 'A']);
    const back: (string | null | undefined)[] = [];
    for (let i = 0; i < 5; i++) {
      state = selectSpan(model, state, spans, suggestions, -1);
      back.push(labelOf(state));
    }
    expect(back).toEqual(['C', 'D', 'B', 'A', 'C']);
  });

  it('moves the cursor to the selected span start', () => {
    const state = selectSpan(model, at(0, spanSel(0)), spans, suggestions, 1);
    expect(state).toEqual(at(2, suggestionSel(1)));
  });

  it('starts from the cursor when nothing is selected', () => {
    expect(labelOf(selectSpan(model, at(16), spans, suggestions, 1))).toBe('D');
    expect(labelOf(selectSpan(model, at(17), spans, suggestions, 1))).toBe('D');
    expect(labelOf(selectSpan(model, at(16), spans, suggestions, -1))).toBe('B');
    expect(labelOf(selectSpan(model, at(29), spans, suggestions, 1))).toBe('A');
    expect(labelOf(selectSpan(model, at(0), spans, suggestions, -1))).toBe('C');
  });

  it('puts a span before a suggestion on the same range, and converts code points to graphemes', () => {
    const clusters = buildTextModel(CLUSTERS);
    const same: Span[] = [{ start: 4, end: 9, label: 'S' }];
    const first = selectSpan(clusters, initialState(), same, same, 1);
    expect(first).toEqual(at(2, spanSel(0)));
    expect(selectSpan(clusters, first, same, same, 1)).toEqual(at(2, suggestionSel(0)));
  });

  it('clearSelection drops the selected span and collapses the range', () => {
    expect(clearSelection({ anchor: 3, focus: 7, selected: spanSel(1) })).toEqual(at(7));
  });
});

describe('editing the selected span', () => {
  const model = buildTextModel(CLUSTERS);
  const family: Span = { start: 4, end: 9, label: 'emoji' };

  it('grows and shrinks by one grapheme, in code points', () => {
    let edit = moveBoundary(model, [family], at(2, spanSel(0)), 'end', 1, false);
    expect(edit.spans).toEqual([{ start: 4, end: 10, label: 'emoji' }]);
    expect(spanText(CLUSTERS, edit.spans[0]!)).toBe('👨‍👩‍👧𠮷');
    expect(edit.state).toEqual(at(4, spanSel(0)));
    edit = moveBoundary(model, edit.spans, edit.state, 'start', -1, false);
    expect(spanText(CLUSTERS, edit.spans[0]!)).toBe('👍🏻👨‍👩‍👧𠮷');
    edit = moveBoundary(model, edit.spans, edit.state, 'start', 1, false);
    edit = moveBoundary(model, edit.spans, edit.state, 'start', 1, false);
    expect(edit.spans).toEqual([{ start: 9, end: 10, label: 'emoji' }]);
    expect(spanText(CLUSTERS, edit.spans[0]!)).toBe('𠮷');
  });

  it('never empties the span or leaves the text', () => {
    const one = moveBoundary(model, [family], at(2, spanSel(0)), 'end', -1, false);
    expect(one.error).toBe('empty');
    expect(one.spans).toEqual([family]);
    expect(moveBoundary(model, [family], at(2, spanSel(0)), 'start', 1, false).error).toBe('empty');
    const first: Span = { start: 0, end: 2, label: 'x' };
    expect(moveBoundary(model, [first], at(0, spanSel(0)), 'start', -1, false).error).toBe('bounds');
    const last: Span = { start: 13, end: 14, label: 'x' };
    expect(moveBoundary(model, [last], at(7, spanSel(0)), 'end', 1, false).error).toBe('bounds');
  });

  it('refuses to grow into a neighbour unless overlap is allowed', () => {
    const spans: Span[] = [family, { start: 9, end: 11, label: 'name' }];
    const refused = moveBoundary(model, spans, at(2, spanSel(0)), 'end', 1, false);
    expect(refused.error).toBe('overlap');
    expect(refused.spans).toBe(spans);
    const allowed = moveBoundary(model, spans, at(2, spanSel(0)), 'end', 1, true);
    expect(allowed.spans).toEqual([
      { start: 4, end: 10, label: 'emoji' },
      { start: 9, end: 11, label: 'name' },
    ]);
    const back = moveBoundary(model, spans, at(3, spanSel(1)), 'start', -1, false);
    expect(back.error).toBe('overlap');
  });

  it('keeps spans sorted and the selection on the moved span', () => {
    const spans: Span[] = [
      { start: 2, end: 4, label: 'a' },
      { start: 4, end: 9, label: 'b' },
    ];
    const moved = moveBoundary(model, spans, at(2, spanSel(1)), 'start', -1, true);
    expect(moved.spans.map((s) => s.label)).toEqual(['a', 'b']);
    const movedMore = moveBoundary(model, moved.spans, moved.state, 'start', -1, true);
    expect(movedMore.spans).toEqual([
      { start: 0, end: 9, label: 'b' },
      { start: 2, end: 4, label: 'a' },
    ]);
    expect(movedMore.state.selected).toEqual(spanSel(0));
  });

  it('snaps an edge that falls inside a cluster outwards first', () => {
    const inside: Span = { start: 5, end: 7, label: 'x' };
    expect(moveBoundary(model, [inside], at(2, spanSel(0)), 'start', -1, false).spans[0]).toMatchObject({ start: 4 });
    expect(moveBoundary(model, [inside], at(2, spanSel(0)), 'end', 1, false).spans[0]).toMatchObject({ end: 9 });
  });

  it('does nothing without a selected span', () => {
    expect(moveBoundary(model, [family], at(2), 'end', 1, false).spans).toEqual([family]);
    expect(moveBoundary(model, [family], at(2, suggestionSel(0)), 'end', 1, false).spans).toEqual([family]);
    expect(deleteSpan([family], at(2)).spans).toEqual([family]);
    expect(changeSpanType([family], at(2), 'y').spans).toEqual([family]);
  });

  it('changes the type, keeping order and merging into an identical span', () => {
    const spans: Span[] = [
      { start: 0, end: 2, label: 'b' },
      { start: 0, end: 2, label: 'c' },
    ];
    const changed = changeSpanType(spans, at(0, spanSel(1)), 'a');
    expect(changed.spans.map((s) => s.label)).toEqual(['a', 'b']);
    expect(changed.state.selected).toEqual(spanSel(0));
    const merged = changeSpanType(spans, at(0, spanSel(1)), 'b');
    expect(merged.spans).toEqual([{ start: 0, end: 2, label: 'b' }]);
    expect(merged.state.selected).toEqual(spanSel(0));
  });

  it('deletes the selected span and selects its neighbour', () => {
    const spans: Span[] = [
      { start: 0, end: 2, label: 'a' },
      { start: 4, end: 9, label: 'b' },
      { start: 10, end: 12, label: 'c' },
    ];
    const middle = deleteSpan(spans, at(2, spanSel(1)));
    expect(middle.spans.map((s) => s.label)).toEqual(['a', 'c']);
    expect(middle.state.selected).toEqual(spanSel(1));
    const last = deleteSpan(spans, at(2, spanSel(2)));
    expect(last.state.selected).toEqual(spanSel(1));
    const only = deleteSpan([family], at(2, spanSel(0)));
    expect(only).toEqual({ spans: [], state: at(2) });
  });
});

describe('suggestions', () => {
  const model = buildTextModel(MIXED);
  type Scored = Span & { score: number };
  const suggestions: Scored[] = [
    { start: 26, end: 29, label: '商品', score: 0.9 },
    { start: 2, end: 15, label: '订单号', score: 0.8 },
  ];

  it('accepts the selected suggestion into the spans and selects it', () => {
    const spans: Span[] = [{ start: 17, end: 26, label: '型号' }];
    const state = selectSpan(model, initialState(), spans, suggestions, 1);
    expect(state.selected).toEqual(suggestionSel(1));
    const result = acceptSuggestion(spans, suggestions, state, false);
    expect(result.error).toBeUndefined();
    expect(result.spans).toEqual([{ start: 2, end: 15, label: '订单号' }, spans[0]]);
    expect(spanText(MIXED, result.spans[0]!)).toBe('DD20241105001');
    expect(result.suggestions).toEqual([suggestions[0]]);
    expect(result.state).toEqual(at(2, spanSel(0)));
  });

  it('refuses to accept an overlapping suggestion unless allowed', () => {
    const spans: Span[] = [{ start: 27, end: 29, label: '商品' }];
    const refused = acceptSuggestion(spans, suggestions, at(26, suggestionSel(0)), false);
    expect(refused.error).toBe('overlap');
    expect(refused.spans).toBe(spans);
    expect(refused.suggestions).toBe(suggestions);
    const allowed = acceptSuggestion(spans, suggestions, at(26, suggestionSel(0)), true);
    expect(allowed.spans).toHaveLength(2);
    expect(allowed.state.selected).toEqual(spanSel(0));
  });

  it('accepting a suggestion identical to a span just removes the suggestion', () => {
    const spans: Span[] = [{ start: 26, end: 29, label: '商品' }];
    const result = acceptSuggestion(spans, suggestions, at(26, suggestionSel(0)), false);
    expect(result.spans).toBe(spans);
    expect(result.suggestions).toEqual([suggestions[1]]);
    expect(result.state.selected).toEqual(spanSel(0));
  });

  it('rejects the selected suggestion and selects the neighbouring one', () => {
    const rejected = rejectSuggestion(suggestions, at(2, suggestionSel(1)));
    expect(rejected.suggestions).toEqual([suggestions[0]]);
    expect(rejected.state.selected).toEqual(suggestionSel(0));
    const last = rejectSuggestion(rejected.suggestions, rejected.state);
    expect(last.suggestions).toEqual([]);
    expect(last.state.selected).toBeNull();
  });

  it('does nothing when a span, not a suggestion, is selected', () => {
    expect(acceptSuggestion([], suggestions, at(0, spanSel(0)), false).suggestions).toBe(suggestions);
    expect(rejectSuggestion(suggestions, at(0, spanSel(0))).suggestions).toBe(suggestions);
  });
});

describe('spanAtCursor', () => {
  it('returns the innermost span containing the cursor, treating the end as outside', () => {
    const model = buildTextModel(MIXED);
    const spans: Span[] = [
      { start: 17, end: 29, label: 'outer' },
      { start: 26, end: 29, label: 'inner' },
    ];
    expect(spanAtCursor(model, at(16), spans)).toBeNull();
    expect(spanAtCursor(model, at(17), spans)).toBe(0);
    expect(spanAtCursor(model, at(27), spans)).toBe(1);
    expect(spanAtCursor(model, at(29), spans)).toBeNull();
  });
});
