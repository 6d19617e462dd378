import { Alert, Badge, Button, Group, Progress, ScrollArea, Stack, Table, Text } from '@mantine/core';
import { IconAlertTriangle, IconCheck } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { ExportStatus } from '../../../../shared/contract/export';

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** A running export's progress with its cancel, then what it wrote (the manifest), or why it stopped. */
export function ExportProgress({ status, onCancel, onClose, busy }: { status: ExportStatus; onCancel(): void; onClose(): void; busy: boolean }) {
  const { t, i18n } = useTranslation();
  const n = (x: number) => x.toLocaleString(i18n.language);
  const percent = status.total ? Math.round((status.done / status.total) * 100) : 0;
  const r = status.result;
  return (
    <Stack gap="sm" data-testid="export-status" data-state={status.state}>
      {status.state === 'running' && (
        <>
          <Text size="sm">{t(`export.phase_${status.phase}`)}</Text>
          <Progress value={status.phase === 'finish' ? 100 : percent} animated striped size="lg" aria-label={t('export.running')} />
          <Text size="sm" c="dimmed" data-testid="export-count">
            {t('export.count', { done: n(status.done), total: n(status.total) })}
          </Text>
          <Group justify="flex-end">
            <Button color="red" variant="light" onClick={onCancel} loading={busy} data-autofocus>
              {t('export.cancel')}
            </Button>
          </Group>
        </>
      )}
      {status.state === 'done' && r && (
        <>
          <Alert color="teal" icon={<IconCheck />} title={t('export.doneTitle')}>
            <Text size="sm">{t('export.doneBody', { items: n(r.items), folder: r.folder })}</Text>
            <Group gap="xs" mt="xs">
              {Object.entries(r.splits).map(([split, count]) => (
                <Badge key={split} variant="light">
                  {split} {n(count)}
                </Badge>
              ))}
            </Group>
          </Alert>
          {Object.values(r.excluded).some((v) => v > 0) && (
            <Text size="sm" data-testid="export-excluded">
              {t('export.excluded')}:{' '}
              {Object.entries(r.excluded)
                .filter(([, v]) => v > 0)
                .map(([reason, v]) => `${t(`export.exclusion_${reason}`, { defaultValue: reason })} ${n(v)}`)
                .join('、')}
            </Text>
          )}
          {Object.keys(r.redaction).length > 0 && (
            <Text size="sm">
              {t('export.redacted')}:{' '}
              {Object.entries(r.redaction)
                .map(([type, v]) => `${t(`redaction.type_${type}`, { defaultValue: type })} ${n(v)}`)
                .join('、')}
            </Text>
          )}
          {r.warnings.map((w) => (
            <Alert key={w} color="orange" icon={<IconAlertTriangle />}>
              {w}
            </Alert>
          ))}
          <ScrollArea.Autosize mah={260} type="auto">
            <Table striped verticalSpacing={4} data-testid="export-manifest">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('export.file')}</Table.Th>
                  <Table.Th ta="right">{t('export.rows')}</Table.Th>
                  <Table.Th ta="right">{t('export.size')}</Table.Th>
                  <Table.Th>sha256</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {r.files.map((f) => (
                  <Table.Tr key={f.path}>
                    <Table.Td ff="monospace">{f.path}</Table.Td>
                    <Table.Td ta="right">{f.rows === null ? '—' : n(f.rows)}</Table.Td>
                    <Table.Td ta="right">{size(f.bytes)}</Table.Td>
                    <Table.Td ff="monospace" title={f.sha256}>
                      {f.sha256.slice(0, 12)}…
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollArea.Autosize>
        </>
      )}
      {status.state === 'cancelled' && (
        <Alert color="gray" icon={<IconAlertTriangle />} title={t('export.cancelledTitle')}>
          {t('export.cancelledBody')}
        </Alert>
      )}
      {status.state === 'failed' && (
        <Alert color="red" icon={<IconAlertTriangle />} title={t('export.failedTitle')} role="alert">
          <Text size="sm" style={{ wordBreak: 'break-word' }}>
            {status.error ? t(`errors.${status.error.code}`, { defaultValue: status.error.message }) : ''}
          </Text>
          {status.error && (
            <Text size="xs" c="dimmed" mt={4}>
              {status.error.message}
            </Text>
          )}
        </Alert>
      )}
      {status.state !== 'running' && (
        <Group justify="flex-end">
          <Button onClick={onClose} data-autofocus>
            {t('common.close')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}
