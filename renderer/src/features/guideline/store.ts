import { create } from 'zustand';

interface DraftState {
  /** Unsaved guideline text per project: kept while the person goes elsewhere and comes back. */
  drafts: Record<string, string>;
  setDraft(projectId: string, markdown: string): void;
  dropDraft(projectId: string): void;
}

export const useGuidelineDrafts = create<DraftState>((set) => ({
  drafts: {},
  setDraft: (projectId, markdown) => set((s) => ({ drafts: { ...s.drafts, [projectId]: markdown } })),
  dropDraft: (projectId) =>
    set((s) => {
      const { [projectId]: _dropped, ...rest } = s.drafts;
      return { drafts: rest };
    }),
}));
