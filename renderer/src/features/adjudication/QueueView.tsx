import { useEffect, useState } from 'react';
import { Alert, Badge, Button, Group, Kbd, Loader, Paper, Progress, Select, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { IconEyeOff, IconPlayerPlay, IconWand } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { AdjudicationFilter, AdjudicationState, AdjudicationTask } from '../../../../shared/contract/adjudication';
import type { LabelSchema } from '../../../../shared/domain/labelSchema';
import { errorText } from '../../app/errors';
import { useNavigation } from '../../app/store';
import { useCommands, useKeyLabel, useRowList, useScope } from '../../commands';
import type { Command } from '../../commands/types';
import { AutoResolveModal } from './AutoResolveModal';
import { CountsBar, STATE_COLORS, STATES } from './CountsBar';
import { useAdjudicationQueue } from './queueStore';

interface Props {
  projectId: string;
  projectName: string;
  schema: LabelSchema;
}

const TASKS: readonly AdjudicationTask[] = ['intents', 'sentiment', 'entities'];
const ALL = '';

/** Blurs the field a filter was chosen in, so the keys go back to the queue's rows. */
const releaseFocus = () => {
  if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
};

/**
 * The adjudication queue of a project: counts per state, filters (state, task, label and, outside
 * blind mode, annotator), the items most disagreed on first. ↑/↓ and Enter open an item, S starts
 * the walk from the top, A opens automatic resolution.
 */
export function QueueView({ projectId, projectName, schema }: Props) {
  const { t, i18n } = useTranslation();
  const go = useNavigation((n) => n.go);
  const st = useAdjudicationQueue();
  const [auto, setAuto] = useState(false);
  const filter = st.filters[projectId] ?? {};
  const rows = st.projectId === projectId ? (st.queue?.rows ?? []) : [];
  const blind = st.settings?.blind ?? true;

  useEffect(() => {
    void useAdjudicationQueue.getState().load(projectId);
  }, [projectId]);

  const start = (startItemId?: string) => go({ name: 'adjudication', projectId, filter, ...(startItemId ? { startItemId } : {}) });
  const list = useRowList({
    id: `adjudication\u0000${projectId}`,
    count: rows.length,
    keyOf: (i) => rows[i]!.itemId,
    onOpen: (i) => start(rows[i]!.itemId),
  });

  useScope('items');
  const cmd = (id: string, keys: string[], run: () => void): Command => ({
    id: `adjudication.${id}`,
    titleKey: `adjudication.commands.${id}`,
    keys,
    scope: 'items',
    group: 'items',
    run,
  });
  useCommands([cmd('start', ['s'], () => start()), cmd('queueAuto', ['a'], () => setAuto(true))]);
  const startKey = useKeyLabel('adjudication.start');
  const autoKey = useKeyLabel('adjudication.queueAuto');

  const setFilter = (next: AdjudicationFilter) => {
    releaseFocus();
    void st.setFilter(projectId, Object.fromEntries(Object.entries(next).filter(([, v]) => v !== undefined && v !== ALL)) as AdjudicationFilter);
  };
  const labelData = [
    { group: t('adjudication.task.intents'), items: schema.intents.labels.map((l) => l.name) },
    { group: t('adjudication.task.sentiment'), items: schema.sentiment.levels.map((l) => l.name) },
    { group: t('adjudication.task.entities'), items: schema.entities.types.map((e) => e.name) },
  ].filter((g) => g.items.length > 0);
  const num = (n: number) => n.toLocaleString(i18n.language);
  const total = st.queue?.total ?? 0;

  return (
    <Stack gap="md" h="100%" style={{ minHeight: 0 }} data-testid="adjudication-queue">
      <Group justify="space-between" align="flex-start" wrap="wrap">
        <div>
          <Title order={2}>{t('adjudication.queue.title')}</Title>
          <Group gap="xs" mt={4}>
            <Text c="dimmed" size="sm">
              {projectName}
            </Text>
            {blind && (
              <Tooltip label={t('adjudication.blindHelp')}>
                <Badge variant="light" color="gray" leftSection={<IconEyeOff size={12} />} data-testid="blind-badge">
                  {t('adjudication.blind')}
                </Badge>
              </Tooltip>
            )}
          </Group>
        </div>
        <Group gap="xs">
          <Button
            variant="default"
            leftSection={<IconWand size={16} />}
            rightSection={autoKey ? <Kbd size="xs">{autoKey}</Kbd> : null}
            onClick={() => setAuto(true)}
            data-testid="open-auto"
          >
            {t('adjudication.auto.open')}
          </Button>
          <Button
            leftSection={<IconPlayerPlay size={16} />}
            rightSection={startKey ? <Kbd size="xs">{startKey}</Kbd> : null}
            onClick={() => start()}
            data-testid="start-adjudication"
          >
            {t('adjudication.queue.start')}
          </Button>
        </Group>
      </Group>

      <Group justify="space-between" wrap="wrap" gap="sm">
        <CountsBar counts={st.queue?.counts ?? null} active={filter.state} />
        <Group gap={6} wrap="nowrap" data-testid="adjudication-filters">
          <Select
            size="xs"
            w={130}
            aria-label={t('adjudication.queue.filterState')}
            allowDeselect={false}
            value={filter.state ?? ALL}
            data={[{ value: ALL, label: t('adjudication.queue.anyState') }, ...STATES.map((s) => ({ value: s, label: t(`adjudication.state.${s}`) }))]}
            onChange={(v) => setFilter({ ...filter, state: (v || undefined) as AdjudicationState | undefined })}
          />
          <Select
            size="xs"
            w={130}
            aria-label={t('adjudication.queue.filterTask')}
            allowDeselect={false}
            value={filter.task ?? ALL}
            data={[{ value: ALL, label: t('adjudication.queue.anyTask') }, ...TASKS.map((k) => ({ value: k, label: t(`adjudication.task.${k}`) }))]}
            onChange={(v) => setFilter({ ...filter, task: (v || undefined) as AdjudicationTask | undefined })}
          />
          <Select
            size="xs"
            w={150}
            aria-label={t('adjudication.queue.filterLabel')}
            placeholder={t('adjudication.queue.anyLabel')}
            clearable
            searchable
            value={filter.label ?? null}
            data={labelData}
            onChange={(v) => setFilter({ ...filter, label: v ?? undefined })}
          />
          {blind ? (
            <Tooltip label={t('adjudication.queue.blindNoAnnotator')}>
              <div>
                <Select size="xs" w={150} disabled aria-label={t('adjudication.queue.blindNoAnnotator')} placeholder={t('adjudication.queue.anyAnnotator')} data={[]} value={null} />
              </div>
            </Tooltip>
          ) : (
            <Select
              size="xs"
              w={150}
              aria-label={t('adjudication.queue.filterAnnotator')}
              placeholder={t('adjudication.queue.anyAnnotator')}
              clearable
              searchable
              value={filter.annotatorId ?? null}
              data={(st.annotators ?? []).map((a) => ({ value: a.id, label: a.name }))}
              onChange={(v) => setFilter({ ...filter, annotatorId: v ?? undefined })}
            />
          )}
        </Group>
      </Group>

      {!!st.error && <Alert color="red">{errorText(t, st.error)}</Alert>}
      {st.loading && !st.queue && <Loader />}
      {st.queue && rows.length === 0 && (
        <Paper withBorder p="xl" radius="md" data-testid="queue-empty">
          <Text ta="center" fw={600}>
            {t('adjudication.queue.empty')}
          </Text>
          <Text ta="center" c="dimmed" size="sm">
            {t('adjudication.queue.emptyHelp')}
          </Text>
        </Paper>
      )}
      {rows.length > 0 && (
        <Paper withBorder radius="md" style={{ flex: 1, minHeight: 0, overflowY: 'auto' }}>
          <Table
            highlightOnHover
            stickyHeader
            verticalSpacing={6}
            horizontalSpacing="md"
            role="grid"
            aria-label={t('adjudication.queue.title')}
            data-testid="adjudication-queue-table"
          >
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={90}>{t('adjudication.queue.item')}</Table.Th>
                <Table.Th>{t('adjudication.queue.text')}</Table.Th>
                <Table.Th w={120}>{t('adjudication.queue.state')}</Table.Th>
                <Table.Th w={170}>{t('adjudication.queue.disagreement')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody {...list.listProps}>
              {rows.map((row, i) => (
                <Table.Tr key={row.itemId} {...list.rowProps(i)} data-ord={row.ord} data-state={row.state} style={{ cursor: 'pointer' }} onClick={() => start(row.itemId)}>
                  <Table.Td ff="monospace">#{num(row.ord)}</Table.Td>
                  <Table.Td maw={560}>
                    <Text size="sm" lineClamp={1} title={row.text}>
                      {row.text}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={STATE_COLORS[row.state]}>
                      {t(`adjudication.state.${row.state}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={8} wrap="nowrap">
                      <Progress value={row.score * 100} color={row.score > 0 ? 'orange' : 'teal'} size="sm" w={90} aria-hidden />
                      <Text size="xs" ff="monospace">
                        {row.score.toFixed(2)}
                      </Text>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      )}
      <Text size="xs" c="dimmed">
        {total > rows.length ? t('adjudication.queue.showing', { shown: num(rows.length), total: num(total) }) : t('adjudication.queue.total', { total: num(total) })}
        {' · '}
        {t('adjudication.queue.keysHint', { start: startKey, auto: autoKey })}
      </Text>
      <AutoResolveModal opened={auto} projectId={projectId} onClose={() => setAuto(false)} onApplied={() => void useAdjudicationQueue.getState().load(projectId)} />
    </Stack>
  );
}
