import { Anchor, Progress, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { DisagreementItem, ReportAnnotator } from '../../../../shared/contract/reports';
import { useNavigation } from '../../app/store';
import { useRowList } from '../../commands';
import { DASH, f3, nameOf } from './format';
import { RowTable } from './RowTable';

interface Props {
  projectId: string;
  items: DisagreementItem[];
  annotators: ReportAnnotator[];
}

/** Opens the labeling queue (every item, in order) at this item. */
export function openInQueue(projectId: string, ord: number): void {
  useNavigation.getState().go({ name: 'labeling', projectId, filter: { status: 'all', order: 'position' }, startOrd: ord });
}

/** The items people disagree on most, with each annotator's decision; each (Enter, or a click) opens the labeling queue at that item. */
export function DisagreementTable({ projectId, items, annotators }: Props) {
  const { t } = useTranslation();
  const name = nameOf(annotators);
  const sorted = [...items].sort((a, b) => b.disagreement - a.disagreement || a.ord - b.ord);
  const list = useRowList({
    id: `reports\u0000${projectId}\u0000disagreements`,
    count: sorted.length,
    keyOf: (i) => sorted[i]!.itemId,
    onOpen: (i) => openInQueue(projectId, sorted[i]!.ord),
  });
  if (!items.length) return <Text c="dimmed">{t('reports.noDisagreements')}</Text>;
  return (
    <Stack gap={4}>
      <Text size="xs" c="dimmed">
        {t('reports.disagreementHelp')}
      </Text>
      <Table.ScrollContainer minWidth={760}>
        <RowTable verticalSpacing={6} data-testid="disagreement-table" label={t('reports.tab_disagreements')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={90}>{t('reports.item')}</Table.Th>
              <Table.Th>{t('reports.text')}</Table.Th>
              <Table.Th w={140}>{t('reports.disagreement')}</Table.Th>
              <Table.Th>{t('reports.decisions')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody {...list.listProps}>
            {sorted.map((item, i) => (
              <Table.Tr
                key={item.itemId}
                {...list.rowProps(i)}
                data-ord={item.ord}
                style={{ cursor: 'pointer' }}
                onClick={() => openInQueue(projectId, item.ord)}
              >
                <Table.Td>
                  <Anchor
                    component="button"
                    type="button"
                    tabIndex={-1}
                    ff="monospace"
                    aria-label={t('reports.openItem', { ord: item.ord })}
                    title={t('reports.openItem', { ord: item.ord })}
                    onClick={(e: React.MouseEvent) => {
                      e.stopPropagation();
                      openInQueue(projectId, item.ord);
                    }}
                    data-testid="open-item"
                  >
                    #{item.ord}
                  </Anchor>
                </Table.Td>
                <Table.Td maw={420}>
                  <Text size="sm" lineClamp={2} title={item.text}>
                    {item.text}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" ff="monospace" data-metric="disagreement">
                    {f3(item.disagreement)}
                  </Text>
                  <Progress value={item.disagreement * 100} color="red" size="xs" aria-hidden />
                </Table.Td>
                <Table.Td>
                  <Stack gap={0}>
                    {item.annotations.map((a) => (
                      <Text key={a.annotatorId} size="xs" data-annotator={a.annotatorId}>
                        <Text span fw={600} inherit>
                          {name(a.annotatorId)}
                        </Text>
                        {': '}
                        {a.intents.length ? a.intents.join('、') : DASH} · {a.sentiment ?? DASH} · {t('reports.entityCount', { n: a.entities })}
                      </Text>
                    ))}
                  </Stack>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </RowTable>
      </Table.ScrollContainer>
    </Stack>
  );
}
