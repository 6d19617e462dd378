import { useEffect, useState } from 'react';
import { Alert, Badge, CloseButton, Group, Kbd, Loader, Paper, ScrollArea, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { IconBook2 } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { Guideline } from '../../../../shared/contract/adjudication';
import { guidelineSection, guidelineSectionByRef } from '../../../../shared/domain/guideline';
import { errorText } from '../../app/errors';
import { call } from '../../ipc/client';
import { Markdown } from './Markdown';

/** What a section is looked up by: a label's name (intent or entity type) or a reference such as "3.2". */
export interface GuidelineTopic {
  kind: 'intent' | 'entity' | 'ref';
  name: string;
  /** An intent the model suggests rather than one the person chose. */
  suggested?: boolean;
}

const topicKey = (t: GuidelineTopic) => `${t.kind}\u0000${t.name}`;

/** The section a topic points at, or null when the guideline has none for it. */
export function sectionOf(markdown: string, topic: GuidelineTopic): string | null {
  return topic.kind === 'ref' ? guidelineSectionByRef(markdown, topic.name) : guidelineSection(markdown, topic.name);
}

/** Reads the newest guideline of a project while mounted (each opening reads it again, so a new version shows). */
export function useNewestGuideline(projectId: string): { guideline: Guideline | null; error: unknown } {
  const [state, setState] = useState<{ projectId: string; guideline: Guideline | null; error: unknown }>({ projectId, guideline: null, error: null });
  useEffect(() => {
    let live = true;
    call('guidelines.get', { projectId }).then(
      (guideline) => live && setState({ projectId, guideline, error: null }),
      (error: unknown) => live && setState({ projectId, guideline: null, error }),
    );
    return () => {
      live = false;
    };
  }, [projectId]);
  return state.projectId === projectId ? state : { guideline: null, error: null };
}

interface Props {
  projectId: string;
  /** The sections to offer, the first shown first (the selected intent or entity type). */
  topics: GuidelineTopic[];
  onClose(): void;
  closeKey: string;
}

/** A side panel with the guideline's section about what is selected, and the guideline version it comes from. Not modal: labeling goes on. */
export function GuidelinePanel({ projectId, topics, onClose, closeKey }: Props) {
  const { t } = useTranslation();
  const { guideline, error } = useNewestGuideline(projectId);
  const keys = topics.map(topicKey).join('\u0001');
  const [picked, setPicked] = useState<{ keys: string; key: string | null }>({ keys, key: null });
  const chosenKey = picked.keys === keys ? picked.key : null;
  const topic = topics.find((x) => topicKey(x) === chosenKey) ?? topics[0] ?? null;
  const section = guideline && topic ? sectionOf(guideline.markdown, topic) : null;

  return (
    <Paper
      withBorder
      radius="md"
      p="sm"
      w={360}
      miw={300}
      role="complementary"
      aria-label={t('guideline.panel.title')}
      data-testid="guideline-panel"
      style={{ flexShrink: 0, display: 'flex', flexDirection: 'column', maxHeight: '100%', minHeight: 0 }}
    >
      <Group justify="space-between" wrap="nowrap" mb="xs">
        <Group gap={6} wrap="nowrap">
          <IconBook2 size={18} />
          <Title order={5}>{t('guideline.panel.title')}</Title>
          {guideline && guideline.version > 0 && (
            <Badge variant="light" data-testid="guideline-panel-version">
              {t('guideline.versionShort', { version: guideline.version })}
            </Badge>
          )}
        </Group>
        <Group gap={4} wrap="nowrap">
          {closeKey && <Kbd size="xs">{closeKey}</Kbd>}
          <CloseButton aria-label={t('guideline.panel.close')} onClick={onClose} />
        </Group>
      </Group>
      {topics.length > 1 && (
        <SegmentedControl
          size="xs"
          mb="xs"
          fullWidth
          value={topic ? topicKey(topic) : ''}
          onChange={(key) => setPicked({ keys, key })}
          data={topics.map((x) => ({ value: topicKey(x), label: x.kind === 'ref' ? `§${x.name}` : x.name }))}
          aria-label={t('guideline.panel.topics')}
        />
      )}
      <ScrollArea.Autosize mah="calc(100dvh - 260px)" type="auto" offsetScrollbars>
        {error ? (
          <Alert color="red">{errorText(t, error)}</Alert>
        ) : !guideline ? (
          <Loader size="sm" />
        ) : guideline.version === 0 ? (
          <Text size="sm" c="dimmed" data-testid="guideline-panel-empty">
            {t('guideline.panel.none')}
          </Text>
        ) : !topic ? (
          <Stack gap="xs">
            <Text size="sm" c="dimmed">
              {t('guideline.panel.nothingSelected')}
            </Text>
            <Markdown source={guideline.markdown} testId="guideline-panel-section" />
          </Stack>
        ) : section ? (
          <Stack gap={4}>
            {topic.suggested && (
              <Text size="xs" c="dimmed">
                {t('guideline.panel.suggestedIntent')}
              </Text>
            )}
            <Markdown source={section} testId="guideline-panel-section" />
          </Stack>
        ) : (
          <Text size="sm" c="dimmed" data-testid="guideline-panel-missing">
            {topic.kind === 'ref' ? t('guideline.panel.noRef', { ref: topic.name }) : t('guideline.panel.noSection', { label: topic.name })}
          </Text>
        )}
      </ScrollArea.Autosize>
    </Paper>
  );
}
