import { useCallback, useEffect, useState } from 'react';
import { Alert, Badge, Button, Group, Kbd, Loader, Stack, Text, Title } from '@mantine/core';
import { command, useCommands, useKeyLabel, useScope } from '../../commands';
import { useNavigation } from '../../app/store';
import { notifications } from '@mantine/notifications';
import { IconChartBar, IconFileImport, IconPackageExport, IconPencil, IconTags } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../app/errors';
import { ItemTable } from '../items/ItemTable';
import { ItemDrawer } from '../items/ItemDrawer';
import { ImportDialog } from '../imports/ImportDialog';
import { ExportDialog } from '../export/ExportDialog';
import { PackBanner } from '../packs/PackBanner';
import { ModelPanel } from '../model/ModelPanel';
import { LayeredReviewPanel } from '../model/LayeredReviewPanel';
import { useAnnotators } from '../annotators/store';
import { ProjectFormModal } from './ProjectFormModal';
import { ProjectLinks } from '../guideline/ProjectLinks';
import { AdjudicationEntry } from '../adjudication/AdjudicationEntry';
import { useProjects } from './store';

/** One project: its items, import, and its label schema. I imports, / searches. */
export function ProjectView({ projectId }: { projectId: string }) {
  const { t, i18n } = useTranslation();
  const { current, open, saveSchema } = useProjects();
  const [error, setError] = useState<unknown>(null);
  const [importing, setImporting] = useState(false);
  const [exporting, setExporting] = useState(false);
  const [editing, setEditing] = useState(false);
  const [openItem, setOpenItem] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const refresh = useCallback(() => setVersion((v) => v + 1), []);
  const annotator = useAnnotators((a) => a.current);

  useEffect(() => {
    open(projectId).catch(setError);
  }, [projectId, open]);
  const go = useNavigation((n) => n.go);
  useScope('items');
  useCommands([
    command('items.import', () => setImporting(true)),
    command('items.export', () => setExporting(true)),
    command('items.label', () => go({ name: 'labeling', projectId })),
    command('items.reports', () => go({ name: 'reports', projectId })),
  ]);
  const importKey = useKeyLabel('items.import');
  const exportKey = useKeyLabel('items.export');
  const labelKey = useKeyLabel('items.label');
  const reportsKey = useKeyLabel('items.reports');

  if (error) return <Alert color="red">{errorText(t, error)}</Alert>;
  if (!current || current.id !== projectId) return <Loader />;

  return (
    <Stack gap="md" h="100%" style={{ minHeight: 0 }}>
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={2} data-testid="project-title">
            {current.name}
          </Title>
          <Group gap="xs" mt={4}>
            <Badge variant="light">{t('items.count', { n: current.itemCount.toLocaleString(i18n.language) })}</Badge>
            <Badge variant="light" color="teal">
              {t('projects.annotated')} {current.annotatedCount.toLocaleString(i18n.language)}
            </Badge>
            <Badge variant="outline" color="gray">
              {t('projects.schemaVersion')} v{current.schemaVersion}
            </Badge>
            <Text size="sm" c="dimmed">
              {current.schema.intents.labels.length} {t('schema.intents')} · {current.schema.entities.types.length} {t('schema.entities')} ·{' '}
              {current.schema.sentiment.levels.length} {t('schema.sentiment')}
            </Text>
          </Group>
        </div>
        <Group gap="xs">
          <ProjectLinks projectId={projectId} />
          <AdjudicationEntry projectId={projectId} />
          <Button variant="default" leftSection={<IconTags size={16} />} onClick={() => setEditing(true)}>
            {t('projects.editSchema')}
          </Button>
          <Button
            variant="default"
            leftSection={<IconFileImport size={16} />}
            rightSection={importKey ? <Kbd size="xs">{importKey}</Kbd> : null}
            onClick={() => setImporting(true)}
          >
            {t('imports.open')}
          </Button>
          <Button
            variant="default"
            leftSection={<IconPackageExport size={16} />}
            rightSection={exportKey ? <Kbd size="xs">{exportKey}</Kbd> : null}
            onClick={() => setExporting(true)}
            data-testid="open-export"
          >
            {t('export.open')}
          </Button>
          <Button
            variant="default"
            leftSection={<IconChartBar size={16} />}
            rightSection={reportsKey ? <Kbd size="xs">{reportsKey}</Kbd> : null}
            onClick={() => go({ name: 'reports', projectId })}
            data-testid="open-reports"
          >
            {t('reports.open')}
          </Button>
          <Button
            leftSection={<IconPencil size={16} />}
            rightSection={labelKey ? <Kbd size="xs">{labelKey}</Kbd> : null}
            onClick={() => go({ name: 'labeling', projectId })}
            data-testid="start-labeling"
          >
            {t('labeling.start')}
          </Button>
        </Group>
      </Group>
      {annotator && <PackBanner projectId={projectId} annotatorId={annotator.id} version={version} />}
      <ModelPanel projectId={projectId} onFinished={refresh} />
      {annotator && <LayeredReviewPanel projectId={projectId} annotatorId={annotator.id} version={version} onAccepted={refresh} />}
      <ItemTable projectId={projectId} version={version} onOpen={setOpenItem} />
      <ItemDrawer itemId={openItem} schema={current.schema} onClose={() => setOpenItem(null)} />
      <ImportDialog
        opened={importing}
        projectId={projectId}
        onClose={() => setImporting(false)}
        onCommitted={() => {
          setVersion((v) => v + 1);
          void open(projectId);
        }}
      />
      <ExportDialog opened={exporting} projectId={projectId} onClose={() => setExporting(false)} />
      <ProjectFormModal
        opened={editing}
        project={current}
        onClose={() => setEditing(false)}
        onSubmit={async ({ schema }) => {
          const saved = await saveSchema(projectId, schema);
          notifications.show({ color: 'teal', message: t('projects.schemaSaved', { version: saved.schemaVersion }) });
        }}
      />
    </Stack>
  );
}
