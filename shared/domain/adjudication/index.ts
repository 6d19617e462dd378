/**
 * Adjudication of multi-annotator labels: majority and unanimous votes on categorical fields, Dawid–Skene EM
 * (one binary run per label for multi-label schemas), clusters of overlapping entity spans with their
 * candidates and resolution, and a per-item disagreement score. Pure TypeScript, no dependencies.
 */
export { majority, type Resolution, tally, unanimous, type Vote } from './votes';
export {
  binaryTables,
  DEFAULT_MAX_ITERATIONS,
  DEFAULT_SMOOTHING,
  DEFAULT_TOLERANCE,
  dawidSkene,
  type DawidSkeneInput,
  type DawidSkeneOptions,
  type DawidSkeneResult,
  mostLikely,
} from './dawidSkene';
export {
  type ClusterResolution,
  clusterExtents,
  clusterSpans,
  clusterTopShare,
  resolveCluster,
  type SpanCandidate,
  type SpanCluster,
  type VersionSpan,
} from './spanClusters';
export { disagreementScore, type FieldAgreement } from './disagreement';
