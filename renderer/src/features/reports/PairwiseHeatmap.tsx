import { useState } from 'react';
import { Group, SegmentedControl, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { PairwiseMatrix, ReportAnnotator, ReportTask } from '../../../../shared/contract/reports';
import { DASH, f3, nameOf, TASKS } from './format';

interface Props {
  matrices: PairwiseMatrix[];
  annotators: ReportAnnotator[];
  /** The annotator picked in the table above: their row and column are outlined. */
  highlight: string | null;
}

/** Background for an agreement value in [-1, 1]: teal for agreement, red below chance, stronger with size. */
export function cellColor(value: number | null): string {
  if (value === null) return 'var(--mantine-color-default-border)';
  const strength = Math.min(Math.abs(value), 1);
  const alpha = (0.08 + 0.72 * strength).toFixed(3);
  return value >= 0 ? `rgba(18, 184, 134, ${alpha})` : `rgba(250, 82, 82, ${alpha})`;
}

/** Agreement of every pair of annotators on one task (Cohen's kappa; span F1 for entities), as a coloured table. */
export function PairwiseHeatmap({ matrices, annotators, highlight }: Props) {
  const { t } = useTranslation();
  const available = TASKS.filter((task) => matrices.some((m) => m.task === task));
  const [picked, setPicked] = useState<ReportTask | null>(null);
  const task = picked && available.includes(picked) ? picked : (available[0] ?? null);
  const m = matrices.find((x) => x.task === task);
  if (!m || !task) return <Text c="dimmed">{t('reports.noPairs')}</Text>;
  const name = nameOf(annotators);
  const caption = t('reports.pairwiseCaption', { task: t(`reports.task_${task}`) });
  const outline = '2px solid var(--mantine-primary-color-filled)';

  return (
    <Stack gap={4}>
      <Group gap="md" align="center">
        <Title order={5}>{t('reports.pairwise')}</Title>
        {available.length > 1 && (
          <SegmentedControl
            size="xs"
            value={task}
            onChange={(v) => setPicked(v as ReportTask)}
            data={available.map((x) => ({ value: x, label: t(`reports.task_${x}`) }))}
            aria-label={t('reports.task')}
            data-testid="pairwise-task"
          />
        )}
      </Group>
      <Table.ScrollContainer minWidth={m.annotatorIds.length * 72 + 140}>
        <Table
          w="auto"
          withTableBorder
          withColumnBorders
          tabularNums
          fz="xs"
          horizontalSpacing={6}
          verticalSpacing={4}
          aria-label={caption}
          data-testid="pairwise-heatmap"
        >
          <Table.Thead>
            <Table.Tr>
              <Table.Th />
              {m.annotatorIds.map((id) => (
                <Table.Th key={id} ta="center" style={{ whiteSpace: 'nowrap', borderBottom: id === highlight ? outline : undefined }}>
                  {name(id)}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {m.annotatorIds.map((rowId, i) => (
              <Table.Tr key={rowId}>
                <Table.Th style={{ whiteSpace: 'nowrap', borderRight: rowId === highlight ? outline : undefined }}>{name(rowId)}</Table.Th>
                {m.annotatorIds.map((colId, j) => {
                  const value = m.matrix[i]?.[j] ?? null;
                  const shared = m.shared[i]?.[j] ?? 0;
                  const label =
                    value === null
                      ? t('reports.pairCellEmpty', { a: name(rowId), b: name(colId), shared })
                      : t('reports.pairCell', { a: name(rowId), b: name(colId), value: f3(value), shared });
                  return (
                    <Table.Td
                      key={colId}
                      ta="center"
                      ff="monospace"
                      miw={64}
                      title={label}
                      aria-label={label}
                      data-row={rowId}
                      data-col={colId}
                      data-value={value === null ? 'null' : String(value)}
                      style={{
                        backgroundColor: cellColor(value),
                        color: value !== null && Math.abs(value) > 0.65 ? 'white' : value === null ? 'var(--mantine-color-dimmed)' : undefined,
                      }}
                    >
                      {value === null ? DASH : f3(value)}
                    </Table.Td>
                  );
                })}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Text size="xs" c="dimmed">
        {task === 'entities' ? t('reports.pairwiseHelpSpans') : t('reports.pairwiseHelp')}
      </Text>
    </Stack>
  );
}
