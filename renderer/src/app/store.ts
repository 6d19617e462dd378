import { create } from 'zustand';

import type { QueueFilter } from '../../../shared/contract/schemas';
import type { AdjudicationFilter } from '../../../shared/contract/adjudication';

export type Route =
  | { name: 'projects' }
  | { name: 'project'; projectId: string }
  /** startOrd: open the queue at this item (by its number) instead of the first one the filter gives. */
  | { name: 'labeling'; projectId: string; filter?: QueueFilter; startOrd?: number }
  | { name: 'reports'; projectId: string }
  /** The adjudication queue of a project, and the view that walks it (from startItemId, else from its first open item). */
  | { name: 'adjudicationQueue'; projectId: string }
  | { name: 'adjudication'; projectId: string; filter?: AdjudicationFilter; startItemId?: string }
  /** The project's labeling guideline, the profile's adjudication feedback, the project's adjudication settings. */
  | { name: 'guideline'; projectId: string }
  | { name: 'feedback'; projectId: string }
  | { name: 'projectSettings'; projectId: string }
  /** The lead's packs of work for offline annotators. */
  | { name: 'packs'; projectId: string };

interface NavigationState {
  route: Route;
  /** The routes gone forward from, newest last: Esc goes back where the person came from. */
  history: Route[];
  /** Goes forward to a route; the project list (home) starts the history over. */
  go(route: Route): void;
  /** Back where the person came from (a disagreement's labeling queue back to the report); else one level up. */
  back(): void;
}

function parentOf(route: Route): Route {
  if (route.name === 'adjudication') return { name: 'adjudicationQueue', projectId: route.projectId };
  if (route.name === 'adjudicationQueue') return { name: 'project', projectId: route.projectId };
  if (
    route.name === 'labeling' ||
    route.name === 'reports' ||
    route.name === 'guideline' ||
    route.name === 'feedback' ||
    route.name === 'projectSettings' ||
    route.name === 'packs'
  )
    return { name: 'project', projectId: route.projectId };
  return { name: 'projects' };
}

/** Where the user is. Two screens do not need a router library. */
export const useNavigation = create<NavigationState>((set, get) => ({
  route: { name: 'projects' },
  history: [],
  go: (route) => set((s) => ({ route, history: route.name === 'projects' ? [] : [...s.history, s.route] })),
  back: () => {
    const { route, history } = get();
    if (route.name === 'projects') return;
    const previous = history.at(-1);
    if (previous) set({ route: previous, history: history.slice(0, -1) });
    else set({ route: parentOf(route) });
  },
}));
