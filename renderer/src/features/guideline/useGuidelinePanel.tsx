import { useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useCommands, useKeyLabel } from '../../commands/hooks';
import type { Command } from '../../commands/types';
import { useNavigation } from '../../app/store';
import { useLabeling } from '../labeling/store';
import { GuidelinePanel, type GuidelineTopic } from './GuidelinePanel';

type LabelingSnapshot = Pick<ReturnType<typeof useLabeling.getState>, 'current' | 'editor' | 'pendingSpans'>;

/**
 * What the guideline panel is about in the labeling view: the entity type of the selected span (or
 * suggestion), then the intents chosen, or, with none chosen, the intents the model suggests.
 */
export function labelingTopics({ current, editor, pendingSpans }: LabelingSnapshot): GuidelineTopic[] {
  const out: GuidelineTopic[] = [];
  const add = (topic: GuidelineTopic) => {
    if (!out.some((t) => t.kind === topic.kind && t.name === topic.name)) out.push(topic);
  };
  const selected = editor.selected;
  const entity =
    selected?.kind === 'span'
      ? current?.annotation?.entities[selected.index]?.label
      : selected?.kind === 'suggestion'
        ? pendingSpans[selected.index]?.label
        : undefined;
  if (entity) add({ kind: 'entity', name: entity });
  const chosen = current?.annotation?.intents ?? [];
  for (const name of chosen) add({ kind: 'intent', name });
  if (chosen.length === 0) {
    const suggested = current?.suggestions.find((s) => s.kind === 'intents');
    if (suggested && Array.isArray(suggested.value)) for (const name of suggested.value as string[]) add({ kind: 'intent', name, suggested: true });
  }
  return out;
}

const def = (id: string, keys: string[], scope: Command['scope'], run: () => void, when: () => boolean): Command => ({
  id,
  titleKey: `guideline.commands.${id.slice('guideline.'.length)}`,
  keys,
  scope,
  group: 'general',
  run,
  when,
});

/**
 * The labeling view's guideline panel: G opens it on the section of the selected intent or entity
 * type (G again or Esc closes it), and the palette opens the whole guideline page. Returns the
 * panel to place beside the item (null while closed) and the key hint for the view's hint bar.
 */
export function useGuidelinePanel(projectId: string, dialogOpen: () => boolean): { panel: ReactNode; hint: [string, string] } {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const current = useLabeling((s) => s.current);
  const editor = useLabeling((s) => s.editor);
  const pendingSpans = useLabeling((s) => s.pendingSpans);
  const topics = useMemo(() => labelingTopics({ current, editor, pendingSpans }), [current, editor, pendingSpans]);
  const closeKey = useKeyLabel('guideline.closePanel');
  const openKey = useKeyLabel('guideline.panel');
  const idle = () => !dialogOpen() && !useLabeling.getState().halted;
  useCommands([
    def('guideline.panel', ['g'], 'labeling', () => setOpen((o) => !o), idle),
    // In the entity scope, so that Esc closes the panel before it clears a selection.
    def(
      'guideline.closePanel',
      ['Escape'],
      'spans',
      () => setOpen(false),
      () => open && !dialogOpen(),
    ),
    def('guideline.openPage', [], 'labeling', () => useNavigation.getState().go({ name: 'guideline', projectId }), idle),
  ]);
  return {
    panel: open ? <GuidelinePanel projectId={projectId} topics={topics} onClose={() => setOpen(false)} closeKey={closeKey} /> : null,
    hint: [openKey, t('guideline.panelHint')],
  };
}
