import { create } from 'zustand';
import type {
  AdjudicationCounts,
  AdjudicationField,
  AdjudicationFilter,
  AdjudicationItem,
  AdjudicationSettings,
  FieldDecision,
} from '../../../../shared/contract/adjudication';
import type { LabelSchema } from '../../../../shared/domain/labelSchema';
import type { Span } from '../../../../shared/domain/spans';
import { call, CallError } from '../../ipc/client';
import { buildTextModel, graphemeIndexAtCodePoint, initialState, type SpanEditorState, type TextModel } from '../labeling/spans/model';
import {
  decidedSpans,
  firstDisputed,
  initialDecisions,
  isEntityField,
  needsReason,
  sameValue,
  splitSpans,
  versionValue,
  type Decision,
  type Decisions,
} from './fields';

/** A short message in the view: why a key did nothing, or what it did. */
export interface Notice {
  kind:
    | 'reasonNeeded'
    | 'undecided'
    | 'nothingToUndo'
    | 'undone'
    | 'noPrefill'
    | 'noVersion'
    | 'notEntities'
    | 'decideFirst'
    | 'spanOutside'
    | 'spanRefused'
    | 'atStart'
    | 'flagged';
  /** The field it is about. */
  field?: string;
  params?: Record<string, string | number>;
}

export type Dialog = 'reason' | 'auto' | null;

/** The span editor while the reviewer edits the item's decided spans. */
export interface Editing {
  spans: Span[];
  editor: SpanEditorState;
}

interface Draft {
  decisions: Decisions;
  fieldIndex: number;
  added: AdjudicationField[];
}

interface AdjudicationState {
  projectId: string | null;
  reviewerId: string | null;
  schema: LabelSchema | null;
  settings: AdjudicationSettings | null;
  filter: AdjudicationFilter;
  counts: AdjudicationCounts | null;
  item: AdjudicationItem | null;
  model: TextModel | null;
  /** The item's fields, then clusters the reviewer added with the span editor. */
  fields: AdjudicationField[];
  fieldIndex: number;
  decisions: Decisions;
  editing: Editing | null;
  dialog: Dialog;
  guidelineOpen: boolean;
  /** The items shown in this session, in order, for going back; position is the one shown (trail.length when finished). */
  trail: string[];
  position: number;
  /** Nothing left to adjudicate with this filter. */
  finished: boolean;
  loading: boolean;
  /** Calls on their way. */
  busy: number;
  notice: Notice | null;
  error: unknown;
  /** Items committed in this session. */
  committed: number;

  open(p: { projectId: string; reviewerId: string; schema: LabelSchema; filter: AdjudicationFilter; startItemId?: string | undefined }): Promise<void>;
  refreshCounts(): Promise<void>;
  take(version: number): void;
  takePrefill(): void;
  rejectCluster(): void;
  moveField(by: 1 | -1): void;
  setReason(reasonCode: string | null, note: string): void;
  nextItem(): Promise<void>;
  prevItem(): Promise<void>;
  commit(): Promise<void>;
  flag(): Promise<void>;
  undo(): Promise<void>;
  startEdit(): void;
  finishEdit(): void;
  setEditing(editing: Editing): void;
  /** Opens a dialog after the keys before it have run. */
  setDialog(dialog: Dialog): void;
  closeDialog(): void;
  toggleGuideline(): void;
  dismiss(): void;
}

/** Keys run one after another, in the order pressed; a failure or a refusal drops the keys queued behind it (they were meant for what it would have left). */
let chain: Promise<void> = Promise.resolve();
let epoch = 0;
const drafts = new Map<string, Draft>();

/** The field a CallError says needs a reason, if that is what it says. */
function reasonRequiredField(error: unknown): string | null {
  if (!(error instanceof CallError) || error.code !== 'VALIDATION' || !error.details?.reasonRequired) return null;
  return typeof error.details.field === 'string' ? error.details.field : null;
}

export const useAdjudication = create<AdjudicationState>((set, get) => {
  const ids = () => {
    const { projectId, reviewerId } = get();
    if (!projectId || !reviewerId) throw new Error('adjudication is not open');
    return { projectId, reviewerId };
  };

  const enqueue = (step: () => void | Promise<void>): Promise<void> => {
    const queuedAt = epoch;
    set((s) => ({ busy: s.busy + 1 }));
    const run = chain.then(async () => {
      try {
        if (queuedAt !== epoch) return;
        await step();
      } catch (error) {
        epoch++;
        set({ error });
      } finally {
        set((s) => ({ busy: s.busy - 1 }));
      }
    });
    chain = run;
    return run;
  };

  /** A key that did nothing: says why and drops the keys typed after it. */
  const refuse = (notice: Notice, extra: Partial<AdjudicationState> = {}) => {
    epoch++;
    set({ notice, ...extra });
  };

  const keepDraft = () => {
    const { item, decisions, fieldIndex, fields, editing } = get();
    if (!item || editing) return;
    drafts.set(item.itemId, { decisions, fieldIndex, added: fields.slice(item.fields.length) });
  };

  /** Shows an item (its draft, if the reviewer left it undecided before); `keep: false` after a commit or undo of the item shown. */
  const show = (item: AdjudicationItem | null, notice: Notice | null = null, keep = true) => {
    if (keep) keepDraft();
    const draft = item ? drafts.get(item.itemId) : undefined;
    const fields = item ? [...item.fields, ...(draft?.added ?? [])] : [];
    set({
      item,
      model: item ? buildTextModel(item.text) : null,
      fields,
      decisions: item ? (draft?.decisions ?? initialDecisions(item)) : {},
      fieldIndex: draft?.fieldIndex ?? (item ? firstDisputed(item.fields) : 0),
      editing: null,
      // The reason picker belongs to the item left; automatic resolution stays open.
      dialog: get().dialog === 'reason' ? null : get().dialog,
      finished: item === null,
      notice,
      error: null,
    });
  };

  const fetchItem = (itemId: string) => call('adjudication.item', { ...ids(), itemId });

  /** The next item: forward along the trail, else the queue's next after the one shown. */
  const forward = async (keep = true) => {
    const { trail, position, item, filter } = get();
    if (position < trail.length - 1) {
      const shown = await fetchItem(trail[position + 1]!);
      set({ position: position + 1 });
      show(shown, null, keep);
      return;
    }
    const next = await call('adjudication.next', { ...ids(), afterItemId: item?.itemId ?? trail.at(-1) ?? null, filter });
    if (next) {
      const at = trail.indexOf(next.itemId);
      if (at >= 0) set({ position: at });
      else set({ trail: [...trail, next.itemId], position: trail.length });
    } else set({ position: trail.length });
    show(next, null, keep);
  };

  const current = (): AdjudicationField | undefined => get().fields[get().fieldIndex];

  const decide = (field: AdjudicationField, decision: Omit<Decision, 'reasonCode' | 'note'>) => {
    const previous = get().decisions[field.field];
    const reasonCode = needsReason(field, decision.value) ? (previous?.reasonCode ?? null) : null;
    set((s) => ({ decisions: { ...s.decisions, [field.field]: { ...decision, reasonCode, note: reasonCode ? (previous?.note ?? '') : '' } }, notice: null }));
  };

  const decisionsToSend = (): FieldDecision[] => {
    const { fields, decisions } = get();
    return fields.map((f) => {
      const d = decisions[f.field]!;
      return { field: f.field, value: d.value, ...(d.reasonCode ? { reasonCode: d.reasonCode } : {}), ...(d.reasonCode && d.note ? { note: d.note } : {}) };
    });
  };

  const afterWrite = () => {
    void get().refreshCounts();
  };

  return {
    projectId: null,
    reviewerId: null,
    schema: null,
    settings: null,
    filter: {},
    counts: null,
    item: null,
    model: null,
    fields: [],
    fieldIndex: 0,
    decisions: {},
    editing: null,
    dialog: null,
    guidelineOpen: false,
    trail: [],
    position: 0,
    finished: false,
    loading: false,
    busy: 0,
    notice: null,
    error: null,
    committed: 0,

    open({ projectId, reviewerId, schema, filter, startItemId }) {
      const same = get().projectId === projectId && get().reviewerId === reviewerId;
      epoch++;
      if (!same) drafts.clear();
      set({
        projectId,
        reviewerId,
        schema,
        filter,
        item: null,
        model: null,
        fields: [],
        editing: null,
        dialog: null,
        trail: [],
        position: 0,
        finished: false,
        loading: true,
        notice: null,
        error: null,
        ...(same ? {} : { committed: 0, settings: null, counts: null }),
      });
      return enqueue(async () => {
        try {
          const [settings, queue] = await Promise.all([
            call('adjudication.settings', { projectId }),
            // Brings the queue up to date with the annotations before walking it.
            call('adjudication.queue', { projectId, filter: {}, limit: 1 }),
          ]);
          set({ settings, counts: queue.counts });
          const first = startItemId ? await call('adjudication.item', { projectId, reviewerId, itemId: startItemId }) : await call('adjudication.next', { projectId, reviewerId, afterItemId: null, filter });
          set({ trail: first ? [first.itemId] : [], position: 0 });
          show(first);
        } finally {
          set({ loading: false });
        }
      });
    },

    async refreshCounts() {
      const { projectId } = get();
      if (!projectId) return;
      try {
        const queue = await call('adjudication.queue', { projectId, filter: {}, limit: 1 });
        if (get().projectId === projectId) set({ counts: queue.counts });
      } catch {
        // The counts come again with the next decision.
      }
    },

    take(version) {
      void enqueue(() => {
        const field = current();
        const item = get().item;
        if (!field || !item || get().editing) return;
        const value = version < item.versions.length ? versionValue(field, version) : undefined;
        if (value === undefined) return refuse({ kind: 'noVersion', field: field.field, params: { n: version + 1 } });
        decide(field, { value, via: 'version', version });
      });
    },

    takePrefill() {
      void enqueue(() => {
        const field = current();
        if (!field || get().editing) return;
        if (field.prefill === undefined) return refuse({ kind: 'noPrefill', field: field.field });
        decide(field, { value: field.prefill, via: 'prefill' });
      });
    },

    rejectCluster() {
      void enqueue(() => {
        const field = current();
        if (!field || get().editing) return;
        if (!isEntityField(field)) return refuse({ kind: 'notEntities', field: field.field });
        decide(field, { value: [], via: 'reject' });
      });
    },

    moveField(by) {
      void enqueue(() => {
        const { fields, fieldIndex } = get();
        if (!fields.length) return;
        set({ fieldIndex: Math.max(0, Math.min(fields.length - 1, fieldIndex + by)), notice: null });
      });
    },

    setReason(reasonCode, note) {
      void enqueue(() => {
        const field = current();
        if (!field) return;
        const d = get().decisions[field.field];
        if (!d) return refuse({ kind: 'decideFirst', field: field.field });
        set((s) => ({
          decisions: { ...s.decisions, [field.field]: { ...d, reasonCode, note: reasonCode ? note.trim() : '' } },
          notice: null,
        }));
      });
    },

    nextItem() {
      return enqueue(async () => {
        if (get().editing) return;
        await forward();
      });
    },

    prevItem() {
      return enqueue(async () => {
        const { trail, position, editing } = get();
        if (editing) return;
        if (position <= 0) return refuse({ kind: 'atStart' });
        const shown = await fetchItem(trail[position - 1]!);
        set({ position: position - 1 });
        show(shown);
      });
    },

    commit() {
      return enqueue(async () => {
        const { item, fields, decisions, editing } = get();
        if (!item || editing) return;
        const open = fields.findIndex((f) => !decisions[f.field]);
        if (open >= 0) return refuse({ kind: 'undecided', field: fields[open]!.field }, { fieldIndex: open });
        const unreasoned = fields.findIndex((f) => needsReason(f, decisions[f.field]!.value) && !decisions[f.field]!.reasonCode);
        if (unreasoned >= 0) return refuse({ kind: 'reasonNeeded', field: fields[unreasoned]!.field }, { fieldIndex: unreasoned, dialog: 'reason' });
        try {
          await call('adjudication.commit', { ...ids(), itemId: item.itemId, decisions: decisionsToSend(), flag: false });
        } catch (error) {
          const field = reasonRequiredField(error);
          if (!field) throw error;
          const at = Math.max(0, fields.findIndex((f) => f.field === field));
          return refuse({ kind: 'reasonNeeded', field }, { fieldIndex: at, dialog: 'reason' });
        }
        drafts.delete(item.itemId);
        set((s) => ({ committed: s.committed + 1 }));
        afterWrite();
        // Shown again later it starts from what was committed, not from this session's draft.
        await forward(false);
      });
    },

    flag() {
      return enqueue(async () => {
        const { item, editing } = get();
        if (!item || editing) return;
        await call('adjudication.commit', { ...ids(), itemId: item.itemId, decisions: [], flag: true });
        drafts.delete(item.itemId);
        afterWrite();
        await forward(false);
        set({ notice: { kind: 'flagged', params: { ord: item.ord } } });
      });
    },

    undo() {
      return enqueue(async () => {
        if (get().editing) return;
        const result = await call('adjudication.undo', ids());
        if (!result) return refuse({ kind: 'nothingToUndo' });
        drafts.delete(result.itemId);
        set((s) => ({ committed: Math.max(0, s.committed - 1) }));
        afterWrite();
        const shown = await fetchItem(result.itemId);
        const { trail } = get();
        const at = trail.indexOf(shown.itemId);
        if (at >= 0) set({ position: at });
        else set({ trail: [...trail, shown.itemId], position: trail.length });
        // What the undo restored, not a draft of the item left.
        show(shown, { kind: 'undone', params: { ord: shown.ord } }, shown.itemId !== get().item?.itemId);
      });
    },

    startEdit() {
      void enqueue(() => {
        const { model, fields, decisions, editing, schema } = get();
        if (!model || editing || !schema) return;
        const spans = decidedSpans(fields, decisions);
        const field = current();
        let editor = initialState();
        if (field?.extent) {
          const inCluster = spans.findIndex((s) => s.start >= field.extent!.start && s.end <= field.extent!.end);
          const at = graphemeIndexAtCodePoint(model, field.extent.start);
          editor = { anchor: at, focus: at, selected: inCluster >= 0 ? { kind: 'span', index: inCluster } : null };
        }
        set({ editing: { spans, editor }, notice: null });
      });
    },

    finishEdit() {
      void enqueue(() => {
        const { editing, item, fields, decisions, fieldIndex } = get();
        if (!editing || !item) return;
        const base = item.fields.filter(isEntityField);
        const before = splitSpans(decidedSpans(fields, decisions), base);
        const after = splitSpans(editing.spans, base);
        if (!after.ok) {
          const text = [...item.text].slice(after.span.start, after.span.end).join('');
          return refuse({ kind: 'spanOutside', params: { text, label: after.span.label } });
        }
        const next: Decisions = {};
        for (const f of item.fields) if (decisions[f.field]) next[f.field] = decisions[f.field]!;
        for (const f of base) {
          const was = before.ok ? (before.byField[f.field] ?? []) : [];
          const now = after.byField[f.field] ?? [];
          if (sameValue(was, now)) continue;
          const reasonCode = needsReason(f, now) ? (decisions[f.field]?.reasonCode ?? null) : null;
          next[f.field] = { value: now, via: 'edit', reasonCode, note: reasonCode ? (decisions[f.field]?.note ?? '') : '' };
        }
        for (const f of after.added) next[f.field] = { value: after.byField[f.field]!, via: 'edit', reasonCode: null, note: '' };
        const nextFields = [...item.fields, ...after.added];
        const key = fields[fieldIndex]?.field;
        const at = nextFields.findIndex((f) => f.field === key);
        set({ editing: null, decisions: next, fields: nextFields, fieldIndex: at >= 0 ? at : Math.min(fieldIndex, nextFields.length - 1), notice: null });
      });
    },

    setEditing(editing) {
      set({ editing });
    },
    setDialog(dialog) {
      // After the keys before it: a reason picked for the item they leave on screen.
      void enqueue(() => set({ dialog }));
    },
    closeDialog() {
      set({ dialog: null });
    },
    toggleGuideline() {
      set((s) => ({ guidelineOpen: !s.guidelineOpen }));
    },
    dismiss() {
      set({ notice: null, error: null });
    },
  };
});

/** Drops every kept draft (tests). */
export function forgetDrafts(): void {
  drafts.clear();
}
