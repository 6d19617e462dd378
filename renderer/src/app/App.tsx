import { useEffect } from 'react';
import {
  ActionIcon,
  AppShell,
  Button,
  Center,
  Group,
  Loader,
  SegmentedControl,
  Text,
  Tooltip,
  UnstyledButton,
  useComputedColorScheme,
  useMantineColorScheme,
} from '@mantine/core';
import { IconArrowLeft, IconKeyboard, IconMoon, IconSun, IconTags, IconUser } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { CommandLayer, command, togglePalette, useCommands, useKeyLabel } from '../commands';
import { ProfilePicker } from '../features/annotators/ProfilePicker';
import { useAnnotators } from '../features/annotators/store';
import { ProjectList } from '../features/projects/ProjectList';
import { ProjectView } from '../features/projects/ProjectView';
import { LabelingRoute } from '../features/labeling/LabelingRoute';
import { AdjudicationRoute } from '../features/adjudication/AdjudicationRoute';
import { ProfileRoles } from '../features/annotators/ProfileRoles';
import { ReportsView } from '../features/reports/ReportsView';
import { ProjectPages } from '../features/guideline/ProjectPages';
import { RecoveryScreen } from '../features/recovery/RecoveryScreen';
import { useNeedsRecovery } from '../features/recovery/store';
import { changeLanguage, type Language } from './i18n';
import { useNavigation } from './store';

export function App() {
  const { t, i18n } = useTranslation();
  const { route, go, back } = useNavigation();
  const { current: annotator, loaded, load, signOut } = useAnnotators();
  const { setColorScheme } = useMantineColorScheme();
  const scheme = useComputedColorScheme('light');
  const toggleScheme = () => setColorScheme(scheme === 'dark' ? 'light' : 'dark');
  const backKey = useKeyLabel('app.back');
  const paletteKey = useKeyLabel('app.palette');
  const recovery = useNeedsRecovery();

  useEffect(() => {
    // Fails on a damaged database file, which the recovery screen explains instead.
    void load().catch(() => undefined);
  }, [load]);
  useCommands([
    command('app.back', back, () => useNavigation.getState().route.name !== 'projects'),
    command('app.toggleScheme', toggleScheme),
    command('app.switchAnnotator', signOut, () => !!useAnnotators.getState().current),
    command('app.language', () => changeLanguage(i18n.language === 'zh-CN' ? 'en' : 'zh-CN')),
  ]);

  return (
    <AppShell header={{ height: 56 }} padding="md">
      <CommandLayer annotatorId={annotator?.id ?? null} />
      <ProfileRoles />
      <AppShell.Header data-app-header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            {route.name !== 'projects' && (
              <Tooltip label={`${t('app.back')} (${backKey})`}>
                <ActionIcon variant="subtle" aria-label={t('app.back')} onClick={back}>
                  <IconArrowLeft size={18} />
                </ActionIcon>
              </Tooltip>
            )}
            <UnstyledButton onClick={() => go({ name: 'projects' })} aria-label={t('app.title')}>
              <Group gap={8} wrap="nowrap">
                <IconTags size={22} color="var(--mantine-primary-color-filled)" />
                <Text fw={700} size="lg">
                  {t('app.title')}
                </Text>
                <Text size="sm" c="dimmed" visibleFrom="md">
                  {t('app.subtitle')}
                </Text>
              </Group>
            </UnstyledButton>
          </Group>
          <Group gap="sm" wrap="nowrap">
            {annotator && (
              <Tooltip label={t('annotators.switch')}>
                <Button variant="subtle" size="xs" leftSection={<IconUser size={14} />} onClick={signOut} data-testid="current-annotator">
                  {annotator.name}
                </Button>
              </Tooltip>
            )}
            <Tooltip label={`${t('commands.app.palette')} (${paletteKey})`}>
              <ActionIcon variant="default" size="lg" aria-label={t('commands.app.palette')} onClick={togglePalette}>
                <IconKeyboard size={18} />
              </ActionIcon>
            </Tooltip>
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
            <Tooltip label={t('app.toggleColorScheme')}>
              <ActionIcon variant="default" size="lg" aria-label={t('app.toggleColorScheme')} onClick={toggleScheme} data-testid="toggle-scheme">
                {scheme === 'dark' ? <IconSun size={18} /> : <IconMoon size={18} />}
              </ActionIcon>
            </Tooltip>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Main style={{ display: 'flex', flexDirection: 'column', height: '100dvh' }}>
        {recovery ? (
          <RecoveryScreen />
        ) : !loaded ? (
          <Center h="100%">
            <Loader />
          </Center>
        ) : !annotator ? (
          <ProfilePicker />
        ) : route.name === 'projects' ? (
          <ProjectList />
        ) : route.name === 'project' ? (
          <ProjectView projectId={route.projectId} />
        ) : route.name === 'reports' ? (
          <ReportsView projectId={route.projectId} />
        ) : route.name === 'guideline' || route.name === 'feedback' || route.name === 'projectSettings' || route.name === 'packs' ? (
          <ProjectPages route={route} />
        ) : route.name === 'adjudicationQueue' || route.name === 'adjudication' ? (
          <AdjudicationRoute route={route} />
        ) : (
          <LabelingRoute projectId={route.projectId} annotatorId={annotator.id} filter={route.filter} startOrd={route.startOrd} />
        )}
      </AppShell.Main>
    </AppShell>
  );
}
