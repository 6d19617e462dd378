import type { Estimate, ReportTask } from '../../../../shared/contract/reports';

/** What the report shows for a statistic that is undefined. */
export const DASH = '—';

export const TASKS: readonly ReportTask[] = ['intents', 'sentiment', 'entities'];

/** A ratio or coefficient to three decimals; null (undefined) as a dash. */
export function f3(x: number | null | undefined): string {
  return x === null || x === undefined || !Number.isFinite(x) ? DASH : x.toFixed(3);
}

/** A speed or a duration to one decimal. */
export function f1(x: number | null | undefined): string {
  return x === null || x === undefined || !Number.isFinite(x) ? DASH : x.toFixed(1);
}

/** "0.712 [0.680, 0.741]": a statistic with its 95 % interval; just the value when there is no interval. */
export function estimateText(e: Estimate | null | undefined): string {
  if (!e || e.value === null) return DASH;
  if (e.low === null || e.high === null) return f3(e.value);
  return `${f3(e.value)} [${f3(e.low)}, ${f3(e.high)}]`;
}

/** Annotator id -> display name (the id itself when the report does not name it). */
export function nameOf(annotators: readonly { id: string; name: string }[]): (id: string) => string {
  const names = new Map(annotators.map((a) => [a.id, a.name]));
  return (id) => names.get(id) ?? id;
}
