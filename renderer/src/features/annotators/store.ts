import { create } from 'zustand';
import type { Role } from '../../../../shared/contract/adjudication';
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
  /** Gives a profile its roles (annotator, reviewer, lead); the current profile's change shows at once. */
  setRoles(annotatorId: string, roles: Role[]): Promise<Annotator>;
  signOut(): void;
}

/** Who is labeling on this machine. Every action is stamped with this annotator. */
export const useAnnotators = create<AnnotatorState>((set, get) => ({
  annotators: [],
  current: null,
  loaded: false,
  async load() {
    // Local profiles only: imported annotators' names never reach a blind reviewer's window.
    const annotators = await call('annotators.list', { origin: 'local' });
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
  async setRoles(annotatorId, roles) {
    const actorId = get().current?.id ?? annotatorId;
    const updated = await call('annotators.setRoles', { annotatorId, roles, actorId });
    set((s) => ({
      annotators: s.annotators.map((a) => (a.id === updated.id ? updated : a)),
      current: s.current?.id === updated.id ? updated : s.current,
    }));
    return updated;
  },
  signOut() {
    localStorage.removeItem(STORAGE_KEY);
    set({ current: null });
  },
}));
