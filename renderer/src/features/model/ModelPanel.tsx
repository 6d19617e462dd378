import { useEffect, useState } from 'react';
import { Badge, Button, Group, Kbd, Paper, Progress, Stack, Text, Tooltip } from '@mantine/core';
import { IconGitCompare, IconSparkles } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { ModelStatusView, ModelVersion, PrelabelStatus } from '../../../../shared/contract/schemas';
import { command, useCommands, useKeyLabel } from '../../commands';
import { call, subscribe } from '../../ipc/client';
import { errorText } from '../../app/errors';
import { CompareModal, comparableTasks } from './CompareModal';
import { ModelSettingsModal } from './ModelSettingsModal';
import { DictionaryModal } from './DictionaryModal';

interface Props {
  projectId: string;
  /** Called when a run finishes, so item views can refetch their suggestions. */
  onFinished(): void;
}

/** The local model: its status, the trained versions, and a pre-labeling run with progress. */
export function ModelPanel({ projectId, onFinished }: Props) {
  const { t } = useTranslation();
  const [model, setModel] = useState<ModelStatusView | null>(null);
  const [versions, setVersions] = useState<ModelVersion[]>([]);
  const [run, setRun] = useState<PrelabelStatus | null>(null);
  const [dialog, setDialog] = useState<'settings' | 'dictionary' | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [comparing, setComparing] = useState(false);
  const key = useKeyLabel('items.prelabel');

  useEffect(() => {
    call('models.status', {}).then(setModel, setError);
    call('models.versions', { projectId }).then(setVersions, setError);
    call('prelabel.get', { projectId }).then(setRun, setError);
    return subscribe('prelabel.progress', (s) => {
      if (s.projectId !== projectId) return;
      setRun(s);
      if (s.state !== 'running') {
        call('models.versions', { projectId }).then(setVersions, setError);
        if (s.state === 'finished') onFinished();
      }
    });
  }, [projectId, onFinished]);

  const running = run?.state === 'running';
  const start = () => {
    setError(null);
    call('prelabel.start', { projectId }).then(setRun, setError);
  };
  useCommands([command('items.prelabel', start, () => model?.state === 'ready' && !running)]);
  const latest = (['intents', 'sentiment', 'entities'] as const).map((task) => versions.find((v) => v.task === task)).filter((v) => !!v);
  const canCompare = comparableTasks(versions).length > 0;

  return (
    <Paper withBorder radius="md" p="sm" data-testid="model-panel">
      <Group justify="space-between" wrap="nowrap">
        <Group gap="xs" wrap="nowrap">
          <Text fw={600} size="sm">
            {t('model.title')}
          </Text>
          {model && (
            <Tooltip label={model.message} multiline w={360}>
              <Badge color={model.state === 'ready' ? 'teal' : 'red'} variant="light" data-testid="model-state">
                {model.modelId} · {t(`model.${model.state}`)}
              </Badge>
            </Tooltip>
          )}
          {latest.map((v) => (
            <Badge key={v.id} variant="outline" color="gray">
              {t('model.version', {
                task: t(`model.task_${v.task}`),
                version: v.version,
                source: t(`model.source_${String(v.metrics.source ?? 'supervised')}`),
                n: v.trainedOn,
              })}
            </Badge>
          ))}
          {!latest.length && model?.state === 'ready' && (
            <Text size="xs" c="dimmed">
              {t('model.noVersions')}
            </Text>
          )}
        </Group>
        <Group gap="xs" wrap="nowrap">
          <Button size="xs" variant="subtle" onClick={() => setDialog('dictionary')} data-testid="dictionary-open">
            {t('model.dictionary')}
          </Button>
          <Button size="xs" variant="subtle" onClick={() => setDialog('settings')}>
            {t('model.settings')}
          </Button>
          {canCompare && (
            <Button
              size="xs"
              variant="default"
              leftSection={<IconGitCompare size={14} />}
              disabled={model?.state !== 'ready'}
              onClick={() => setComparing(true)}
              data-testid="compare-open"
            >
              {t('compare.open')}
            </Button>
          )}
          {running ? (
            <Button size="xs" variant="light" color="red" onClick={() => call('prelabel.cancel', { projectId }).then(setRun, setError)}>
              {t('model.cancel')}
            </Button>
          ) : (
            <Button
              size="xs"
              variant="light"
              color="grape"
              leftSection={<IconSparkles size={14} />}
              rightSection={key ? <Kbd size="xs">{key}</Kbd> : null}
              disabled={model?.state !== 'ready'}
              onClick={start}
              data-testid="prelabel-start"
            >
              {t('model.prelabel')}
            </Button>
          )}
        </Group>
      </Group>
      <CompareModal projectId={projectId} versions={versions} opened={comparing} onClose={() => setComparing(false)} />
      <ModelSettingsModal opened={dialog === 'settings'} model={model} onClose={() => setDialog(null)} onChanged={setModel} />
      <DictionaryModal opened={dialog === 'dictionary'} projectId={projectId} onClose={() => setDialog(null)} />
      {run && (
        <Stack gap={4} mt="xs" data-testid="prelabel-status" data-state={run.state}>
          {running && <Progress value={run.total ? (run.done / run.total) * 100 : 5} animated striped size="sm" aria-label={t('model.prelabel')} />}
          <Text size="xs" c={run.state === 'failed' ? 'red' : 'dimmed'}>
            {running
              ? t(run.phase === 'training' ? 'model.phase_training' : 'model.phase_suggesting', { done: run.done, total: run.total })
              : run.state === 'finished'
                ? t('model.finished', { suggestions: run.suggestions, versions: run.versions.join(', ') })
                : run.state === 'cancelled'
                  ? t('model.cancelled')
                  : t('model.failed', { error: run.error ?? '' })}
          </Text>
        </Stack>
      )}
      {!!error && (
        <Text size="xs" c="red" mt={4}>
          {errorText(t, error)}
        </Text>
      )}
    </Paper>
  );
}
