/**
 * Why a coefficient has no value. Coefficients are ratios; these are the cases where the ratio is 0/0
 * or there is nothing to measure, and they are reported rather than turned into NaN or a made-up 0/1.
 */
export type UndefinedReason =
  /** No item has the ratings the coefficient needs (two ratings, or both annotators of a pair). */
  | 'no-items'
  /** Fewer than two annotators in the table. */
  | 'too-few-annotators'
  /**
   * Chance agreement is perfect: every rating is the same category (or, weighted, all categories are at
   * distance 0), so expected disagreement is 0 and the coefficient is 0/0 even if observed agreement is 1.
   */
  | 'no-variation';

/** A coefficient value, or null together with the reason it is undefined. */
export type Estimate = { value: number; reason: null } | { value: null; reason: UndefinedReason };

export function defined(value: number): Estimate {
  return { value, reason: null };
}

export function undefinedBecause(reason: UndefinedReason): Estimate {
  return { value: null, reason };
}

/** A chance-corrected agreement coefficient (kappa, pi) with its parts. */
export type KappaResult = Estimate & {
  /** Items that entered the coefficient. */
  items: number;
  /** Observed (weighted) agreement, 1 - observed disagreement; null when there are no items. */
  observedAgreement: number | null;
  /** Agreement expected by chance; null when there are no items. */
  expectedAgreement: number | null;
};

export function kappaUndefined(reason: 'no-items' | 'too-few-annotators'): KappaResult {
  return { ...undefinedBecause(reason), items: 0, observedAgreement: null, expectedAgreement: null };
}
