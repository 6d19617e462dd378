import { create } from 'zustand';
import type { Output } from '../../../../shared/contract';
import type { LabelingItem, Progress, QueueFilter, Suggestion } from '../../../../shared/contract/schemas';
import type { AnnotationChange, AnnotationSource, SpanValue } from '../../../../shared/domain/annotation';
import type { LabelSchema } from '../../../../shared/domain/labelSchema';
import { call } from '../../ipc/client';
import { buildTextModel, initialState, type SpanEditorState, type TextModel } from './spans/model';

export type SuggestedSpan = SpanValue & { score: number | null; modelVersion: string; suggestionId: string };

interface Session {
  startedAt: number;
  submitted: number;
  /** Items submitted per hour since the session started (at least a minute counted). */
  perHour: number;
}

/** One piece of a key's work; a key is one or more, run in order (a submit: write the status, then show the next item). */
type Step = () => void | Promise<void>;

/** The queue stopped at a failed step: nothing after it runs until the person retries or reloads. */
export interface Halt {
  error: unknown;
  /** The failed step and the rest of its key's steps: what retry() runs again. */
  retry: Step[];
  /** Keys (and clicks) that were queued behind the failed one and dropped unrun. */
  dropped: number;
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
  /** A failure outside the key queue (an explanation that could not be computed); shown, nothing stops. */
  error: unknown;
  /** Set when a queued step failed: the keys after it were dropped and new ones are refused until retry() or reload(). */
  halted: Halt | null;
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
      reject: (span: SuggestedSpan) => Promise<void>,
    ) => void | Promise<void>,
  ): Promise<void>;
  submit(): Promise<void>;
  skip(): Promise<void>;
  next(): Promise<void>;
  prev(): Promise<void>;
  jump(ord: number): Promise<boolean>;
  undo(): Promise<void>;
  redo(): Promise<void>;
  /** After a failure: runs the failed step (and the rest of its key) again; the queue goes on if it succeeds. */
  retry(): Promise<void>;
  /** After a failure: gives the failed key up and shows the item as it is stored (or fetches the queue's item again). */
  reload(): Promise<void>;
}

const EMPTY_PROGRESS: Progress = { done: 0, skipped: 0, total: 0 };

const spanKey = (s: SpanValue): string => `${s.start}:${s.end}:${s.label}`;

/** Span suggestions of an item, the newest model's first, minus those in the annotation and those this annotator rejected. */
function pendingSpansOf(item: LabelingItem): SuggestedSpan[] {
  const taken = new Set((item.annotation?.entities ?? []).map(spanKey));
  const rejected = new Set((item.rejected ?? []).filter((r) => r.kind === 'entities').map((r) => spanKey(r.value as SpanValue)));
  return item.suggestions
    .filter((s: Suggestion) => s.kind === 'entities' && Array.isArray(s.value))
    .flatMap((s) => (s.value as SpanValue[]).map((span) => ({ ...span, score: s.score, modelVersion: s.modelVersion, suggestionId: s.id })))
    .filter((s) => !taken.has(spanKey(s)) && !rejected.has(spanKey(s)));
}

/**
 * Keys run one after another, in the order they were pressed, so a fast annotator's keystrokes are
 * persisted in order and none is lost while an earlier one is still being written. A failure stops
 * the queue: every key queued behind the failed one was meant for the state the failed one would
 * have left (a submit after an intent), so none of them runs (`epoch` moves on, and what was queued
 * before it is dropped), and new keys are refused until the person retries or reloads.
 */
let chain: Promise<void> = Promise.resolve();
let epoch = 0;

export const useLabeling = create<LabelingState>((set, get) => {
  const ids = () => {
    const { projectId, annotatorId } = get();
    if (!projectId || !annotatorId) throw new Error('labeling is not open');
    return { projectId, annotatorId };
  };

  /** Shows an item; `again` when it is the same item fetched again (after a failure), whose time keeps running. */
  const show = (item: LabelingItem | null, again = false) => {
    set({
      current: item,
      model: item ? buildTextModel(item.item.text) : null,
      shownAt: again ? get().shownAt : new Date().toISOString(),
      editor: initialState(),
      pendingSpans: item ? pendingSpansOf(item) : [],
      finished: item === null,
      prefetched: undefined,
      error: null,
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

  const countDropped = () => set((s) => (s.halted ? { halted: { ...s.halted, dropped: s.halted.dropped + 1 } } : {}));

  /** Queues a key's steps behind every earlier key's; refused while the queue is halted. */
  const enqueue = (...steps: Step[]): Promise<void> => {
    if (get().halted) return Promise.resolve();
    const queuedAt = epoch;
    set((s) => ({ saving: s.saving + 1 }));
    const run = chain.then(async () => {
      try {
        if (queuedAt !== epoch) return countDropped();
        for (let i = 0; i < steps.length; i++) {
          try {
            await steps[i]!();
          } catch (error) {
            epoch++;
            set({ halted: { error, retry: steps.slice(i), dropped: 0 } });
            return;
          }
        }
      } finally {
        set((s) => ({ saving: s.saving - 1 }));
      }
    });
    chain = run;
    return run;
  };

  /**
   * Undo or redo, then the item the action was on, shown with its restored annotation. The write and
   * the showing are separate steps: a retry after a failed showing must not undo twice.
   */
  const undoOrRedo = (channel: 'labeling.undo' | 'labeling.redo') => {
    let result: Output<typeof channel> = null;
    return enqueue(
      async () => {
        result = await call(channel, ids());
      },
      async () => {
        if (!result) return;
        set({ progress: result.progress });
        const current = get().current;
        if (current?.item.id === result.itemId) {
          // The stored item: an undone rejection brings its suggestion back.
          const stored = await call('labeling.item', { itemId: result.itemId, annotatorId: ids().annotatorId });
          const item = { ...current, annotation: result.annotation, rejected: stored.rejected ?? [] };
          set({ current: item, pendingSpans: pendingSpansOf(item) });
        } else show(await call('labeling.item', { itemId: result.itemId, annotatorId: ids().annotatorId }));
      },
    );
  };

  const applyNow = async (changes: AnnotationChange[], source: Exclude<AnnotationSource, 'import' | 'adjudication'>) => {
    const item = get().current;
    if (!item) return;
    const result = await call('labeling.apply', { ...ids(), itemId: item.item.id, changes, source, startedAt: get().shownAt });
    const current = get().current;
    if (current?.item.id === item.item.id) set({ current: { ...current, annotation: result.annotation } });
    set({ progress: result.progress });
  };

  /** Records that this annotator rejected a suggested span (an action of its own, undoable). */
  const rejectNow = async (span: SuggestedSpan) => {
    const item = get().current;
    if (!item) return;
    const result = await call('labeling.reject', {
      ...ids(),
      itemId: item.item.id,
      suggestionId: span.suggestionId,
      span: { start: span.start, end: span.end, label: span.label },
      startedAt: get().shownAt,
    });
    const current = get().current;
    if (current?.item.id === item.item.id) set({ current: { ...current, rejected: result.rejected } });
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
    halted: null,
    saving: 0,

    open({ projectId, annotatorId, schema, filter }) {
      const sameSession = get().annotatorId === annotatorId && get().projectId === projectId;
      // A new start: whatever a failure left queued or refused belongs to the view that was left.
      epoch++;
      set({
        projectId,
        annotatorId,
        schema,
        filter: filter ?? get().filter,
        current: null,
        error: null,
        halted: null,
        ...(sameSession ? {} : { session: { startedAt: Date.now(), submitted: 0, perHour: 0 } }),
      });
      return enqueue(
        async () => set({ progress: await call('labeling.progress', { projectId, annotatorId }) }),
        () => step('next'),
      );
    },
    setFilter(filter) {
      if (get().halted) return Promise.resolve(); // refused like a key
      set({ filter, current: null, prefetched: undefined });
      return enqueue(() => step('next'));
    },
    setEditor(editor) {
      set({ editor });
    },
    setPendingSpans(pendingSpans) {
      set({ pendingSpans });
    },
    apply(changes, source = 'manual') {
      return enqueue(() => applyNow(changes, source));
    },
    run(task) {
      return enqueue(() =>
        task(
          (changes, source = 'manual') => applyNow(changes, source),
          (span) => rejectNow(span),
        ),
      );
    },
    submit() {
      return enqueue(
        () => applyNow([{ kind: 'status', value: 'submitted' }], 'manual'),
        () => {
          set((s) => {
            const submitted = s.session.submitted + 1;
            const hours = Math.max((Date.now() - s.session.startedAt) / 3_600_000, 1 / 60);
            return { session: { ...s.session, submitted, perHour: Math.round(submitted / hours) } };
          });
          return step('next');
        },
      );
    },
    skip() {
      return enqueue(
        () => applyNow([{ kind: 'status', value: 'skipped' }], 'manual'),
        () => step('next'),
      );
    },
    next() {
      return enqueue(() => step('next'));
    },
    prev() {
      return enqueue(() => step('prev'));
    },
    async jump(ord) {
      let found = false;
      await enqueue(async () => {
        const item = await call('labeling.at', { ...ids(), ord });
        found = item !== null;
        if (item) show(item);
      });
      return found;
    },
    undo: () => undoOrRedo('labeling.undo'),
    redo: () => undoOrRedo('labeling.redo'),
    retry() {
      const halted = get().halted;
      if (!halted) return Promise.resolve();
      set({ halted: null });
      return enqueue(...halted.retry);
    },
    reload() {
      if (!get().halted) return Promise.resolve();
      set({ halted: null });
      return enqueue(async () => {
        const current = get().current;
        if (!current) return step('next');
        show(await call('labeling.item', { itemId: current.item.id, annotatorId: ids().annotatorId }), true);
      });
    },
  };
});
