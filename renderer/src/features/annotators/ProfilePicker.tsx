import { useEffect, useRef, useState } from 'react';
import { ActionIcon, Alert, Avatar, Badge, Button, Center, Group, Kbd, Paper, Stack, Text, TextInput, Title, Tooltip, UnstyledButton } from '@mantine/core';
import { IconShieldCheck, IconUserPlus } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../app/errors';
import { nothingFocused, useCommands, useKeyLabel, useRowList } from '../../commands';
import type { Annotator } from '../../../../shared/contract/schemas';
import { RolesModal } from './RolesModal';
import { useAnnotators } from './store';
import classes from './ProfilePicker.module.css';

/**
 * The first screen: who is labeling? The profiles are a keyboard list (the last one chosen selected,
 * ↑/↓, Enter picks; ↓ past the last one goes to the name field); typing a name and Enter makes one.
 */
export function ProfilePicker() {
  const { t } = useTranslation();
  const { annotators, choose, create } = useAnnotators();
  const [name, setName] = useState('');
  const [error, setError] = useState<unknown>(null);
  const input = useRef<HTMLInputElement>(null);
  const [editingRoles, setEditingRoles] = useState<Annotator | null>(null);
  const list = useRowList({
    id: 'profiles',
    count: annotators.length,
    keyOf: (i) => annotators[i]!.id,
    onOpen: (i) => choose(annotators[i]!),
    onExitBottom: () => input.current?.focus(),
  });

  // E on a profile: its roles (a reviewer adjudicates disagreements).
  useCommands([
    {
      id: 'annotators.editRoles',
      titleKey: 'adjudication.commands.editRoles',
      keys: ['e'],
      scope: 'lists',
      group: 'rows',
      run: () => setEditingRoles(annotators[list.selected] ?? null),
      when: () => annotators.length > 0,
    },
  ]);
  const rolesKey = useKeyLabel('annotators.editRoles');

  // No profile yet: the name field is where the keys go.
  useEffect(() => {
    if (!annotators.length && nothingFocused()) input.current?.focus();
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
            <Stack gap={6} role="listbox" aria-label={t('annotators.profiles')} {...list.listProps}>
              {annotators.map((a, i) => {
                const rowProps = list.rowProps(i);
                return (
                  <UnstyledButton
                    key={a.id}
                    {...rowProps}
                    className={`${classes.profile} ${rowProps.className ?? ''}`}
                    role="option"
                    onClick={() => choose(a)}
                  >
                    <Group gap="sm" wrap="nowrap">
                      <Avatar color="indigo" radius="xl">
                        {[...a.name][0]}
                      </Avatar>
                      <Text fw={600} style={{ flex: 1 }}>
                        {a.name}
                      </Text>
                      {(a.roles ?? [])
                        .filter((r) => r !== 'annotator')
                        .map((r) => (
                          <Badge key={r} size="sm" variant="light" color={r === 'lead' ? 'grape' : 'teal'} data-role={r}>
                            {t(`adjudication.roles.${r}`)}
                          </Badge>
                        ))}
                      <Tooltip label={`${t('adjudication.commands.editRoles')} (${rolesKey})`}>
                        <ActionIcon
                          component="span"
                          variant="subtle"
                          color="gray"
                          tabIndex={-1}
                          aria-label={t('adjudication.commands.editRoles')}
                          onClick={(e: React.MouseEvent) => {
                            e.stopPropagation();
                            setEditingRoles(a);
                          }}
                        >
                          <IconShieldCheck size={16} />
                        </ActionIcon>
                      </Tooltip>
                    </Group>
                  </UnstyledButton>
                );
              })}
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
                // The field's own key (the registry leaves keys typed in text fields alone): back up to the profiles.
                if (e.key === 'ArrowUp' && annotators.length) {
                  e.preventDefault();
                  list.focusRow(annotators.length - 1);
                }
              }}
            />
            <Button type="submit" leftSection={<IconUserPlus size={16} />} disabled={!name.trim()}>
              {t('annotators.create')}
            </Button>
          </Group>
          {!!error && <Alert color="red">{errorText(t, error)}</Alert>}
          {annotators.length > 0 && (
            <Text size="xs" c="dimmed">
              <Kbd size="xs">{rolesKey}</Kbd> {t('adjudication.roles.pickerHint')}
            </Text>
          )}
        </Stack>
      </Paper>
      <RolesModal annotator={editingRoles} onClose={() => setEditingRoles(null)} />
    </Center>
  );
}
