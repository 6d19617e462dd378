import type { LabelAgreement, PairwiseMatrix, TaskAgreement } from '../../../../shared/contract/reports';
import { matchItemSpans, precisionRecall } from '../../../../shared/domain/agreement';
import type { Span } from '../../../../shared/domain/spans';
import { parseSpans, type ReportData } from './load';
import type { ReportScope } from './codes';

/** A tally is four numbers at `o` in a Float64Array: exact matches, overlap matches, spans of one side, of the other. */
const EXACT = 0;
const OVERLAP = 1;
const SPANS_A = 2;
const SPANS_B = 3;

/** F1 of a tally, symmetric in its two sides: 2·matches / (spans of one + spans of the other). */
const f1 = (t: Float64Array, o: number, which: typeof EXACT | typeof OVERLAP): number | null =>
  precisionRecall(t[o + which]!, t[o + SPANS_A]!, t[o + SPANS_B]!).f1;

/** Span labels as small codes, so tallies live in typed arrays. */
class LabelCodes {
  readonly names: string[] = [];
  private readonly codes = new Map<string, number>();
  code(name: string): number {
    let c = this.codes.get(name);
    if (c === undefined) {
      c = this.names.length;
      this.names.push(name);
      this.codes.set(name, c);
    }
    return c;
  }
}

/** One distinct span list of an item: its label codes, its spans once needed, and the annotators (columns) who gave it. */
interface Group {
  json: string;
  spans: readonly Span[] | null;
  labels: number[];
  members: number[];
}

const LABEL_KEY = '"label":"';

/**
 * The label of each span of a stored list, in order, without parsing the rest: most lists only
 * need counting (everyone who gave the same list agrees with each other). Lists with escapes are
 * parsed properly.
 */
function readLabels(g: Group, codeOf: (name: string) => number): void {
  const json = g.json;
  g.labels.length = 0;
  g.spans = null;
  if (json.includes('\\')) {
    g.spans = parseSpans(json);
    for (const span of g.spans) g.labels.push(codeOf(span.label));
    return;
  }
  for (let at = json.indexOf(LABEL_KEY); at >= 0; at = json.indexOf(LABEL_KEY, at)) {
    const start = at + LABEL_KEY.length;
    const end = json.indexOf('"', start);
    g.labels.push(codeOf(json.slice(start, end)));
    at = end;
  }
}

const spansOf = (g: Group): readonly Span[] => (g.spans ??= parseSpans(g.json));

/**
 * Entity-span agreement between every two annotators of an item: exact and overlap F1 (micro over
 * all pairs), disagreements by kind, per entity type, and per pair of annotators. Annotations with
 * the same stored JSON agree span for span and are counted together; two different lists are matched
 * once however many annotators gave each.
 */
export function spanAgreementReport(
  data: ReportData,
  scope: ReportScope,
): { agreement: TaskAgreement; perLabel: LabelAgreement[]; pairwise: PairwiseMatrix; itemDisagreement: Float64Array } {
  const m = scope.raters.length;
  const labels = new LabelCodes();
  const total = new Float64Array(4);
  let byLabel = new Float64Array(64 * 4);
  let uses = new Float64Array(64);
  const byPair = new Float64Array(m * m * 4);
  const shared = new Int32Array(m * m);
  const kinds = { boundary: 0, type: 0, missing: 0 };
  const itemDisagreement = new Float64Array(scope.items.length).fill(-1);
  let items = 0;
  const active = new Uint8Array(m);
  const codeOf = (name: string): number => {
    const c = labels.code(name);
    if (c >= uses.length) {
      const grownUses = new Float64Array(uses.length * 2);
      grownUses.set(uses);
      uses = grownUses;
      const grownLabels = new Float64Array(byLabel.length * 2);
      grownLabels.set(byLabel);
      byLabel = grownLabels;
    }
    return c;
  };
  const groups: Group[] = [];
  for (let k = 0; k < scope.items.length; k++) {
    const item = scope.items[k]!;
    // Group objects are reused from item to item: a project has hundreds of thousands of items.
    let used = 0;
    let raters = 0;
    for (let r = data.itemStart[item]!; r < data.itemStart[item + 1]!; r++) {
      const a = scope.column[data.annotator[r]!]!;
      if (a < 0 || !data.submitted[r]) continue;
      raters++;
      const json = data.entitiesJson[r]!;
      let group: Group | undefined;
      for (let x = 0; x < used; x++) if (groups[x]!.json === json) group = groups[x];
      if (group) group.members.push(a);
      else {
        group = groups[used] ??= { json, spans: null, labels: [], members: [] };
        used++;
        group.json = json;
        group.members.length = 0;
        group.members.push(a);
        readLabels(group, codeOf);
      }
    }
    for (let x = 0; x < used; x++) for (const c of groups[x]!.labels) uses[c]! += groups[x]!.members.length;
    if (raters < 2) continue;
    items++;
    const pairs = (raters * (raters - 1)) / 2;
    let same = 0;
    for (let x = 0; x < used; x++) {
      const g = groups[x]!;
      for (const a of g.members) active[a] = 1;
      const size = g.members.length;
      if (size < 2) continue;
      const w = (size * (size - 1)) / 2;
      same += w;
      const n = g.labels.length;
      addFour(total, 0, w * n, w * n, w * n, w * n);
      for (const c of g.labels) addFour(byLabel, c * 4, w, w, w, w);
      for (let i = 0; i < size; i++) {
        for (let j = i + 1; j < size; j++) {
          const o = pairIndex(g.members[i]!, g.members[j]!, m);
          addFour(byPair, o * 4, n, n, n, n);
          shared[o]!++;
        }
      }
    }
    for (let x = 0; x < used; x++) {
      for (let y = x + 1; y < used; y++) {
        const gx = groups[x]!;
        const gy = groups[y]!;
        const match = matchItemSpans(spansOf(gx), spansOf(gy));
        let exact = 0;
        for (const p of match.matched) if (p.exact) exact++;
        const w = gx.members.length * gy.members.length;
        addFour(total, 0, w * exact, w * match.matched.length, w * gx.labels.length, w * gy.labels.length);
        kinds.boundary += w * (match.matched.length - exact);
        kinds.type += w * match.typeMismatches.length;
        kinds.missing += w * (match.unpairedReference.length + match.unpairedCandidate.length);
        for (const p of match.matched) {
          const o = gx.labels[p.reference]! * 4;
          byLabel[o + OVERLAP]! += w;
          if (p.exact) byLabel[o + EXACT]! += w;
        }
        for (const c of gx.labels) byLabel[c * 4 + SPANS_A]! += w;
        for (const c of gy.labels) byLabel[c * 4 + SPANS_B]! += w;
        for (const a of gx.members) {
          for (const b of gy.members) {
            const o = pairIndex(a, b, m);
            addFour(byPair, o * 4, exact, match.matched.length, gx.labels.length, gy.labels.length);
            shared[o]!++;
          }
        }
      }
    }
    itemDisagreement[k] = (pairs - same) / pairs;
  }
  const matrix: (number | null)[][] = Array.from({ length: m }, (_, i) =>
    Array.from({ length: m }, (_, j) => {
      if (i === j) return active[i] ? 1 : null;
      const o = pairIndex(i, j, m);
      if (shared[o] === 0) return null;
      return byPair[o * 4 + SPANS_A]! + byPair[o * 4 + SPANS_B]! > 0 ? f1(byPair, o * 4, EXACT) : 1;
    }),
  );
  const sharedMatrix = Array.from({ length: m }, (_, i) => Array.from({ length: m }, (_, j) => (i === j ? 0 : shared[pairIndex(i, j, m)]!)));
  return {
    agreement: {
      task: 'entities',
      items,
      annotators: active.reduce((s, x) => s + x, 0),
      percent: null,
      fleiss: null,
      alpha: null,
      cohenMean: null,
      spans: { exactF1: f1(total, 0, EXACT), overlapF1: f1(total, 0, OVERLAP), ...kinds },
    },
    perLabel: labels.names
      .map((name, c) => ({ task: 'entities' as const, label: name, uses: uses[c]!, percent: null, alpha: null, f1: f1(byLabel, c * 4, EXACT) }))
      .sort((a, b) => b.uses - a.uses),
    pairwise: { task: 'entities', annotatorIds: scope.raters.map((a) => data.annotators[a]!.id), matrix, shared: sharedMatrix },
    itemDisagreement,
  };
}

/** The index of an unordered pair of annotators (columns) in an m × m table: the smaller one first. */
function pairIndex(a: number, b: number, m: number): number {
  return a < b ? a * m + b : b * m + a;
}

function addFour(t: Float64Array, o: number, exact: number, overlap: number, spansA: number, spansB: number): void {
  t[o + EXACT]! += exact;
  t[o + OVERLAP]! += overlap;
  t[o + SPANS_A]! += spansA;
  t[o + SPANS_B]! += spansB;
}
