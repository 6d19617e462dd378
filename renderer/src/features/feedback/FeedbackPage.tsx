import { useEffect, useMemo, useState } from 'react';
import { LineChart } from '@mantine/charts';
import { Alert, Anchor, Badge, Group, Loader, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { AdjudicationSettings, AnnotatorFeedback } from '../../../../shared/contract/adjudication';
import { errorText } from '../../app/errors';
import { useNavigation } from '../../app/store';
import { useCommands, useKeyLabel } from '../../commands/hooks';
import type { Command } from '../../commands/types';
import { useRowList } from '../../commands/useRowList';
import { call } from '../../ipc/client';
import { useAnnotators } from '../annotators/store';
import { GuidelinePanel } from '../guideline/GuidelinePanel';
import { fieldText, rowTopics, valueText } from './format';

const percent = (x: number) => `${Math.round(x * 1000) / 10}%`;

/** Opens the labeling queue (every item, in order) at an item. */
function openItem(projectId: string, ord: number): void {
  useNavigation.getState().go({ name: 'labeling', projectId, filter: { status: 'all', order: 'position' }, startOrd: ord });
}

const pageCommand = (id: string, keys: string[], run: () => void, when: () => boolean): Command => ({
  id,
  titleKey: `feedback.commands.${id.slice('feedback.'.length)}`,
  keys,
  scope: 'global',
  group: 'general',
  run,
  when,
});

/**
 * Feedback for the current profile: every item where an adjudication differs from what they
 * submitted (their value, the adjudicated one, the reason and the reviewer's note), and their
 * accuracy against adjudicated fields week by week. ↑/↓ choose a row, Enter opens the item, G its guideline section.
 */
export function FeedbackPage({ projectId }: { projectId: string }) {
  const { t, i18n } = useTranslation();
  const profile = useAnnotators((a) => a.current);
  const [data, setData] = useState<{ feedback: AnnotatorFeedback; settings: AdjudicationSettings } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [panel, setPanel] = useState(false);
  const annotatorId = profile?.id ?? null;

  useEffect(() => {
    if (!annotatorId) return;
    let live = true;
    Promise.all([call('adjudication.feedback', { projectId, annotatorId }), call('adjudication.settings', { projectId })]).then(
      ([feedback, settings]) => live && setData({ feedback, settings }),
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [projectId, annotatorId]);

  const rows = useMemo(() => data?.feedback.rows ?? [], [data]);
  const refs = useMemo(() => new Map((data?.settings.reasonCodes ?? []).map((r) => [r.code, r.guidelineRef])), [data]);
  const list = useRowList({
    id: `feedback\u0000${projectId}`,
    count: rows.length,
    keyOf: (i) => `${rows[i]!.itemId}\u0000${rows[i]!.field}`,
    onOpen: (i) => openItem(projectId, rows[i]!.ord),
  });
  const selected = rows[list.selected];
  useCommands([
    pageCommand(
      'feedback.guideline',
      ['g'],
      () => setPanel((p) => !p),
      () => rows.length > 0,
    ),
    pageCommand(
      'feedback.closeGuideline',
      ['Escape'],
      () => setPanel(false),
      () => panel,
    ),
  ]);
  const guidelineKey = useKeyLabel('feedback.guideline');
  const closeKey = useKeyLabel('feedback.closeGuideline');
  const openKey = useKeyLabel('lists.open');

  if (error) return <Alert color="red">{errorText(t, error)}</Alert>;
  if (!data) return <Loader />;
  const { accuracy } = data.feedback;
  const fields = accuracy.reduce((n, w) => n + w.fields, 0);
  const agreed = accuracy.reduce((n, w) => n + w.agreed, 0);
  const num = (n: number) => n.toLocaleString(i18n.language);

  return (
    <Stack gap="md" h="100%" style={{ minHeight: 0 }} data-testid="feedback-page">
      <div>
        <Title order={2}>{t('feedback.title')}</Title>
        <Group gap="xs" mt={4}>
          <Text size="sm" c="dimmed">
            {profile?.name}
          </Text>
          <Badge variant="light" data-testid="feedback-count">
            {t('feedback.differing', { n: rows.length })}
          </Badge>
          {fields > 0 && (
            <Badge
              variant="light"
              color={agreed / fields >= 0.9 ? 'teal' : agreed / fields >= 0.7 ? 'yellow' : 'orange'}
              data-testid="feedback-accuracy"
            >
              {t('feedback.overall', { accuracy: percent(agreed / fields), agreed: num(agreed), fields: num(fields) })}
            </Badge>
          )}
        </Group>
      </div>

      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <Paper withBorder p="sm" radius="md">
          <Text fw={600} size="sm" mb="xs">
            {t('feedback.accuracyTitle')}
          </Text>
          {accuracy.length > 1 ? (
            <LineChart
              h={160}
              data={accuracy.map((w) => ({ week: w.week, accuracy: w.accuracy }))}
              dataKey="week"
              series={[{ name: 'accuracy', label: t('feedback.accuracy'), color: 'teal.6' }]}
              yAxisProps={{ domain: [0, 1] }}
              valueFormatter={(v) => percent(v)}
              curveType="linear"
              data-testid="feedback-chart"
            />
          ) : (
            <Text size="sm" c="dimmed">
              {accuracy.length === 0 ? t('feedback.noAdjudications') : t('feedback.oneWeek')}
            </Text>
          )}
        </Paper>
        <Paper withBorder p="sm" radius="md">
          <Table withTableBorder tabularNums fz="sm" verticalSpacing={4} data-testid="feedback-weeks" aria-label={t('feedback.accuracyTitle')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('feedback.week')}</Table.Th>
                <Table.Th ta="right">{t('feedback.fields')}</Table.Th>
                <Table.Th ta="right">{t('feedback.agreed')}</Table.Th>
                <Table.Th ta="right">{t('feedback.accuracy')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {accuracy.map((w) => (
                <Table.Tr key={w.week}>
                  <Table.Td ff="monospace">{w.week}</Table.Td>
                  <Table.Td ta="right">{num(w.fields)}</Table.Td>
                  <Table.Td ta="right">{num(w.agreed)}</Table.Td>
                  <Table.Td ta="right" ff="monospace">
                    {percent(w.accuracy)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      </SimpleGrid>

      <Group align="flex-start" gap="md" wrap="nowrap" style={{ flex: 1, minHeight: 0 }}>
        <Stack gap={4} style={{ flex: 1, minWidth: 0, minHeight: 0, overflowY: 'auto', alignSelf: 'stretch' }}>
          {rows.length === 0 ? (
            <Text c="dimmed" data-testid="feedback-empty">
              {t('feedback.empty')}
            </Text>
          ) : (
            <>
              <Text size="xs" c="dimmed">
                {t('feedback.keys', { open: openKey, guideline: guidelineKey })}
              </Text>
              <Table
                striped
                highlightOnHover
                withTableBorder
                fz="sm"
                verticalSpacing={6}
                role="grid"
                aria-label={t('feedback.rowsTitle')}
                data-testid="feedback-rows"
              >
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th w={70}>{t('feedback.item')}</Table.Th>
                    <Table.Th>{t('feedback.text')}</Table.Th>
                    <Table.Th>{t('feedback.field')}</Table.Th>
                    <Table.Th>{t('feedback.yours')}</Table.Th>
                    <Table.Th>{t('feedback.adjudicated')}</Table.Th>
                    <Table.Th>{t('feedback.reason')}</Table.Th>
                    <Table.Th>{t('feedback.note')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody {...list.listProps}>
                  {rows.map((r, i) => {
                    const ref = r.reasonCode ? refs.get(r.reasonCode) : '';
                    return (
                      <Table.Tr
                        key={`${r.itemId}:${r.field}`}
                        {...list.rowProps(i)}
                        data-ord={r.ord}
                        data-field={r.field}
                        style={{ cursor: 'pointer' }}
                        onClick={() => list.focusRow(i)}
                        onDoubleClick={() => openItem(projectId, r.ord)}
                      >
                        <Table.Td>
                          <Anchor
                            component="button"
                            type="button"
                            tabIndex={-1}
                            ff="monospace"
                            aria-label={t('feedback.openItem', { ord: r.ord })}
                            title={t('feedback.openItem', { ord: r.ord })}
                            onClick={(e: React.MouseEvent) => {
                              e.stopPropagation();
                              openItem(projectId, r.ord);
                            }}
                          >
                            #{r.ord}
                          </Anchor>
                        </Table.Td>
                        <Table.Td maw={320}>
                          <Text size="sm" lineClamp={2} title={r.text}>
                            {r.text}
                          </Text>
                        </Table.Td>
                        <Table.Td>{fieldText(r.field, r.text, t)}</Table.Td>
                        <Table.Td data-testid="feedback-yours">
                          <Text size="sm" c="red.7" td="line-through">
                            {valueText(r.yours, r.text, t)}
                          </Text>
                        </Table.Td>
                        <Table.Td data-testid="feedback-adjudicated">
                          <Text size="sm" c="teal.7" fw={600}>
                            {valueText(r.adjudicated, r.text, t)}
                          </Text>
                        </Table.Td>
                        <Table.Td data-testid="feedback-reason">
                          {r.reasonLabel ?? <Text c="dimmed">—</Text>}
                          {ref && (
                            <Text span size="xs" c="dimmed" ml={4}>
                              {t('feedback.guidelineRef', { ref })}
                            </Text>
                          )}
                        </Table.Td>
                        <Table.Td maw={240} data-testid="feedback-note">
                          <Text size="sm" lineClamp={3}>
                            {r.note ?? ''}
                          </Text>
                        </Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </>
          )}
        </Stack>
        {panel && selected && (
          <GuidelinePanel
            projectId={projectId}
            topics={rowTopics(selected, (selected.reasonCode && refs.get(selected.reasonCode)) || null)}
            onClose={() => setPanel(false)}
            closeKey={closeKey}
          />
        )}
      </Group>
    </Stack>
  );
}
