import { useMemo, useState } from 'react';
import { Modal, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { catalog } from './catalog';
import { CommandFilter } from './CommandFilter';
import { useKeyLabel } from './hooks';
import { KeyList } from './KeyList';
import { closeHelp, useOverlays } from './overlays';
import { commandRows, sectionsOf } from './sections';
import { useCommandStore } from './store';

/** `?`: every command, grouped by scope and group, with its keys; the ones unavailable here are dimmed. */
export function HelpOverlay() {
  const { t } = useTranslation();
  const opened = useOverlays((s) => s.helpOpen);
  return (
    <Modal opened={opened} onClose={closeHelp} title={t('commands.ui.helpTitle')} size="xl" data-testid="command-help">
      <HelpBody />
    </Modal>
  );
}

function HelpBody() {
  const { t } = useTranslation();
  const [query, setQuery] = useState('');
  const registrations = useCommandStore((s) => s.registrations);
  const keymap = useCommandStore((s) => s.keymap);
  const platform = useCommandStore((s) => s.platform);
  const available = useOverlays((s) => s.helpAvailable);
  const paletteKey = useKeyLabel('app.palette');
  const sections = useMemo(
    () => sectionsOf(commandRows(catalog(registrations), keymap, platform, t, query)),
    [registrations, keymap, platform, t, query],
  );

  return (
    <Stack gap="md">
      <CommandFilter value={query} onChange={setQuery} />
      <Text size="sm" c="dimmed">
        {t('commands.ui.helpHint', { palette: paletteKey })}
      </Text>
      {sections.length === 0 && <Text c="dimmed">{t('commands.ui.noMatch')}</Text>}
      {sections.map(({ scope, groups }) => (
        <section key={scope} aria-label={t(`commands.scopes.${scope}`)} data-scope={scope}>
          <Title order={4} mb="xs">
            {t(`commands.scopes.${scope}`)}
          </Title>
          <Table verticalSpacing={4} horizontalSpacing="sm">
            {groups.map(({ group, rows }) => (
              <Table.Tbody key={group}>
                <Table.Tr>
                  <Table.Th colSpan={2}>
                    <Text size="xs" fw={600} c="dimmed">
                      {t(`commands.groups.${group}`)}
                    </Text>
                  </Table.Th>
                </Table.Tr>
                {rows.map((row) => {
                  const on = available.has(row.id);
                  return (
                    <Table.Tr key={row.id} data-command={row.id} data-available={on} title={on ? undefined : t('commands.ui.unavailable')}>
                      <Table.Td style={{ opacity: on ? 1 : 0.5 }}>{row.title}</Table.Td>
                      <Table.Td w={220} style={{ opacity: on ? 1 : 0.5 }}>
                        <KeyList keys={row.keys} platform={platform} size="xs" />
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            ))}
          </Table>
        </section>
      ))}
    </Stack>
  );
}
