import {
  ActionIcon,
  AppShell,
  Group,
  SegmentedControl,
  Text,
  Tooltip,
  UnstyledButton,
  useComputedColorScheme,
  useMantineColorScheme,
} from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { IconArrowLeft, IconMoon, IconSun, IconTags } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { ProjectList } from '../features/projects/ProjectList';
import { ProjectView } from '../features/projects/ProjectView';
import { changeLanguage, type Language } from './i18n';
import { useNavigation } from './store';

export function App() {
  const { t, i18n } = useTranslation();
  const { route, go } = useNavigation();
  const { setColorScheme } = useMantineColorScheme();
  const scheme = useComputedColorScheme('light');
  const toggleScheme = () => setColorScheme(scheme === 'dark' ? 'light' : 'dark');
  useHotkeys([
    ['mod+shift+L', toggleScheme],
    ['alt+ArrowLeft', () => go({ name: 'projects' })],
  ]);

  return (
    <AppShell header={{ height: 56 }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group gap="sm">
            {route.name === 'project' && (
              <Tooltip label={`${t('app.back')} (Alt+←)`}>
                <ActionIcon variant="subtle" aria-label={t('app.back')} onClick={() => go({ name: 'projects' })}>
                  <IconArrowLeft size={18} />
                </ActionIcon>
              </Tooltip>
            )}
            <UnstyledButton onClick={() => go({ name: 'projects' })} aria-label={t('app.title')}>
              <Group gap={8}>
                <IconTags size={22} color="var(--mantine-primary-color-filled)" />
                <Text fw={700} size="lg">
                  {t('app.title')}
                </Text>
                <Text size="sm" c="dimmed" visibleFrom="sm">
                  {t('app.subtitle')}
                </Text>
              </Group>
            </UnstyledButton>
          </Group>
          <Group gap="sm">
            <SegmentedControl
              size="xs"
              aria-label={t('app.language')}
              value={i18n.language}
              onChange={(v) => changeLanguage(v as Language)}
              data={[
                { value: 'zh-CN', label: '中文' },
                { value: 'en', label: 'EN' },
              ]}
            />
            <Tooltip label={`${t('app.toggleColorScheme')} (Ctrl+Shift+L)`}>
              <ActionIcon variant="default" size="lg" aria-label={t('app.toggleColorScheme')} onClick={toggleScheme} data-testid="toggle-scheme">
                {scheme === 'dark' ? <IconSun size={18} /> : <IconMoon size={18} />}
              </ActionIcon>
            </Tooltip>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Main style={{ display: 'flex', flexDirection: 'column', height: '100dvh' }}>
        {route.name === 'projects' ? <ProjectList /> : <ProjectView projectId={route.projectId} />}
      </AppShell.Main>
    </AppShell>
  );
}
