import { Badge, Group, Paper, Progress, SimpleGrid, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { AdjudicationReport, AnnotatorReport, ProjectReport } from '../../../../shared/contract/reports';
import { useRowList } from '../../commands';
import { Num } from './Metric';
import { RowTable } from './RowTable';

const STATES = [
  ['disputed', 'orange.6'],
  ['auto', 'teal.6'],
  ['human', 'indigo.6'],
  ['flagged', 'grape.6'],
] as const;

/** Whether the report has anything adjudicated, queued or reviewed. */
export function hasAdjudication(a: AdjudicationReport): boolean {
  return a.progress.queued > 0 || a.decisions.human + a.decisions.auto > 0 || a.reviewers.length > 0;
}

/**
 * The adjudication of the report's items: how far the queue is, what automatic policies resolved,
 * each reviewer's pace, the reason codes people gave, and how often each annotator was overridden.
 */
export function AdjudicationPanel({ report }: { report: ProjectReport }) {
  const { t } = useTranslation();
  const a = report.adjudication;
  if (!hasAdjudication(a))
    return (
      <Text c="dimmed" data-testid="adjudication-empty">
        {t('reportsAdjudication.empty')}
      </Text>
    );
  return (
    <Stack gap="lg" data-testid="adjudication-report">
      <ProgressSection report={a} />
      <ReviewerTable projectId={report.projectId} reviewers={a.reviewers} />
      <ReasonTable projectId={report.projectId} reasons={a.reasons} />
      <OverrideTable projectId={report.projectId} people={report.perAnnotator} reasons={a.reasons} />
      <Text size="xs" c="dimmed">
        {t('reportsAdjudication.referenceNote')}
      </Text>
    </Stack>
  );
}

function ProgressSection({ report: a }: { report: AdjudicationReport }) {
  const { t, i18n } = useTranslation();
  const p = a.progress;
  const total = p.queued || 1;
  const resolved = (p.auto + p.human) / total;
  return (
    <Stack gap="sm">
      <Group justify="space-between" align="baseline">
        <Title order={4}>{t('reportsAdjudication.progress')}</Title>
        <Text size="sm" c="dimmed" data-testid="adjudication-resolved">
          {t('reportsAdjudication.resolvedShare', { share: `${(resolved * 100).toFixed(1)} %` })}
        </Text>
      </Group>
      <SimpleGrid cols={{ base: 2, sm: 5 }} spacing="sm" data-testid="adjudication-progress">
        {STATES.map(([state, color]) => (
          <Paper key={state} withBorder p="sm" data-state={state}>
            <Group gap={6} wrap="nowrap">
              <Text span w={10} h={10} bg={color} style={{ borderRadius: 2, display: 'inline-block' }} />
              <Text size="xs" c="dimmed">
                {t(`reportsAdjudication.state_${state}`)}
              </Text>
            </Group>
            <Text fw={700} size="xl" ff="monospace" data-count>
              {p[state].toLocaleString(i18n.language)}
            </Text>
          </Paper>
        ))}
        <Paper withBorder p="sm" data-state="queued">
          <Text size="xs" c="dimmed">
            {t('reportsAdjudication.queued')}
          </Text>
          <Text fw={700} size="xl" ff="monospace" data-count>
            {p.queued.toLocaleString(i18n.language)}
          </Text>
        </Paper>
      </SimpleGrid>
      {p.queued > 0 && (
        <Progress.Root size="lg" aria-hidden>
          {STATES.map(([state, color]) => (
            <Progress.Section key={state} value={(p[state] / total) * 100} color={color} />
          ))}
        </Progress.Root>
      )}
      <Text size="xs" c="dimmed">
        {t('reportsAdjudication.progressHelp')}
      </Text>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <Stack gap={4}>
          <Title order={6}>{t('reportsAdjudication.byPolicy')}</Title>
          <Table withTableBorder tabularNums fz="sm" verticalSpacing={4} data-testid="adjudication-policies">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('reportsAdjudication.policy')}</Table.Th>
                <Table.Th ta="right">{t('reportsAdjudication.items')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {a.autoByPolicy.map((x) => (
                <Table.Tr key={x.policy} data-policy={x.policy}>
                  <Table.Td>{policyName(t, x.policy)}</Table.Td>
                  <Table.Td ta="right" ff="monospace">
                    {x.items}
                  </Table.Td>
                </Table.Tr>
              ))}
              {!a.autoByPolicy.length && (
                <Table.Tr>
                  <Table.Td colSpan={2} c="dimmed">
                    —
                  </Table.Td>
                </Table.Tr>
              )}
            </Table.Tbody>
          </Table>
        </Stack>
        <Stack gap={4}>
          <Title order={6}>{t('reportsAdjudication.decisions')}</Title>
          <Table withTableBorder tabularNums fz="sm" verticalSpacing={4} data-testid="adjudication-decisions">
            <Table.Tbody>
              {(['human', 'auto', 'withReason', 'overridesMajority'] as const).map((k) => (
                <Table.Tr key={k} data-kind={k}>
                  <Table.Th fw={500}>{t(`reportsAdjudication.decision_${k}`)}</Table.Th>
                  <Table.Td ta="right" ff="monospace">
                    {a.decisions[k]}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Stack>
      </SimpleGrid>
    </Stack>
  );
}

type T = ReturnType<typeof useTranslation>['t'];
const KNOWN_POLICIES = ['unanimous', 'majority', 'dawid-skene'];
const policyName = (t: T, policy: string) => (KNOWN_POLICIES.includes(policy) ? t(`reportsAdjudication.policy_${policy}`) : policy || '—');

function ReviewerTable({ projectId, reviewers }: { projectId: string; reviewers: AdjudicationReport['reviewers'] }) {
  const { t, i18n } = useTranslation();
  const list = useRowList({ id: `reports\u0000${projectId}\u0000reviewers`, count: reviewers.length, keyOf: (i) => reviewers[i]!.reviewerId });
  return (
    <Stack gap={4}>
      <Title order={4}>{t('reportsAdjudication.reviewers')}</Title>
      {reviewers.length ? (
        <Table.ScrollContainer minWidth={820}>
          <RowTable data-testid="reviewer-table" label={t('reportsAdjudication.reviewersTable')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('reportsAdjudication.reviewer')}</Table.Th>
                <Table.Th ta="right">{t('reportsAdjudication.itemsResolved')}</Table.Th>
                <Table.Th ta="right">{t('reportsAdjudication.flagged')}</Table.Th>
                <Table.Th ta="right">{t('reportsAdjudication.commits')}</Table.Th>
                <Table.Th ta="right">{t('reportsAdjudication.fields')}</Table.Th>
                <Table.Th ta="right">{t('reportsAdjudication.overridesMajority')}</Table.Th>
                <Table.Th ta="right">{t('reportsAdjudication.hours')}</Table.Th>
                <Table.Th ta="right">{t('reportsAdjudication.itemsPerHour')}</Table.Th>
                <Table.Th>{t('reportsAdjudication.lastAt')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody {...list.listProps}>
              {reviewers.map((r, i) => (
                <Table.Tr key={r.reviewerId} {...list.rowProps(i)} data-reviewer={r.reviewerId}>
                  <Table.Td fw={600}>{r.name}</Table.Td>
                  <Table.Td ta="right" ff="monospace" data-metric="items">
                    {r.items}
                  </Table.Td>
                  <Table.Td ta="right" ff="monospace">
                    {r.flagged}
                  </Table.Td>
                  <Table.Td ta="right" ff="monospace">
                    {r.commits}
                  </Table.Td>
                  <Table.Td ta="right" ff="monospace">
                    {r.fields}
                  </Table.Td>
                  <Table.Td ta="right" ff="monospace">
                    {r.overridesMajority}
                  </Table.Td>
                  <Table.Td ta="right" ff="monospace">
                    {r.hours.toFixed(2)}
                  </Table.Td>
                  <Table.Td ta="right" ff="monospace" data-metric="itemsPerHour">
                    <Num value={r.itemsPerHour} digits={1} why="noPace" />
                  </Table.Td>
                  <Table.Td>{r.lastAt ? new Date(r.lastAt).toLocaleString(i18n.language, { dateStyle: 'short', timeStyle: 'short' }) : '—'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </RowTable>
        </Table.ScrollContainer>
      ) : (
        <Text size="sm" c="dimmed">
          {t('reportsAdjudication.reviewersEmpty')}
        </Text>
      )}
      <Text size="xs" c="dimmed">
        {t('reportsAdjudication.throughputHelp')}
      </Text>
    </Stack>
  );
}

function ReasonTable({ projectId, reasons }: { projectId: string; reasons: AdjudicationReport['reasons'] }) {
  const { t } = useTranslation();
  const list = useRowList({ id: `reports\u0000${projectId}\u0000reasons`, count: reasons.length, keyOf: (i) => reasons[i]!.code, primary: false });
  const total = reasons.reduce((s, r) => s + r.fields, 0);
  return (
    <Stack gap={4}>
      <Title order={4}>{t('reportsAdjudication.reasons')}</Title>
      <Table.ScrollContainer minWidth={720}>
        <RowTable data-testid="reason-table" label={t('reportsAdjudication.reasonsTable')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('reportsAdjudication.reasonCode')}</Table.Th>
              <Table.Th>{t('reportsAdjudication.reason')}</Table.Th>
              <Table.Th ta="right">{t('reportsAdjudication.fields')}</Table.Th>
              <Table.Th ta="right">{t('reportsAdjudication.items')}</Table.Th>
              <Table.Th ta="right">{t('reportsAdjudication.overridesMajority')}</Table.Th>
              <Table.Th w={180}>{t('reportsAdjudication.share')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody {...list.listProps}>
            {reasons.map((r, i) => (
              <Table.Tr key={r.code} {...list.rowProps(i)} data-reason={r.code}>
                <Table.Td ff="monospace">{r.code}</Table.Td>
                <Table.Td>
                  <Group gap={6} wrap="wrap">
                    <Text size="sm">{r.label}</Text>
                    {r.guidelineRef && (
                      <Badge size="xs" variant="light" color="gray">
                        {t('reportsAdjudication.guidelineRef')} {r.guidelineRef}
                      </Badge>
                    )}
                    {!r.configured && (
                      <Badge size="xs" variant="light" color="yellow">
                        {t('reportsAdjudication.notConfigured')}
                      </Badge>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td ta="right" ff="monospace" data-count={r.fields}>
                  {r.fields}
                </Table.Td>
                <Table.Td ta="right" ff="monospace">
                  {r.items}
                </Table.Td>
                <Table.Td ta="right" ff="monospace">
                  {r.overridesMajority}
                </Table.Td>
                <Table.Td>
                  <Tooltip label={total ? `${((r.fields / total) * 100).toFixed(1)} %` : '—'} withArrow>
                    <Progress value={total ? (r.fields / total) * 100 : 0} color="indigo" size="sm" aria-hidden />
                  </Tooltip>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </RowTable>
      </Table.ScrollContainer>
      <Text size="xs" c="dimmed">
        {t('reportsAdjudication.reasonsHelp')}
      </Text>
    </Stack>
  );
}

function OverrideTable({ projectId, people, reasons }: { projectId: string; people: AnnotatorReport[]; reasons: AdjudicationReport['reasons'] }) {
  const { t } = useTranslation();
  const codes = reasons.map((r) => r.code);
  for (const p of people) for (const b of p.overrides.byReason) if (b.code !== null && !codes.includes(b.code)) codes.push(b.code);
  const list = useRowList({
    id: `reports\u0000${projectId}\u0000overrides`,
    count: people.length,
    keyOf: (i) => people[i]!.annotatorId,
    primary: false,
  });
  return (
    <Stack gap={4}>
      <Title order={4}>{t('reportsAdjudication.overrides')}</Title>
      <Table.ScrollContainer minWidth={640 + codes.length * 90}>
        <RowTable data-testid="override-table" label={t('reportsAdjudication.overridesTable')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('reportsAdjudication.annotator')}</Table.Th>
              <Table.Th ta="right">{t('reportsAdjudication.adjudicated')}</Table.Th>
              <Table.Th ta="right">{t('reportsAdjudication.vsAdjudicated')}</Table.Th>
              <Table.Th ta="right">{t('reportsAdjudication.overridden')}</Table.Th>
              <Table.Th ta="right">{t('reportsAdjudication.overriddenAuto')}</Table.Th>
              {codes.map((c) => (
                <Table.Th key={c} ta="right" ff="monospace">
                  {c}
                </Table.Th>
              ))}
              <Table.Th ta="right">{t('reportsAdjudication.noReason')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody {...list.listProps}>
            {people.map((p, i) => {
              const o = p.overrides;
              const by = new Map(o.byReason.map((b) => [b.code, b.count]));
              const acc = p.vsAdjudicated.intents;
              return (
                <Table.Tr key={p.annotatorId} {...list.rowProps(i)} data-annotator={p.annotatorId}>
                  <Table.Td fw={600}>{p.name}</Table.Td>
                  <Table.Td ta="right" ff="monospace">
                    {o.adjudicated}
                  </Table.Td>
                  <Table.Td ta="right" ff="monospace" data-metric="vsAdjudicated">
                    <Num
                      value={acc.accuracy}
                      why="noAdjudication"
                      hint={t('reportsAdjudication.vsAdjudicatedHint', { correct: acc.correct, n: acc.n })}
                    />
                  </Table.Td>
                  <Table.Td ta="right" ff="monospace" data-metric="overridden">
                    {o.overridden}
                  </Table.Td>
                  <Table.Td ta="right" ff="monospace" data-metric="overriddenAuto">
                    {o.auto}
                  </Table.Td>
                  {codes.map((c) => (
                    <Table.Td key={c} ta="right" ff="monospace" data-reason={c}>
                      {by.get(c) ?? 0}
                    </Table.Td>
                  ))}
                  <Table.Td ta="right" ff="monospace" data-reason="">
                    {by.get(null) ?? 0}
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </RowTable>
      </Table.ScrollContainer>
      <Text size="xs" c="dimmed">
        {t('reportsAdjudication.overridesHelp')}
      </Text>
    </Stack>
  );
}
