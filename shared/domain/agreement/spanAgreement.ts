import { type Span } from '../spans';
import { precisionRecall, type PrecisionRecall } from './precisionRecall';
import { matchItemSpans } from './spanMatching';

/** One item's spans from two sides: an annotator and another annotator, or an annotator and the gold/adjudicated version. */
export interface SpanItem {
  id: string;
  reference: readonly Span[];
  candidate: readonly Span[];
}

/**
 * Where two sides differ. Every span that is not an exact match appears in exactly one disagreement:
 * - boundary: same label, overlapping, different offsets (an overlap match that is not exact);
 * - type: overlapping (or identical) ranges, different labels;
 * - missing: a span paired with nothing; `onlyIn` names the side that has it. Usually nothing on the other
 *   side overlaps it, but it may overlap a span already paired (two candidate spans inside one reference span).
 */
export type SpanDisagreement =
  | { kind: 'boundary'; itemId: string; reference: Span; candidate: Span }
  | { kind: 'type'; itemId: string; reference: Span; candidate: Span }
  | { kind: 'missing'; itemId: string; onlyIn: 'reference' | 'candidate'; span: Span };

export interface DisagreementCounts {
  boundary: number;
  type: number;
  /** Reference spans with no counterpart (false negatives of the candidate). */
  missingInCandidate: number;
  /** Candidate spans with no counterpart (false positives). */
  missingInReference: number;
}

export interface SpanLabelAgreement extends DisagreementCounts {
  label: string;
  /** Exact match: same start, end and label. */
  exact: PrecisionRecall;
  /** Overlap match: same label and overlapping ranges, paired one-to-one. */
  overlap: PrecisionRecall;
}

export interface SpanAgreement {
  items: number;
  /** Items where neither side has a span: agreement that F1 cannot express. */
  itemsWithoutSpans: number;
  /** Micro-averaged over all labels. */
  exact: PrecisionRecall;
  overlap: PrecisionRecall;
  /** Per label, in code-unit order. A type disagreement counts under both of its labels (once in `counts`). */
  perLabel: SpanLabelAgreement[];
  counts: DisagreementCounts;
  disagreements: SpanDisagreement[];
}

interface Tally extends DisagreementCounts {
  reference: number;
  candidate: number;
  exact: number;
  overlap: number;
}

/** Span agreement of a candidate against a reference over many items. Offsets are code points, end exclusive. */
export function spanAgreement(items: readonly SpanItem[]): SpanAgreement {
  const byLabel = new Map<string, Tally>();
  const tally = (label: string): Tally => {
    let t = byLabel.get(label);
    if (!t) {
      t = { reference: 0, candidate: 0, exact: 0, overlap: 0, boundary: 0, type: 0, missingInCandidate: 0, missingInReference: 0 };
      byLabel.set(label, t);
    }
    return t;
  };
  const disagreements: SpanDisagreement[] = [];
  let typeTotal = 0;
  let itemsWithoutSpans = 0;
  for (const { id, reference, candidate } of items) {
    if (reference.length === 0 && candidate.length === 0) itemsWithoutSpans++;
    for (const s of reference) tally(s.label).reference++;
    for (const s of candidate) tally(s.label).candidate++;
    const match = matchItemSpans(reference, candidate);
    for (const m of match.matched) {
      const t = tally(reference[m.reference]!.label);
      t.overlap++;
      if (m.exact) {
        t.exact++;
      } else {
        t.boundary++;
        disagreements.push({ kind: 'boundary', itemId: id, reference: reference[m.reference]!, candidate: candidate[m.candidate]! });
      }
    }
    for (const m of match.typeMismatches) {
      const r = reference[m.reference]!;
      const c = candidate[m.candidate]!;
      tally(r.label).type++;
      tally(c.label).type++;
      typeTotal++;
      disagreements.push({ kind: 'type', itemId: id, reference: r, candidate: c });
    }
    for (const r of match.unpairedReference) {
      tally(reference[r]!.label).missingInCandidate++;
      disagreements.push({ kind: 'missing', itemId: id, onlyIn: 'reference', span: reference[r]! });
    }
    for (const c of match.unpairedCandidate) {
      tally(candidate[c]!.label).missingInReference++;
      disagreements.push({ kind: 'missing', itemId: id, onlyIn: 'candidate', span: candidate[c]! });
    }
  }
  const labels = [...byLabel.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const total: Tally = {
    reference: 0,
    candidate: 0,
    exact: 0,
    overlap: 0,
    boundary: 0,
    type: typeTotal,
    missingInCandidate: 0,
    missingInReference: 0,
  };
  const perLabel = labels.map((label) => {
    const t = byLabel.get(label)!;
    total.reference += t.reference;
    total.candidate += t.candidate;
    total.exact += t.exact;
    total.overlap += t.overlap;
    total.boundary += t.boundary;
    total.missingInCandidate += t.missingInCandidate;
    total.missingInReference += t.missingInReference;
    return { label, ...scores(t), ...countsOf(t) };
  });
  return { items: items.length, itemsWithoutSpans, ...scores(total), perLabel, counts: countsOf(total), disagreements };
}

function scores(t: Tally): { exact: PrecisionRecall; overlap: PrecisionRecall } {
  return { exact: precisionRecall(t.exact, t.reference, t.candidate), overlap: precisionRecall(t.overlap, t.reference, t.candidate) };
}

function countsOf(t: Tally): DisagreementCounts {
  return { boundary: t.boundary, type: t.type, missingInCandidate: t.missingInCandidate, missingInReference: t.missingInReference };
}
