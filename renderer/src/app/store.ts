import { create } from 'zustand';

import type { QueueFilter } from '../../../shared/contract/schemas';

export type Route =
  | { name: 'projects' }
  | { name: 'project'; projectId: string }
  /** startOrd: open the queue at this item (by its number) instead of the first one the filter gives. */
  | { name: 'labeling'; projectId: string; filter?: QueueFilter; startOrd?: number }
  | { name: 'reports'; projectId: string };

interface NavigationState {
  route: Route;
  go(route: Route): void;
  back(): void;
}

/** Where the user is. Two screens do not need a router library. */
export const useNavigation = create<NavigationState>((set, get) => ({
  route: { name: 'projects' },
  go: (route) => set({ route }),
  back: () => {
    const { route } = get();
    if (route.name === 'labeling' || route.name === 'reports') set({ route: { name: 'project', projectId: route.projectId } });
    else if (route.name === 'project') set({ route: { name: 'projects' } });
  },
}));
