/** One field of an item as `disagreementScore` sees it: the top answer's share of `versions` votes. */
export interface FieldAgreement {
  /** A categorical field: the first `tally` count / votes. A span cluster: `clusterTopShare`, "no span" counted. */
  topShare: number;
  versions: number;
}

/**
 * How much the versions of one item disagree: 0 when every field is unanimous, towards 1 for maximal
 * disagreement.
 *
 *   score = mean over fields with versions >= 2 of  (1 - topShare) / (1 - 1 / versions)
 *
 * 1 - topShare is the share of votes against the top answer; v votes spread one per answer leave it at
 * 1 - 1/v, so the scaling makes that field 1 whatever v is (two versions that disagree give 1; a 2–2 split of
 * four gives 2/3). Each field is clamped to [0, 1]. Fields with fewer than two versions cannot disagree and are
 * left out rather than counted as agreement; with none left the score is 0.
 */
export function disagreementScore(fields: readonly FieldAgreement[]): number {
  let total = 0;
  let counted = 0;
  for (const { topShare, versions } of fields) {
    if (!(topShare >= 0 && topShare <= 1)) throw new RangeError(`topShare must be in [0, 1], got ${topShare}`);
    if (!Number.isInteger(versions) || versions < 0) throw new RangeError(`versions must be an integer >= 0, got ${versions}`);
    if (versions < 2) continue;
    total += Math.min(1, (1 - topShare) / (1 - 1 / versions));
    counted++;
  }
  return counted === 0 ? 0 : total / counted;
}
