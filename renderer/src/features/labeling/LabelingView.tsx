import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Alert, Badge, Button, Group, Kbd, Loader, Paper, Progress, Stack, Text, Title, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconFlag, IconSparkles } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { LabelSchema } from '../../../../shared/domain/labelSchema';
import { useKeyLabel } from '../../commands/hooks';
import { nothingFocused } from '../../commands/rows';
import { errorText } from '../../app/errors';
import { HaltAlert } from './HaltAlert';
import { IntentPanel } from './IntentPanel';
import { SentimentPanel } from './SentimentPanel';
import { IntentPicker } from './IntentPicker';
import { NoteModal } from './NoteModal';
import { JumpModal } from './JumpModal';
import { QueueFilters } from './QueueFilters';
import { ExplainPanel } from './ExplainPanel';
import { call } from '../../ipc/client';
import type { Explanation } from '../../../../shared/contract/schemas';
import type { QueueFilter } from '../../../../shared/contract/schemas';
import { SpanText } from './spans/SpanText';
import { labelingActions } from './actions';
import { useLabeling } from './store';
import { useLabelingCommands } from './useLabelingCommands';
import { useGuidelinePanel } from '../guideline/useGuidelinePanel';
import type { SpanEditError } from './spans/model';
import classes from './Labeling.module.css';

interface Props {
  projectId: string;
  projectName: string;
  annotatorId: string;
  schema: LabelSchema;
  /** The queue to start with (an audit sample, say); the last one used otherwise. */
  filter?: QueueFilter | undefined;
}

type Dialog = 'picker' | 'note' | 'jump' | null;

/**
 * One item at a time, labeled entirely from the keyboard. Its keys work wherever focus is (outside
 * text fields); the item card takes focus when an item shows and nothing else has it, so the view
 * says where the keys go and screen readers read the item.
 */
export function LabelingView({ projectId, projectName, annotatorId, schema, filter }: Props) {
  const { t, i18n } = useTranslation();
  const st = useLabeling();
  const card = useRef<HTMLDivElement>(null);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [explanation, setExplanation] = useState<{ itemId: string; value: Explanation } | null>(null);
  const refused = useCallback(
    (reason: SpanEditError) => notifications.show({ color: 'orange', message: t(`labeling.refused_${reason}`), autoClose: 2000 }),
    [t],
  );
  const dialogs = useMemo(
    () => ({
      openPicker: () => setDialog('picker'),
      openNote: () => setDialog('note'),
      openJump: () => setDialog('jump'),
      explain: () => {
        const item = useLabeling.getState().current;
        if (!item) return;
        call('models.explain', { projectId, itemId: item.item.id }).then(
          (value) => setExplanation({ itemId: item.item.id, value }),
          (error: unknown) => useLabeling.setState({ error }),
        );
      },
      refused,
      dialogOpen: () => document.querySelector('[data-labeling-dialog="open"]') !== null,
    }),
    [refused, projectId],
  );
  useLabelingCommands(schema, dialogs);
  const guideline = useGuidelinePanel(projectId, dialogs.dialogOpen);
  const actions = useMemo(() => labelingActions(refused), [refused]);

  useEffect(() => {
    void useLabeling.getState().open({ projectId, annotatorId, schema, ...(filter ? { filter } : {}) });
  }, [projectId, annotatorId, schema, filter]);

  const shownId = st.current?.item.id;
  const halted = !!st.halted;
  useEffect(() => {
    if (shownId && !halted && nothingFocused()) card.current?.focus({ preventScroll: true });
  }, [shownId, halted]);

  const keyOf = {
    submit: useKeyLabel('labeling.submit'),
    skip: useKeyLabel('labeling.skip'),
    undo: useKeyLabel('labeling.undo'),
    picker: useKeyLabel('labeling.intentPicker'),
    acceptAll: useKeyLabel('labeling.acceptAll'),
    flag: useKeyLabel('labeling.flag'),
    help: useKeyLabel('app.help'),
  };
  const current = st.current;
  const annotation = current?.annotation ?? null;
  const colors = Object.fromEntries(schema.entities.types.map((e) => [e.name, e.color]));
  const suggestedIntents = current?.suggestions.find((s) => s.kind === 'intents');
  const suggestedSentiment = current?.suggestions.find((s) => s.kind === 'sentiment');
  const perHour = st.session.perHour;
  const percent = st.progress.total ? (st.progress.done / st.progress.total) * 100 : 0;
  const num = (n: number) => n.toLocaleString(i18n.language);

  return (
    <Stack gap="sm" h="100%" style={{ minHeight: 0 }} data-testid="labeling-view">
      <Group justify="space-between" wrap="nowrap">
        <div style={{ minWidth: 0 }}>
          <Title order={3} lineClamp={1}>
            {projectName}
          </Title>
          <Group gap="xs">
            <Text size="sm" c="dimmed" data-testid="labeling-progress">
              {t('labeling.progress', { done: num(st.progress.done), total: num(st.progress.total) })}
            </Text>
            <Progress value={percent} w={160} size="sm" aria-label={t('labeling.progressLabel')} />
            <Text size="sm" c="dimmed">
              {t('labeling.perHour', { n: perHour })}
            </Text>
            {st.saving > 0 ? (
              <Loader size={12} aria-label={t('labeling.saving')} />
            ) : halted ? (
              <Badge size="xs" variant="light" color="red" data-testid="labeling-not-saved">
                {t('labeling.notSaved')}
              </Badge>
            ) : (
              <Badge size="xs" variant="light" color="teal">
                {t('labeling.saved')}
              </Badge>
            )}
          </Group>
        </div>
        <Group gap="xs" wrap="nowrap">
          <QueueFilters schema={schema} filter={st.filter} onChange={(f) => void st.setFilter(f)} />
          <Tooltip label={t('labeling.helpHint', { key: keyOf.help })}>
            <Kbd>{keyOf.help}</Kbd>
          </Tooltip>
        </Group>
      </Group>

      <HaltAlert />
      {!!st.error && (
        <Alert color="red" withCloseButton onClose={() => useLabeling.setState({ error: null })}>
          {errorText(t, st.error)}
        </Alert>
      )}

      {st.finished && !current && (
        <Paper withBorder p="xl" radius="md">
          <Text ta="center" fw={600}>
            {t('labeling.finished')}
          </Text>
          <Text ta="center" c="dimmed" size="sm">
            {t('labeling.finishedHelp')}
          </Text>
        </Paper>
      )}
      {!current && !st.finished && <Loader />}

      {current && st.model && (
        <Group align="flex-start" gap="md" wrap="nowrap" style={{ flex: 1, minHeight: 0, overflowY: 'auto' }}>
          <Stack gap="sm" style={{ flex: 2, minWidth: 0 }}>
            {current.context.length > 0 && (
              <Paper withBorder p="sm" radius="md" data-testid="dialogue-context">
                <Text size="xs" c="dimmed" mb={4}>
                  {t('labeling.context')}
                </Text>
                <Stack gap={4} className={classes.context}>
                  {current.context.map((c) => (
                    <Text key={c.ord} size="sm" c="dimmed">
                      {c.text}
                    </Text>
                  ))}
                </Stack>
              </Paper>
            )}
            <Paper
              ref={card}
              withBorder
              p="lg"
              radius="md"
              className={classes.itemCard}
              tabIndex={-1}
              role="region"
              aria-label={t('labeling.item', { ord: num(current.item.ord) })}
              data-testid="item-card"
            >
              <Group justify="space-between" mb="xs">
                <Group gap={6}>
                  <Badge variant="light" data-testid="item-ord">
                    #{num(current.item.ord)}
                  </Badge>
                  {annotation?.status === 'submitted' && <Badge color="teal">{t('items.status_submitted')}</Badge>}
                  {annotation?.status === 'skipped' && <Badge color="gray">{t('items.status_skipped')}</Badge>}
                  {annotation?.flagged && (
                    <Badge color="orange" leftSection={<IconFlag size={12} />}>
                      {annotation.note || t('items.flagged')}
                    </Badge>
                  )}
                </Group>
                {current.suggestions.length > 0 && (
                  <Button
                    size="compact-xs"
                    variant="light"
                    color="grape"
                    leftSection={<IconSparkles size={14} />}
                    rightSection={<Kbd size="xs">{keyOf.acceptAll}</Kbd>}
                    onClick={() => actions.acceptAll()}
                  >
                    {t('labeling.acceptAll')}
                  </Button>
                )}
              </Group>
              <SpanText
                model={st.model}
                spans={annotation?.entities ?? []}
                suggestions={st.pendingSpans}
                state={st.editor}
                colors={colors}
                onSelect={st.setEditor}
                ariaLabel={t('labeling.text')}
              />
              <Group gap={6} mt="md" data-testid="entity-legend">
                {schema.entities.types.map((e) => (
                  <Badge key={e.name} variant="dot" color={e.color} size="sm" rightSection={e.hotkey ? <Kbd size="xs">{e.hotkey}</Kbd> : null}>
                    {e.name}
                  </Badge>
                ))}
              </Group>
            </Paper>
            {explanation && explanation.itemId === current.item.id && <ExplainPanel text={current.item.text} explanation={explanation.value} />}
            {Object.keys(current.item.meta).length > 0 && (
              <Text size="xs" c="dimmed" data-testid="item-meta">
                {Object.entries(current.item.meta)
                  .filter(([k]) => k !== 'dialogue_id' && k !== 'turn')
                  .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
                  .join(' · ')}
              </Text>
            )}
          </Stack>
          <Stack gap="sm" style={{ flex: 1, minWidth: 260 }}>
            <IntentPanel
              schema={schema}
              chosen={annotation?.intents ?? []}
              suggested={
                suggestedIntents && Array.isArray(suggestedIntents.value)
                  ? { names: suggestedIntents.value as string[], score: suggestedIntents.score }
                  : null
              }
              onToggle={actions.toggleIntent}
              pickerKey={keyOf.picker}
            />
            <SentimentPanel
              schema={schema}
              value={annotation?.sentiment ?? null}
              suggested={typeof suggestedSentiment?.value === 'string' ? suggestedSentiment.value : null}
              onChoose={actions.setSentiment}
            />
          </Stack>
          {guideline.panel}
        </Group>
      )}

      <Group gap="lg" className={classes.hints}>
        {[
          [keyOf.submit, t('labeling.hintSubmit')],
          [keyOf.skip, t('labeling.hintSkip')],
          ['Shift+←→', t('labeling.hintSelect')],
          ['Tab', t('labeling.hintSpans')],
          [keyOf.undo, t('labeling.hintUndo')],
          [keyOf.flag, t('labeling.hintFlag')],
          guideline.hint,
          [keyOf.help, t('labeling.hintHelp')],
        ].map(([key, label]) => (
          <Group key={label} gap={4}>
            <Kbd size="xs">{key}</Kbd>
            <Text size="xs" c="dimmed">
              {label}
            </Text>
          </Group>
        ))}
      </Group>

      <div data-labeling-dialog={dialog ? 'open' : 'closed'} hidden />
      <IntentPicker
        opened={dialog === 'picker'}
        schema={schema}
        chosen={annotation?.intents ?? []}
        onChoose={actions.toggleIntent}
        onClose={() => setDialog(null)}
      />
      <NoteModal
        opened={dialog === 'note'}
        flagged={annotation?.flagged ?? false}
        note={annotation?.note ?? ''}
        onSave={(flag) => void st.apply([{ kind: 'flag', value: flag }])}
        onClose={() => setDialog(null)}
      />
      <JumpModal opened={dialog === 'jump'} total={st.progress.total} onJump={st.jump} onClose={() => setDialog(null)} />
    </Stack>
  );
}
