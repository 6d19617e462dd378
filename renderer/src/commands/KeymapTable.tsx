import { ActionIcon, Badge, Group, Table, Text, Tooltip } from '@mantine/core';
import { IconBackspace, IconKeyboard, IconRestore } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { KeyList } from './KeyList';
import type { Platform } from './keys';
import type { CommandRow } from './sections';

export interface KeymapRow extends CommandRow {
  customized: boolean;
  /** Text of a same-scope conflict this command is part of. */
  conflict: string | null;
}

interface Props {
  rows: readonly KeymapRow[];
  selectedId: string | null;
  recordingId: string | null;
  platform: Platform;
  onSelect(id: string): void;
  onRecord(id: string): void;
  onClear(id: string): void;
  onReset(id: string): void;
}

/** The commands with their keys; the selected row is where Enter records. */
export function KeymapTable({ rows, selectedId, recordingId, platform, onSelect, onRecord, onClear, onReset }: Props) {
  const { t } = useTranslation();
  return (
    <Table highlightOnHover verticalSpacing={6} stickyHeader>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('commands.ui.command')}</Table.Th>
          <Table.Th w={110}>{t('commands.ui.scope')}</Table.Th>
          <Table.Th w={220}>{t('commands.ui.keys')}</Table.Th>
          <Table.Th w={110}>{t('commands.ui.actions')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((row) => {
          const selected = row.id === selectedId;
          return (
            <Table.Tr
              key={row.id}
              data-keymap-row={row.id}
              data-selected={selected || undefined}
              aria-selected={selected}
              bg={selected ? 'var(--mantine-primary-color-light)' : undefined}
              style={{ cursor: 'pointer' }}
              onClick={() => onSelect(row.id)}
              onDoubleClick={() => onRecord(row.id)}
            >
              <Table.Td>
                <Group gap={6}>
                  <Text size="sm">{row.title}</Text>
                  {row.customized && (
                    <Badge size="xs" variant="light">
                      {t('commands.ui.customized')}
                    </Badge>
                  )}
                  {row.conflict && (
                    <Tooltip label={row.conflict}>
                      <Badge size="xs" color="red" variant="light">
                        {t('commands.ui.conflict')}
                      </Badge>
                    </Tooltip>
                  )}
                </Group>
              </Table.Td>
              <Table.Td>
                <Text size="xs" c="dimmed">
                  {t(`commands.scopes.${row.entry.def.scope}`)}
                </Text>
              </Table.Td>
              <Table.Td>
                {row.id === recordingId ? (
                  <Text size="sm" c="blue" fw={600} role="status">
                    {t('commands.ui.recording')}
                  </Text>
                ) : (
                  <KeyList keys={row.keys} platform={platform} size="xs" />
                )}
              </Table.Td>
              <Table.Td>
                <Group gap={2} wrap="nowrap">
                  <ActionIcon
                    variant="subtle"
                    size="sm"
                    aria-label={t('commands.ui.record')}
                    title={t('commands.ui.record')}
                    onClick={() => onRecord(row.id)}
                  >
                    <IconKeyboard size={16} />
                  </ActionIcon>
                  <ActionIcon
                    variant="subtle"
                    size="sm"
                    aria-label={t('commands.ui.clear')}
                    title={t('commands.ui.clear')}
                    disabled={row.keys.length === 0}
                    onClick={() => onClear(row.id)}
                  >
                    <IconBackspace size={16} />
                  </ActionIcon>
                  <ActionIcon
                    variant="subtle"
                    size="sm"
                    aria-label={t('commands.ui.reset')}
                    title={t('commands.ui.reset')}
                    disabled={!row.customized}
                    onClick={() => onReset(row.id)}
                  >
                    <IconRestore size={16} />
                  </ActionIcon>
                </Group>
              </Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}
