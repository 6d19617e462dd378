import { create } from 'zustand';
import type { AdjudicationFilter, AdjudicationQueue, AdjudicationSettings } from '../../../../shared/contract/adjudication';
import { call } from '../../ipc/client';

/** Rows read per page of the queue table. */
export const QUEUE_PAGE = 200;

interface QueueState {
  projectId: string | null;
  /** The filter per project, kept while the reviewer goes into the view and comes back. */
  filters: Record<string, AdjudicationFilter>;
  queue: AdjudicationQueue | null;
  settings: AdjudicationSettings | null;
  /** Outside blind mode only: the people whose submissions the queue can be narrowed to. */
  annotators: { id: string; name: string }[] | null;
  loading: boolean;
  error: unknown;
  load(projectId: string): Promise<void>;
  setFilter(projectId: string, filter: AdjudicationFilter): Promise<void>;
}

let request = 0;

export const useAdjudicationQueue = create<QueueState>((set, get) => {
  const read = async (projectId: string) => {
    const mine = ++request;
    set({ loading: true, error: null });
    try {
      const filter = get().filters[projectId] ?? {};
      const [queue, settings] = await Promise.all([
        call('adjudication.queue', { projectId, filter, limit: QUEUE_PAGE }),
        call('adjudication.settings', { projectId }),
      ]);
      if (mine !== request) return;
      set({ queue, settings });
      // Names reach the renderer only when the project does not review blind.
      if (!settings.blind && get().annotators === null) {
        const all = await call('annotators.list', {});
        if (mine === request) set({ annotators: all.map((a) => ({ id: a.id, name: a.name })) });
      } else if (settings.blind) set({ annotators: null });
    } catch (error) {
      if (mine === request) set({ error });
    } finally {
      if (mine === request) set({ loading: false });
    }
  };
  return {
    projectId: null,
    filters: {},
    queue: null,
    settings: null,
    annotators: null,
    loading: false,
    error: null,
    load(projectId) {
      if (get().projectId !== projectId) set({ projectId, queue: null, settings: null, annotators: null });
      return read(projectId);
    },
    setFilter(projectId, filter) {
      set((s) => ({ filters: { ...s.filters, [projectId]: filter } }));
      return read(projectId);
    },
  };
});
