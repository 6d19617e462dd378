import { LineChart } from '@mantine/charts';
import { Group, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { AnnotatorReport } from '../../../../shared/contract/reports';
import { OutlierBadges } from './AnnotatorTable';
import { Num } from './Metric';
import { f3 } from './format';

/** One annotator: accuracy against gold and the majority per task, per-intent P/R/F1, accuracy per day. */
export function AnnotatorDetail({ annotator: a, ref }: { annotator: AnnotatorReport; ref?: React.Ref<HTMLDivElement> }) {
  const { t } = useTranslation();
  const tasks = [
    ['intents', a.vsGold.intents, a.vsMajority.intents, a.vsAdjudicated.intents],
    ['sentiment', a.vsGold.sentiment, a.vsMajority.sentiment, a.vsAdjudicated.sentiment],
  ] as const;
  return (
    <Paper ref={ref} withBorder p="md" data-testid="annotator-detail" data-annotator={a.annotatorId}>
      <Stack gap="md">
        <Group gap="sm">
          <Title order={4}>{a.name}</Title>
          <OutlierBadges reasons={a.outlier} />
        </Group>
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
          <Stack gap={4}>
            <Title order={6}>{t('reports.accuracy')}</Title>
            <Table withTableBorder tabularNums fz="sm" verticalSpacing={4} data-testid="annotator-accuracy">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('reports.task')}</Table.Th>
                  <Table.Th ta="right">{t('reports.vsGold')}</Table.Th>
                  <Table.Th ta="right">{t('reports.vsMajority')}</Table.Th>
                  <Table.Th ta="right">{t('reportsAdjudication.vsAdjudicated')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {tasks.map(([task, gold, majority, adjudicated]) => (
                  <Table.Tr key={task}>
                    <Table.Th fw={500}>{t(`reports.task_${task}`)}</Table.Th>
                    <Table.Td ta="right" ff="monospace">
                      <Num value={gold.accuracy} why="noGold" hint={t('reports.correctOf', { correct: gold.correct, n: gold.n })} />
                    </Table.Td>
                    <Table.Td ta="right" ff="monospace">
                      <Num value={majority.accuracy} why="noReference" hint={t('reports.correctOf', { correct: majority.correct, n: majority.n })} />
                    </Table.Td>
                    <Table.Td ta="right" ff="monospace">
                      <Num
                        value={adjudicated.accuracy}
                        why="noAdjudication"
                        hint={t('reports.correctOf', { correct: adjudicated.correct, n: adjudicated.n })}
                      />
                    </Table.Td>
                  </Table.Tr>
                ))}
                <Table.Tr>
                  <Table.Th fw={500}>{t('reports.entitiesF1')}</Table.Th>
                  <Table.Td ta="right" ff="monospace">
                    <Num value={a.vsGold.entitiesF1} why="noGold" />
                  </Table.Td>
                  <Table.Td ta="right" ff="monospace">
                    <Num value={a.vsMajority.entitiesF1} why="noReference" />
                  </Table.Td>
                  <Table.Td ta="right" ff="monospace" c="dimmed">
                    —
                  </Table.Td>
                </Table.Tr>
              </Table.Tbody>
            </Table>
            <Text size="xs" c="dimmed">
              {t('reports.suggestionSummary', {
                accepted: a.suggestions.accepted,
                wrong: a.suggestions.acceptedWrong,
              })}{' '}
              {t('reports.selfConsistencySummary', { n: a.selfConsistency.items, agreement: f3(a.selfConsistency.agreement) })}
            </Text>
            {a.overrides.adjudicated > 0 && (
              <Text size="xs" c="dimmed" data-testid="annotator-overrides">
                {t('reportsAdjudication.overridesSummary', {
                  adjudicated: a.overrides.adjudicated,
                  overridden: a.overrides.overridden,
                  auto: a.overrides.auto,
                })}
              </Text>
            )}
          </Stack>
          <Stack gap={4}>
            <Title order={6}>{t('reports.drift')}</Title>
            {a.drift.length > 1 ? (
              <LineChart
                h={180}
                data={a.drift.map((d) => ({ day: d.day, accuracy: d.accuracy, n: d.n }))}
                dataKey="day"
                series={[{ name: 'accuracy', label: t('reports.accuracy'), color: 'indigo.6' }]}
                yAxisProps={{ domain: [0, 1] }}
                valueFormatter={(v) => f3(v)}
                connectNulls
                curveType="linear"
                data-testid="drift-chart"
              />
            ) : (
              <Text size="sm" c="dimmed">
                {t('reports.driftTooShort')}
              </Text>
            )}
            <Text size="xs" c="dimmed" data-testid="drift-summary">
              {a.drift.map((d) => `${d.day}: ${f3(d.accuracy)} (${d.n})`).join(' · ')}
            </Text>
          </Stack>
        </SimpleGrid>
        <Stack gap={4}>
          <Title order={6}>{t('reports.perLabelScores')}</Title>
          {a.perLabel.length ? (
            <Table.ScrollContainer minWidth={480}>
              <Table striped withTableBorder tabularNums fz="sm" verticalSpacing={4} data-testid="annotator-per-label">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('reports.label')}</Table.Th>
                    <Table.Th ta="right">{t('reports.support')}</Table.Th>
                    <Table.Th ta="right">{t('reports.precision')}</Table.Th>
                    <Table.Th ta="right">{t('reports.recall')}</Table.Th>
                    <Table.Th ta="right">F1</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {a.perLabel.map((s) => (
                    <Table.Tr key={s.label} data-label={s.label}>
                      <Table.Td>{s.label}</Table.Td>
                      <Table.Td ta="right" ff="monospace">
                        {s.support}
                      </Table.Td>
                      <Table.Td ta="right" ff="monospace">
                        <Num value={s.precision} />
                      </Table.Td>
                      <Table.Td ta="right" ff="monospace">
                        <Num value={s.recall} />
                      </Table.Td>
                      <Table.Td ta="right" ff="monospace">
                        <Num value={s.f1} />
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          ) : (
            <Text size="sm" c="dimmed">
              {t('reports.noReference')}
            </Text>
          )}
        </Stack>
      </Stack>
    </Paper>
  );
}
