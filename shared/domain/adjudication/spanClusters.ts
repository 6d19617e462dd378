import { checkShare } from './votes';

/** One entity span of one annotation version: code-point offsets, end-exclusive. */
export interface VersionSpan {
  version: number;
  start: number;
  end: number;
  label: string;
}

/** An exact (start, end, label) proposal and the versions that proposed it, ascending. */
export interface SpanCandidate {
  start: number;
  end: number;
  label: string;
  versions: number[];
}

/** Spans of all versions that overlap one another, directly or through a chain of overlaps. */
export interface SpanCluster {
  /** `${start}-${end}` of the union extent; unique within one item, since clusters do not overlap. */
  key: string;
  start: number;
  end: number;
  /** Most versions first, then by start, end and label. */
  candidates: SpanCandidate[];
  /** The versions with any span in the cluster, ascending. */
  versions: number[];
}

/**
 * Connected components of spans that share at least one code point, across all versions; sorted by start.
 * Spans that only touch (one's end is the other's start) share no code point and stay apart.
 */
export function clusterSpans(spans: readonly VersionSpan[]): SpanCluster[] {
  spans.forEach(checkSpan);
  const order = [...spans].sort((a, b) => a.start - b.start || a.end - b.end);
  const clusters: SpanCluster[] = [];
  let group: VersionSpan[] = [];
  let end = 0;
  for (const span of order) {
    // Sorted by start, the span overlaps the group iff it starts before the group's furthest end.
    if (group.length > 0 && span.start >= end) {
      clusters.push(toCluster(group, end));
      group = [];
    }
    end = group.length === 0 ? span.end : Math.max(end, span.end);
    group.push(span);
  }
  if (group.length > 0) clusters.push(toCluster(group, end));
  return clusters;
}

/**
 * The extents of `clusterSpans(spans)` alone (the same clusters, sorted by start), without their
 * candidates: for callers that only need to know which spans fall in which cluster.
 */
export function clusterExtents(spans: readonly { start: number; end: number }[]): { start: number; end: number }[] {
  for (const span of spans) checkOffsets(span.start, span.end, '');
  const order = spans.length > 1 ? [...spans].sort((a, b) => a.start - b.start || a.end - b.end) : spans;
  const extents: { start: number; end: number }[] = [];
  let current: { start: number; end: number } | null = null;
  for (const span of order) {
    if (current && span.start < current.end) current.end = Math.max(current.end, span.end);
    else extents.push((current = { start: span.start, end: span.end }));
  }
  return extents;
}

export type ClusterResolution = { kind: 'span'; candidate: SpanCandidate } | { kind: 'none' };

/**
 * The cluster's resolution under majority: the candidate proposed by a share >= `minShare` of `totalVersions`,
 * where the versions with no span in the cluster are votes for "no span"; 'none' when "no span" wins that way;
 * null when disputed (a tie for the top, or the top below `minShare`). A version with several spans in the
 * cluster votes for each of them, so two spans every version proposes (nested entities, say) tie.
 */
export function resolveCluster(cluster: SpanCluster, totalVersions: number, minShare: number): ClusterResolution | null {
  checkShare(minShare);
  const noSpan = noSpanVotes(cluster, totalVersions);
  let top = noSpan;
  let winner: SpanCandidate | null = null;
  let tied = false;
  for (const candidate of cluster.candidates) {
    const votes = candidate.versions.length;
    if (votes > top) {
      top = votes;
      winner = candidate;
      tied = false;
    } else if (votes === top) {
      tied = true;
    }
  }
  if (tied || top / totalVersions < minShare) return null;
  return winner ? { kind: 'span', candidate: winner } : { kind: 'none' };
}

/** The top share among the candidates and "no span" (ties included): the cluster's input to `disagreementScore`. */
export function clusterTopShare(cluster: SpanCluster, totalVersions: number): number {
  let top = noSpanVotes(cluster, totalVersions);
  for (const candidate of cluster.candidates) top = Math.max(top, candidate.versions.length);
  return top / totalVersions;
}

function noSpanVotes(cluster: SpanCluster, totalVersions: number): number {
  if (!Number.isInteger(totalVersions) || totalVersions < Math.max(1, cluster.versions.length)) {
    throw new RangeError(
      `totalVersions must be an integer >= the ${cluster.versions.length} versions in cluster ${cluster.key}, got ${totalVersions}`,
    );
  }
  return totalVersions - cluster.versions.length;
}

function toCluster(group: readonly VersionSpan[], end: number): SpanCluster {
  const start = group[0]!.start;
  const candidates = new Map<string, { span: VersionSpan; versions: Set<number> }>();
  const versions = new Set<number>();
  for (const span of group) {
    versions.add(span.version);
    // Offsets are digits only, so the first two dashes always separate start, end and label.
    const key = `${span.start}-${span.end}-${span.label}`;
    const candidate = candidates.get(key);
    if (candidate) candidate.versions.add(span.version);
    else candidates.set(key, { span, versions: new Set([span.version]) });
  }
  const list = [...candidates.values()].map(({ span, versions: by }) => ({
    start: span.start,
    end: span.end,
    label: span.label,
    versions: ascending(by),
  }));
  list.sort((a, b) => b.versions.length - a.versions.length || a.start - b.start || a.end - b.end || compareText(a.label, b.label));
  return { key: `${start}-${end}`, start, end, candidates: list, versions: ascending(versions) };
}

function ascending(values: Set<number>): number[] {
  return [...values].sort((a, b) => a - b);
}

/** Code-unit order: the same in every locale, unlike localeCompare. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function checkSpan(span: VersionSpan): void {
  if (!Number.isInteger(span.version)) throw new RangeError(`span version must be an integer, got ${span.version}`);
  checkOffsets(span.start, span.end, span.label);
}

function checkOffsets(start: number, end: number, label: string): void {
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end <= start) {
    throw new RangeError(`invalid span [${start}, ${end}) ${label}: offsets must be integers with 0 <= start < end`);
  }
}
