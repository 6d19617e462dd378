import { useState } from 'react';
import { BarChart } from '@mantine/charts';
import { Badge, SegmentedControl, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { LabelAgreement, ReportTask } from '../../../../shared/contract/reports';
import { useRowList } from '../../commands';
import { Num } from './Metric';
import { RowTable } from './RowTable';
import { f3, TASKS } from './format';

/** Most labels a chart shows; the table lists all of them. */
const CHART_MAX = 30;

/** Lowest agreement first (undefined last): the labels worth a look in the guidelines. */
export function byAgreement(a: LabelAgreement, b: LabelAgreement): number {
  if (a.alpha === null || b.alpha === null) return a.alpha === null ? (b.alpha === null ? b.uses - a.uses : 1) : -1;
  return a.alpha - b.alpha || b.uses - a.uses;
}

/** Agreement per label: a table with the task of each label (keyboard rows, nothing to open), and a bar chart of alpha, lowest first. */
export function LabelAgreementTable({ listId, labels }: { listId: string; labels: LabelAgreement[] }) {
  const { t } = useTranslation();
  const tasks = TASKS.filter((task) => labels.some((l) => l.task === task));
  const [task, setTask] = useState<ReportTask | 'all'>('all');
  const rows = labels.filter((l) => task === 'all' || l.task === task).sort(byAgreement);
  const defined = rows.filter((l) => l.alpha !== null);
  const shown = defined.slice(0, CHART_MAX);
  const duplicated = new Set(labels.filter((l, i) => labels.findIndex((o) => o.label === l.label) !== i).map((l) => l.label));
  const chartName = (l: LabelAgreement) => (duplicated.has(l.label) ? `${l.label} (${t(`reports.task_${l.task}`)})` : l.label);
  const list = useRowList({ id: listId, count: rows.length, keyOf: (i) => `${rows[i]!.task}:${rows[i]!.label}` });

  if (!labels.length) return <Text c="dimmed">{t('reports.noLabels')}</Text>;
  return (
    <Stack gap="md">
      <SegmentedControl
        w="fit-content"
        value={task}
        onChange={(v) => setTask(v as ReportTask | 'all')}
        data={[{ value: 'all', label: t('reports.allTasks') }, ...tasks.map((x) => ({ value: x, label: t(`reports.task_${x}`) }))]}
        aria-label={t('reports.task')}
      />
      {shown.length > 0 && (
        <Stack gap={4}>
          <Title order={5}>{defined.length > shown.length ? t('reports.alphaChartLowest', { n: shown.length }) : t('reports.alphaChart')}</Title>
          <BarChart
            h={Math.max(140, shown.length * 26 + 40)}
            data={shown.map((l) => ({ label: chartName(l), alpha: l.alpha }))}
            dataKey="label"
            orientation="vertical"
            series={[{ name: 'alpha', label: t('reports.alpha'), color: 'indigo.6' }]}
            getBarColor={(v) => (v < 0.667 ? 'red.6' : v < 0.8 ? 'yellow.6' : 'teal.6')}
            valueFormatter={(v) => f3(v)}
            yAxisProps={{ width: 120 }}
            xAxisProps={{ domain: [Math.min(0, ...shown.map((l) => l.alpha ?? 0)), 1] }}
            referenceLines={[{ x: 0.8, color: 'teal.6', label: '0.8' }]}
            gridAxis="y"
          />
          <Text size="xs" c="dimmed">
            {t('reports.alphaHelp')}
          </Text>
        </Stack>
      )}
      <Table.ScrollContainer minWidth={640}>
        <RowTable data-testid="label-table" label={t('reports.tab_labels')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('reports.task')}</Table.Th>
              <Table.Th>{t('reports.label')}</Table.Th>
              <Table.Th ta="right">{t('reports.uses')}</Table.Th>
              <Table.Th ta="right">{t('reports.percent')}</Table.Th>
              <Table.Th ta="right">{t('reports.alphaOrSpanF1')}</Table.Th>
              <Table.Th ta="right">F1</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody {...list.listProps}>
            {rows.map((l, i) => (
              <Table.Tr key={`${l.task}:${l.label}`} {...list.rowProps(i)} data-label={l.label} data-task={l.task}>
                <Table.Td>
                  <Badge variant="light" color="gray" size="sm">
                    {t(`reports.task_${l.task}`)}
                  </Badge>
                </Table.Td>
                <Table.Td>{l.label}</Table.Td>
                <Table.Td ta="right" ff="monospace">
                  {l.uses}
                </Table.Td>
                <Table.Td ta="right" ff="monospace">
                  <Num value={l.percent} />
                </Table.Td>
                <Table.Td ta="right" ff="monospace" data-metric="alpha">
                  <Num value={l.alpha} />
                </Table.Td>
                <Table.Td ta="right" ff="monospace">
                  <Num value={l.f1} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </RowTable>
      </Table.ScrollContainer>
      <Text size="xs" c="dimmed">
        {t('reports.entityAlphaNote')}
      </Text>
    </Stack>
  );
}
