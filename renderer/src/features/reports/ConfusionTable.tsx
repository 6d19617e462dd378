import { Badge, Progress, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ConfusedPair } from '../../../../shared/contract/reports';

/** The label pairs people mix up most: one annotator said a where another said b on the same item. */
export function ConfusionTable({ pairs }: { pairs: ConfusedPair[] }) {
  const { t } = useTranslation();
  if (!pairs.length) return <Text c="dimmed">{t('reports.noConfusions')}</Text>;
  const sorted = [...pairs].sort((x, y) => y.count - x.count);
  const max = sorted[0]!.count || 1;
  return (
    <Table.ScrollContainer minWidth={560}>
      <Table striped highlightOnHover withTableBorder tabularNums fz="sm" data-testid="confusion-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('reports.task')}</Table.Th>
            <Table.Th>{t('reports.labelA')}</Table.Th>
            <Table.Th>{t('reports.labelB')}</Table.Th>
            <Table.Th ta="right">{t('reports.times')}</Table.Th>
            <Table.Th w={160} />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {sorted.map((p) => (
            <Table.Tr key={`${p.task}:${p.a}:${p.b}`} data-pair={`${p.a}|${p.b}`}>
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
      </Table>
      <Text size="xs" c="dimmed" mt={4}>
        {t('reports.confusionHelp')}
      </Text>
    </Table.ScrollContainer>
  );
}
