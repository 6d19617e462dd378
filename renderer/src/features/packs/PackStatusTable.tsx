import { Badge, Progress, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { PackStatus } from '../../../../shared/contract/packs';
import { ReissueButton } from './FollowUpActions';

/** Per pack: who, how far (as merged here), gold accuracy, returns, due date. */
export function PackStatusTable({ rows, onChanged }: { rows: PackStatus[]; onChanged(): void }) {
  const { t, i18n } = useTranslation();
  const date = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium' });
  if (!rows.length) return <Text c="dimmed">{t('packs.noPacks')}</Text>;
  return (
    <Table striped verticalSpacing={6} data-testid="pack-status">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('packs.annotator')}</Table.Th>
          <Table.Th>{t('packs.progress')}</Table.Th>
          <Table.Th ta="right">{t('packs.goldAccuracy')}</Table.Th>
          <Table.Th ta="right">{t('packs.returns')}</Table.Th>
          <Table.Th>{t('packs.lastReturn')}</Table.Th>
          <Table.Th>{t('packs.expires')}</Table.Th>
          <Table.Th />
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((r) => (
          <Table.Tr key={r.packId} data-annotator={r.annotator}>
            <Table.Td>{r.annotator}</Table.Td>
            <Table.Td miw={180}>
              <Progress value={r.items ? (r.done / r.items) * 100 : 0} size="sm" aria-label={t('packs.progress')} />
              <Text size="xs" c="dimmed">
                {r.done} / {r.items}
              </Text>
            </Table.Td>
            <Table.Td ta="right">{r.goldAnswered ? `${Math.round((r.goldCorrect / r.goldAnswered) * 100)} % (${r.goldCorrect}/${r.goldAnswered})` : '—'}</Table.Td>
            <Table.Td ta="right">{r.returns}</Table.Td>
            <Table.Td>
              {r.lastReturn ? date.format(new Date(r.lastReturn)) : '—'}
              {r.late && (
                <Badge ml="xs" color="orange" size="sm">
                  {t('packs.late')}
                </Badge>
              )}
            </Table.Td>
            <Table.Td>
              {date.format(new Date(r.expiresAt))}
              {r.expired && (
                <Badge ml="xs" color="gray" size="sm">
                  {t('packs.expired')}
                </Badge>
              )}
            </Table.Td>
            <Table.Td>{r.expired && r.done < r.items - r.gold && <ReissueButton pack={r} onDone={onChanged} />}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
