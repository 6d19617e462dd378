import { create } from 'zustand';
import type { LabelingItem, Progress, QueueFilter, Suggestion } from '../../../../shared/contract/schemas';
import type { AnnotationChange, AnnotationSource, SpanValue } from '../../../../shared/domain/annotation';
import type { LabelSchema } from '../../../../shared/domain/labelSchema';
import { call } from '../../ipc/client';
import { buildTextModel, initialState, type SpanEditorState, type TextModel } from './spans/model';

export type SuggestedSpan = SpanValue & { score: number | null; modelVersion: string };

interface Session {
  startedAt: number;
  submitted: number;
  /** Items submitted per hour since the session started (at least a minute counted). */
  perHour: number;
}

interface LabelingState {
  projectId: string | null;
  annotatorId: string | null;
  schema: LabelSchema | null;
  filter: QueueFilter;
  current: LabelingItem | null;
  model: TextModel | null;
  /** When the current item was shown: the start of the time spent on it. */
  shownAt: string;
  /** The item after the current one in the queue, fetched ahead; undefined while unknown. */
  prefetched: { afterOrd: number; item: LabelingItem | null } | undefined;
  editor: SpanEditorState;
  /** Span suggestions not yet accepted or rejected. */
  pendingSpans: SuggestedSpan[];
  progress: Progress;
  session: Session;
  /** Nothing left in the queue with this filter. */
  finished: boolean;
  error: unknown;
  /** The number of calls on their way; the view shows a saving indicator. */
  saving: number;

  open(p: { projectId: string; annotatorId: string; schema: LabelSchema; filter?: QueueFilter }): Promise<void>;
  setFilter(filter: QueueFilter): Promise<void>;
  setEditor(editor: SpanEditorState): void;
  setPendingSpans(spans: SuggestedSpan[]): void;
  /** Persists changes to the current item; resolves once they are committed. */
  apply(changes: AnnotationChange[], source?: Exclude<AnnotationSource, 'import' | 'adjudication'>): Promise<void>;
  /**
   * Runs a key's work in order with every other key's: it sees the state all earlier keys left
   * (the next item, after a submit) and its changes are committed before later keys run.
   */
  run(
    task: (
      commit: (changes: AnnotationChange[], source?: Exclude<AnnotationSource, 'import' | 'adjudication'>) => Promise<void>,
    ) => void | Promise<void>,
  ): Promise<void>;
  submit(): Promise<void>;
  skip(): Promise<void>;
  next(): Promise<void>;
  prev(): Promise<void>;
  jump(ord: number): Promise<boolean>;
  undo(): Promise<void>;
  redo(): Promise<void>;
}

const EMPTY_PROGRESS: Progress = { done: 0, skipped: 0, total: 0 };

/** Span suggestions of an item, the newest model's first, minus those already in the annotation. */
function pendingSpansOf(item: LabelingItem): SuggestedSpan[] {
  const taken = new Set((item.annotation?.entities ?? []).map((s) => `${s.start}:${s.end}:${s.label}`));
  return item.suggestions
    .filter((s: Suggestion) => s.kind === 'entities' && Array.isArray(s.value))
    .flatMap((s) => (s.value as SpanValue[]).map((span) => ({ ...span, score: s.score, modelVersion: s.modelVersion })))
    .filter((s) => !taken.has(`${s.start}:${s.end}:${s.label}`));
}

/**
 * Calls run one after another, in the order keys were pressed, so a fast annotator's keystrokes
 * are persisted in order and none is lost while an earlier one is still being written.
 */
let chain: Promise<unknown> = Promise.resolve();
function serial<T>(task: () => Promise<T>): Promise<T> {
  const run = chain.then(task, task);
  chain = run.catch(() => undefined);
  return run;
}

export const useLabeling = create<LabelingState>((set, get) => {
  const ids = () => {
    const { projectId, annotatorId } = get();
    if (!projectId || !annotatorId) throw new Error('labeling is not open');
    return { projectId, annotatorId };
  };

  const show = (item: LabelingItem | null) => {
    set({
      current: item,
      model: item ? buildTextModel(item.item.text) : null,
      shownAt: new Date().toISOString(),
      editor: initialState(),
      pendingSpans: item ? pendingSpansOf(item) : [],
      finished: item === null,
      prefetched: undefined,
    });
    if (item) void prefetch(item.item.ord);
  };

  const prefetch = async (afterOrd: number) => {
    const { filter } = get();
    try {
      const item = await call('labeling.next', { ...ids(), afterOrd, direction: 'next', filter });
      if (get().current?.item.ord === afterOrd) set({ prefetched: { afterOrd, item } });
    } catch {
      // The next item is fetched again when it is needed.
    }
  };

  const step = async (direction: 'next' | 'prev') => {
    const { current, prefetched, filter } = get();
    const afterOrd = current?.item.ord ?? 0;
    if (direction === 'next' && prefetched && prefetched.afterOrd === afterOrd) {
      show(prefetched.item);
      return;
    }
    const item = await call('labeling.next', {
      ...ids(),
      afterOrd: direction === 'prev' && !current ? Number.MAX_SAFE_INTEGER : afterOrd,
      direction,
      filter,
    });
    if (item || direction === 'next') show(item);
  };

  const guarded = async (task: () => Promise<void>) => {
    set((s) => ({ saving: s.saving + 1, error: null }));
    try {
      await serial(task);
    } catch (error) {
      set({ error });
    } finally {
      set((s) => ({ saving: s.saving - 1 }));
    }
  };

  const applyNow = async (changes: AnnotationChange[], source: Exclude<AnnotationSource, 'import' | 'adjudication'>) => {
    const item = get().current;
    if (!item) return;
    const result = await call('labeling.apply', { ...ids(), itemId: item.item.id, changes, source, startedAt: get().shownAt });
    const current = get().current;
    if (current?.item.id === item.item.id) set({ current: { ...current, annotation: result.annotation } });
    set({ progress: result.progress });
  };

  return {
    projectId: null,
    annotatorId: null,
    schema: null,
    filter: { status: 'unlabeled' },
    current: null,
    model: null,
    shownAt: new Date().toISOString(),
    prefetched: undefined,
    editor: initialState(),
    pendingSpans: [],
    progress: EMPTY_PROGRESS,
    session: { startedAt: Date.now(), submitted: 0, perHour: 0 },
    finished: false,
    error: null,
    saving: 0,

    async open({ projectId, annotatorId, schema, filter }) {
      const sameSession = get().annotatorId === annotatorId && get().projectId === projectId;
      set({
        projectId,
        annotatorId,
        schema,
        filter: filter ?? get().filter,
        current: null,
        error: null,
        ...(sameSession ? {} : { session: { startedAt: Date.now(), submitted: 0, perHour: 0 } }),
      });
      await guarded(async () => {
        set({ progress: await call('labeling.progress', { projectId, annotatorId }) });
        await step('next');
      });
    },
    async setFilter(filter) {
      set({ filter, current: null, prefetched: undefined });
      await guarded(() => step('next'));
    },
    setEditor(editor) {
      set({ editor });
    },
    setPendingSpans(pendingSpans) {
      set({ pendingSpans });
    },
    apply(changes, source = 'manual') {
      return guarded(() => applyNow(changes, source));
    },
    run(task) {
      return guarded(async () => {
        await task((changes, source = 'manual') => applyNow(changes, source));
      });
    },
    submit() {
      return guarded(async () => {
        await applyNow([{ kind: 'status', value: 'submitted' }], 'manual');
        set((s) => {
          const submitted = s.session.submitted + 1;
          const hours = Math.max((Date.now() - s.session.startedAt) / 3_600_000, 1 / 60);
          return { session: { ...s.session, submitted, perHour: Math.round(submitted / hours) } };
        });
        await step('next');
      });
    },
    skip() {
      return guarded(async () => {
        await applyNow([{ kind: 'status', value: 'skipped' }], 'manual');
        await step('next');
      });
    },
    next() {
      return guarded(() => step('next'));
    },
    prev() {
      return guarded(() => step('prev'));
    },
    async jump(ord) {
      let found = false;
      await guarded(async () => {
        const item = await call('labeling.at', { ...ids(), ord });
        found = item !== null;
        if (item) show(item);
      });
      return found;
    },
    undo() {
      return guarded(async () => {
        const result = await call('labeling.undo', ids());
        if (!result) return;
        set({ progress: result.progress });
        if (get().current?.item.id === result.itemId) {
          const current = get().current!;
          set({
            current: { ...current, annotation: result.annotation },
            pendingSpans: pendingSpansOf({ ...current, annotation: result.annotation }),
          });
        } else {
          show(await call('labeling.item', { itemId: result.itemId, annotatorId: ids().annotatorId }));
        }
      });
    },
    redo() {
      return guarded(async () => {
        const result = await call('labeling.redo', ids());
        if (!result) return;
        set({ progress: result.progress });
        if (get().current?.item.id === result.itemId) set({ current: { ...get().current!, annotation: result.annotation } });
        else show(await call('labeling.item', { itemId: result.itemId, annotatorId: ids().annotatorId }));
      });
    },
  };
});
