import { create } from 'zustand';

import type { QueueFilter } from '../../../shared/contract/schemas';

export type Route = { name: 'projects' } | { name: 'project'; projectId: string } | { name: 'labeling'; projectId: string; filter?: QueueFilter };

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
    if (route.name === 'labeling') set({ route: { name: 'project', projectId: route.projectId } });
    else if (route.name === 'project') set({ route: { name: 'projects' } });
  },
}));
