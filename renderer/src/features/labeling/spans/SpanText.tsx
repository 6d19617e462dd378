import { useMemo, type CSSProperties, type MouseEvent, type ReactNode } from 'react';
import { graphemeIndexAtCodePoint, selectionFromDom, spanBoundaries, type Span, type SpanEditorState, type TextModel } from './model';
import classes from './SpanText.module.css';

export interface SpanTextProps {
  model: TextModel;
  spans: Span[];
  suggestions: Span[];
  state: SpanEditorState;
  /** Entity type -> colour (any CSS colour, normally the schema's #rrggbb). */
  colors: Record<string, string>;
  /** Called with the new editor state after a mouse selection or a click on a span. */
  onSelect(state: SpanEditorState): void;
  /** Whether the surrounding editor has keyboard focus; the caret blinks only then. Default true. */
  focused?: boolean;
  ariaLabel?: string;
}

type Kind = 'span' | 'suggestion';

interface Piece {
  kind: Kind;
  index: number;
  span: Span;
  gStart: number;
  gEnd: number;
  /** Overlapping pieces get different lanes, which offset their underlines so they stack. */
  lane: number;
}

type LayoutNode =
  { t: 'g'; i: number } | { t: 'caret' } | { t: 'tag'; piece: Piece } | { t: 'mark'; piece: Piece; first: boolean; children: LayoutNode[] };

const FALLBACK_COLOR = 'var(--mantine-color-gray-6)';

/**
 * The item text with its entity spans and suggested spans. Each grapheme is its own element
 * (`data-g`) so DOM selections map back to grapheme boundaries. Keyboard handling is the parent's.
 */
export function SpanText({ model, spans, suggestions, state, colors, onSelect, focused = true, ariaLabel }: SpanTextProps) {
  const pieces = useMemo(() => layoutPieces(model, spans, suggestions), [model, spans, suggestions]);
  const collapsed = state.anchor === state.focus;
  const tree = useMemo(() => buildLayout(model.graphemes.length, pieces, collapsed ? state.focus : null), [model, pieces, collapsed, state.focus]);
  const from = Math.min(state.anchor, state.focus);
  const to = Math.max(state.anchor, state.focus);

  function handleMouseUp(event: MouseEvent<HTMLDivElement>) {
    const root = event.currentTarget;
    const selection = root.ownerDocument.getSelection();
    const range = selection && selectionFromDom(model, root, selection);
    if (!range) return;
    if (range.anchor !== range.focus) {
      selection.removeAllRanges(); // our own highlight replaces the browser's
      onSelect({ ...range, selected: null });
      return;
    }
    const hit = clickedPiece(event.target, root);
    const span = hit && (hit.kind === 'span' ? spans : suggestions)[hit.index];
    if (hit && span) {
      const at = graphemeIndexAtCodePoint(model, span.start);
      onSelect({ anchor: at, focus: at, selected: hit });
    } else onSelect({ ...range, selected: null });
  }

  const render = (node: LayoutNode, key: number): ReactNode => {
    switch (node.t) {
      case 'g':
        return (
          <span key={key} data-g={node.i} className={classes.g} data-in-selection={node.i >= from && node.i < to ? '' : undefined}>
            {model.graphemes[node.i]!.text}
          </span>
        );
      case 'caret':
        return <span key={key} className={classes.caret} data-testid="span-caret" aria-hidden />;
      case 'tag':
        return <PieceTag key={key} piece={node.piece} color={colorOf(colors, node.piece)} />;
      case 'mark':
        return (
          <PieceMark key={key} piece={node.piece} first={node.first} color={colorOf(colors, node.piece)} selected={isSelected(state, node.piece)}>
            {node.children.map(render)}
          </PieceMark>
        );
    }
  };

  return (
    <div
      className={classes.root}
      data-testid="span-text"
      role="textbox"
      aria-readonly
      aria-multiline
      aria-label={ariaLabel}
      data-focused={focused ? '' : undefined}
      onMouseUp={handleMouseUp}
    >
      {tree.map(render)}
    </div>
  );
}

function colorOf(colors: Record<string, string>, piece: Piece): string {
  return colors[piece.span.label] ?? FALLBACK_COLOR;
}

function isSelected(state: SpanEditorState, piece: Piece): boolean {
  return state.selected?.kind === piece.kind && state.selected.index === piece.index;
}

function clickedPiece(target: EventTarget, root: Element): { kind: Kind; index: number } | null {
  if (!(target instanceof Element)) return null;
  const el = target.closest('[data-kind]');
  if (!el || !root.contains(el)) return null;
  const kind = el.getAttribute('data-kind');
  const index = Number(el.getAttribute('data-index'));
  return (kind === 'span' || kind === 'suggestion') && Number.isInteger(index) ? { kind, index } : null;
}

function pieceStyle(piece: Piece, color: string): CSSProperties {
  return { '--span-color': color, '--span-lane': piece.lane } as CSSProperties;
}

interface PieceMarkProps {
  piece: Piece;
  first: boolean;
  color: string;
  selected: boolean;
  children: ReactNode;
}

/** One span or suggestion. A span crossing another is split; only its first fragment carries the data-span-* attributes. */
function PieceMark({ piece, first, color, selected, children }: PieceMarkProps) {
  const { kind, span } = piece;
  const attrs = first ? { [`data-${kind}-label`]: span.label, [`data-${kind}-start`]: span.start, [`data-${kind}-end`]: span.end } : {};
  return (
    <mark
      className={kind === 'span' ? classes.span : classes.suggestion}
      style={pieceStyle(piece, color)}
      data-kind={kind}
      data-index={piece.index}
      data-fragment={first ? undefined : ''}
      data-selected={selected ? '' : undefined}
      {...attrs}
    >
      {children}
    </mark>
  );
}

function PieceTag({ piece, color }: { piece: Piece; color: string }) {
  return (
    <span
      className={piece.kind === 'span' ? classes.tag : classes.suggestionTag}
      style={pieceStyle(piece, color)}
      data-kind={piece.kind}
      data-index={piece.index}
      data-tag=""
    >
      {piece.span.label}
    </span>
  );
}

function layoutPieces(model: TextModel, spans: Span[], suggestions: Span[]): Piece[] {
  const pieces: Piece[] = [];
  const add = (kind: Kind) => (span: Span, index: number) => {
    const b = spanBoundaries(model, span);
    if (b.start < b.end) pieces.push({ kind, index, span, gStart: b.start, gEnd: b.end, lane: 0 });
  };
  spans.forEach(add('span'));
  suggestions.forEach(add('suggestion'));
  // Outer pieces open first; spans before suggestions on the same range.
  pieces.sort((a, b) => a.gStart - b.gStart || b.gEnd - a.gEnd || (a.kind === b.kind ? a.index - b.index : a.kind === 'span' ? -1 : 1));
  const laneEnds: number[] = [];
  for (const piece of pieces) {
    let lane = laneEnds.findIndex((end) => end <= piece.gStart);
    if (lane < 0) lane = laneEnds.length;
    laneEnds[lane] = piece.gEnd;
    piece.lane = lane;
  }
  return pieces;
}

interface Frame {
  piece: Piece | null;
  children: LayoutNode[];
}

/**
 * Nests marks around grapheme elements like HTML elements. When pieces cross (A opens, B opens,
 * A closes) the open pieces above A are closed and reopened as continuation fragments.
 */
function buildLayout(graphemeCount: number, pieces: Piece[], caret: number | null): LayoutNode[] {
  const root: Frame = { piece: null, children: [] };
  const stack: Frame[] = [root];
  const top = () => stack[stack.length - 1]!;
  const open = (piece: Piece, first: boolean) => {
    const mark: LayoutNode = { t: 'mark', piece, first, children: [] };
    top().children.push(mark);
    stack.push({ piece, children: mark.children });
  };
  let next = 0;
  for (let i = 0; i <= graphemeCount; i++) {
    const reopen: Piece[] = [];
    while (stack.some((f) => f.piece && f.piece.gEnd <= i)) {
      const frame = stack.pop()!;
      if (frame.piece!.gEnd <= i) top().children.push({ t: 'tag', piece: frame.piece! });
      else reopen.unshift(frame.piece!);
    }
    for (const piece of reopen) open(piece, false);
    if (caret === i) top().children.push({ t: 'caret' });
    if (i === graphemeCount) break;
    while (pieces[next]?.gStart === i) open(pieces[next++]!, true);
    top().children.push({ t: 'g', i });
  }
  return root.children;
}
