/**
 * The training-data export (DESIGN §12–13): a project's labelled items, with the label policy,
 * deduplication, PII redaction and train/validation/test splits, written as a bundle folder.
 *
 * Two passes over the project's items, each one streaming query in `ord` order (import order, so
 * a dialogue's earlier turns come before its later ones) with the item's annotations, adjudication
 * state and adjudicated values gathered by correlated `json_group_array`/`json_group_object`
 * subqueries (better-sqlite3 cannot run a second statement while one iterates):
 *
 * 1. resolve labels (labels.ts), count exclusions by reason, redact, build and check the record
 *    (RecordChecker: a bad span fails here, naming the item), feed the dedup index with the
 *    redacted text, remember per item its label indices and group key; then dedup `finish`,
 *    units (survivors only; duplicate clusters and groups never divided) and `assignSplits`;
 * 2. the same query again: rebuild each surviving record (deterministic), with its dialogue
 *    context (the last turns of the same `meta.dialogue_id`, redacted, kept in memory per
 *    dialogue), and write it to one writer per (format, split).
 *
 * Everything is written into `outDir/.<name>.partial-<pid>`; the folder is renamed to
 * `outDir/<name>` only after every data file, README.md (the HF dataset card) and manifest.json are
 * complete, so a crash leaves only the `.partial-` folder. An error or an abort removes it.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../../shared/contract/errors';
import type { AdjudicationState, FieldValue } from '../../../shared/contract/adjudication';
import type { LabelSchema } from '../../../shared/domain/labelSchema';
import { spanText, type Span } from '../../../shared/domain/spans';
import type { DB } from '../db/open';
import { currentSchema } from '../db/repos/projects';
import { loadAppSetting, saveAppSetting } from '../db/repos/settings';
import { generatePseudonymKey, personalEntityTypes, redactText, type RedactionMode } from '../redaction';
import type { ItemVersion } from '../services/adjudication/versions';
import { DedupIndex, survivorPriority, type DedupCounts } from './dedup';
import { createWriter, datasetInfo, hfFeaturesYaml, writeSpacyScript, type ChatFile } from './formats';
import { RecordChecker } from './formats/features';
import { EXCLUSIONS, resolveItemLabels, type Exclusion, type LabelPolicy, type ResolvedLabels } from './labels';
import { assignSplits, NO_SPLIT, SPLIT_NAMES, UnitBuilder } from './splits';
import { FORMAT_FILE, type ChatTurn, type ExportFeatures, type ExportFormat, type ExportRecord, type FormatWriter } from './types';

export const EXPORT_SCHEMA_VERSION = 1;
const CONTEXT_TURNS = 10;
const DEFAULT_APP_VERSION = '0.1.0';
const CHAT_FORMATS: readonly ExportFormat[] = ['chat-openai', 'sharegpt', 'alpaca'];
export const EXPORT_FORMATS: readonly ExportFormat[] = ['hf-jsonl', 'parquet', 'conll', 'spacy-jsonl', 'chat-openai', 'sharegpt', 'alpaca', 'csv'];

export interface ExportOptions {
  projectId: string;
  outDir: string;
  formats: ExportFormat[];
  labels: LabelPolicy;
  minAnnotators: number;
  /** [train, validation, test] ratios; none = one `data.*` file per format. */
  splits?: [number, number, number];
  /** A metadata field whose items stay in one split (e.g. dialogue_id). */
  groupBy?: string;
  seed: number;
  dedup: 'none' | 'exact' | 'near';
  redact: 'none' | RedactionMode;
  includeGold: boolean;
  metaFields?: string[];
  systemPrompt?: string;
  /** Dataset card licence; default the project setting `export.license`, else `other`. */
  license?: string;
  /** The app version named in the card and manifest. */
  appVersion?: string;
  /** Final folder name; default `<project>-<timestamp>`. */
  name?: string;
}

export interface ExportProgress {
  phase: 'scan' | 'write' | 'finish';
  done: number;
  total: number;
}

export interface ExportFileEntry {
  path: string;
  /** Records in a data file; null for the card, guideline, scripts. */
  rows: number | null;
  bytes: number;
  sha256: string;
}

export interface ExportResult {
  dir: string;
  items: number;
  excluded: Record<Exclusion, number>;
  dedup: DedupCounts & { mode: ExportOptions['dedup']; removed: number };
  redaction: Record<string, number>;
  splits: Record<string, number>;
  files: ExportFileEntry[];
  /** Things the lead should look at (e.g. one unit of grouped/duplicate items taking most of the data). */
  warnings: string[];
}

interface Row {
  id: string;
  ord: number;
  text: string;
  meta_json: string;
  external_id: string | null;
  is_gold: number;
  ann: string;
  state: AdjudicationState | null;
  decided: string | null;
}

type AnnTuple = [annotatorId: string, status: string, intents: string[], sentiment: string | null, entities: Span[], flagged: number];

const ITEMS_SQL = `SELECT i.id, i.ord, i.text, i.meta_json, i.external_id, i.is_gold,
  (SELECT json_group_array(json_array(a.annotator_id, a.status, json(a.intents_json), a.sentiment, json(a.entities_json), a.flagged))
     FROM annotations a WHERE a.item_id = i.id AND a.status IN ('submitted', 'skipped')) AS ann,
  (SELECT s.state FROM adjudication_items s WHERE s.item_id = i.id) AS state,
  (SELECT json_group_object(d.field, json(d.value_json)) FROM adjudications d WHERE d.item_id = i.id) AS decided
  FROM items i WHERE i.project_id = ? ORDER BY i.ord`;

/** The pseudonym key of a project, created once and kept in app_settings. */
export function projectPseudonymKey(db: DB, projectId: string): string {
  const name = `redaction-key:${projectId}`;
  const existing = loadAppSetting<string>(db, name);
  if (typeof existing === 'string' && existing) return existing;
  const key = generatePseudonymKey();
  saveAppSetting(db, name, key);
  return key;
}

function abortError(): AppError {
  return new AppError('CANCELLED', 'export cancelled');
}

const ASSISTANT_ROLES = new Set(['agent', 'assistant', 'staff', 'bot', 'service', '客服', '坐席']);

/** The speaker of a dialogue turn from its metadata (`speaker` or `role`); customers by default. */
function roleOf(meta: Record<string, unknown>): ChatTurn['role'] {
  const s = meta.speaker ?? meta.role;
  return typeof s === 'string' && ASSISTANT_ROLES.has(s.trim().toLowerCase()) ? 'assistant' : 'user';
}

function slug(name: string): string {
  return name.replace(/[\\/:*?"<>|\s.]+/g, '_').replace(/^_+|_+$/g, '') || 'export';
}

function stamp(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z').replace('T', '-');
}

async function sha256File(file: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(file)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

// ---------------------------------------------------------------------------------------------------------
// A small YAML emitter for the dataset card header (strings JSON-quoted: JSON strings are YAML).

type Yaml = string | number | boolean | null | Yaml[] | { [k: string]: Yaml };

function yamlScalar(v: string | number | boolean | null): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return /^[A-Za-z_][A-Za-z0-9_./-]*$/.test(v) && !/^(true|false|null|yes|no|on|off)$/i.test(v) ? v : JSON.stringify(v);
  return String(v);
}

function yamlKey(k: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? k : JSON.stringify(k);
}

export function toYaml(v: Yaml, indent = ''): string {
  if (Array.isArray(v)) {
    if (!v.length) return `${indent}[]\n`;
    return v
      .map((e) => {
        if (e !== null && typeof e === 'object') {
          const body = toYaml(e, indent + '  ');
          return `${indent}- ${body.slice(indent.length + 2)}`;
        }
        return `${indent}- ${yamlScalar(e)}\n`;
      })
      .join('');
  }
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v);
    if (!entries.length) return `${indent}{}\n`;
    return entries
      .map(([k, e]) => {
        if (e !== null && typeof e === 'object' && (Array.isArray(e) ? e.length : Object.keys(e).length)) {
          return `${indent}${yamlKey(k)}:\n${toYaml(e, indent + '  ')}`;
        }
        if (e !== null && typeof e === 'object') return `${indent}${yamlKey(k)}: ${Array.isArray(e) ? '[]' : '{}'}\n`;
        return `${indent}${yamlKey(k)}: ${yamlScalar(e)}\n`;
      })
      .join('');
  }
  return `${indent}${yamlScalar(v)}\n`;
}

// ---------------------------------------------------------------------------------------------------------

interface Prepared {
  row: Row;
  meta: Record<string, unknown>;
  labels: ResolvedLabels | Exclusion;
  versions: ItemVersion[];
  adjudicated: boolean;
}

function prepare(row: Row, schema: LabelSchema, options: ExportOptions): Prepared {
  const meta = JSON.parse(row.meta_json || '{}') as Record<string, unknown>;
  const anns = JSON.parse(row.ann) as AnnTuple[];
  const versions: ItemVersion[] = [];
  let skipped = false;
  for (const [annotatorId, status, intents, sentiment, entities, flagged] of anns) {
    if (status === 'skipped') {
      skipped = true;
      continue;
    }
    versions.push({
      annotatorId,
      annotatorName: '',
      intents,
      sentiment,
      entities: entities.map((s) => ({ start: s.start, end: s.end, label: s.label })),
      flagged: flagged === 1,
    });
  }
  versions.sort((a, b) => (a.annotatorId < b.annotatorId ? -1 : a.annotatorId > b.annotatorId ? 1 : 0));
  const decided = new Map(Object.entries(row.decided ? (JSON.parse(row.decided) as Record<string, FieldValue>) : {}));
  const labels = resolveItemLabels(
    { isGold: row.is_gold === 1, versions, skipped, state: row.state, decided },
    schema,
    { policy: options.labels, minAnnotators: options.minAnnotators, includeGold: options.includeGold },
  );
  return { row, meta, labels, versions, adjudicated: row.state === 'human' || row.state === 'auto' };
}

interface Redactor {
  redact(text: string, spans: Span[]): { text: string; spans: Span[]; types: string[] };
}

function makeRedactor(mode: ExportOptions['redact'], key: string | undefined, personal: string[]): Redactor {
  if (mode === 'none') return { redact: (text, spans) => ({ text, spans, types: [] }) };
  return {
    redact(text, spans) {
      const r = redactText(text, { mode, key, spans, personalTypes: personal });
      return { text: r.text, spans: r.spans, types: r.replacements.map((x) => x.type) };
    },
  };
}

function scalarMeta(v: unknown): string | number | boolean | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  return JSON.stringify(v);
}

export async function runExport(
  db: DB,
  options: ExportOptions,
  onProgress?: (p: ExportProgress) => void,
  signal?: AbortSignal,
): Promise<ExportResult> {
  const formats = [...new Set(options.formats)];
  if (!formats.length) throw new AppError('VALIDATION', 'choose at least one export format');
  for (const f of formats) if (!EXPORT_FORMATS.includes(f)) throw new AppError('VALIDATION', `unknown export format "${String(f)}"`);
  if (!Number.isInteger(options.minAnnotators) || options.minAnnotators < 1) throw new AppError('VALIDATION', '--min-annotators must be a positive integer');
  const project = db.prepare<[string], { id: string; name: string; schema_version: number }>('SELECT id, name, schema_version FROM projects WHERE id = ?').get(options.projectId);
  if (!project) throw new AppError('NOT_FOUND', `no project ${options.projectId}`);
  const schema = currentSchema(db, project.id);
  const settingsRow = db.prepare<[string], { settings_json: string }>('SELECT settings_json FROM project_settings WHERE project_id = ?').get(project.id);
  const exportSettings = ((settingsRow ? (JSON.parse(settingsRow.settings_json) as { export?: Record<string, unknown> }).export : undefined) ?? {}) as {
    license?: unknown;
    systemPrompt?: unknown;
  };
  const license = options.license ?? (typeof exportSettings.license === 'string' ? exportSettings.license : 'other');
  const systemPrompt = options.systemPrompt ?? (typeof exportSettings.systemPrompt === 'string' ? exportSettings.systemPrompt : '');
  const key = options.redact === 'pseudonym' ? projectPseudonymKey(db, project.id) : undefined;
  const redactor = makeRedactor(options.redact, key, personalEntityTypes(schema as never));
  const total = (db.prepare('SELECT COUNT(*) AS n FROM items WHERE project_id = ?').get(project.id) as { n: number }).n;
  const metaFields = (options.metaFields ?? []).filter((f) => f !== 'dialogue_id' && f !== 'turn');
  const checkAbort = () => {
    if (signal?.aborted) throw abortError();
  };

  const APP_VERSION = options.appVersion ?? DEFAULT_APP_VERSION;
  const createdAt = new Date();
  const name = options.name ?? `${slug(project.name)}-${stamp(createdAt)}`;
  await fs.mkdir(options.outDir, { recursive: true });
  const finalDir = path.join(options.outDir, name);
  if (await fs.stat(finalDir).then(() => true, () => false)) throw new AppError('CONFLICT', `${finalDir} already exists`);
  const partial = path.join(options.outDir, `.${name}.partial-${process.pid}`);
  await fs.rm(partial, { recursive: true, force: true });
  await fs.mkdir(partial);

  const writers: FormatWriter[] = [];
  try {
    // ------------------------------------------------------------------ pass 1
    const excluded = Object.fromEntries(EXCLUSIONS.map((e) => [e, 0])) as Record<Exclusion, number>;
    const near = options.dedup !== 'none';
    const dedup = new DedupIndex({ near });
    const included = new Uint8Array(total);
    const priority = new Float64Array(total);
    const labelStart: number[] = [0];
    const labelFlat: number[] = [];
    const groups: (string | null)[] = [];
    const metaTypes = new Map<string, Set<string>>();
    let dialogue = false;
    const intentIndex = new Map(schema.intents.labels.map((l, i) => [l.name, i]));
    const sentimentIndex = new Map(schema.sentiment.levels.map((l, i) => [l.name, schema.intents.labels.length + i]));
    const entityBase = schema.intents.labels.length + schema.sentiment.levels.length;
    const entityIndex = new Map(schema.entities.types.map((t, i) => [t.name, entityBase + i]));
    const features: ExportFeatures = {
      multiLabel: schema.intents.multiLabel,
      intents: schema.intents.labels.map((l) => l.name),
      sentiments: schema.sentiment.levels.map((l) => l.name),
      entityTypes: schema.entities.types.map((t) => t.name),
      meta: [],
      dialogue: false,
    };

    const buildRecord = (p: Prepared, labels: ResolvedLabels, context: ChatTurn[]): { record: ExportRecord; types: string[] } => {
      const r = redactor.redact(p.row.text, labels.entities);
      const turn = p.meta.turn;
      const record: ExportRecord = {
        id: p.row.external_id ?? p.row.id,
        text: r.text,
        sentiment: labels.sentiment,
        entities: r.spans.map((s) => ({ start: s.start, end: s.end, label: s.label, text: spanText(r.text, s) })),
        dialogue_id: p.meta.dialogue_id === undefined || p.meta.dialogue_id === null ? null : String(p.meta.dialogue_id as string | number),
        turn: typeof turn === 'number' ? turn : typeof turn === 'string' && /^-?\d+$/.test(turn) ? Number(turn) : null,
        context,
        meta: Object.fromEntries(metaFields.map((f) => [f, scalarMeta(p.meta[f])])),
      };
      if (features.multiLabel) record.intents = labels.intents;
      else record.intent = labels.intents[0] ?? null;
      return { record, types: r.types };
    };

    // Pass 1 checks spans and labels on a checker without metadata types (not known yet).
    const preChecker = new RecordChecker({ ...features, meta: [], dialogue: false });
    let k = 0;
    for (const row of db.prepare<[string], Row>(ITEMS_SQL).iterate(project.id)) {
      if (k % 1000 === 0) {
        checkAbort();
        onProgress?.({ phase: 'scan', done: k, total });
      }
      const p = prepare(row, schema, options);
      if (p.meta.dialogue_id !== undefined && p.meta.dialogue_id !== null && p.meta.dialogue_id !== '') dialogue = true;
      if (typeof p.labels === 'string') {
        excluded[p.labels]++;
      } else {
        const { record } = buildRecord(p, p.labels, []);
        preChecker.check({ ...record, meta: {} });
        included[k] = 1;
        priority[k] = survivorPriority(p.adjudicated, p.versions.length);
        dedup.add(k, record.text);
        for (const f of metaFields) {
          const v = record.meta[f];
          if (v === null || v === undefined) continue;
          let s = metaTypes.get(f);
          if (!s) metaTypes.set(f, (s = new Set()));
          s.add(typeof v);
        }
        const ids = new Set<number>();
        for (const i of p.labels.intents) if (intentIndex.has(i)) ids.add(intentIndex.get(i)!);
        if (p.labels.sentiment !== null && sentimentIndex.has(p.labels.sentiment)) ids.add(sentimentIndex.get(p.labels.sentiment)!);
        for (const e of p.labels.entities) if (entityIndex.has(e.label)) ids.add(entityIndex.get(e.label)!);
        labelFlat.push(...ids);
        const g = options.groupBy ? p.meta[options.groupBy] : undefined;
        groups[k] = g === undefined || g === null || g === '' ? null : String(g as string | number);
      }
      labelStart[k + 1] = labelFlat.length;
      k++;
    }
    features.dialogue = dialogue;
    features.meta = metaFields.map((f) => {
      const t = metaTypes.get(f);
      const only = t && t.size === 1 ? [...t][0] : 'string';
      return { name: f, type: only === 'number' || only === 'boolean' ? only : 'string' };
    });
    dedup.finish({ priority });
    const survivorMode = options.dedup === 'near' ? 'near' : 'exact';
    const survives = (i: number) => included[i] === 1 && (options.dedup === 'none' || dedup.isSurvivor(i, survivorMode));

    const warnings: string[] = [];
    let splitOf: Uint8Array | null = null;
    const splitSizes: Record<string, number> = {};
    if (options.splits) {
      const units = new UnitBuilder();
      for (let i = 0; i < k; i++) {
        if (!survives(i)) continue;
        units.add(i, {
          labels: labelFlat.slice(labelStart[i], labelStart[i + 1]),
          group: groups[i],
          // Duplicates that are kept (dedup none) or near duplicates of an exact dedup land in one split.
          cluster: dedup.clusterOf(i, near ? 'near' : 'exact'),
        });
      }
      const built = units.finish({ labelCount: entityBase + schema.entities.types.length });
      const smallest = Math.min(...options.splits.filter((x) => x > 0)) / (options.splits[0] + options.splits[1] + options.splits[2]);
      if (built.items > 0 && built.largest > smallest * built.items) {
        warnings.push(
          `${built.largest} of ${built.items} items form one indivisible unit (same ${options.groupBy ?? 'group'} or chained duplicates), larger than the smallest split: the split ratios cannot be met`,
        );
      }
      const assignment = assignSplits(built, { ratios: options.splits, seed: options.seed });
      splitOf = assignment.splitOf;
      SPLIT_NAMES.forEach((s, j) => {
        if (assignment.sizes[j]! > 0) splitSizes[s] = assignment.sizes[j]!;
      });
    } else {
      let n = 0;
      for (let i = 0; i < k; i++) if (survives(i)) n++;
      splitSizes.data = n;
    }

    // ------------------------------------------------------------------ pass 2
    const writerOptions = { features, systemPrompt };
    const fileRows = new Map<string, { writer: FormatWriter; format: ExportFormat; split: string }>();
    const writerFor = new Map<string, FormatWriter[]>();
    for (const split of Object.keys(splitSizes)) {
      const list: FormatWriter[] = [];
      for (const format of formats) {
        const file = `${split}${FORMAT_FILE[format].suffix}`;
        const writer = createWriter(format, path.join(partial, file), writerOptions);
        writers.push(writer);
        list.push(writer);
        fileRows.set(file, { writer, format, split });
      }
      writerFor.set(split, list);
    }
    const redaction: Record<string, number> = {};
    const labelCounts: Record<string, Record<string, Record<string, number>>> = {};
    const annotators = new Set<string>();
    const turns = new Map<string, ChatTurn[]>();
    const wantContext = formats.some((f) => CHAT_FORMATS.includes(f));
    let written = 0;
    k = 0;
    for (const row of db.prepare<[string], Row>(ITEMS_SQL).iterate(project.id)) {
      if (k % 1000 === 0) {
        checkAbort();
        onProgress?.({ phase: 'write', done: k, total });
      }
      const i = k++;
      const meta = JSON.parse(row.meta_json || '{}') as Record<string, unknown>;
      const dialogueId = meta.dialogue_id === undefined || meta.dialogue_id === null || meta.dialogue_id === '' ? null : String(meta.dialogue_id as string);
      const history = wantContext && dialogueId !== null ? (turns.get(dialogueId) ?? []) : [];
      if (survives(i)) {
        const p = prepare(row, schema, options);
        const labels = p.labels as ResolvedLabels;
        const { record, types } = buildRecord(p, labels, history.slice());
        for (const t of types) redaction[t] = (redaction[t] ?? 0) + 1;
        for (const v of p.versions) annotators.add(v.annotatorId);
        const split = splitOf ? SPLIT_NAMES[splitOf[i]!]! : 'data';
        if (splitOf && splitOf[i] === NO_SPLIT) throw new Error(`export: item ${row.id} has no split`);
        const counts = (labelCounts[split] ??= { intent: {}, sentiment: {}, entity: {} });
        for (const x of labels.intents) counts.intent![x] = (counts.intent![x] ?? 0) + 1;
        if (labels.sentiment !== null) counts.sentiment![labels.sentiment] = (counts.sentiment![labels.sentiment] ?? 0) + 1;
        for (const e of labels.entities) counts.entity![e.label] = (counts.entity![e.label] ?? 0) + 1;
        for (const w of writerFor.get(split)!) {
          const pending = w.write(record);
          if (pending) await pending;
        }
        written++;
      }
      if (wantContext && dialogueId !== null) {
        const text = redactor.redact(row.text, []).text;
        const list = turns.get(dialogueId) ?? [];
        list.push({ role: roleOf(meta), content: text });
        if (list.length > CONTEXT_TURNS) list.shift();
        turns.set(dialogueId, list);
      }
    }
    checkAbort();
    onProgress?.({ phase: 'finish', done: total, total });
    const rowsOf = new Map<string, number>();
    for (const [file, { writer }] of fileRows) rowsOf.set(file, await writer.close());
    writers.length = 0;

    // ------------------------------------------------------------------ side files
    const sideFiles: string[] = [];
    const guideline = db
      .prepare<[string], { version: number; markdown: string }>('SELECT version, markdown FROM guidelines WHERE project_id = ? ORDER BY version DESC LIMIT 1')
      .get(project.id);
    if (guideline) {
      await fs.writeFile(path.join(partial, 'GUIDELINE.md'), guideline.markdown);
      sideFiles.push('GUIDELINE.md');
    }
    const chatFiles: ChatFile[] = [];
    for (const [file, { format }] of fileRows) if (CHAT_FORMATS.includes(format)) chatFiles.push({ format: format as ChatFile['format'], fileName: file });
    if (chatFiles.length) {
      await fs.writeFile(path.join(partial, 'dataset_info.json'), JSON.stringify(datasetInfo(chatFiles), null, 2) + '\n');
      sideFiles.push('dataset_info.json');
    }
    if (formats.includes('spacy-jsonl')) sideFiles.push(path.basename(await writeSpacyScript(partial)));

    const counts = dedup.counts();
    const dedupSummary = {
      mode: options.dedup,
      removed: options.dedup === 'none' ? 0 : options.dedup === 'exact' ? counts.exact_removed : counts.near_removed,
      ...counts,
    };
    const policy = { labels: options.labels, min_annotators: options.minAnnotators, include_gold: options.includeGold, redact: options.redact, dedup: options.dedup, group_by: options.groupBy ?? null };

    // README.md: the Hugging Face dataset card.
    const cardFormat = formats.includes('hf-jsonl') ? 'hf-jsonl' : formats.includes('parquet') ? 'parquet' : null;
    const header: Record<string, Yaml> = {
      language: ['zh'],
      license,
      task_categories: ['text-classification', 'token-classification'],
      pretty_name: project.name,
    };
    if (cardFormat) {
      header.configs = [
        {
          config_name: 'default',
          data_files: Object.keys(splitSizes).map((s) => ({ split: s === 'data' ? 'train' : s, path: `${s}${FORMAT_FILE[cardFormat].suffix}` })),
        },
      ];
    }
    header.dataset_info = {
      features: hfFeaturesYaml(features) as unknown as Yaml,
      splits: Object.entries(splitSizes).map(([s, n]) => ({ name: s === 'data' ? 'train' : s, num_examples: n })),
    };
    const body: string[] = [`# ${project.name}`, '', `Exported ${createdAt.toISOString()} by the annotation workstation ${APP_VERSION}.`, ''];
    body.push('## Splits and labels', '');
    for (const [s, n] of Object.entries(splitSizes)) {
      body.push(`### ${s} (${n} items)`, '');
      const c = labelCounts[s] ?? {};
      for (const kind of ['intent', 'sentiment', 'entity']) {
        const entries = Object.entries(c[kind] ?? {}).sort((a, b) => b[1] - a[1]);
        if (!entries.length) continue;
        body.push(`| ${kind} | count |`, '| --- | ---: |', ...entries.map(([l, v]) => `| ${l.replace(/\|/g, '\\|')} | ${v} |`), '');
      }
    }
    body.push('## Provenance', '');
    body.push(`- Label policy: ${options.labels} (min annotators ${options.minAnnotators}; gold items ${options.includeGold ? 'included' : 'left out'})`);
    body.push(`- Annotators who labelled the exported items: ${annotators.size}`);
    body.push(`- Excluded: ${Object.entries(excluded).filter(([, n]) => n > 0).map(([r, n]) => `${r} ${n}`).join(', ') || 'none'}`);
    body.push(`- Deduplication: ${options.dedup}; ${dedupSummary.removed} items removed (${counts.exact_clusters} exact clusters, ${counts.near_clusters} near clusters)`);
    body.push(
      `- Redaction: ${options.redact}; ${Object.entries(redaction).map(([t, n]) => `${t} ${n}`).join(', ') || 'nothing replaced'}`,
    );
    body.push(`- Label schema version: ${project.schema_version}`);
    body.push(`- Guideline version: ${guideline ? `${guideline.version} (GUIDELINE.md)` : 'none'}`);
    for (const w of warnings) body.push(`- Warning: ${w}`);
    body.push(`- Export schema version: ${EXPORT_SCHEMA_VERSION}; app version: ${APP_VERSION}`);
    body.push('', 'Entity offsets are Unicode code points, end-exclusive (Python `text[start:end] == entity["text"]`).', '');
    await fs.writeFile(path.join(partial, 'README.md'), `---\n${toYaml(header)}---\n\n${body.join('\n')}`);
    sideFiles.push('README.md');

    const files: ExportFileEntry[] = [];
    for (const file of [...fileRows.keys(), ...sideFiles]) {
      const { sha256, bytes } = await sha256File(path.join(partial, file));
      files.push({ path: file, rows: rowsOf.get(file) ?? null, bytes, sha256 });
    }
    checkAbort();
    const manifest = {
      project: { id: project.id, name: project.name, schema_version: project.schema_version },
      created_at: createdAt.toISOString(),
      app_version: APP_VERSION,
      export_schema_version: EXPORT_SCHEMA_VERSION,
      policy,
      formats,
      splits: options.splits ? { ratios: options.splits, sizes: splitSizes } : null,
      seed: options.seed,
      items: written,
      excluded,
      dedup: dedupSummary,
      redaction,
      guideline_version: guideline?.version ?? null,
      warnings,
      files,
    };
    await fs.writeFile(path.join(partial, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
    await fs.rename(partial, finalDir);
    return { dir: finalDir, items: written, excluded, dedup: dedupSummary, redaction, splits: splitSizes, files, warnings };
  } catch (error) {
    await Promise.allSettled(writers.map((w) => w.abort()));
    await fs.rm(partial, { recursive: true, force: true });
    throw error;
  }
}
