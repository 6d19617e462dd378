import { Alert, Badge, Button, Center, Code, Group, Loader, Paper, Stack, Text, Title, UnstyledButton } from '@mantine/core';
import { IconDatabaseExclamation, IconRestore } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../app/errors';
import { useRowList } from '../../commands';
import { useRecovery } from './store';

/** 12.3 MB, 512 KB: a backup's size. */
export function sizeText(bytes: number, language: string): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toLocaleString(language, { maximumFractionDigits: unit ? 1 : 0 })} ${units[unit]}`;
}

/**
 * Shown instead of the app when the database file is damaged: which file, what SQLite said, the
 * backups with their times and sizes (newest first and selected: Enter restores it; ↑/↓ choose
 * another), and moving the damaged file aside when there is no backup. The damaged file is never
 * deleted; after a restore the app starts again over the restored file.
 */
export function RecoveryScreen() {
  const { t, i18n } = useTranslation();
  const { health, phase, result, error, restore, moveAside, continueAfter } = useRecovery();
  const backups = health?.backups ?? [];
  const working = phase === 'working';
  const time = (iso: string) => new Date(iso).toLocaleString(i18n.language, { dateStyle: 'medium', timeStyle: 'medium' });
  const list = useRowList({
    id: 'recovery-backups',
    count: phase === 'idle' ? backups.length : 0,
    keyOf: (i) => backups[i]!.name,
    onOpen: (i) => void restore(backups[i]!.name),
  });

  return (
    <Center h="100%">
      <Paper withBorder radius="lg" p="xl" w={680} shadow="sm" data-testid="recovery">
        <Stack gap="md">
          <Group gap="sm" wrap="nowrap">
            <IconDatabaseExclamation size={28} color="var(--mantine-color-red-6)" aria-hidden />
            <Title order={3}>{phase === 'done' ? t('recovery.doneTitle') : t('recovery.title')}</Title>
          </Group>
          {phase === 'done' && result ? (
            <>
              <Alert color="green" role="status">
                <Stack gap={6}>
                  <Text>
                    {result.restoredFrom
                      ? t('recovery.restoredFrom', { time: time(result.restoredFrom.createdAt), name: result.restoredFrom.name })
                      : t('recovery.startedEmpty')}
                  </Text>
                  {result.movedAside[0] && (
                    <Text size="sm">
                      {t('recovery.keptAt')} <Code>{result.movedAside[0]}</Code>
                    </Text>
                  )}
                  {result.skipped.map((s) => (
                    <Text key={s.name} size="sm" c="orange">
                      {t('recovery.skipped', { name: s.name })}
                    </Text>
                  ))}
                </Stack>
              </Alert>
              <Group>
                <Button autoFocus onClick={continueAfter} data-testid="recovery-continue">
                  {t('recovery.continue')}
                </Button>
              </Group>
            </>
          ) : (
            <>
              <Text>{t('recovery.explain')}</Text>
              <Text size="sm">
                {t('recovery.file')} <Code data-testid="recovery-file">{health?.file}</Code>
              </Text>
              {health?.problem && (
                <Text size="xs" c="dimmed" lineClamp={3} title={health.problem}>
                  {t('recovery.problem')} {health.problem}
                </Text>
              )}
              {backups.length > 0 ? (
                <>
                  <Text fw={600}>{t('recovery.backups', { n: backups.length })}</Text>
                  <Stack gap={4} role="listbox" aria-label={t('recovery.backupsLabel')} {...list.listProps}>
                    {backups.map((b, i) => (
                      <UnstyledButton
                        key={b.name}
                        {...list.rowProps(i)}
                        role="option"
                        disabled={working}
                        onClick={() => void restore(b.name)}
                        data-testid="recovery-backup"
                        style={{ padding: '6px 10px', borderRadius: 6 }}
                      >
                        <Group justify="space-between" wrap="nowrap">
                          <Group gap="xs" wrap="nowrap">
                            <Text fw={i === 0 ? 600 : 400}>{time(b.createdAt)}</Text>
                            {i === 0 && (
                              <Badge size="sm" variant="light">
                                {t('recovery.newest')}
                              </Badge>
                            )}
                          </Group>
                          <Text size="sm" c="dimmed">
                            {sizeText(b.size, i18n.language)}
                          </Text>
                        </Group>
                      </UnstyledButton>
                    ))}
                  </Stack>
                  <Text size="sm" c="dimmed">
                    {t('recovery.keys')}
                  </Text>
                  <Group>
                    <Button leftSection={<IconRestore size={16} />} loading={working} onClick={() => void restore()}>
                      {t('recovery.restoreNewest')}
                    </Button>
                    <Button variant="default" disabled={working} onClick={() => void moveAside()}>
                      {t('recovery.moveAside')}
                    </Button>
                  </Group>
                </>
              ) : (
                <>
                  <Alert color="yellow">{t('recovery.noBackups', { dir: health?.backupDir ?? '' })}</Alert>
                  <Group>
                    <Button autoFocus loading={working} onClick={() => void moveAside()}>
                      {t('recovery.moveAside')}
                    </Button>
                  </Group>
                </>
              )}
              {working && (
                <Group gap="xs" role="status">
                  <Loader size="sm" />
                  <Text size="sm">{t('recovery.working')}</Text>
                </Group>
              )}
              {!!error && <Alert color="red">{errorText(t, error)}</Alert>}
              <Text size="xs" c="dimmed">
                {t('recovery.cli')} <Code>{health?.restoreCommand}</Code>
              </Text>
            </>
          )}
        </Stack>
      </Paper>
    </Center>
  );
}
