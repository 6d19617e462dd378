import { Badge, Group, Table, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Accuracy, AnnotatorReport } from '../../../../shared/contract/reports';
import type { RowList } from '../../commands';
import { Num } from './Metric';
import { RowTable } from './RowTable';

interface Props {
  annotators: AnnotatorReport[];
  /** The keyboard rows (AnnotatorsPanel's): the selected row is the annotator whose details are shown. */
  list: RowList;
}

/** Accuracy with the counts behind it in the tooltip. */
function Acc({ value, why }: { value: Accuracy; why: 'noGold' | 'noReference' }) {
  const { t } = useTranslation();
  return <Num value={value.accuracy} why={why} hint={t('reports.correctOf', { correct: value.correct, n: value.n })} />;
}

/** Why an annotator stands out, in red, each reason in words. */
export function OutlierBadges({ reasons }: { reasons: AnnotatorReport['outlier'] }) {
  const { t } = useTranslation();
  return (
    <>
      {reasons.map((r) => (
        <Tooltip key={r} label={t(`reports.outlierHelp_${r}`)} multiline maw={300} withArrow>
          <Badge color="red" variant="light" size="sm" data-outlier={r}>
            {t(`reports.outlier_${r}`)}
          </Badge>
        </Tooltip>
      ))}
    </>
  );
}

/** One row per annotator; a row is picked with the mouse, or with ↑/↓ (the 'lists' keys). */
export function AnnotatorTable({ annotators, list }: Props) {
  const { t } = useTranslation();
  if (!annotators.length) return <Text c="dimmed">{t('reports.noAnnotators')}</Text>;
  return (
    <Table.ScrollContainer minWidth={1200}>
      <RowTable striped={false} data-testid="annotator-table" label={t('reports.annotatorTable')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('reports.annotator')}</Table.Th>
            <Table.Th ta="right">{t('reports.items')}</Table.Th>
            <Table.Th ta="right">{t('reports.submitted')}</Table.Th>
            <Table.Th ta="right">{t('reports.vsGold')}</Table.Th>
            <Table.Th ta="right">{t('reports.vsMajority')}</Table.Th>
            <Table.Th ta="right">{t('reportsAdjudication.vsAdjudicated')}</Table.Th>
            <Table.Th ta="right">{t('reports.itemsPerHour')}</Table.Th>
            <Table.Th ta="right">{t('reports.medianSeconds')}</Table.Th>
            <Table.Th ta="right">{t('reports.selfConsistency')}</Table.Th>
            <Table.Th ta="right">{t('reports.acceptRate')}</Table.Th>
            <Table.Th ta="right">{t('reports.acceptedWrongRate')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody {...list.listProps}>
          {annotators.map((a, i) => {
            return (
              <Table.Tr
                key={a.annotatorId}
                {...list.rowProps(i)}
                data-annotator={a.annotatorId}
                style={{ cursor: 'pointer' }}
                onClick={() => list.focusRow(i)}
              >
                <Table.Td>
                  <Group gap={6} wrap="wrap">
                    <Text fw={600} size="sm">
                      {a.name}
                    </Text>
                    <OutlierBadges reasons={a.outlier} />
                  </Group>
                </Table.Td>
                <Table.Td ta="right" ff="monospace">
                  {a.items}
                </Table.Td>
                <Table.Td ta="right" ff="monospace">
                  {a.submitted}
                </Table.Td>
                <Table.Td ta="right" ff="monospace" data-metric="vsGold">
                  <Acc value={a.vsGold.intents} why="noGold" />
                </Table.Td>
                <Table.Td ta="right" ff="monospace" data-metric="vsMajority">
                  <Acc value={a.vsMajority.intents} why="noReference" />
                </Table.Td>
                <Table.Td ta="right" ff="monospace" data-metric="vsAdjudicated">
                  <Num
                    value={a.vsAdjudicated.intents.accuracy}
                    why="noAdjudication"
                    hint={t('reportsAdjudication.vsAdjudicatedHint', { correct: a.vsAdjudicated.intents.correct, n: a.vsAdjudicated.intents.n })}
                  />
                </Table.Td>
                <Table.Td ta="right" ff="monospace" data-metric="itemsPerHour">
                  <Num value={a.speed.itemsPerHour} digits={1} why="noTimes" />
                </Table.Td>
                <Table.Td ta="right" ff="monospace" data-metric="medianSeconds">
                  <Num value={a.speed.medianSeconds} digits={1} why="noTimes" />
                </Table.Td>
                <Table.Td ta="right" ff="monospace" data-metric="selfConsistency">
                  <Num value={a.selfConsistency.agreement} why="noRepeats" hint={t('reports.repeatedItems', { n: a.selfConsistency.items })} />
                </Table.Td>
                <Table.Td ta="right" ff="monospace" data-metric="acceptRate">
                  <Num value={a.suggestions.acceptRate} why="noSuggestions" hint={t('reports.acceptedN', { n: a.suggestions.accepted })} />
                </Table.Td>
                <Table.Td ta="right" ff="monospace" data-metric="acceptedWrongRate">
                  <Num
                    value={a.suggestions.acceptedWrongRate}
                    why="noSuggestions"
                    hint={t('reports.acceptedWrongN', { n: a.suggestions.acceptedWrong })}
                  />
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </RowTable>
      <Text size="xs" c="dimmed" mt={4}>
        {t('reports.annotatorHelp')}
      </Text>
    </Table.ScrollContainer>
  );
}
