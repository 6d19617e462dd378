import { Badge, Progress, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ConfusedPair } from '../../../../shared/contract/reports';
import { useRowList } from '../../commands';
import { RowTable } from './RowTable';

/** The label pairs people mix up most: one annotator said a where another said b on the same item (keyboard rows, nothing to open). */
export function ConfusionTable({ listId, pairs }: { listId: string; pairs: ConfusedPair[] }) {
  const { t } = useTranslation();
  const sorted = [...pairs].sort((x, y) => y.count - x.count);
  const list = useRowList({ id: listId, count: sorted.length, keyOf: (i) => `${sorted[i]!.task}:${sorted[i]!.a}:${sorted[i]!.b}` });
  if (!pairs.length) return <Text c="dimmed">{t('reports.noConfusions')}</Text>;
  const max = sorted[0]!.count || 1;
  return (
    <Table.ScrollContainer minWidth={560}>
      <RowTable data-testid="confusion-table" label={t('reports.tab_confusions')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('reports.task')}</Table.Th>
            <Table.Th>{t('reports.labelA')}</Table.Th>
            <Table.Th>{t('reports.labelB')}</Table.Th>
            <Table.Th ta="right">{t('reports.times')}</Table.Th>
            <Table.Th w={160} />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody {...list.listProps}>
          {sorted.map((p, i) => (
            <Table.Tr key={`${p.task}:${p.a}:${p.b}`} {...list.rowProps(i)} data-pair={`${p.a}|${p.b}`}>
              <Table.Td>
                <Badge variant="light" color="gray" size="sm">
                  {t(`reports.task_${p.task}`)}
                </Badge>
              </Table.Td>
              <Table.Td>{p.a}</Table.Td>
              <Table.Td>{p.b}</Table.Td>
              <Table.Td ta="right" ff="monospace" data-count={p.count}>
                {p.count}
              </Table.Td>
              <Table.Td>
                <Progress value={(p.count / max) * 100} color="orange" size="sm" aria-hidden />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </RowTable>
      <Text size="xs" c="dimmed" mt={4}>
        {t('reports.confusionHelp')}
      </Text>
    </Table.ScrollContainer>
  );
}
