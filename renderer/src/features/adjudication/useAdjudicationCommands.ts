import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { command, schemaCommands } from '../../commands/defaults';
import { useCommands, useScope } from '../../commands/hooks';
import type { Command } from '../../commands/types';
import type { LabelSchema } from '../../../../shared/domain/labelSchema';
import { spanEditActions } from './spanEdit';
import { useAdjudication } from './store';

/** The version keys: 1–9 take version A–I for the current field. */
export const VERSION_KEYS = 9;

const s = useAdjudication.getState;
const ready = () => !!s().item && !s().editing;
const editing = () => !!s().editing;

/** A command of the adjudication view, titled from the adjudication messages. */
function def(id: string, keys: string[], group: string, run: () => void, when: () => boolean, scope: Command['scope'] = 'labeling'): Command {
  return { id: `adjudication.${id}`, titleKey: `adjudication.commands.${id}`, keys, scope, group, run, when, ...(group === 'navigation' ? { repeatable: true } : {}) };
}

/**
 * The adjudication view's keys, in the registry like every other key (help, palette, keymap): the
 * view holds the 'labeling' scope, and the 'spans' scope while the span editor is open, so the
 * span editor's own commands (and the schema's entity keys) work as in the labeling view.
 */
export function useAdjudicationCommands(schema: LabelSchema, handlers: { back(): void }): void {
  const { t } = useTranslation();
  // Both scopes for as long as the view is shown: the span commands' when() says whether the editor is
  // open, so the first key after E already reaches it (and with it closed, keys fall through to the view's).
  useScope('labeling');
  useScope('spans');
  const span = useMemo(() => spanEditActions(), []);

  const versions: Command[] = Array.from({ length: VERSION_KEYS }, (_, i) => ({
    ...def(`take${i + 1}`, [String(i + 1)], 'decision', () => s().take(i), () => ready() && i < (s().item?.versions.length ?? 0)),
    title: t('adjudication.commands.take', { n: i + 1, tag: String.fromCharCode(65 + i) }),
  }));

  useCommands([
    ...versions,
    def('prefill', ['p'], 'decision', () => s().takePrefill(), ready),
    def('reject', ['x'], 'decision', () => s().rejectCluster(), ready),
    def('reason', ['r'], 'decision', () => s().setDialog('reason'), ready),
    command('labeling.submit', () => void s().commit(), ready),
    def('flag', ['f'], 'decision', () => void s().flag(), ready),
    def('nextField', ['ArrowDown', 'Tab'], 'navigation', () => s().moveField(1), ready),
    def('prevField', ['ArrowUp', 'shift+Tab'], 'navigation', () => s().moveField(-1), ready),
    def('nextItem', ['j', 'ArrowRight'], 'navigation', () => void s().nextItem(), () => !editing() && !s().loading),
    def('prevItem', ['k', 'ArrowLeft'], 'navigation', () => void s().prevItem(), () => !editing() && !s().loading),
    def('queue', ['q'], 'navigation', handlers.back, () => !editing()),
    command('labeling.undo', () => void s().undo(), () => !editing() && !s().loading),
    def('edit', ['e'], 'editing', () => s().startEdit(), ready),
    def('guideline', ['g'], 'general', () => s().toggleGuideline(), () => !editing()),
    def('auto', ['a'], 'general', () => s().setDialog('auto'), () => !editing()),
    // The span editor: its cursor, selection and boundary keys, the schema's entity keys, Enter to finish.
    def('editDone', ['Enter'], 'spanEditing', () => s().finishEdit(), editing, 'spans'),
    command('spans.clear', () => (span.hasSelection() ? span.clear() : s().finishEdit()), editing),
    command('spans.left', () => span.move(-1, 'char', false), editing),
    command('spans.right', () => span.move(1, 'char', false), editing),
    command('spans.wordLeft', () => span.move(-1, 'word', false), editing),
    command('spans.wordRight', () => span.move(1, 'word', false), editing),
    command('spans.extendLeft', () => span.move(-1, 'char', true), editing),
    command('spans.extendRight', () => span.move(1, 'char', true), editing),
    command('spans.extendWordLeft', () => span.move(-1, 'word', true), editing),
    command('spans.extendWordRight', () => span.move(1, 'word', true), editing),
    command('spans.home', () => span.move(-1, 'line', false), editing),
    command('spans.end', () => span.move(1, 'line', false), editing),
    command('spans.nextSpan', () => span.cycle(1), editing),
    command('spans.prevSpan', () => span.cycle(-1), editing),
    command('spans.startLeft', () => span.boundary('start', -1), editing),
    command('spans.startRight', () => span.boundary('start', 1), editing),
    command('spans.endLeft', () => span.boundary('end', -1), editing),
    command('spans.endRight', () => span.boundary('end', 1), editing),
    command('spans.delete', () => span.deleteSelected(), () => editing() && s().editing?.editor.selected != null),
    ...schemaCommands(schema, { intent: () => {}, entity: (name) => span.entity(name), sentiment: () => {} })
      .filter((c) => c.scope === 'spans')
      .map((c) => ({ ...c, when: editing })),
  ]);
}
