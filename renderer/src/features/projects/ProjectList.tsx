import { useEffect, useState } from 'react';
import { Alert, Badge, Button, Group, Kbd, Paper, Progress, Stack, Table, Text, Title } from '@mantine/core';
import { command, useCommands, useKeyLabel, useRowList, useScope } from '../../commands';
import { IconPlus } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { notifications } from '@mantine/notifications';
import { useNavigation } from '../../app/store';
import { errorText } from '../../app/errors';
import { useProjects } from './store';
import { ProjectFormModal } from './ProjectFormModal';
import { OpenPackButton } from '../packs/OpenPackButton';

/** All projects; the first (or the one come back from) is selected with focus; arrow keys move, Enter opens, N creates. */
export function ProjectList() {
  const { t, i18n } = useTranslation();
  const { projects, loaded, error, load, create } = useProjects();
  const go = useNavigation((s) => s.go);
  const [creating, setCreating] = useState(false);
  const open = (index: number) => {
    const project = projects[index];
    if (project) go({ name: 'project', projectId: project.id });
  };
  const list = useRowList({ id: 'projects', count: projects.length, keyOf: (i) => projects[i]!.id, onOpen: open });

  useEffect(() => {
    void load();
  }, [load]);
  useScope('projects');
  useCommands([command('projects.new', () => setCreating(true))]);
  const newKey = useKeyLabel('projects.new');

  const dateFormat = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium' });

  return (
    <Stack gap="md" maw={1100} mx="auto" w="100%">
      <Group justify="space-between">
        <Title order={2}>{t('projects.title')}</Title>
        <Group gap="xs">
          <OpenPackButton onOpened={() => void load()} />
          <Button leftSection={<IconPlus size={16} />} rightSection={newKey ? <Kbd size="xs">{newKey}</Kbd> : null} onClick={() => setCreating(true)}>
            {t('projects.new')}
          </Button>
        </Group>
      </Group>
      {!!error && <Alert color="red">{errorText(t, error)}</Alert>}
      {loaded && projects.length === 0 && !error && (
        <Paper withBorder p="xl" radius="md">
          <Text c="dimmed" ta="center">
            {t('projects.empty')}
          </Text>
        </Paper>
      )}
      {projects.length > 0 && (
        <Paper withBorder radius="md">
          <Table
            highlightOnHover
            verticalSpacing="sm"
            horizontalSpacing="md"
            data-testid="project-table"
            role="grid"
            aria-label={t('projects.title')}
          >
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('projects.name')}</Table.Th>
                <Table.Th w={110} ta="right">
                  {t('projects.items')}
                </Table.Th>
                <Table.Th w={200}>{t('projects.annotated')}</Table.Th>
                <Table.Th w={110}>{t('projects.schemaVersion')}</Table.Th>
                <Table.Th w={140}>{t('projects.created')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody {...list.listProps}>
              {projects.map((p, i) => {
                const share = p.itemCount ? p.annotatedCount / p.itemCount : 0;
                return (
                  <Table.Tr key={p.id} {...list.rowProps(i)} data-project-name={p.name} style={{ cursor: 'pointer' }} onClick={() => open(i)}>
                    <Table.Td>
                      <Text fw={600}>{p.name}</Text>
                      {p.description && (
                        <Text size="sm" c="dimmed" lineClamp={1}>
                          {p.description}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td ta="right" ff="monospace">
                      {p.itemCount.toLocaleString(i18n.language)}
                    </Table.Td>
                    <Table.Td>
                      <Group gap="xs" wrap="nowrap">
                        <Progress value={share * 100} w={110} size="sm" aria-label={t('projects.annotated')} />
                        <Text size="sm" ff="monospace">
                          {p.annotatedCount.toLocaleString(i18n.language)}
                        </Text>
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <Badge variant="light">v{p.schemaVersion}</Badge>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{dateFormat.format(new Date(p.createdAt))}</Text>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Paper>
      )}
      <ProjectFormModal
        opened={creating}
        onClose={() => setCreating(false)}
        onSubmit={async (input) => {
          const project = await create(input);
          notifications.show({ color: 'teal', message: t('projects.created_ok', { name: project.name }) });
          go({ name: 'project', projectId: project.id });
        }}
      />
    </Stack>
  );
}
