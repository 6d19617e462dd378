import {
  changeSpanType,
  clearSelection,
  createSpan,
  deleteSpan,
  moveBoundary,
  moveCursor,
  selectSpan,
  type CursorUnit,
  type Span,
  type SpanEditError,
  type SpanEditorState,
} from '../labeling/spans/model';
import type { Editing } from './store';
import { useAdjudication } from './store';

/**
 * The labeling view's span editor over the reviewer's decided spans: the same pure model
 * (grapheme cursor, selection, boundaries), applied to the store's editing state. Nothing is
 * written until the reviewer commits the item.
 */
export function spanEditActions() {
  const s = useAdjudication.getState;
  const allowOverlap = () => s().schema?.entities.allowOverlap ?? false;
  const refused = (reason: SpanEditError) => useAdjudication.setState({ notice: { kind: 'spanRefused', params: { reason } } });
  const edit = (fn: (e: Editing, model: NonNullable<ReturnType<typeof s>['model']>) => void) => {
    const { editing, model } = s();
    if (editing && model) fn(editing, model);
  };
  const put = (spans: Span[], editor: SpanEditorState) => s().setEditing({ spans, editor });

  return {
    move(direction: -1 | 1, unit: CursorUnit, extend: boolean) {
      edit((e, model) => put(e.spans, moveCursor(model, e.editor, direction, unit, extend)));
    },
    cycle(direction: 1 | -1) {
      edit((e, model) => put(e.spans, selectSpan(model, e.editor, e.spans, [], direction)));
    },
    boundary(which: 'start' | 'end', direction: -1 | 1) {
      edit((e, model) => {
        if (e.editor.selected?.kind !== 'span') return;
        const next = moveBoundary(model, e.spans, e.editor, which, direction, allowOverlap());
        if (next.error) return refused(next.error);
        put(next.spans, next.state);
      });
    },
    /** An entity key: relabels the selected span, or makes the selection a span of this type. */
    entity(label: string) {
      edit((e, model) => {
        if (e.editor.selected?.kind === 'span') {
          const next = changeSpanType(e.spans, e.editor, label);
          return put(next.spans, next.state);
        }
        const next = createSpan(model, e.editor, e.spans, label, allowOverlap());
        if (next.error) return refused(next.error);
        put(next.spans, next.state);
      });
    },
    deleteSelected() {
      edit((e) => {
        const next = deleteSpan(e.spans, e.editor);
        put(next.spans, next.state);
      });
    },
    clear() {
      edit((e) => put(e.spans, clearSelection(e.editor)));
    },
    hasSelection(): boolean {
      const e = s().editing;
      return !!e && (e.editor.selected !== null || e.editor.anchor !== e.editor.focus);
    },
  };
}
