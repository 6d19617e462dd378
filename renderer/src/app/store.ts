import { create } from 'zustand';

export type Route = { name: 'projects' } | { name: 'project'; projectId: string };

interface NavigationState {
  route: Route;
  go(route: Route): void;
}

/** Where the user is. Two screens do not need a router library. */
export const useNavigation = create<NavigationState>((set) => ({
  route: { name: 'projects' },
  go: (route) => set({ route }),
}));
