import { useMemo } from 'react';
import { command, schemaCommands } from '../../commands/defaults';
import { useCommands, useScope } from '../../commands/hooks';
import type { LabelSchema } from '../../../../shared/domain/labelSchema';
import { labelingActions } from './actions';
import { useLabeling } from './store';
import type { SpanEditError } from './spans/model';

interface Dialogs {
  openPicker(): void;
  openNote(): void;
  openJump(): void;
  explain(): void;
  refused(reason: SpanEditError): void;
  /** True while one of the labeling dialogs is open: keys then belong to it. */
  dialogOpen(): boolean;
}

/** Binds the labeling and span commands (and one command per schema label) while the view is mounted. */
export function useLabelingCommands(schema: LabelSchema, dialogs: Dialogs): void {
  useScope('labeling');
  useScope('spans');
  const a = useMemo(() => labelingActions(dialogs.refused), [dialogs.refused]);
  const s = useLabeling.getState;
  // After a failed write no labeling key runs until the person retries or reloads (the alert's keys).
  const idle = () => !dialogs.dialogOpen() && !s().halted;
  const ready = () => !!s().current && idle();
  const suggestionSelected = () => ready() && s().editor.selected?.kind === 'suggestion';

  useCommands([
    command('labeling.submit', () => void s().submit(), ready),
    command('labeling.skip', () => void s().skip(), ready),
    command('labeling.next', () => void s().next(), idle),
    command('labeling.prev', () => void s().prev(), idle),
    command('labeling.jump', dialogs.openJump, idle),
    command('labeling.undo', () => void s().undo(), idle),
    command('labeling.redo', () => void s().redo(), idle),
    command('labeling.intentPicker', dialogs.openPicker, ready),
    command('labeling.flag', dialogs.openNote, ready),
    command(
      'labeling.acceptAll',
      () => a.acceptAll(),
      () => ready() && (s().current?.suggestions.length ?? 0) > 0,
    ),
    command('labeling.acceptSuggestion', () => a.acceptSuggestion(), suggestionSelected),
    command('labeling.rejectSuggestion', () => a.rejectSuggestion(), suggestionSelected),
    command('labeling.clearIntents', () => a.clearIntents(), ready),
    command('labeling.explain', dialogs.explain, () => ready() && (s().current?.suggestions.some((x) => x.kind === 'intents') ?? false)),
    command('spans.left', () => a.move(-1, 'char', false), ready),
    command('spans.right', () => a.move(1, 'char', false), ready),
    command('spans.wordLeft', () => a.move(-1, 'word', false), ready),
    command('spans.wordRight', () => a.move(1, 'word', false), ready),
    command('spans.extendLeft', () => a.move(-1, 'char', true), ready),
    command('spans.extendRight', () => a.move(1, 'char', true), ready),
    command('spans.extendWordLeft', () => a.move(-1, 'word', true), ready),
    command('spans.extendWordRight', () => a.move(1, 'word', true), ready),
    command('spans.home', () => a.move(-1, 'line', false), ready),
    command('spans.end', () => a.move(1, 'line', false), ready),
    command('spans.nextSpan', () => a.cycle(1), ready),
    command('spans.prevSpan', () => a.cycle(-1), ready),
    command('spans.startLeft', () => a.boundary('start', -1), ready),
    command('spans.startRight', () => a.boundary('start', 1), ready),
    command('spans.endLeft', () => a.boundary('end', -1), ready),
    command('spans.endRight', () => a.boundary('end', 1), ready),
    command(
      'spans.delete',
      () => a.deleteSelected(),
      () => ready() && s().editor.selected !== null,
    ),
    command(
      'spans.clear',
      () => a.clear(),
      () => ready() && a.hasSelection(),
    ),
    ...schemaCommands(schema, {
      intent: (name) => ready() && a.toggleIntent(name),
      entity: (name) => ready() && a.entity(name),
      sentiment: (name) => ready() && a.setSentiment(name),
    }),
  ]);
}
