import { Button, Kbd } from '@mantine/core';
import { IconBook2, IconMessageCheck, IconPackages, IconSettings } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useNavigation } from '../../app/store';
import { useCommands, useKeyLabel } from '../../commands/hooks';
import type { Command } from '../../commands/types';

const link = (id: string, keys: string[], run: () => void): Command => ({
  id,
  titleKey: `guideline.commands.${id.slice('project.'.length)}`,
  keys,
  scope: 'items',
  group: 'items',
  run,
});

/** The project view's ways to the guideline, the profile's feedback and the project settings: buttons, keys and palette commands. */
export function ProjectLinks({ projectId }: { projectId: string }) {
  const { t } = useTranslation();
  const go = useNavigation((n) => n.go);
  useCommands([
    link('project.guideline', ['g'], () => go({ name: 'guideline', projectId })),
    link('project.feedback', ['f'], () => go({ name: 'feedback', projectId })),
    link('project.settings', ['s'], () => go({ name: 'projectSettings', projectId })),
    link('project.packs', ['p'], () => go({ name: 'packs', projectId })),
  ]);
  const keys = { guideline: useKeyLabel('project.guideline'), feedback: useKeyLabel('project.feedback'), settings: useKeyLabel('project.settings'), packs: useKeyLabel('project.packs') };
  const kbd = (key: string) => (key ? <Kbd size="xs">{key}</Kbd> : null);
  return (
    <>
      <Button
        variant="default"
        leftSection={<IconBook2 size={16} />}
        rightSection={kbd(keys.guideline)}
        onClick={() => go({ name: 'guideline', projectId })}
        data-testid="open-guideline"
      >
        {t('guideline.open')}
      </Button>
      <Button
        variant="default"
        leftSection={<IconMessageCheck size={16} />}
        rightSection={kbd(keys.feedback)}
        onClick={() => go({ name: 'feedback', projectId })}
        data-testid="open-feedback"
      >
        {t('feedback.open')}
      </Button>
      <Button
        variant="default"
        leftSection={<IconSettings size={16} />}
        rightSection={kbd(keys.settings)}
        onClick={() => go({ name: 'projectSettings', projectId })}
        data-testid="open-project-settings"
      >
        {t('guideline.settings.open')}
      </Button>
      <Button
        variant="default"
        leftSection={<IconPackages size={16} />}
        rightSection={kbd(keys.packs)}
        onClick={() => go({ name: 'packs', projectId })}
        data-testid="open-packs"
      >
        {t('packs.openPage')}
      </Button>
    </>
  );
}
