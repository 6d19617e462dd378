import { useCallback, useEffect, useMemo, useRef } from 'react';
import { Alert, Button, Group, Loader, Stack, Tabs, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconRefresh } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../app/errors';
import { nothingFocused, RowListEntryContext } from '../../commands';
import { useProjects } from '../projects/store';
import { AdjudicationPanel } from './AdjudicationPanel';
import { AgreementOverview } from './AgreementOverview';
import { AnnotatorsPanel } from './AnnotatorsPanel';
import { ConfusionTable } from './ConfusionTable';
import { DisagreementTable } from './DisagreementTable';
import { ExportButtons } from './ExportButtons';
import { LabelAgreementTable } from './LabelAgreementTable';
import { labelOptions } from './labelOptions';
import { ReportFilters } from './ReportFilters';
import { useReports, type ReportTab } from './store';

/**
 * The quality report of a project: agreement, confusions, disagreements and each annotator, filtered
 * and exportable. It opens with focus on its tabs (←/→ switch them, Mantine's own keys); ↓ enters the
 * tab's table and ↑ on its first row comes back. The tab and each table's row are kept for coming back.
 */
export function ReportsView({ projectId }: { projectId: string }) {
  const { t, i18n } = useTranslation();
  const st = useReports();
  const project = useProjects((p) => (p.current?.id === projectId ? p.current : null));
  const tabList = useRef<HTMLDivElement>(null);
  const focusTab = useCallback(() => tabList.current?.querySelector<HTMLElement>('[role="tab"][aria-selected="true"]')?.focus(), []);
  const entry = useMemo(() => ({ entry: () => tabList.current, exitTop: focusTab }), [focusTab]);

  useEffect(() => {
    void useReports.getState().open(projectId);
    if (useProjects.getState().current?.id !== projectId)
      void useProjects
        .getState()
        .open(projectId)
        .catch(() => undefined);
  }, [projectId]);

  const mine = st.projectId === projectId;
  const report = mine && st.report?.projectId === projectId ? st.report : null;
  const title = report?.projectName ?? project?.name ?? '';
  const labels = labelOptions(t, project?.schema ?? null, report, st.filter.labels);
  const shown = !!report;
  // A table of the tab kept from before takes focus first (its effect runs before this one); else the tabs do.
  useEffect(() => {
    if (shown && nothingFocused()) focusTab();
  }, [shown, focusTab]);

  return (
    <Stack gap="md" pb="xl" style={{ flex: 1, minHeight: 0, overflowY: 'auto' }} data-testid="reports-view">
      <Group justify="space-between" align="flex-start" wrap="wrap">
        <div>
          <Title order={2}>{t('reports.title')}</Title>
          <Text c="dimmed" size="sm" data-testid="reports-project">
            {title}
            {report &&
              ` · ${t('reports.generated', {
                at: new Date(report.generatedAt).toLocaleString(i18n.language, { dateStyle: 'short', timeStyle: 'short' }),
                seconds: report.seconds.toFixed(2),
              })}`}
          </Text>
        </div>
        <ExportButtons projectId={projectId} filter={st.filter} disabled={!report || st.loading} />
      </Group>
      {mine && (
        <ReportFilters
          key={projectId}
          filter={st.filter}
          annotators={st.annotators}
          labels={labels}
          loading={st.loading}
          onApply={(filter) => void st.apply(filter)}
        />
      )}
      {st.loading && (
        <Group gap="xs" data-testid="reports-loading" role="status">
          <Loader size="sm" />
          <Text size="sm" c="dimmed">
            {t('reports.loading')}
          </Text>
        </Group>
      )}
      {mine && !!st.error && (
        <Alert color="red" icon={<IconAlertTriangle size={16} />} title={t('reports.failed')} data-testid="reports-error">
          <Stack gap="xs" align="flex-start">
            <Text size="sm">{errorText(t, st.error)}</Text>
            <Button size="xs" variant="light" color="red" leftSection={<IconRefresh size={14} />} onClick={() => void st.apply(st.filter)}>
              {t('common.retry')}
            </Button>
          </Stack>
        </Alert>
      )}
      {report && (
        <div style={{ opacity: st.loading ? 0.5 : 1 }} data-testid="report">
          {report.totals.annotations === 0 && (
            <Alert color="gray" mb="md">
              {t('reports.empty')}
            </Alert>
          )}
          <Tabs value={st.tab} onChange={(tab) => tab && st.setTab(tab as ReportTab)} keepMounted={false}>
            <Tabs.List mb="md" ref={tabList}>
              <Tabs.Tab value="overview">{t('reports.tab_overview')}</Tabs.Tab>
              <Tabs.Tab value="labels">{t('reports.tab_labels')}</Tabs.Tab>
              <Tabs.Tab value="confusions">{t('reports.tab_confusions')}</Tabs.Tab>
              <Tabs.Tab value="disagreements">{t('reports.tab_disagreements')}</Tabs.Tab>
              <Tabs.Tab value="annotators">{t('reports.tab_annotators')}</Tabs.Tab>
              <Tabs.Tab value="adjudication" data-testid="tab-adjudication">
                {t('reportsAdjudication.tab')}
              </Tabs.Tab>
            </Tabs.List>
            <RowListEntryContext value={entry}>
              <Tabs.Panel value="overview">
                <AgreementOverview report={report} />
              </Tabs.Panel>
              <Tabs.Panel value="labels">
                <LabelAgreementTable listId={`reports\u0000${projectId}\u0000labels`} labels={report.perLabel} />
              </Tabs.Panel>
              <Tabs.Panel value="confusions">
                <ConfusionTable listId={`reports\u0000${projectId}\u0000confusions`} pairs={report.confusions} />
              </Tabs.Panel>
              <Tabs.Panel value="disagreements">
                <DisagreementTable projectId={projectId} items={report.disagreements} annotators={report.annotators} />
              </Tabs.Panel>
              <Tabs.Panel value="annotators">
                <AnnotatorsPanel report={report} />
              </Tabs.Panel>
              <Tabs.Panel value="adjudication">
                <AdjudicationPanel report={report} />
              </Tabs.Panel>
            </RowListEntryContext>
          </Tabs>
        </div>
      )}
    </Stack>
  );
}
