import { create } from 'zustand';
import type { ProjectReport, ReportAnnotator, ReportFilter } from '../../../../shared/contract/reports';
import { call } from '../../ipc/client';

export const REPORT_TABS = ['overview', 'labels', 'confusions', 'disagreements', 'annotators', 'adjudication'] as const;
export type ReportTab = (typeof REPORT_TABS)[number];

/** No filter: the whole project. */
export const EMPTY_FILTER: ReportFilter = { from: null, to: null, annotatorIds: [], labels: [] };

interface ReportsState {
  projectId: string | null;
  /** The filter of the report being shown (or fetched). */
  filter: ReportFilter;
  report: ProjectReport | null;
  loading: boolean;
  error: unknown;
  /** Everyone seen in this project's reports, so the annotator filter still offers people a narrower report left out. */
  annotators: ReportAnnotator[];
  /** Increases with each fetch; an answer to an older one is dropped. */
  request: number;
  /** The tab shown, kept for coming back to the report (from a disagreement's labeling queue, say). */
  tab: ReportTab;
  setTab(tab: ReportTab): void;
  /** Shows the project's report: the last filter again for the same project, no filter for another. */
  open(projectId: string): Promise<void>;
  apply(filter: ReportFilter): Promise<void>;
}

function mergeAnnotators(known: ReportAnnotator[], report: ProjectReport): ReportAnnotator[] {
  const byId = new Map(known.map((a) => [a.id, a]));
  for (const a of report.annotators) byId.set(a.id, a);
  for (const a of report.perAnnotator) if (!byId.has(a.annotatorId)) byId.set(a.annotatorId, { id: a.annotatorId, name: a.name });
  return [...byId.values()];
}

export const useReports = create<ReportsState>((set, get) => {
  const fetch = async () => {
    const { projectId, filter } = get();
    if (!projectId) return;
    const request = get().request + 1;
    set({ request, loading: true, error: null });
    try {
      const report = await call('reports.project', { projectId, filter });
      if (get().request !== request) return;
      set({ report, loading: false, annotators: mergeAnnotators(get().annotators, report) });
    } catch (error) {
      if (get().request !== request) return;
      set({ error, loading: false, report: null });
    }
  };
  return {
    projectId: null,
    filter: EMPTY_FILTER,
    report: null,
    loading: false,
    error: null,
    annotators: [],
    request: 0,
    tab: 'overview',
    setTab: (tab) => set({ tab }),
    open(projectId) {
      if (get().projectId !== projectId) set({ projectId, filter: EMPTY_FILTER, report: null, annotators: [], error: null, tab: 'overview' });
      return fetch();
    },
    apply(filter) {
      set({ filter });
      return fetch();
    },
  };
});
