import type { LabelAgreement, PairwiseMatrix, TaskAgreement } from '../../../../shared/contract/reports';
import { matchItemSpans, precisionRecall } from '../../../../shared/domain/agreement';
import type { Span } from '../../../../shared/domain/spans';
import { parseSpans, type ReportData } from './load';
import type { ReportScope } from './codes';

interface Tally {
  exact: number;
  overlap: number;
  spansA: number;
  spansB: number;
}

const newTally = (): Tally => ({ exact: 0, overlap: 0, spansA: 0, spansB: 0 });

/** F1 of a tally, symmetric in its two sides: 2·matches / (spans of one + spans of the other). */
const f1 = (t: Tally, which: 'exact' | 'overlap'): number | null => precisionRecall(t[which], t.spansA, t.spansB).f1;

/**
 * Entity-span agreement between every two annotators of an item: exact and overlap F1 (micro over
 * all pairs), disagreements by kind, per entity type, and per pair of annotators. Two annotations
 * with the same stored JSON agree span for span without being matched.
 */
export function spanAgreementReport(
  data: ReportData,
  scope: ReportScope,
): { agreement: TaskAgreement; perLabel: LabelAgreement[]; pairwise: PairwiseMatrix; itemDisagreement: Float64Array } {
  const m = scope.raters.length;
  const total = newTally();
  const byLabel = new Map<string, Tally & { uses: number }>();
  const byPair = Array.from({ length: m * m }, newTally);
  const shared = new Int32Array(m * m);
  const kinds = { boundary: 0, type: 0, missing: 0 };
  const itemDisagreement = new Float64Array(scope.items.length).fill(-1);
  let items = 0;
  const active = new Uint8Array(m);
  const label = (name: string) => {
    let t = byLabel.get(name);
    if (!t) byLabel.set(name, (t = { ...newTally(), uses: 0 }));
    return t;
  };
  // An item's annotations grouped by their stored JSON: identical lists agree span for span, and
  // two different lists are matched once however many annotators gave each.
  const groups: { json: string; spans: readonly Span[]; members: number[] }[] = [];
  for (let k = 0; k < scope.items.length; k++) {
    const item = scope.items[k]!;
    groups.length = 0;
    let raters = 0;
    for (let r = data.itemStart[item]!; r < data.itemStart[item + 1]!; r++) {
      const a = scope.column[data.annotator[r]!]!;
      if (a < 0 || !data.submitted[r]) continue;
      raters++;
      const json = data.entitiesJson[r]!;
      const group = groups.find((g) => g.json === json);
      if (group) group.members.push(a);
      else groups.push({ json, spans: parseSpans(json), members: [a] });
    }
    for (const g of groups) for (const span of g.spans) label(span.label).uses += g.members.length;
    if (raters < 2) continue;
    items++;
    const pairs = (raters * (raters - 1)) / 2;
    let same = 0;
    for (const g of groups) {
      for (const a of g.members) active[a] = 1;
      const w = (g.members.length * (g.members.length - 1)) / 2;
      if (w === 0) continue;
      same += w;
      addSame(g.spans, total, label, w);
      forPairs(g.members, g.members, (a, b) => {
        addSame(g.spans, byPair[a * m + b]!, null, 1);
        shared[a * m + b]!++;
      });
    }
    for (let x = 0; x < groups.length; x++) {
      for (let y = x + 1; y < groups.length; y++) {
        const gx = groups[x]!;
        const gy = groups[y]!;
        const outcome = matchOutcome(gx.spans, gy.spans);
        addOutcome(outcome, total, label, kinds, gx.members.length * gy.members.length);
        forPairs(gx.members, gy.members, (a, b) => {
          addOutcome(outcome, byPair[a * m + b]!, null, null, 1);
          shared[a * m + b]!++;
        });
      }
    }
    itemDisagreement[k] = (pairs - same) / pairs;
  }
  const matrix: (number | null)[][] = Array.from({ length: m }, (_, i) =>
    Array.from({ length: m }, (_, j) => {
      if (i === j) return shared[i * m + j]! >= 0 ? 1 : null;
      const t = byPair[Math.min(i, j) * m + Math.max(i, j)]!;
      return t.spansA + t.spansB > 0 ? f1(t, 'exact') : shared[Math.min(i, j) * m + Math.max(i, j)]! > 0 ? 1 : null;
    }),
  );
  const sharedMatrix = Array.from({ length: m }, (_, i) =>
    Array.from({ length: m }, (_, j) => (i === j ? 0 : shared[Math.min(i, j) * m + Math.max(i, j)]!)),
  );
  return {
    agreement: {
      task: 'entities',
      items,
      annotators: active.reduce((s, x) => s + x, 0),
      percent: null,
      fleiss: null,
      alpha: null,
      cohenMean: null,
      spans: { exactF1: f1(total, 'exact'), overlapF1: f1(total, 'overlap'), ...kinds },
    },
    perLabel: [...byLabel.entries()]
      .sort((a, b) => b[1].uses - a[1].uses)
      .map(([name, t]) => ({ task: 'entities' as const, label: name, uses: t.uses, percent: null, alpha: null, f1: f1(t, 'exact') })),
    pairwise: { task: 'entities', annotatorIds: scope.raters.map((a) => data.annotators[a]!.id), matrix, shared: sharedMatrix },
    itemDisagreement,
  };
}

/** Calls `f(min, max)` for each pair of distinct annotators, one from each list (once per unordered pair). */
function forPairs(xs: readonly number[], ys: readonly number[], f: (a: number, b: number) => void): void {
  const same = xs === ys;
  for (let i = 0; i < xs.length; i++) {
    for (let j = same ? i + 1 : 0; j < ys.length; j++) {
      const a = xs[i]!;
      const b = ys[j]!;
      f(Math.min(a, b), Math.max(a, b));
    }
  }
}

/** `w` pairs of annotators who gave the same spans. */
function addSame(spans: readonly Span[], t: Tally, label: ((name: string) => Tally) | null, w: number): void {
  t.exact += w * spans.length;
  t.overlap += w * spans.length;
  t.spansA += w * spans.length;
  t.spansB += w * spans.length;
  if (label) {
    for (const s of spans) {
      const l = label(s.label);
      l.exact += w;
      l.overlap += w;
      l.spansA += w;
      l.spansB += w;
    }
  }
}

/** How two different span lists line up, per label too. */
interface MatchOutcome {
  exact: number;
  overlap: number;
  spansA: number;
  spansB: number;
  boundary: number;
  type: number;
  missing: number;
  /** label → [exact, overlap, spans in A, spans in B] */
  labels: Map<string, [number, number, number, number]>;
}

function matchOutcome(a: readonly Span[], b: readonly Span[]): MatchOutcome {
  const match = matchItemSpans(a, b);
  const labels = new Map<string, [number, number, number, number]>();
  const of = (name: string) => {
    let l = labels.get(name);
    if (!l) labels.set(name, (l = [0, 0, 0, 0]));
    return l;
  };
  let exact = 0;
  for (const p of match.matched) {
    const l = of(a[p.reference]!.label);
    l[1]++;
    if (p.exact) {
      exact++;
      l[0]++;
    }
  }
  for (const s of a) of(s.label)[2]++;
  for (const s of b) of(s.label)[3]++;
  return {
    exact,
    overlap: match.matched.length,
    spansA: a.length,
    spansB: b.length,
    boundary: match.matched.length - exact,
    type: match.typeMismatches.length,
    missing: match.unpairedReference.length + match.unpairedCandidate.length,
    labels,
  };
}

/** `w` pairs of annotators whose span lists line up as `o`. */
function addOutcome(
  o: MatchOutcome,
  t: Tally,
  label: ((name: string) => Tally) | null,
  kinds: { boundary: number; type: number; missing: number } | null,
  w: number,
): void {
  t.exact += w * o.exact;
  t.overlap += w * o.overlap;
  t.spansA += w * o.spansA;
  t.spansB += w * o.spansB;
  if (kinds) {
    kinds.boundary += w * o.boundary;
    kinds.type += w * o.type;
    kinds.missing += w * o.missing;
  }
  if (label) {
    for (const [name, [e, ov, sa, sb]] of o.labels) {
      const l = label(name);
      l.exact += w * e;
      l.overlap += w * ov;
      l.spansA += w * sa;
      l.spansB += w * sb;
    }
  }
}
