import type { ReactNode } from 'react';
import { ActionIcon, Button, Group, Table, TextInput } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';

export interface LabelColumn<T> {
  header: ReactNode;
  width?: number | string;
  cell(row: T, index: number): ReactNode;
}

interface Props<T> {
  rows: T[];
  columns: LabelColumn<T>[];
  addLabel: string;
  onAdd(): void;
  onRemove(index: number): void;
  canRemove?(row: T): boolean;
  extra?: ReactNode;
  testId?: string;
}

/** An editable list of labels: one row each, a remove button per row, an add button below. */
export function LabelTable<T>({ rows, columns, addLabel, onAdd, onRemove, canRemove = () => true, extra, testId }: Props<T>) {
  const { t } = useTranslation();
  return (
    <>
      <Table verticalSpacing={4} horizontalSpacing="xs" data-testid={testId}>
        <Table.Thead>
          <Table.Tr>
            {columns.map((c, i) => (
              <Table.Th key={i} w={c.width}>
                {c.header}
              </Table.Th>
            ))}
            <Table.Th w={40} />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row, i) => (
            <Table.Tr key={i}>
              {columns.map((c, j) => (
                <Table.Td key={j}>{c.cell(row, i)}</Table.Td>
              ))}
              <Table.Td>
                {canRemove(row) && (
                  <ActionIcon variant="subtle" color="red" aria-label={t('common.remove')} onClick={() => onRemove(i)}>
                    <IconTrash size={16} />
                  </ActionIcon>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Group>
        <Button variant="light" size="xs" leftSection={<IconPlus size={14} />} onClick={onAdd}>
          {addLabel}
        </Button>
        {extra}
      </Group>
    </>
  );
}

/** A compact text field for a table cell. */
export function TextCell(props: { label: string; value: string; onChange(value: string): void; maxLength?: number; description?: string }) {
  return (
    <TextInput
      size="xs"
      aria-label={props.label}
      value={props.value}
      maxLength={props.maxLength}
      description={props.description}
      onChange={(e) => props.onChange(e.currentTarget.value)}
    />
  );
}
