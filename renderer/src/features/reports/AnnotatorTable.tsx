import { useRef } from 'react';
import { Badge, Group, Table, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Accuracy, AnnotatorReport } from '../../../../shared/contract/reports';
import { Num } from './Metric';

interface Props {
  annotators: AnnotatorReport[];
  selected: string | null;
  onSelect(annotatorId: string): void;
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

/** One row per annotator; a row is picked with the mouse, or with ↑/↓ and Enter / Space. */
export function AnnotatorTable({ annotators, selected, onSelect }: Props) {
  const { t } = useTranslation();
  const rows = useRef<(HTMLTableRowElement | null)[]>([]);
  const selectedIndex = Math.max(
    0,
    annotators.findIndex((a) => a.annotatorId === selected),
  );
  const focusRow = (i: number) => rows.current[Math.min(Math.max(i, 0), annotators.length - 1)]?.focus();

  if (!annotators.length) return <Text c="dimmed">{t('reports.noAnnotators')}</Text>;
  return (
    <Table.ScrollContainer minWidth={1100}>
      <Table highlightOnHover withTableBorder tabularNums fz="sm" data-testid="annotator-table" aria-label={t('reports.annotatorTable')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('reports.annotator')}</Table.Th>
            <Table.Th ta="right">{t('reports.items')}</Table.Th>
            <Table.Th ta="right">{t('reports.submitted')}</Table.Th>
            <Table.Th ta="right">{t('reports.vsGold')}</Table.Th>
            <Table.Th ta="right">{t('reports.vsMajority')}</Table.Th>
            <Table.Th ta="right">{t('reports.itemsPerHour')}</Table.Th>
            <Table.Th ta="right">{t('reports.medianSeconds')}</Table.Th>
            <Table.Th ta="right">{t('reports.selfConsistency')}</Table.Th>
            <Table.Th ta="right">{t('reports.acceptRate')}</Table.Th>
            <Table.Th ta="right">{t('reports.acceptedWrongRate')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {annotators.map((a, i) => {
            const isSelected = a.annotatorId === selected;
            return (
              <Table.Tr
                key={a.annotatorId}
                ref={(el) => {
                  rows.current[i] = el;
                }}
                tabIndex={i === selectedIndex ? 0 : -1}
                aria-selected={isSelected}
                data-annotator={a.annotatorId}
                bg={isSelected ? 'var(--mantine-primary-color-light)' : undefined}
                style={{ cursor: 'pointer' }}
                onClick={() => onSelect(a.annotatorId)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter' || e.key === ' ') onSelect(a.annotatorId);
                  else if (e.key === 'ArrowDown') focusRow(i + 1);
                  else if (e.key === 'ArrowUp') focusRow(i - 1);
                  else return;
                  e.preventDefault();
                }}
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
      </Table>
      <Text size="xs" c="dimmed" mt={4}>
        {t('reports.annotatorHelp')}
      </Text>
    </Table.ScrollContainer>
  );
}
