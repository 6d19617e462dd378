import { useCallback, useEffect, useState } from 'react';
import { Alert, Badge, Button, Group, Kbd, Modal, Paper, Progress, Stack, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconMessageCheck, IconSend } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { ReceivedPack } from '../../../../shared/contract/packs';
import { errorText } from '../../app/errors';
import { useCommands, useKeyLabel } from '../../commands/hooks';
import { call } from '../../ipc/client';

const show = (v: unknown): string => (Array.isArray(v) ? v.join('、') || '—' : v === null || v === undefined ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v));

/** On the annotator's workstation: the packs of this project, how far, when due, the lead's feedback, and W to return the work. */
export function PackBanner({ projectId, annotatorId, version }: { projectId: string; annotatorId: string; version: number }) {
  const { t, i18n } = useTranslation();
  const [packs, setPacks] = useState<ReceivedPack[]>([]);
  const [feedback, setFeedback] = useState(false);
  const [busy, setBusy] = useState(false);
  const load = useCallback(() => call('packs.received', { projectId, annotatorId }).then(setPacks, () => setPacks([])), [projectId, annotatorId]);
  useEffect(() => void load(), [load, version]);
  const giveBack = async () => {
    const picked = await call('system.pickFolder', { purpose: 'pack-folder' });
    if (!picked.token) return;
    setBusy(true);
    try {
      const r = await call('packs.return', { projectId, annotatorId, folderToken: picked.token });
      notifications.show({ color: 'teal', title: t('packs.returnedTitle'), message: t('packs.returnedBody', { events: r.events, file: r.file }) });
    } catch (e) {
      notifications.show({ color: 'red', message: errorText(t, e), autoClose: false });
    } finally {
      setBusy(false);
    }
  };
  useCommands(
    packs.length
      ? [{ id: 'items.returnWork', titleKey: 'packs.commands.return', keys: ['w'], scope: 'items', group: 'items', run: () => void giveBack() }]
      : [],
  );
  const key = useKeyLabel('items.returnWork');
  if (!packs.length) return null;
  const items = packs.reduce((s, p) => s + p.items, 0);
  const done = packs.reduce((s, p) => s + p.done, 0);
  const due = packs.map((p) => p.expiresAt).sort()[0]!;
  const expired = packs.some((p) => p.expired);
  const notes = packs.flatMap((p) => p.feedback);
  const date = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium' });
  return (
    <Paper withBorder p="sm" radius="md" data-testid="pack-banner">
      <Group justify="space-between">
        <Stack gap={4} style={{ flex: 1 }}>
          <Group gap="xs">
            <Text fw={600}>{t('packs.bannerTitle', { n: packs.length })}</Text>
            <Badge color={expired ? 'red' : 'blue'} variant="light">
              {expired ? t('packs.expiredOn', { date: date.format(new Date(due)) }) : t('packs.dueOn', { date: date.format(new Date(due)) })}
            </Badge>
          </Group>
          <Progress value={items ? (done / items) * 100 : 0} size="sm" aria-label={t('packs.progress')} />
          <Text size="xs" c="dimmed" data-testid="pack-progress">
            {t('packs.bannerProgress', { done, items })}
          </Text>
        </Stack>
        {notes.length > 0 && (
          <Button variant="subtle" leftSection={<IconMessageCheck size={16} />} onClick={() => setFeedback(true)}>
            {t('packs.feedback', { n: notes.length })}
          </Button>
        )}
        <Button leftSection={<IconSend size={16} />} rightSection={key ? <Kbd size="xs">{key}</Kbd> : null} onClick={() => void giveBack()} loading={busy} data-testid="return-work">
          {t('packs.return')}
        </Button>
      </Group>
      {expired && (
        <Alert color="red" mt="xs">
          {t('packs.expiredHelp')}
        </Alert>
      )}
      <Modal opened={feedback} onClose={() => setFeedback(false)} size="xl" title={t('packs.feedbackTitle')}>
        <Table striped verticalSpacing={4}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('packs.feedbackText')}</Table.Th>
              <Table.Th>{t('packs.feedbackYours')}</Table.Th>
              <Table.Th>{t('packs.feedbackAdjudicated')}</Table.Th>
              <Table.Th>{t('packs.feedbackReason')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {notes.map((f, i) => (
              <Table.Tr key={i}>
                <Table.Td>{f.text}</Table.Td>
                <Table.Td>{show(f.yours)}</Table.Td>
                <Table.Td>{show(f.adjudicated)}</Table.Td>
                <Table.Td>{f.reason ?? '—'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Modal>
    </Paper>
  );
}
