import { useState } from 'react';
import { Button, Kbd } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPackageImport } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../app/errors';
import { useNavigation } from '../../app/store';
import { useCommands, useKeyLabel } from '../../commands/hooks';
import { call } from '../../ipc/client';
import { useAnnotators } from '../annotators/store';

/** The annotator's way in: a pack from the lead, chosen in the shell's dialog, opened as the current profile. O opens one. */
export function OpenPackButton({ onOpened }: { onOpened(): void }) {
  const { t } = useTranslation();
  const annotator = useAnnotators((a) => a.current);
  const go = useNavigation((n) => n.go);
  const [busy, setBusy] = useState(false);
  const open = async () => {
    if (!annotator) return;
    const picked = await call('system.pickFile', { purpose: 'pack' });
    if (!picked.token) return;
    setBusy(true);
    try {
      const opened = await call('packs.open', { fileToken: picked.token, annotatorId: annotator.id });
      notifications.show({
        color: 'teal',
        message: opened.added ? t('packs.opened', { items: opened.items, project: opened.project }) : t('packs.openedBefore', { project: opened.project }),
      });
      onOpened();
      go({ name: 'project', projectId: opened.projectId });
    } catch (e) {
      notifications.show({ color: 'red', title: t('packs.openFailed'), message: errorText(t, e), autoClose: false });
    } finally {
      setBusy(false);
    }
  };
  useCommands([{ id: 'projects.openPack', titleKey: 'packs.commands.open', keys: ['o'], scope: 'projects', group: 'projects', run: () => void open() }]);
  const key = useKeyLabel('projects.openPack');
  return (
    <Button variant="default" leftSection={<IconPackageImport size={16} />} rightSection={key ? <Kbd size="xs">{key}</Kbd> : null} onClick={() => void open()} loading={busy} data-testid="open-pack">
      {t('packs.open')}
    </Button>
  );
}
