import type { SpanValue } from '../../../../shared/domain/annotation';
import { sortSpans } from '../../../../shared/domain/spans';
import { useLabeling } from './store';
import {
  acceptSuggestion,
  changeSpanType,
  clearSelection,
  createSpan,
  deleteSpan,
  moveBoundary,
  moveCursor,
  rejectSuggestion,
  selectSpan,
  type CursorUnit,
  type SpanEditError,
} from './spans/model';

/**
 * What the labeling keys do. Cursor moves only change the view; anything that changes the
 * annotation becomes one persisted action (and so one undo step).
 */
export function labelingActions(onRefused: (reason: SpanEditError) => void) {
  const s = useLabeling.getState;
  const spans = (): SpanValue[] => s().current?.annotation?.entities ?? [];
  const allowOverlap = () => s().schema?.entities.allowOverlap ?? false;
  type Commit = Parameters<Parameters<ReturnType<typeof s>['run']>[0]>[0];
  type Reject = Parameters<Parameters<ReturnType<typeof s>['run']>[0]>[1];
  let commit: Commit = () => Promise.resolve();
  let reject: Reject = () => Promise.resolve();

  const saveSpans = (next: SpanValue[], source: 'manual' | 'accepted-suggestion' | 'edited-suggestion' = 'manual') =>
    commit([{ kind: 'entities', value: sortSpans(next) }], source);

  /** Every action runs in the store's queue, against the state earlier keys left. */
  const queued =
    <A extends unknown[]>(body: (...args: A) => unknown) =>
    (...args: A): void =>
      void s().run(async (c, r) => {
        commit = c;
        reject = r;
        await body(...args);
      });

  const actions = {
    toggleIntent(name: string) {
      const { schema, current } = s();
      if (!schema || !current) return;
      const chosen = current.annotation?.intents ?? [];
      const has = chosen.includes(name);
      const value = schema.intents.multiLabel ? (has ? chosen.filter((n) => n !== name) : [...chosen, name]) : has ? [] : [name];
      return commit([{ kind: 'intents', value }]);
    },
    clearIntents() {
      if (s().current?.annotation?.intents.length) return commit([{ kind: 'intents', value: [] }]);
    },
    setSentiment(name: string) {
      const current = s().current;
      if (!current) return;
      return commit([{ kind: 'sentiment', value: current.annotation?.sentiment === name ? null : name }]);
    },
    /** An entity key: makes the selection a span, relabels the selected span, or accepts a suggestion as this type. */
    entity(label: string) {
      const { model, editor, pendingSpans } = s();
      if (!model) return;
      if (editor.selected?.kind === 'span') {
        const edit = changeSpanType(spans(), editor, label);
        s().setEditor(edit.state);
        return saveSpans(edit.spans);
        return;
      }
      if (editor.selected?.kind === 'suggestion') {
        const relabeled = pendingSpans.map((p, i) => (i === editor.selected!.index ? { ...p, label } : p));
        const edit = acceptSuggestion(spans(), relabeled, editor, allowOverlap());
        if (edit.error) return onRefused(edit.error);
        s().setPendingSpans(edit.suggestions);
        s().setEditor(edit.state);
        // A suggested span taken with another type is the model's span, edited.
        return saveSpans(edit.spans, 'edited-suggestion');
      }
      const edit = createSpan(model, editor, spans(), label, allowOverlap());
      if (edit.error) return onRefused(edit.error);
      s().setEditor(edit.state);
      return saveSpans(edit.spans);
    },
    move(direction: -1 | 1, unit: CursorUnit, extend: boolean) {
      const { model, editor } = s();
      if (model) s().setEditor(moveCursor(model, editor, direction, unit, extend));
    },
    cycle(direction: 1 | -1) {
      const { model, editor, pendingSpans } = s();
      if (model) s().setEditor(selectSpan(model, editor, spans(), pendingSpans, direction));
    },
    boundary(which: 'start' | 'end', direction: -1 | 1) {
      const { model, editor } = s();
      if (!model || editor.selected?.kind !== 'span') return;
      const edit = moveBoundary(model, spans(), editor, which, direction, allowOverlap());
      if (edit.error) return onRefused(edit.error);
      s().setEditor(edit.state);
      return saveSpans(edit.spans);
    },
    deleteSelected() {
      const { editor } = s();
      if (editor.selected?.kind === 'suggestion') return actions.rejectSuggestion();
      if (editor.selected?.kind !== 'span') return;
      const edit = deleteSpan(spans(), editor);
      s().setEditor(edit.state);
      return saveSpans(edit.spans);
    },
    clear() {
      s().setEditor(clearSelection(s().editor));
    },
    hasSelection(): boolean {
      const { editor } = s();
      return editor.selected !== null || editor.anchor !== editor.focus;
    },
    acceptSuggestion() {
      const { editor, pendingSpans } = s();
      if (editor.selected?.kind !== 'suggestion') return;
      const edit = acceptSuggestion(spans(), pendingSpans, editor, allowOverlap());
      if (edit.error) return onRefused(edit.error);
      s().setPendingSpans(edit.suggestions);
      s().setEditor(edit.state);
      return saveSpans(edit.spans, 'accepted-suggestion');
    },
    rejectSuggestion() {
      const { editor, pendingSpans } = s();
      if (editor.selected?.kind !== 'suggestion') return;
      const span = pendingSpans[editor.selected.index];
      const edit = rejectSuggestion(pendingSpans, editor);
      s().setPendingSpans(edit.suggestions);
      s().setEditor(edit.state);
      // Recorded in the core, not only hidden here: it stays rejected after a reload and counts in reports.
      if (span) return reject(span);
    },
    /** Takes every suggestion of the item at once: intents, sentiment and the spans that fit. */
    acceptAll() {
      const { current, pendingSpans, editor, schema } = s();
      if (!current || !schema) return;
      const changes = [];
      const intents = current.suggestions.find((x) => x.kind === 'intents');
      if (intents && Array.isArray(intents.value)) {
        const names = (intents.value as string[]).filter((n) => schema.intents.labels.some((l) => l.name === n));
        changes.push({ kind: 'intents' as const, value: schema.intents.multiLabel ? names : names.slice(0, 1) });
      }
      const sentiment = current.suggestions.find((x) => x.kind === 'sentiment');
      if (sentiment && typeof sentiment.value === 'string') changes.push({ kind: 'sentiment' as const, value: sentiment.value });
      let next = spans();
      let rest = pendingSpans;
      for (let i = 0; i < pendingSpans.length; i++) {
        const index = rest.indexOf(pendingSpans[i]!);
        const edit = acceptSuggestion(next, rest, { ...editor, selected: { kind: 'suggestion', index } }, allowOverlap());
        if (!edit.error) {
          next = edit.spans;
          rest = edit.suggestions;
        }
      }
      if (next !== spans()) changes.push({ kind: 'entities' as const, value: sortSpans(next) });
      s().setPendingSpans(rest);
      s().setEditor(clearSelection(editor));
      if (changes.length) return commit(changes, 'accepted-suggestion');
    },
  };
  return {
    toggleIntent: queued(actions.toggleIntent),
    clearIntents: queued(actions.clearIntents),
    setSentiment: queued(actions.setSentiment),
    entity: queued(actions.entity),
    move: queued(actions.move),
    cycle: queued(actions.cycle),
    boundary: queued(actions.boundary),
    deleteSelected: queued(actions.deleteSelected),
    clear: queued(actions.clear),
    acceptSuggestion: queued(actions.acceptSuggestion),
    rejectSuggestion: queued(actions.rejectSuggestion),
    acceptAll: queued(actions.acceptAll),
    hasSelection: actions.hasSelection,
  };
}
