/**
 * The export's first pass: every item once, in export order. Labels are resolved (labels.ts),
 * exclusions counted, the text redacted once, the record built and checked (a bad span fails here,
 * naming the item) and spooled to disk, the dedup index fed with the redacted text. What the split
 * planning needs stays in memory as typed arrays: per item a byte (included), a double (survivor
 * priority), its label indices and its group.
 */
import type { LabelSchema } from '../../../shared/domain/labelSchema';
import type { DB } from '../db/open';
import { pauseForInteractiveCalls } from '../threads/interactiveCalls';
import { DedupIndex, growInt32, survivorPriority } from './dedup';
import { RecordChecker } from './formats/features';
import { hfJsonlLineUntyped } from './formats/hfJsonl';
import { EXCLUSIONS, resolveItemLabels, type Exclusion, type LabelPolicy } from './labels';
import { buildRecord, dialogueIdOf, DialogueTurns, personalSpansOfVersions, roleOf, type Redactor } from './records';
import { projectItems } from './source';
import type { SpoolWriter } from './spool';
import { encodeHeader, Names, type SpoolHeader } from './spoolHeader';
import type { ExportFeatures } from './types';

export interface ScanOptions {
  projectId: string;
  schema: LabelSchema;
  labels: LabelPolicy;
  minAnnotators: number;
  includeGold: boolean;
  near: boolean;
  groupBy?: string;
  metaFields: readonly string[];
  /** Chat formats want each record's earlier dialogue turns. */
  wantContext: boolean;
  personalTypes: readonly string[];
  redactor: Redactor;
  spool: SpoolWriter;
  /** Called every PROGRESS_EVERY items with the items read and the project's item count (and may throw to stop). */
  progress(done: number, total: number): void;
}

export const PROGRESS_EVERY = 1000;
/** Items between two safe points where a job thread lets interactive calls through. */
export const PAUSE_EVERY = 16;
/** SQLite page cache during the scan (negative: KiB), instead of the connection's 64 MiB. */
const SCAN_CACHE_SIZE = -4096;

/** What the first pass leaves for split planning and the second pass. */
export interface ScanResult {
  /** The project's items when the pass began (= count: it runs in one read transaction). */
  total: number;
  /** Items read. */
  count: number;
  excluded: Record<Exclusion, number>;
  included: Uint8Array;
  /** Item i's label indices (intents, then sentiment levels, then entity types) are labelFlat[labelStart[i] … labelStart[i+1]). */
  labelStart: Int32Array;
  labelFlat: Int32Array;
  /** Per item: an id per distinct group value (groupBy), or -1. */
  groupOf: Int32Array | null;
  dedup: DedupIndex;
  /** `features` with the metadata types and the dialogue flag the data showed. */
  features: ExportFeatures;
  /** The names the spool headers refer to by number. */
  names: readonly string[];
}

function growBy(a: Int32Array<ArrayBuffer>, min: number): Int32Array<ArrayBuffer> {
  const next = new Int32Array(Math.max(min, Math.ceil(a.length * 1.25)));
  next.set(a);
  return next;
}

function grow<T extends Uint8Array | Float64Array>(a: T, min: number, make: (n: number) => T): T {
  if (a.length >= min) return a;
  const next = make(Math.max(min, a.length * 2, 1024));
  next.set(a);
  return next;
}

export function labelIndex(schema: LabelSchema): {
  count: number;
  ids(labels: { intents: string[]; sentiment: string | null; entities: { label: string }[] }): number[];
} {
  const intentIndex = new Map(schema.intents.labels.map((l, i) => [l.name, i]));
  const sentimentIndex = new Map(schema.sentiment.levels.map((l, i) => [l.name, schema.intents.labels.length + i]));
  const entityBase = schema.intents.labels.length + schema.sentiment.levels.length;
  const entityIndex = new Map(schema.entities.types.map((t, i) => [t.name, entityBase + i]));
  return {
    count: entityBase + schema.entities.types.length,
    ids(labels) {
      const ids = new Set<number>();
      for (const i of labels.intents) if (intentIndex.has(i)) ids.add(intentIndex.get(i)!);
      if (labels.sentiment !== null && sentimentIndex.has(labels.sentiment)) ids.add(sentimentIndex.get(labels.sentiment)!);
      for (const e of labels.entities) if (entityIndex.has(e.label)) ids.add(entityIndex.get(e.label)!);
      return [...ids];
    },
  };
}

/** Whether any item of the project has a `meta.dialogue_id` (JSON null and '' are none). */
function hasDialogues(db: DB, projectId: string): boolean {
  return (
    db
      .prepare<[string], number>(
        "SELECT 1 FROM items WHERE project_id = ? AND json_extract(meta_json, '$.dialogue_id') IS NOT NULL AND json_extract(meta_json, '$.dialogue_id') <> '' LIMIT 1",
      )
      .pluck(true)
      .get(projectId) === 1
  );
}

/**
 * The first pass, in one read transaction (when the connection is not in one already) so the item
 * count, the dialogue flag and the items read agree.
 */
export async function scanItems(db: DB, o: ScanOptions): Promise<ScanResult & { priority: Float64Array }> {
  // One pass reads each page once: a small page cache does as well as the connection's large one.
  const cacheSize = db.pragma('cache_size', { simple: true }) as number;
  db.pragma(`cache_size = ${SCAN_CACHE_SIZE}`);
  const own = !db.inTransaction;
  if (own) db.exec('BEGIN');
  try {
    const result = await scanInTransaction(db, o);
    if (own) db.exec('COMMIT');
    return result;
  } finally {
    if (own && db.inTransaction) db.exec('ROLLBACK');
    db.pragma(`cache_size = ${cacheSize}`);
  }
}

async function scanInTransaction(db: DB, o: ScanOptions): Promise<ScanResult & { priority: Float64Array }> {
  const { schema } = o;
  const total = (db.prepare('SELECT COUNT(*) AS n FROM items WHERE project_id = ?').get(o.projectId) as { n: number }).n;
  const dialogue = hasDialogues(db, o.projectId);
  const excluded = Object.fromEntries(EXCLUSIONS.map((e) => [e, 0])) as Record<Exclusion, number>;
  // Sized for the item count at once (read in the same transaction): growing arrays copy them.
  const dedup = new DedupIndex({ near: o.near, expectedItems: total });
  let included = new Uint8Array(total);
  let priority = new Float64Array(total);
  let labelStart = new Int32Array(total + 1);
  // An item has an intent, a sentiment and an entity type or so; a quarter more at a time when short.
  let labelFlat = new Int32Array(Math.max(1024, total * 3));
  let flat = 0;
  let groupOf: Int32Array<ArrayBuffer> | null = o.groupBy ? new Int32Array(total).fill(-1) : null;
  const groupIds = new Map<string, number>();
  // The spool names annotators by number; the second pass counts the distinct ones.
  const annotatorIds = new Map<string, number>();
  const names = new Names();
  const metaTypes = new Map<string, Set<string>>();
  const labels = labelIndex(schema);
  const personal = new Set(o.personalTypes);
  const turns = o.wantContext ? new DialogueTurns() : null;
  const features: ExportFeatures = {
    multiLabel: schema.intents.multiLabel,
    intents: schema.intents.labels.map((l) => l.name),
    sentiments: schema.sentiment.levels.map((l) => l.name),
    entityTypes: schema.entities.types.map((t) => t.name),
    meta: [],
    dialogue,
  };
  // Metadata types are not known before the end of the pass: checked without them here, with them by each writer.
  const checker = new RecordChecker(features);
  const policy = { policy: o.labels, minAnnotators: o.minAnnotators, includeGold: o.includeGold };

  let k = 0;
  for (const item of projectItems(db, o.projectId)) {
    if (k % PROGRESS_EVERY === 0) o.progress(k, total);
    // On a job thread, the labeling loop's calls go first (a no-op elsewhere).
    if (k % PAUSE_EVERY === 0) pauseForInteractiveCalls();
    const i = k++;
    included = grow(included, k, (n) => new Uint8Array(n));
    priority = grow(priority, k, (n) => new Float64Array(n));
    labelStart = growInt32(labelStart, k + 1);
    if (groupOf) groupOf = growInt32(groupOf, k, -1);
    const dialogueId = dialogueIdOf(item.meta);
    if (dialogueId !== null && !dialogue) throw new Error(`export: item ${item.id} has a dialogue_id the dialogue check did not see`);
    const context = turns && dialogueId !== null ? turns.before(dialogueId) : [];
    const resolved = resolveItemLabels(item, schema, policy);
    let contextText: string | null = null;
    if (typeof resolved === 'string') {
      excluded[resolved]++;
      if (turns && dialogueId !== null) contextText = o.redactor.redact(item.text, personalSpansOfVersions(item, personal)).text;
    } else {
      const redacted = o.redactor.redact(item.text, resolved.entities);
      const record = buildRecord(item, resolved, redacted, { multiLabel: features.multiLabel, metaFields: o.metaFields, context });
      const line = hfJsonlLineUntyped(checker, o.metaFields, record);
      contextText = record.text;
      included[i] = 1;
      priority[i] = survivorPriority(item.state === 'human' || item.state === 'auto', item.versions.length);
      dedup.add(i, record.text);
      const nonString: number[] = [];
      o.metaFields.forEach((f, n) => {
        const v = record.meta[f];
        if (v === null || v === undefined) return;
        let s = metaTypes.get(f);
        if (!s) metaTypes.set(f, (s = new Set()));
        s.add(typeof v);
        if (typeof v !== 'string') nonString.push(n);
      });
      const ids = labels.ids(resolved);
      if (flat + ids.length > labelFlat.length) labelFlat = growBy(labelFlat, flat + ids.length);
      for (const id of ids) labelFlat[flat++] = id;
      if (groupOf) {
        const g = item.meta[o.groupBy!];
        if (g !== undefined && g !== null && g !== '') {
          const key = String(g as string | number);
          let id = groupIds.get(key);
          if (id === undefined) groupIds.set(key, (id = groupIds.size));
          groupOf[i] = id;
        }
      }
      const annotators = item.versions.map((v) => {
        let n = annotatorIds.get(v.annotatorId);
        if (n === undefined) annotatorIds.set(v.annotatorId, (n = annotatorIds.size));
        return n;
      });
      const header: SpoolHeader = {
        index: i,
        types: redacted.types,
        annotators,
        nonString,
        intents: resolved.intents,
        sentiment: resolved.sentiment,
        entityLabels: resolved.entities.map((e) => e.label),
      };
      if (turns) header.context = context;
      const pending = o.spool.write(encodeHeader(header, names), line);
      if (pending) await pending;
    }
    labelStart[i + 1] = flat;
    if (turns && dialogueId !== null) turns.add(dialogueId, { role: roleOf(item.meta), content: contextText! });
  }
  features.meta = o.metaFields.map((f) => {
    const t = metaTypes.get(f);
    const only = t && t.size === 1 ? [...t][0] : 'string';
    return { name: f, type: only === 'number' || only === 'boolean' ? only : 'string' };
  });
  return {
    total,
    count: k,
    excluded,
    included: included.subarray(0, k),
    priority: priority.subarray(0, k),
    labelStart: labelStart.subarray(0, k + 1),
    labelFlat: labelFlat.subarray(0, flat),
    groupOf: groupOf ? groupOf.subarray(0, k) : null,
    dedup,
    features,
    names: names.list,
  };
}
