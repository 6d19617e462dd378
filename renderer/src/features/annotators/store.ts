import { create } from 'zustand';
import type { Annotator } from '../../../../shared/contract/schemas';
import { call } from '../../ipc/client';

const STORAGE_KEY = 'workstation.annotatorId';

interface AnnotatorState {
  annotators: Annotator[];
  current: Annotator | null;
  loaded: boolean;
  load(): Promise<void>;
  choose(annotator: Annotator): void;
  create(name: string): Promise<Annotator>;
  signOut(): void;
}

/** Who is labeling on this machine. Every action is stamped with this annotator. */
export const useAnnotators = create<AnnotatorState>((set, get) => ({
  annotators: [],
  current: null,
  loaded: false,
  async load() {
    const annotators = (await call('annotators.list', {})).filter((a) => a.origin === 'local');
    const saved = localStorage.getItem(STORAGE_KEY);
    set({ annotators, current: annotators.find((a) => a.id === saved) ?? null, loaded: true });
  },
  choose(annotator) {
    localStorage.setItem(STORAGE_KEY, annotator.id);
    set({ current: annotator });
  },
  async create(name) {
    const annotator = await call('annotators.create', { name });
    set({ annotators: [...get().annotators, annotator] });
    get().choose(annotator);
    return annotator;
  },
  signOut() {
    localStorage.removeItem(STORAGE_KEY);
    set({ current: null });
  },
}));
