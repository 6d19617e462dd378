import { useEffect, useMemo, useRef } from 'react';
import { Alert, Badge, Button, Group, Kbd, Loader, Paper, Stack, Text, Title, Tooltip } from '@mantine/core';
import { IconBook2, IconEyeOff, IconListDetails, IconWand } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { AdjudicationFilter } from '../../../../shared/contract/adjudication';
import type { LabelSchema } from '../../../../shared/domain/labelSchema';
import { errorText } from '../../app/errors';
import { useKeyLabel } from '../../commands/hooks';
import { nothingFocused } from '../../commands/rows';
import { AutoResolveModal } from './AutoResolveModal';
import { CountsBar } from './CountsBar';
import { FieldPanel } from './FieldPanel';
import { FieldTable } from './FieldTable';
import { GuidelineAside } from './GuidelineAside';
import { ItemTexts } from './ItemTexts';
import { NoticeBar } from './NoticeBar';
import { ReasonPicker } from './ReasonPicker';
import { fieldTitle } from './format';
import { needsReason } from './fields';
import { useAdjudication } from './store';
import { useAdjudicationCommands } from './useAdjudicationCommands';
import classes from './Adjudication.module.css';

interface Props {
  projectId: string;
  projectName: string;
  reviewerId: string;
  schema: LabelSchema;
  filter: AdjudicationFilter;
  startItemId?: string | undefined;
  onBack(): void;
}

/**
 * One disputed item at a time, decided entirely from the keyboard: the versions side by side (their
 * spans over the text, one colour per version), each field with its agreement, the decision being
 * made, and the keys to take a version, the pre-fill, reject or edit spans, give a reason and commit.
 */
export function AdjudicationView({ projectId, projectName, reviewerId, schema, filter, startItemId, onBack }: Props) {
  const { t, i18n } = useTranslation();
  const st = useAdjudication();
  const card = useRef<HTMLDivElement>(null);
  useAdjudicationCommands(schema, { back: onBack });

  useEffect(() => {
    void useAdjudication.getState().open({ projectId, reviewerId, schema, filter, startItemId });
  }, [projectId, reviewerId, schema, filter, startItemId]);

  const shownId = st.item?.itemId;
  useEffect(() => {
    if (shownId && nothingFocused()) card.current?.focus({ preventScroll: true });
  }, [shownId]);

  const keys = {
    commit: useKeyLabel('labeling.submit'),
    undo: useKeyLabel('labeling.undo'),
    reason: useKeyLabel('adjudication.reason'),
    prefill: useKeyLabel('adjudication.prefill'),
    reject: useKeyLabel('adjudication.reject'),
    edit: useKeyLabel('adjudication.edit'),
    editDone: useKeyLabel('adjudication.editDone'),
    flag: useKeyLabel('adjudication.flag'),
    guideline: useKeyLabel('adjudication.guideline'),
    auto: useKeyLabel('adjudication.auto'),
    queue: useKeyLabel('adjudication.queue'),
    next: useKeyLabel('adjudication.nextItem'),
    prev: useKeyLabel('adjudication.prevItem'),
    nextField: useKeyLabel('adjudication.nextField'),
    prevField: useKeyLabel('adjudication.prevField'),
    help: useKeyLabel('app.help'),
  };
  const item = st.item;
  const field = st.fields[st.fieldIndex];
  const decision = field ? st.decisions[field.field] : undefined;
  const blind = item?.blind ?? st.settings?.blind ?? true;
  const reasons = st.settings?.reasonCodes ?? [];
  const num = (n: number) => n.toLocaleString(i18n.language);
  const filterChips = useMemo(
    () =>
      [
        filter.state && t(`adjudication.state.${filter.state}`),
        filter.task && t(`adjudication.task.${filter.task}`),
        filter.label,
        filter.annotatorId && t('adjudication.filterAnnotator'),
      ].filter((x): x is string => !!x),
    [filter, t],
  );
  const first = (k: string) => k.split(' / ')[0] ?? k;

  return (
    <Stack gap="sm" h="100%" style={{ minHeight: 0 }} data-testid="adjudication-view">
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <div style={{ minWidth: 0 }}>
          <Group gap="xs" wrap="nowrap">
            <Title order={3} lineClamp={1}>
              {t('adjudication.title')}
            </Title>
            {blind && (
              <Tooltip label={t('adjudication.blindHelp')}>
                <Badge variant="light" color="gray" leftSection={<IconEyeOff size={12} />} data-testid="blind-badge">
                  {t('adjudication.blind')}
                </Badge>
              </Tooltip>
            )}
            {filterChips.map((c) => (
              <Badge key={c} variant="outline" size="sm">
                {c}
              </Badge>
            ))}
          </Group>
          <Group gap="xs" mt={2}>
            <Text size="sm" c="dimmed" lineClamp={1}>
              {projectName}
            </Text>
            <Text size="sm" c="dimmed" data-testid="adjudication-session">
              · {t('adjudication.session', { n: num(st.committed) })}
            </Text>
            {st.busy > 0 ? (
              <Loader size={12} aria-label={t('adjudication.saving')} />
            ) : (
              <Badge size="xs" variant="light" color="teal">
                {t('adjudication.saved')}
              </Badge>
            )}
          </Group>
        </div>
        <Group gap="xs" wrap="nowrap">
          <CountsBar counts={st.counts} />
          <Button size="xs" variant="default" leftSection={<IconListDetails size={14} />} rightSection={<Kbd size="xs">{keys.queue}</Kbd>} onClick={onBack}>
            {t('adjudication.toQueue')}
          </Button>
          <Button
            size="xs"
            variant="default"
            leftSection={<IconWand size={14} />}
            rightSection={<Kbd size="xs">{keys.auto}</Kbd>}
            onClick={() => st.setDialog('auto')}
          >
            {t('adjudication.auto.open')}
          </Button>
          <Button
            size="xs"
            variant={st.guidelineOpen ? 'light' : 'default'}
            leftSection={<IconBook2 size={14} />}
            rightSection={<Kbd size="xs">{keys.guideline}</Kbd>}
            onClick={st.toggleGuideline}
            aria-pressed={st.guidelineOpen}
          >
            {t('adjudication.guideline.button')}
          </Button>
          <Tooltip label={t('adjudication.helpHint', { key: keys.help })}>
            <Kbd>{keys.help}</Kbd>
          </Tooltip>
        </Group>
      </Group>

      <NoticeBar />
      {!!st.error && (
        <Alert color="red" withCloseButton onClose={st.dismiss} data-testid="adjudication-error">
          {errorText(t, st.error)}
        </Alert>
      )}

      {st.finished && !item && (
        <Paper withBorder p="xl" radius="md" data-testid="adjudication-finished" ref={card} tabIndex={-1} className={classes.itemCard}>
          <Text ta="center" fw={600}>
            {t('adjudication.finished')}
          </Text>
          <Text ta="center" c="dimmed" size="sm">
            {t('adjudication.finishedHelp', { queue: keys.queue, auto: keys.auto, prev: first(keys.prev) })}
          </Text>
        </Paper>
      )}
      {!item && !st.finished && <Loader />}

      {item && st.model && field && (
        <Group align="flex-start" gap="md" wrap="nowrap" style={{ flex: 1, minHeight: 0, overflowY: 'auto' }}>
          <Stack gap="sm" style={{ flex: 3, minWidth: 0 }}>
            <Paper
              ref={card}
              withBorder
              p="md"
              radius="md"
              className={classes.itemCard}
              tabIndex={-1}
              role="region"
              aria-label={t('adjudication.itemLabel', { ord: num(item.ord) })}
              data-testid="adjudication-item"
              data-item-id={item.itemId}
            >
              <ItemTexts schema={schema} />
            </Paper>
            <FieldTable text={item.text} />
          </Stack>
          <Stack gap="sm" style={{ flex: 1.3, minWidth: 300 }}>
            <FieldPanel keys={keys} />
            {st.guidelineOpen && <GuidelineAside projectId={projectId} />}
          </Stack>
        </Group>
      )}

      <Group gap="lg" className={classes.hints} data-testid="adjudication-hints">
        {(st.editing
          ? [
              ['Shift+←→', t('adjudication.hints.select')],
              [t('adjudication.hints.entityKeys'), t('adjudication.hints.label')],
              ['Tab', t('adjudication.hints.spans')],
              ['Alt+←→', t('adjudication.hints.boundaries')],
              ['Del', t('adjudication.hints.delete')],
              [keys.editDone, t('adjudication.hints.editDone')],
            ]
          : [
              ['1–9', t('adjudication.hints.take')],
              [keys.prefill, t('adjudication.hints.prefill')],
              [`${first(keys.prevField)}${first(keys.nextField)}`, t('adjudication.hints.fields')],
              [`${first(keys.next)}/${first(keys.prev)}`, t('adjudication.hints.items')],
              [keys.reject, t('adjudication.hints.reject')],
              [keys.edit, t('adjudication.hints.edit')],
              [keys.reason, t('adjudication.hints.reason')],
              [keys.commit, t('adjudication.hints.commit')],
              [keys.flag, t('adjudication.hints.flag')],
              [keys.undo, t('adjudication.hints.undo')],
              [keys.help, t('adjudication.hints.help')],
            ]
        ).map(([key, label]) => (
          <Group key={label} gap={4} wrap="nowrap">
            <Kbd size="xs">{key}</Kbd>
            <Text size="xs" c="dimmed">
              {label}
            </Text>
          </Group>
        ))}
      </Group>

      <ReasonPicker
        opened={st.dialog === 'reason' && !!field}
        fieldTitle={field && item ? fieldTitle(t, field, item.text) : ''}
        reasons={reasons}
        current={decision ? { reasonCode: decision.reasonCode, note: decision.note } : null}
        required={!!field && !!decision && needsReason(field, decision.value) && !decision.reasonCode}
        onPick={(code, note) => st.setReason(code, note)}
        onClose={st.closeDialog}
      />
      <AutoResolveModal
        opened={st.dialog === 'auto'}
        projectId={projectId}
        onClose={st.closeDialog}
        onApplied={() => void useAdjudication.getState().refreshCounts()}
      />
    </Stack>
  );
}
