/**
 * Keyboard span editing over a text segmented into grapheme clusters. The cursor lives on grapheme
 * boundaries (0..G), so it can never split a surrogate pair, an emoji ZWJ sequence or a combining
 * sequence; spans are stored as Unicode code-point offsets, end-exclusive (DESIGN.md §4). All
 * functions are pure and return new values.
 */
import { codePointLength, sortSpans, type Span } from '../../../../../shared/domain/spans';

export type { Span };

export interface Grapheme {
  cpStart: number;
  cpEnd: number;
  u16Start: number;
  u16End: number;
  text: string;
}

export interface TextModel {
  text: string;
  graphemes: Grapheme[];
  /** Grapheme boundary indices where words start or end, sorted, always including 0 and G. */
  wordBoundaries: number[];
}

export interface SpanEditorState {
  /** Grapheme boundary indices 0..G; the text selection is [min(anchor, focus), max(anchor, focus)). */
  anchor: number;
  focus: number;
  selected: { kind: 'span' | 'suggestion'; index: number } | null;
}

export type SpanEditError = 'overlap' | 'empty' | 'bounds';

export interface SpanEdit {
  spans: Span[];
  state: SpanEditorState;
  error?: SpanEditError;
}

export interface SuggestionEdit<S extends Span> {
  spans: Span[];
  suggestions: S[];
  state: SpanEditorState;
  error?: 'overlap';
}

export type CursorUnit = 'char' | 'word' | 'line';

const graphemeSegmenter = new Intl.Segmenter('zh', { granularity: 'grapheme' });
const wordSegmenter = new Intl.Segmenter('zh', { granularity: 'word' });

// ---------------------------------------------------------------------------------------------
// Text model and offset conversion

export function buildTextModel(text: string): TextModel {
  const graphemes: Grapheme[] = [];
  let cp = 0;
  for (const { segment, index } of graphemeSegmenter.segment(text)) {
    const n = codePointLength(segment);
    graphemes.push({ cpStart: cp, cpEnd: cp + n, u16Start: index, u16End: index + segment.length, text: segment });
    cp += n;
  }
  return { text, graphemes, wordBoundaries: wordBoundariesOf(text, graphemes) };
}

function wordBoundariesOf(text: string, graphemes: Grapheme[]): number[] {
  const boundaries = new Set([0, graphemes.length]);
  for (const { index } of wordSegmenter.segment(text)) {
    // A word boundary inside a grapheme cluster snaps back to the cluster's start.
    boundaries.add(lastIndexAtMost(graphemes.length, (i) => graphemes[i]!.u16Start, index));
  }
  return [...boundaries].sort((a, b) => a - b);
}

/** Largest i in [0, n) with key(i) <= value (key ascending), or 0 when there is none. */
function lastIndexAtMost(n: number, key: (i: number) => number, value: number): number {
  let lo = 0;
  let hi = n - 1;
  let found = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (key(mid) <= value) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

function codePointCount(model: TextModel): number {
  return model.graphemes.at(-1)?.cpEnd ?? 0;
}

/** Code-point offset of a grapheme boundary (clamped to 0..G). */
export function codePointOfBoundary(model: TextModel, boundary: number): number {
  if (boundary <= 0) return 0;
  return model.graphemes[boundary]?.cpStart ?? codePointCount(model);
}

/** Index of the grapheme containing code point `cp`; G when `cp` is at or past the end. */
export function graphemeIndexAtCodePoint(model: TextModel, cp: number): number {
  const g = model.graphemes;
  if (cp >= codePointCount(model)) return g.length;
  return lastIndexAtMost(g.length, (i) => g[i]!.cpStart, cp);
}

function boundaryAtOrAfterCodePoint(model: TextModel, cp: number): number {
  const i = graphemeIndexAtCodePoint(model, cp);
  const g = model.graphemes[i];
  return g && g.cpStart < cp ? i + 1 : i;
}

/**
 * The grapheme boundaries a span covers. Offsets that fall inside a cluster (e.g. from imported
 * data) widen to whole clusters; the result is empty only for a span past the end of the text.
 */
export function spanBoundaries(model: TextModel, span: { start: number; end: number }): { start: number; end: number } {
  const start = graphemeIndexAtCodePoint(model, span.start);
  const end = Math.max(boundaryAtOrAfterCodePoint(model, span.end), Math.min(start + 1, model.graphemes.length));
  return { start, end };
}

// ---------------------------------------------------------------------------------------------
// Cursor and selection

export function initialState(): SpanEditorState {
  return { anchor: 0, focus: 0, selected: null };
}

function collapsedAt(boundary: number, selected: SpanEditorState['selected'] = null): SpanEditorState {
  return { anchor: boundary, focus: boundary, selected };
}

function selectionRange(state: SpanEditorState): { from: number; to: number } {
  return { from: Math.min(state.anchor, state.focus), to: Math.max(state.anchor, state.focus) };
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/**
 * Moves the cursor like a text editor: without `extend` a selection first collapses to its edge in
 * the direction of travel (and for 'char' that is the whole move). Moving never selects a span.
 */
export function moveCursor(model: TextModel, state: SpanEditorState, direction: -1 | 1, unit: CursorUnit, extend: boolean): SpanEditorState {
  if (extend) {
    return { anchor: state.anchor, focus: targetBoundary(model, state.focus, direction, unit), selected: null };
  }
  const { from, to } = selectionRange(state);
  const edge = direction < 0 ? from : to;
  if (from !== to && unit === 'char') return collapsedAt(edge);
  return collapsedAt(targetBoundary(model, edge, direction, unit));
}

function targetBoundary(model: TextModel, from: number, direction: -1 | 1, unit: CursorUnit): number {
  const last = model.graphemes.length;
  if (unit === 'line') return direction < 0 ? 0 : last;
  if (unit === 'char') return clamp(from + direction, 0, last);
  return direction < 0 ? previousWordBoundary(model, from) : nextWordBoundary(model, from);
}

function isSpace(g: Grapheme | undefined): boolean {
  return !!g && /^\s+$/u.test(g.text);
}

// Whitespace is skipped first so that one keystroke moves over "iPhone 15"'s space and the next word.
function nextWordBoundary(model: TextModel, from: number): number {
  let at = from;
  while (isSpace(model.graphemes[at])) at++;
  return model.wordBoundaries.find((b) => b > at) ?? model.graphemes.length;
}

function previousWordBoundary(model: TextModel, from: number): number {
  let at = from;
  while (at > 0 && isSpace(model.graphemes[at - 1])) at--;
  return model.wordBoundaries.findLast((b) => b < at) ?? 0;
}

/** The selection as a span with the given label, or null when the selection is empty. */
export function selectionToSpan(model: TextModel, state: SpanEditorState, label: string): Span | null {
  const { from, to } = selectionRange(state);
  if (from === to) return null;
  return { start: codePointOfBoundary(model, from), end: codePointOfBoundary(model, to), label };
}

/** Drops the span/suggestion selection and collapses the text selection to the cursor. */
export function clearSelection(state: SpanEditorState): SpanEditorState {
  return collapsedAt(state.focus);
}

/** Index of the innermost span containing the cursor's code point, or null. */
export function spanAtCursor(model: TextModel, state: SpanEditorState, spans: Span[]): number | null {
  const cp = codePointOfBoundary(model, state.focus);
  let best: number | null = null;
  spans.forEach((s, i) => {
    if (s.start <= cp && cp < s.end && (best === null || s.end - s.start < spans[best]!.end - spans[best]!.start)) best = i;
  });
  return best;
}

// ---------------------------------------------------------------------------------------------
// Spans

function overlaps(a: Span, b: Span): boolean {
  return a.start < b.end && b.start < a.end;
}

function sameSpan(a: Span, b: Span): boolean {
  return a.start === b.start && a.end === b.end && a.label === b.label;
}

function compareRange(a: Span, b: Span): number {
  return a.start - b.start || a.end - b.end;
}

/** Adds a span in sorted position; an exact duplicate is not added again but its index is returned. */
function insertSpan(spans: Span[], span: Span, allowOverlap: boolean): { spans: Span[]; index: number } | 'overlap' {
  const existing = spans.findIndex((s) => sameSpan(s, span));
  if (existing >= 0) return { spans, index: existing };
  if (!allowOverlap && spans.some((s) => overlaps(s, span))) return 'overlap';
  const next = sortSpans([...spans, span]);
  return { spans: next, index: next.indexOf(span) };
}

/** Index (into `rest`) of the item that follows `removed` in text order, else the one before it. */
function neighbourIndex(rest: Span[], removed: Span): number | null {
  let after: number | null = null;
  let before: number | null = null;
  rest.forEach((s, i) => {
    if (compareRange(s, removed) >= 0) {
      if (after === null || compareRange(s, rest[after]!) < 0) after = i;
    } else if (before === null || compareRange(s, rest[before]!) >= 0) before = i;
  });
  return after ?? before;
}

function selectedOf<S extends Span>(items: S[], state: SpanEditorState, kind: 'span' | 'suggestion'): { index: number; span: S } | null {
  if (state.selected?.kind !== kind) return null;
  const span = items[state.selected.index];
  return span ? { index: state.selected.index, span } : null;
}

/** Adds the selection as a span, collapses the selection to its end and selects the new span. */
export function createSpan(model: TextModel, state: SpanEditorState, spans: Span[], label: string, allowOverlap: boolean): SpanEdit {
  const span = selectionToSpan(model, state, label);
  if (!span) return { spans, state, error: 'empty' };
  const inserted = insertSpan(spans, span, allowOverlap);
  if (inserted === 'overlap') return { spans, state, error: 'overlap' };
  return { spans: inserted.spans, state: collapsedAt(selectionRange(state).to, { kind: 'span', index: inserted.index }) };
}

interface OrderedEntry {
  kind: 'span' | 'suggestion';
  index: number;
  span: Span;
}

function textOrder(spans: Span[], suggestions: Span[]): OrderedEntry[] {
  const entries: OrderedEntry[] = [
    ...spans.map((span, index) => ({ kind: 'span' as const, index, span })),
    ...suggestions.map((span, index) => ({ kind: 'suggestion' as const, index, span })),
  ];
  const kindOrder = (e: OrderedEntry) => (e.kind === 'span' ? 0 : 1);
  return entries.sort((a, b) => compareRange(a.span, b.span) || kindOrder(a) - kindOrder(b) || a.index - b.index);
}

/**
 * Tab / Shift+Tab: cycles through spans and suggestions together in text order, wrapping around.
 * With nothing selected it starts from the cursor. The cursor moves to the selected span's start.
 */
export function selectSpan(model: TextModel, state: SpanEditorState, spans: Span[], suggestions: Span[], direction: 1 | -1): SpanEditorState {
  const order = textOrder(spans, suggestions);
  if (order.length === 0) return { ...state, selected: null };
  const current = order.findIndex((e) => e.kind === state.selected?.kind && e.index === state.selected.index);
  let next: number;
  if (current >= 0) next = (current + direction + order.length) % order.length;
  else {
    const cp = codePointOfBoundary(model, state.focus);
    const found = direction > 0 ? order.findIndex((e) => e.span.start >= cp) : order.findLastIndex((e) => e.span.start < cp);
    next = found >= 0 ? found : direction > 0 ? 0 : order.length - 1;
  }
  const entry = order[next]!;
  return collapsedAt(graphemeIndexAtCodePoint(model, entry.span.start), { kind: entry.kind, index: entry.index });
}

/** Relabels the selected span (merging into an identical span if one exists). */
export function changeSpanType(spans: Span[], state: SpanEditorState, label: string): SpanEdit {
  const sel = selectedOf(spans, state, 'span');
  if (!sel || sel.span.label === label) return { spans, state };
  const rest = spans.filter((_, i) => i !== sel.index);
  const inserted = insertSpan(rest, { ...sel.span, label }, true);
  if (inserted === 'overlap') return { spans, state }; // unreachable with allowOverlap
  return { spans: inserted.spans, state: { ...state, selected: { kind: 'span', index: inserted.index } } };
}

/**
 * Grows or shrinks the selected span by one grapheme at its start or end; the cursor follows the
 * moved edge. Refuses to empty the span, leave the text or (unless allowed) overlap another span.
 */
export function moveBoundary(
  model: TextModel,
  spans: Span[],
  state: SpanEditorState,
  which: 'start' | 'end',
  direction: -1 | 1,
  allowOverlap: boolean,
): SpanEdit {
  const sel = selectedOf(spans, state, 'span');
  if (!sel) return { spans, state };
  const target = movedEdge(model, sel.span, which, direction);
  if (target < 0 || target > model.graphemes.length) return { spans, state, error: 'bounds' };
  const cp = codePointOfBoundary(model, target);
  const moved: Span = which === 'start' ? { ...sel.span, start: cp } : { ...sel.span, end: cp };
  if (moved.start >= moved.end) return { spans, state, error: 'empty' };
  const rest = spans.filter((_, i) => i !== sel.index);
  if (!allowOverlap && rest.some((s) => overlaps(s, moved))) return { spans, state, error: 'overlap' };
  const inserted = insertSpan(rest, moved, true);
  if (inserted === 'overlap') return { spans, state }; // unreachable with allowOverlap
  return { spans: inserted.spans, state: collapsedAt(target, { kind: 'span', index: inserted.index }) };
}

// An edge that is not on a grapheme boundary first snaps outwards to the enclosing cluster.
function movedEdge(model: TextModel, span: Span, which: 'start' | 'end', direction: -1 | 1): number {
  const b = spanBoundaries(model, span);
  if (which === 'start') {
    const aligned = codePointOfBoundary(model, b.start) === span.start;
    return direction < 0 && !aligned ? b.start : b.start + direction;
  }
  const aligned = codePointOfBoundary(model, b.end) === span.end;
  return direction > 0 && !aligned ? b.end : b.end + direction;
}

/** Deletes the selected span; the selection moves to its neighbour in text order, or to nothing. */
export function deleteSpan(spans: Span[], state: SpanEditorState): { spans: Span[]; state: SpanEditorState } {
  const sel = selectedOf(spans, state, 'span');
  if (!sel) return { spans, state };
  const rest = spans.filter((_, i) => i !== sel.index);
  const next = neighbourIndex(rest, sel.span);
  return { spans: rest, state: { ...state, selected: next === null ? null : { kind: 'span', index: next } } };
}

// ---------------------------------------------------------------------------------------------
// Suggestions

/** Moves the selected suggestion into the spans and selects the accepted span. */
export function acceptSuggestion<S extends Span>(spans: Span[], suggestions: S[], state: SpanEditorState, allowOverlap: boolean): SuggestionEdit<S> {
  const sel = selectedOf(suggestions, state, 'suggestion');
  if (!sel) return { spans, suggestions, state };
  // Copy only the span fields: suggestions may carry extras such as a score.
  const inserted = insertSpan(spans, { start: sel.span.start, end: sel.span.end, label: sel.span.label }, allowOverlap);
  if (inserted === 'overlap') return { spans, suggestions, state, error: 'overlap' };
  return {
    spans: inserted.spans,
    suggestions: suggestions.filter((_, i) => i !== sel.index),
    state: { ...state, selected: { kind: 'span', index: inserted.index } },
  };
}

/** Drops the selected suggestion; the selection moves to the neighbouring suggestion, or to nothing. */
export function rejectSuggestion<S extends Span>(suggestions: S[], state: SpanEditorState): { suggestions: S[]; state: SpanEditorState } {
  const sel = selectedOf(suggestions, state, 'suggestion');
  if (!sel) return { suggestions, state };
  const rest = suggestions.filter((_, i) => i !== sel.index);
  const next = neighbourIndex(rest, sel.span);
  return { suggestions: rest, state: { ...state, selected: next === null ? null : { kind: 'suggestion', index: next } } };
}

// ---------------------------------------------------------------------------------------------
// Mouse selection

export interface DomSelectionLike {
  anchorNode: Node | null;
  anchorOffset: number;
  focusNode: Node | null;
  focusOffset: number;
}

/**
 * Maps a DOM selection inside a rendered SpanText (each grapheme is an element with `data-g`) to
 * grapheme boundaries. Points outside the text clamp to its start or end; points inside a cluster
 * snap to the nearer edge; points in label tags count as after the preceding grapheme.
 */
export function selectionFromDom(model: TextModel, container: Node, selection: DomSelectionLike): { anchor: number; focus: number } | null {
  const { anchorNode, anchorOffset, focusNode, focusOffset } = selection;
  if (!anchorNode || !focusNode) return null;
  return {
    anchor: boundaryAtDomPoint(model, container, anchorNode, anchorOffset),
    focus: boundaryAtDomPoint(model, container, focusNode, focusOffset),
  };
}

function boundaryAtDomPoint(model: TextModel, container: Node, node: Node, offset: number): number {
  const last = model.graphemes.length;
  const element = node.nodeType === Node.ELEMENT_NODE ? (node as Element) : node.parentElement;
  const cell = element?.closest('[data-g]');
  if (cell && container.contains(cell)) {
    const g = Number(cell.getAttribute('data-g'));
    const length = node === cell ? node.childNodes.length : (node.textContent?.length ?? 0);
    return clamp(offset * 2 < length || length === 0 ? g : g + 1, 0, last);
  }
  // Between grapheme elements (e.g. in a tag or outside the container): the first grapheme element
  // after the point gives the boundary. Grapheme elements are in document order, so bisect.
  const cells = (container as ParentNode).querySelectorAll?.('[data-g]');
  const doc = container.ownerDocument;
  if (!cells || !doc) return 0;
  const point = doc.createRange();
  point.setStart(node, offset);
  let lo = 0;
  let hi = cells.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (point.comparePoint(cells[mid]!, 0) > 0) hi = mid;
    else lo = mid + 1;
  }
  const after = cells[lo];
  return after ? Number(after.getAttribute('data-g')) : last;
}
