import { useState } from 'react';
import { Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import type { PackStatus } from '../../../../shared/contract/packs';
import { errorText } from '../../app/errors';
import { call } from '../../ipc/client';

const folder = async () => (await call('system.pickFolder', { purpose: 'pack-folder' })).token;

/** Reissue an expired pack's unreturned items to someone else: a name, then the folder. */
export function ReissueButton({ pack, onDone }: { pack: PackStatus; onDone(): void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const run = async () => {
    const token = await folder();
    if (!token) return;
    setBusy(true);
    try {
      const w = await call('packs.reissue', { packId: pack.packId, annotator: name.trim(), folderToken: token });
      notifications.show({ color: 'teal', message: t('packs.reissued', { file: w.file, items: w.items }) });
      setOpen(false);
      onDone();
    } catch (e) {
      notifications.show({ color: 'red', message: errorText(t, e), autoClose: false });
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Button size="compact-xs" variant="light" onClick={() => setOpen(true)} data-testid={`reissue-${pack.annotator}`}>
        {t('packs.reissue')}
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={t('packs.reissueTitle', { annotator: pack.annotator })}>
        <Stack gap="sm">
          <Text size="sm">{t('packs.reissueHelp', { open: pack.items - pack.gold - pack.done })}</Text>
          <TextInput label={t('packs.reissueTo')} value={name} onChange={(e) => setName(e.currentTarget.value)} data-autofocus onKeyDown={(e) => e.key === 'Enter' && name.trim() && void run()} />
          <Group justify="flex-end">
            <Button onClick={() => void run()} disabled={!name.trim() || name.trim() === pack.annotator} loading={busy}>
              {t('packs.reissueWrite')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

/** The disputed items of the newest assignment, each to one more of its annotators who has not seen it. */
export function TopUpButton({ rows, onDone }: { rows: PackStatus[]; onDone(): void }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const newest = rows[0]?.assignmentId;
  if (!newest) return null;
  const annotators = [...new Set(rows.filter((r) => r.assignmentId === newest).map((r) => r.annotator))];
  const run = async () => {
    const token = await folder();
    if (!token) return;
    setBusy(true);
    try {
      const packs = await call('packs.topUp', { assignmentId: newest, annotators, folderToken: token });
      notifications.show({ color: packs.length ? 'teal' : 'gray', message: packs.length ? t('packs.toppedUp', { n: packs.reduce((s, p) => s + p.items - p.gold, 0), packs: packs.length }) : t('packs.nothingDisputed') });
      onDone();
    } catch (e) {
      notifications.show({ color: 'red', message: errorText(t, e), autoClose: false });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button variant="default" size="xs" onClick={() => void run()} loading={busy} disabled={annotators.length < 2} data-testid="top-up">
      {t('packs.topUp')}
    </Button>
  );
}
