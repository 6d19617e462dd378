/**
 * Between the passes: the dedup survivors, the indivisible units (survivors only; duplicate clusters
 * and groups never divided) and the split of each surviving item.
 */
import type { ScanResult } from './scan';
import { assignSplits, SPLIT_NAMES, UnitBuilder } from './splits';

export interface SplitPlan {
  survives(i: number): boolean;
  /** Per item: an index into SPLIT_NAMES (NO_SPLIT for an item never added); null without splits. */
  splitOf: Uint8Array | null;
  /** Items per split name ('data' without splits). */
  splitSizes: Record<string, number>;
  warnings: string[];
}

export function planSplits(
  scan: ScanResult & { priority: Float64Array },
  o: { dedup: 'none' | 'exact' | 'near'; splits?: [number, number, number]; seed: number; groupBy?: string; labelCount: number },
): SplitPlan {
  const { dedup, included, count } = scan;
  dedup.finish({ priority: scan.priority });
  const near = o.dedup !== 'none';
  const survivorMode = o.dedup === 'near' ? 'near' : 'exact';
  // One byte per item for the second pass, so the dedup index (tens of MB) can go.
  const survivor = new Uint8Array(count);
  for (let i = 0; i < count; i++) if (included[i] === 1 && (o.dedup === 'none' || dedup.isSurvivor(i, survivorMode))) survivor[i] = 1;
  const survives = (i: number): boolean => survivor[i] === 1;
  const warnings: string[] = [];
  const splitSizes: Record<string, number> = {};
  if (!o.splits) {
    let n = 0;
    for (let i = 0; i < count; i++) if (survives(i)) n++;
    splitSizes.data = n;
    return { survives, splitOf: null, splitSizes, warnings };
  }
  const units = new UnitBuilder();
  const { labelStart, labelFlat, groupOf } = scan;
  for (let i = 0; i < count; i++) {
    if (!survives(i)) continue;
    const g = groupOf ? groupOf[i]! : -1;
    units.add(i, {
      labels: labelFlat.subarray(labelStart[i]!, labelStart[i + 1]!),
      group: g < 0 ? null : g,
      // Duplicates that are kept (dedup none) or near duplicates of an exact dedup land in one split.
      cluster: dedup.clusterOf(i, near ? 'near' : 'exact'),
    });
  }
  const built = units.finish({ labelCount: o.labelCount });
  const [a, b, c] = o.splits;
  const smallest = Math.min(...o.splits.filter((x) => x > 0)) / (a + b + c);
  if (built.items > 0 && built.largest > smallest * built.items) {
    warnings.push(
      `${built.largest} of ${built.items} items form one indivisible unit (same ${o.groupBy ?? 'group'} or chained duplicates), larger than the smallest split: the split ratios cannot be met`,
    );
  }
  const assignment = assignSplits(built, { ratios: o.splits, seed: o.seed });
  SPLIT_NAMES.forEach((s, j) => {
    if (assignment.sizes[j]! > 0) splitSizes[s] = assignment.sizes[j]!;
  });
  return { survives, splitOf: assignment.splitOf, splitSizes, warnings };
}
