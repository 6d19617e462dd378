import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Group, Kbd, Paper, Stack, Text, Title } from '@mantine/core';
import { IconFileDownload } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { AssignmentResult, MergeResult, PackStatus } from '../../../../shared/contract/packs';
import { errorText } from '../../app/errors';
import { useCommands, useKeyLabel } from '../../commands/hooks';
import { call } from '../../ipc/client';
import { AssignmentForm } from './AssignmentForm';
import { PackStatusTable } from './PackStatusTable';
import { TopUpButton } from './FollowUpActions';

/** The lead's packs page: plan and write packs, merge what comes back, follow each annotator. M merges a result pack. */
export function PacksPage({ projectId }: { projectId: string }) {
  const { t } = useTranslation();
  const [status, setStatus] = useState<PackStatus[]>([]);
  const [written, setWritten] = useState<AssignmentResult | null>(null);
  const [merged, setMerged] = useState<MergeResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [merging, setMerging] = useState(false);
  const refresh = useCallback(() => call('packs.status', { projectId }).then(setStatus, setError), [projectId]);
  useEffect(() => void refresh(), [refresh]);

  const merge = async () => {
    const picked = await call('system.pickFile', { purpose: 'result-pack' });
    if (!picked.token) return;
    setMerging(true);
    setError(null);
    try {
      setMerged(await call('packs.merge', { fileTokens: [picked.token] }));
      await refresh();
    } catch (e) {
      setError(e);
    } finally {
      setMerging(false);
    }
  };
  useCommands([{ id: 'packs.merge', titleKey: 'packs.commands.merge', keys: ['m'], scope: 'global', group: 'general', run: () => void merge() }]);
  const mergeKey = useKeyLabel('packs.merge');

  return (
    <Stack gap="md" maw={1100} mx="auto" w="100%" data-testid="packs-page">
      <Group justify="space-between">
        <Title order={2}>{t('packs.title')}</Title>
        <Button variant="default" leftSection={<IconFileDownload size={16} />} rightSection={mergeKey ? <Kbd size="xs">{mergeKey}</Kbd> : null} onClick={() => void merge()} loading={merging} data-testid="merge-result">
          {t('packs.merge')}
        </Button>
      </Group>
      {!!error && <Alert color="red">{errorText(t, error)}</Alert>}
      {merged && (
        <Alert color={merged.refused.length ? 'orange' : 'teal'} title={t('packs.mergedTitle')} data-testid="merge-outcome" withCloseButton onClose={() => setMerged(null)}>
          <Text size="sm">{t('packs.mergedBody', { merged: merged.merged_events, had: merged.already_had })}</Text>
          {merged.refused.map((r) => (
            <Text key={r.file} size="sm" c="red">
              {t('packs.refused', { file: r.file, reason: r.reason })}
            </Text>
          ))}
        </Alert>
      )}
      {written && (
        <Alert color="teal" title={t('packs.writtenTitle')} data-testid="assignment-written" withCloseButton onClose={() => setWritten(null)}>
          {written.packs.map((p) => (
            <Text key={p.file} size="sm">
              {t('packs.writtenLine', { file: p.file, items: p.items, gold: p.gold })}
            </Text>
          ))}
        </Alert>
      )}
      <AssignmentForm
        projectId={projectId}
        onWritten={(r) => {
          setWritten(r);
          void refresh();
        }}
      />
      <Paper withBorder p="md" radius="md">
        <Group justify="space-between" mb="sm">
          <Title order={4}>{t('packs.statusTitle')}</Title>
          <TopUpButton rows={status} onDone={() => void refresh()} />
        </Group>
        <PackStatusTable rows={status} onChanged={() => void refresh()} />
      </Paper>
    </Stack>
  );
}
