import { Button, Kbd } from '@mantine/core';
import { IconScale } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useNavigation } from '../../app/store';
import { useCommands, useKeyLabel } from '../../commands/hooks';
import type { Command } from '../../commands/types';
import { useAnnotators } from '../annotators/store';

/** The project view's way into adjudication, shown to reviewers only: a button and its key (A). */
export function AdjudicationEntry({ projectId }: { projectId: string }) {
  const { t } = useTranslation();
  const go = useNavigation((n) => n.go);
  const reviewer = useAnnotators((a) => !!a.current?.roles?.includes('reviewer'));
  const open = () => go({ name: 'adjudicationQueue', projectId });
  const entry: Command = { id: 'adjudication.open', titleKey: 'adjudication.commands.open', keys: ['a'], scope: 'items', group: 'items', run: open };
  useCommands([entry], reviewer);
  const key = useKeyLabel('adjudication.open');
  if (!reviewer) return null;
  return (
    <Button variant="default" leftSection={<IconScale size={16} />} rightSection={key ? <Kbd size="xs">{key}</Kbd> : null} onClick={open} data-testid="open-adjudication">
      {t('adjudication.open')}
    </Button>
  );
}
