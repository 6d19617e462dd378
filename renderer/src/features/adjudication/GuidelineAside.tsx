import { useEffect, useState } from 'react';
import { Alert, Badge, Group, Kbd, Loader, Paper, ScrollArea, Stack, Text, Title } from '@mantine/core';
import { IconBook2 } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { Guideline } from '../../../../shared/contract/adjudication';
import { errorText } from '../../app/errors';
import { useKeyLabel } from '../../commands/hooks';
import { call } from '../../ipc/client';
import { fieldLabels } from './fields';
import { sectionsFor } from './guidelineSections';
import { MiniMarkdown } from './MiniMarkdown';
import { useAdjudication } from './store';
import classes from './Adjudication.module.css';

/** The guideline sections about the current field's labels (headings that name them), beside the item; G shows and hides it. */
export function GuidelineAside({ projectId }: { projectId: string }) {
  const { t } = useTranslation();
  const field = useAdjudication((s) => s.fields[s.fieldIndex]);
  const decision = useAdjudication((s) => (field ? s.decisions[field.field] : undefined));
  const key = useKeyLabel('adjudication.guideline');
  const [state, setState] = useState<{ projectId: string; guideline?: Guideline; error?: unknown } | null>(null);

  useEffect(() => {
    let live = true;
    call('guidelines.get', { projectId }).then(
      (guideline) => live && setState({ projectId, guideline }),
      (error: unknown) => live && setState({ projectId, error }),
    );
    return () => {
      live = false;
    };
  }, [projectId]);

  const labels = field ? fieldLabels(field, decision) : [];
  const current = state?.projectId === projectId ? state : null;
  const sections = current?.guideline ? sectionsFor(current.guideline.markdown, labels) : [];
  const missing = labels.filter((l) => !sections.some((s) => s.label === l));

  return (
    <Paper withBorder p="sm" radius="md" data-testid="adjudication-guideline">
      <Group justify="space-between" mb={6} wrap="nowrap">
        <Group gap={6} wrap="nowrap">
          <IconBook2 size={16} />
          <Text fw={700} size="sm">
            {t('adjudication.guideline.title')}
          </Text>
          {current?.guideline && current.guideline.version > 0 && (
            <Badge size="xs" variant="outline" color="gray">
              v{current.guideline.version}
            </Badge>
          )}
        </Group>
        <Text size="xs" c="dimmed">
          <Kbd size="xs">{key}</Kbd> {t('adjudication.guideline.close')}
        </Text>
      </Group>
      {!current && <Loader size="sm" />}
      {!!current?.error && <Alert color="red">{errorText(t, current.error)}</Alert>}
      {current?.guideline && !current.guideline.markdown.trim() && (
        <Text size="sm" c="dimmed">
          {t('adjudication.guideline.none')}
        </Text>
      )}
      {current?.guideline && current.guideline.markdown.trim() && (
        <ScrollArea.Autosize mah={340} type="auto" className={classes.guideline}>
          <Stack gap="sm">
            {sections.map((s) => (
              <div key={s.heading} data-guideline-section={s.label}>
                <Title order={5} mb={4}>
                  {s.heading}
                </Title>
                {s.body ? <MiniMarkdown markdown={s.body} /> : <Text size="sm" c="dimmed">{t('adjudication.guideline.empty')}</Text>}
              </div>
            ))}
            {missing.length > 0 && (
              <Text size="xs" c="dimmed">
                {t('adjudication.guideline.noSection', { labels: missing.join('、') })}
              </Text>
            )}
          </Stack>
        </ScrollArea.Autosize>
      )}
    </Paper>
  );
}
