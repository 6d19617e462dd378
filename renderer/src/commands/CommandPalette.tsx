import '@mantine/spotlight/styles.css';
import { useMemo, type KeyboardEvent } from 'react';
import { Spotlight, type SpotlightActionGroupData } from '@mantine/spotlight';
import { IconSearch } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { commandTitle, effectiveKeys, passesWhen } from './catalog';
import { formatKeys } from './keys';
import { KeyList } from './KeyList';
import { palette, paletteStore, useOverlays } from './overlays';
import { useCommandStore } from './store';
import { SCOPE_PRECEDENCE, type Command } from './types';

function runFromPalette(command: Command): void {
  palette.close();
  if (passesWhen(command)) command.run();
}

/** Enter with nothing selected runs the first match, so "type, Enter" works without arrowing down first. */
function runFirstOnEnter(e: KeyboardEvent<HTMLInputElement>): void {
  if (e.key !== 'Enter' || e.nativeEvent.isComposing) return;
  const { selected, listId } = paletteStore.getState();
  if (selected >= 0 || !listId) return;
  document.getElementById(listId)?.querySelector<HTMLElement>('[data-action]')?.click();
}

/** `mod+K`: every command that can run right now, searchable by title, id or key; Enter runs it. */
export function CommandPalette() {
  const { t } = useTranslation();
  const commands = useOverlays((s) => s.paletteCommands);
  const keymap = useCommandStore((s) => s.keymap);
  const platform = useCommandStore((s) => s.platform);

  const actions = useMemo<SpotlightActionGroupData[]>(
    () =>
      SCOPE_PRECEDENCE.map((scope) => ({
        group: t(`commands.scopes.${scope}`),
        actions: commands
          .filter((c) => c.scope === scope)
          .map((c) => {
            const keys = effectiveKeys(c, keymap);
            return {
              id: c.id,
              label: commandTitle(c, t),
              description: t(`commands.groups.${c.group}`),
              keywords: [c.id, ...keys.map((k) => formatKeys(k, platform))],
              rightSection: keys.length > 0 ? <KeyList keys={keys} platform={platform} size="xs" /> : undefined,
              onClick: () => runFromPalette(c),
            };
          }),
      })).filter((g) => g.actions.length > 0),
    [commands, keymap, platform, t],
  );

  return (
    <Spotlight
      store={paletteStore}
      actions={actions}
      shortcut={null}
      highlightQuery
      scrollable
      maxHeight={440}
      limit={200}
      nothingFound={t('commands.ui.paletteEmpty')}
      searchProps={{
        leftSection: <IconSearch size={18} />,
        placeholder: t('commands.ui.palettePlaceholder'),
        'aria-label': t('commands.app.palette'),
        onKeyDown: runFirstOnEnter,
      }}
    />
  );
}
