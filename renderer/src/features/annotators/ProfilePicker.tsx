import { useEffect, useRef, useState } from 'react';
import { Alert, Avatar, Button, Center, Group, Paper, Stack, Text, TextInput, Title, UnstyledButton } from '@mantine/core';
import { IconUserPlus } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../app/errors';
import { useAnnotators } from './store';
import classes from './ProfilePicker.module.css';

/** The first screen: who is labeling? Arrow keys and Enter pick a profile; typing a name makes one. */
export function ProfilePicker() {
  const { t } = useTranslation();
  const { annotators, choose, create } = useAnnotators();
  const [name, setName] = useState('');
  const [error, setError] = useState<unknown>(null);
  const buttons = useRef<(HTMLButtonElement | null)[]>([]);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (annotators.length) buttons.current[0]?.focus();
    else input.current?.focus();
  }, [annotators.length]);

  const submit = async () => {
    if (!name.trim()) return;
    try {
      await create(name.trim());
    } catch (e) {
      setError(e);
    }
  };

  return (
    <Center h="100%">
      <Paper withBorder radius="lg" p="xl" w={440} shadow="sm">
        <Stack gap="lg">
          <div>
            <Title order={3}>{t('annotators.who')}</Title>
            <Text c="dimmed" size="sm">
              {t('annotators.whoHelp')}
            </Text>
          </div>
          {annotators.length > 0 && (
            <Stack gap={6} role="listbox" aria-label={t('annotators.profiles')}>
              {annotators.map((a, i) => (
                <UnstyledButton
                  key={a.id}
                  ref={(el) => {
                    buttons.current[i] = el;
                  }}
                  className={classes.profile}
                  role="option"
                  aria-selected={false}
                  onClick={() => choose(a)}
                  onKeyDown={(e) => {
                    if (e.key === 'ArrowDown') (buttons.current[i + 1] ?? input.current)?.focus();
                    else if (e.key === 'ArrowUp') buttons.current[i - 1]?.focus();
                    else return;
                    e.preventDefault();
                  }}
                >
                  <Group gap="sm">
                    <Avatar color="indigo" radius="xl">
                      {[...a.name][0]}
                    </Avatar>
                    <Text fw={600}>{a.name}</Text>
                  </Group>
                </UnstyledButton>
              ))}
            </Stack>
          )}
          <Group
            align="flex-end"
            gap="xs"
            component="form"
            onSubmit={(e: React.FormEvent) => {
              e.preventDefault();
              void submit();
            }}
          >
            <TextInput
              ref={input}
              style={{ flex: 1 }}
              label={t('annotators.newProfile')}
              placeholder={t('annotators.namePlaceholder')}
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              onKeyDown={(e) => {
                if (e.key === 'ArrowUp') buttons.current[annotators.length - 1]?.focus();
              }}
            />
            <Button type="submit" leftSection={<IconUserPlus size={16} />} disabled={!name.trim()}>
              {t('annotators.create')}
            </Button>
          </Group>
          {!!error && <Alert color="red">{errorText(t, error)}</Alert>}
        </Stack>
      </Paper>
    </Center>
  );
}
