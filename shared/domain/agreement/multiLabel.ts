import { type CodedRatings, MISSING } from './codedRatings';
import { fleissKappa } from './fleissKappa';
import { type AlphaResult, krippendorffAlpha } from './krippendorffAlpha';
import { pairwiseCohenKappa, type PairwiseKappa } from './pairwiseCohen';
import { percentAgreement, type PercentAgreementResult } from './percentAgreement';
import { type KappaResult } from './result';
/** MISSING, read once: transpiled to CommonJS, every use of an imported binding is a property read. */
const NOT_RATED = MISSING;

/** Multi-label ratings: each annotator gives an item a set of labels; `null`/`undefined` = did not rate it. */
export interface MultiLabelRatings {
  annotators: readonly string[];
  items: readonly { id: string; labels: readonly (readonly string[] | null | undefined)[] }[];
}

/** Agreement on one label, treated as a yes/no question for every item an annotator rated. */
export interface LabelAgreement {
  label: string;
  /** Ratings that include the label, out of `ratings` (item × annotator ratings given). */
  present: number;
  ratings: number;
  percentAgreement: PercentAgreementResult;
  fleissKappa: KappaResult;
  /** Nominal alpha on the yes/no values. */
  krippendorffAlpha: AlphaResult;
  /** Cohen's kappa per pair of annotators and their mean (equal to Cohen's kappa with two annotators). */
  cohenKappa: PairwiseKappa;
}

/**
 * Agreement per label. `labels` fixes which labels are reported and in what order (labels outside it are
 * ignored); default: every label that occurs, in code-unit order. A label nobody used has no variation,
 * so its coefficients are null with reason 'no-variation' while percent agreement is 1.
 */
export function multiLabelAgreement(data: MultiLabelRatings, options: { labels?: readonly string[] } = {}): LabelAgreement[] {
  return binaryLabelRatings(data, options.labels).map(({ label, ratings }) => {
    let present = 0;
    let given = 0;
    for (const code of ratings.codes) {
      if (code === NOT_RATED) continue;
      given++;
      present += code;
    }
    return {
      label,
      present,
      ratings: given,
      percentAgreement: percentAgreement(ratings),
      fleissKappa: fleissKappa(ratings),
      krippendorffAlpha: krippendorffAlpha(ratings, 'nominal'),
      cohenKappa: pairwiseCohenKappa(ratings),
    };
  });
}

/** One coded yes/no table per label (categories [0, 1], 1 = the annotator chose the label). */
export function binaryLabelRatings(data: MultiLabelRatings, labels?: readonly string[]): { label: string; ratings: CodedRatings<number> }[] {
  const m = data.annotators.length;
  const n = data.items.length;
  const order = labels ? [...labels] : [...new Set(data.items.flatMap((it) => it.labels.flatMap((l) => l ?? [])))].sort(compareCodeUnits);
  const index = new Map(order.map((label, i) => [label, i]));
  const unrated = new Int32Array(n * m).fill(NOT_RATED);
  for (let i = 0; i < n; i++) {
    const given = data.items[i]!.labels;
    if (given.length > m) throw new RangeError(`item ${data.items[i]!.id} has ${given.length} ratings for ${m} annotators`);
    for (let j = 0; j < given.length; j++) if (given[j]) unrated[i * m + j] = 0;
  }
  const codes = order.map(() => unrated.slice());
  for (let i = 0; i < n; i++) {
    const given = data.items[i]!.labels;
    for (let j = 0; j < given.length; j++) {
      for (const label of given[j] ?? []) {
        const l = index.get(label);
        if (l !== undefined) codes[l]![i * m + j] = 1;
      }
    }
  }
  const annotators = [...data.annotators];
  const itemIds = data.items.map((it) => it.id);
  return order.map((label, l) => ({ label, ratings: { annotators, itemIds, categories: [0, 1], codes: codes[l]! } }));
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
