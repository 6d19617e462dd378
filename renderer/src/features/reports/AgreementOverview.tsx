import { DonutChart } from '@mantine/charts';
import { Group, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ProjectReport, TaskAgreement } from '../../../../shared/contract/reports';
import { Est, Num } from './Metric';

/** Totals, then one card per task: percent agreement, Fleiss' kappa and Krippendorff's alpha with intervals, mean Cohen; span scores for entities. */
export function AgreementOverview({ report }: { report: ProjectReport }) {
  const { t, i18n } = useTranslation();
  const totals = report.totals;
  const figures = [
    ['items', totals.items],
    ['annotatedItems', totals.annotatedItems],
    ['overlapItems', totals.overlapItems],
    ['goldItems', totals.goldItems],
    ['annotations', totals.annotations],
    ['annotatorsCount', totals.annotators],
  ] as const;
  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }} spacing="sm" data-testid="report-totals">
        {figures.map(([key, n]) => (
          <Paper key={key} withBorder p="sm" data-total={key}>
            <Text size="xs" c="dimmed">
              {t(`reports.total_${key}`)}
            </Text>
            <Text fw={700} size="xl" ff="monospace">
              {n.toLocaleString(i18n.language)}
            </Text>
          </Paper>
        ))}
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, md: 3 }} spacing="md">
        {report.agreement.map((a) => (
          <TaskCard key={a.task} agreement={a} />
        ))}
      </SimpleGrid>
      <Text size="xs" c="dimmed">
        {t('reports.ciNote')}
      </Text>
    </Stack>
  );
}

function Row({ label, metric, children }: { label: string; metric: string; children: React.ReactNode }) {
  return (
    <Table.Tr>
      <Table.Th fw={500}>{label}</Table.Th>
      <Table.Td ta="right" ff="monospace" data-metric={metric}>
        {children}
      </Table.Td>
    </Table.Tr>
  );
}

function TaskCard({ agreement: a }: { agreement: TaskAgreement }) {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="md" data-testid={`agreement-${a.task}`}>
      <Stack gap="xs">
        <Group justify="space-between" align="baseline">
          <Title order={4}>{t(`reports.task_${a.task}`)}</Title>
          <Text size="xs" c="dimmed">
            {t('reports.itemsByAnnotators', { items: a.items, annotators: a.annotators })}
          </Text>
        </Group>
        <Table fz="sm" verticalSpacing={4} tabularNums>
          <Table.Tbody>
            <Row label={t('reports.percent')} metric="percent">
              <Num value={a.percent} />
            </Row>
            {a.task !== 'entities' || a.fleiss || a.alpha ? (
              <>
                <Row label={t('reports.fleiss')} metric="fleiss">
                  <Est value={a.fleiss} />
                </Row>
                <Row label={a.task === 'sentiment' ? t('reports.alphaOrdinal') : t('reports.alphaNominal')} metric="alpha">
                  <Est value={a.alpha} />
                </Row>
                <Row label={a.task === 'sentiment' ? t('reports.cohenWeighted') : t('reports.cohenMean')} metric="cohen">
                  <Num value={a.cohenMean} />
                </Row>
              </>
            ) : null}
            {a.spans && (
              <>
                <Row label={t('reports.exactF1')} metric="exactF1">
                  <Num value={a.spans.exactF1} />
                </Row>
                <Row label={t('reports.overlapF1')} metric="overlapF1">
                  <Num value={a.spans.overlapF1} />
                </Row>
              </>
            )}
          </Table.Tbody>
        </Table>
        {a.spans && <SpanDisagreements spans={a.spans} />}
      </Stack>
    </Paper>
  );
}

const KINDS = [
  ['boundary', 'orange.6'],
  ['type', 'grape.6'],
  ['missing', 'blue.6'],
] as const;

function SpanDisagreements({ spans }: { spans: NonNullable<TaskAgreement['spans']> }) {
  const { t } = useTranslation();
  const total = spans.boundary + spans.type + spans.missing;
  const data = KINDS.map(([kind, color]) => ({ name: t(`reports.kind_${kind}`), value: spans[kind], color }));
  return (
    <Stack gap={4} data-testid="span-disagreements">
      <Text size="sm" fw={500}>
        {t('reports.spanDisagreements')}
      </Text>
      <Group gap="md" wrap="nowrap" align="center">
        {total > 0 && <DonutChart data={data} size={110} thickness={18} withTooltip={false} chartLabel={total} aria-hidden />}
        <Stack gap={2}>
          {KINDS.map(([kind, color]) => (
            <Group key={kind} gap={6} wrap="nowrap" data-kind={kind}>
              <Text span w={10} h={10} bg={color} style={{ borderRadius: 2, display: 'inline-block' }} />
              <Text size="sm">{t(`reports.kind_${kind}`)}</Text>
              <Text size="sm" ff="monospace" fw={600} data-count>
                {spans[kind]}
              </Text>
            </Group>
          ))}
          {total === 0 && (
            <Text size="xs" c="dimmed">
              {t('reports.noSpanDisagreements')}
            </Text>
          )}
        </Stack>
      </Group>
      <Text size="xs" c="dimmed">
        {t('reports.kindsHelp')}
      </Text>
    </Stack>
  );
}
