import { join } from 'node:path';
import { AppError } from '../../../shared/contract/errors';
import type { PrelabelStatus } from '../../../shared/contract/schemas';
import type { LabelSchema } from '../../../shared/domain/labelSchema';
import type { DB } from '../db/open';
import { stmt } from '../db/statements';
import { currentSchema, getProject } from '../db/repos/projects';
import { latestClassifier, latestEntityHead, saveModelVersion, type ModelVersionRow } from '../db/repos/modelVersions';
import { embedTexts } from '../ml/embedTexts';
import { labelForSchema, findPatternSpans } from '../ml/entities/patterns';
import type { ModelHost } from '../ml/modelHost';
import { classify, trainTextClassifier, type TextClassifier } from '../ml/textClassifier';
import type { Runtime } from '../runtime';
import { labeledExamples, type HeadTask } from './trainingData';
import { buildDictionary, matchDictionary, type Dictionary } from '../ml/entities/dictionary';
import { predictEntitiesOffThread } from '../ml/entities/headsWorker';
import type { EntityHead } from '../ml/entities/tokenHead';
import type { BertTokenAligner } from '../ml/entities/tokens';
import { alignerFor } from '../ml/evaluateEntities';
import { trainEntityVersion } from './entityTraining';
import type { Span } from '../../../shared/domain/spans';
import { writeTransaction } from '../db/write';

export type { HeadTask };

/** An entity head in use by a run: its stored version and its weights. */
interface EntityHeadInUse {
  version: ModelVersionRow;
  head: EntityHead;
}

/** One chunk's sentence vectors and, when an entity head is in use, its spans per item. */
interface EmbeddedChunk {
  vectors: Float32Array[];
  modelSpans: (Span & { score: number })[][] | null;
}

const PATTERN_VERSION = 'patterns@1';
const CHUNK = 256;
/** Chunks being embedded ahead of the one being written. */
const PREFETCH_CHUNKS = 2;
/** Items whose suggestions are written in one transaction before the labeling loop gets a turn. */
const WRITE_SLICE = 32;
/** After this many new submitted items the heads are retrained and the suggestions refreshed. */
export const RETRAIN_EVERY = 50;
/** Items whose vectors center the heads (a sample of the project, embedded once and cached). */
const POOL_SAMPLE = 2000;

interface Job {
  status: PrelabelStatus;
  abort: AbortController;
  done: Promise<void>;
}

/**
 * The machine's first pass: heads trained on the annotators' own labels (or, before there are any,
 * prototypes of the schema's descriptions and examples) suggest intents and sentiment for every
 * item; patterns suggest entities. Runs as a cancellable job with progress; the model itself runs
 * in its worker thread, so the labeling loop keeps its speed.
 */
export class PrelabelService {
  private readonly jobs = new Map<string, Job>();
  private readonly submittedSinceRun = new Map<string, number>();
  private aligner: { modelId: string; aligner: BertTokenAligner } | null = null;

  constructor(
    private readonly db: DB,
    private readonly rt: Runtime,
    private readonly host: ModelHost,
    private readonly emit: (status: PrelabelStatus) => void = () => {},
  ) {}

  /** Trains a new version of a head on the project's labels; zero-shot from the schema when there are none. */
  async train(projectId: string, task: HeadTask, signal?: AbortSignal): Promise<ModelVersionRow> {
    const schema = currentSchema(this.db, projectId);
    const examples = labeledExamples(this.db, projectId, task, schema);
    const pool = await this.poolVectors(projectId, signal);
    let classifier: TextClassifier;
    let kind: string;
    if (new Set(examples.map((e) => e.label)).size >= 2) {
      const x = await embedTexts(
        this.host,
        examples.map((e) => e.text),
        { cache: this.db, signal },
      );
      classifier = trainTextClassifier(
        x,
        examples.map((e) => e.label),
        { pool },
      );
      kind = 'supervised';
    } else {
      const seeds = schemaSeeds(schema, task);
      if (new Set(seeds.map((s) => s.label)).size < 2) throw new AppError('VALIDATION', `the schema has fewer than two ${task} labels to suggest`);
      const x = await embedTexts(
        this.host,
        seeds.map((s) => s.text),
        { cache: this.db, signal },
      );
      classifier = trainTextClassifier(
        x,
        seeds.map((s) => s.label),
        { pool },
      );
      kind = 'zero-shot';
    }
    return saveModelVersion(this.db, {
      id: this.rt.newId(),
      projectId,
      task,
      embedder: this.host.modelId,
      classifier,
      metrics: { source: kind, labels: classifier.labels.length, examples: classifier.trainedOn },
      now: this.rt.now().toISOString(),
    });
  }

  /**
   * Trains the next version of the token-level entity head on the spans people submitted; null when
   * there are too few of them (pattern and dictionary suggestions go on regardless).
   */
  trainEntities(projectId: string, signal?: AbortSignal): Promise<ModelVersionRow | null> {
    return trainEntityVersion(this.db, this.rt, this.host, this.tokenAligner(), projectId, currentSchema(this.db, projectId), signal);
  }

  /** The tokenizer aligner of the current model (read from its tokenizer.json once per model). */
  private tokenAligner(): BertTokenAligner {
    if (this.aligner?.modelId !== this.host.modelId) this.aligner = { modelId: this.host.modelId, aligner: alignerFor(this.host) };
    return this.aligner.aligner;
  }

  /** Starts (or returns the running) pre-labeling job of a project. */
  start(projectId: string): PrelabelStatus {
    getProject(this.db, projectId);
    const running = this.jobs.get(projectId);
    if (running?.status.state === 'running') return { ...running.status };
    const status: PrelabelStatus = {
      projectId,
      state: 'running',
      phase: 'training',
      done: 0,
      total: 0,
      suggestions: 0,
      versions: [],
      error: null,
      startedAt: this.rt.now().toISOString(),
      finishedAt: null,
    };
    const abort = new AbortController();
    const job: Job = { status, abort, done: Promise.resolve() };
    this.submittedSinceRun.set(projectId, 0);
    this.jobs.set(projectId, job);
    job.done = this.run(job);
    return { ...status };
  }

  /**
   * Counts a newly submitted item; once enough have come in since the last run, and the project
   * has been pre-labeled before, retrains and refreshes the suggestions in the background.
   */
  noteSubmitted(projectId: string): boolean {
    const n = (this.submittedSinceRun.get(projectId) ?? 0) + 1;
    this.submittedSinceRun.set(projectId, n);
    if (n < RETRAIN_EVERY || this.jobs.get(projectId)?.status.state === 'running') return false;
    if (this.host.check().state !== 'ready' || !latestClassifier(this.db, projectId, 'intents')) return false;
    this.start(projectId);
    return true;
  }

  get(projectId: string): PrelabelStatus | null {
    const job = this.jobs.get(projectId);
    return job ? { ...job.status } : null;
  }

  cancel(projectId: string): PrelabelStatus | null {
    this.jobs.get(projectId)?.abort.abort();
    return this.get(projectId);
  }

  async wait(projectId: string): Promise<PrelabelStatus | null> {
    await this.jobs.get(projectId)?.done;
    return this.get(projectId);
  }

  private async run(job: Job): Promise<void> {
    const { status, abort } = job;
    const projectId = status.projectId;
    let lastEmit = 0;
    const progress = (force = false) => {
      const now = Date.now();
      if (force || now - lastEmit > 150) {
        lastEmit = now;
        this.emit({ ...status });
      }
    };
    try {
      const schema = currentSchema(this.db, projectId);
      const heads: { task: HeadTask; version: ModelVersionRow; classifier: TextClassifier }[] = [];
      for (const task of ['intents', 'sentiment'] as const) {
        const labels = task === 'intents' ? schema.intents.labels : schema.sentiment.levels;
        if (labels.length < 2) continue;
        await this.train(projectId, task, abort.signal);
        const latest = latestClassifier(this.db, projectId, task)!;
        heads.push({ task, version: latest.row, classifier: latest.classifier });
        status.versions.push(`${task}@v${latest.row.version}`);
        progress(true);
      }
      const entityHead = await this.entityHeadFor(projectId, abort.signal);
      if (entityHead) {
        status.versions.push(`entities@v${entityHead.version.version}`);
        progress(true);
      }
      status.phase = 'suggesting';
      const labelFor = labelForSchema(schema.entities.types.map((t) => t.name));
      const dictionary = this.dictionary(projectId, new Set(schema.entities.types.map((t) => t.name)));
      const highRisk = new Set(schema.intents.labels.filter((l) => l.highRisk).map((l) => l.name));
      const total = stmt<[string], { n: number }>(this.db, 'SELECT item_count AS n FROM projects WHERE id = ?').get(projectId)?.n ?? 0;
      status.total = total;
      const page = stmt<[string, number, number], { id: string; ord: number; text: string }>(
        this.db,
        'SELECT id, ord, text FROM items WHERE project_id = ? AND ord > ? ORDER BY ord LIMIT ?',
      );
      // The model embeds the next chunks while this thread classifies and writes the current one;
      // two chunks ahead, so its queue never runs dry while this thread reads or stores the cache.
      const embed = (rows: { text: string }[]) => this.embedChunk(rows, entityHead, abort.signal);
      const ahead: { rows: { id: string; ord: number; text: string }[]; embedded: Promise<EmbeddedChunk> }[] = [];
      let lastOrd = 0;
      const prefetch = () => {
        const rows = page.all(projectId, lastOrd, CHUNK);
        if (!rows.length) return;
        lastOrd = rows[rows.length - 1]!.ord;
        const embedded = embed(rows);
        // An abandoned prefetch must not surface as an unhandled rejection.
        embedded.catch(() => undefined);
        ahead.push({ rows, embedded });
      };
      for (let i = 0; i < PREFETCH_CHUNKS; i++) prefetch();
      while (ahead.length) {
        const { rows: current, embedded } = ahead.shift()!;
        const currentVectors = await embedded;
        prefetch();
        // In slices, yielding between them, so labeling requests are served while a chunk is written.
        for (let from = 0; from < current.length; from += WRITE_SLICE) {
          const slice = {
            vectors: currentVectors.vectors.slice(from, from + WRITE_SLICE),
            modelSpans: currentVectors.modelSpans?.slice(from, from + WRITE_SLICE) ?? null,
          };
          status.suggestions += this.writeSuggestions(
            current.slice(from, from + WRITE_SLICE),
            slice,
            heads,
            labelFor,
            highRisk,
            dictionary,
            entityHead,
          );
          await new Promise((resolve) => setImmediate(resolve));
        }
        status.done += current.length;
        progress();
      }
      status.state = 'finished';
    } catch (error) {
      if (abort.signal.aborted || (error instanceof AppError && error.code === 'CANCELLED')) status.state = 'cancelled';
      else {
        status.state = 'failed';
        status.error = error instanceof Error ? error.message : String(error);
      }
    } finally {
      status.finishedAt = this.rt.now().toISOString();
      progress(true);
    }
  }

  /**
   * A new entity head when enough spans are labeled, else the newest stored one whose labels the
   * schema still has; null when there is none (patterns and dictionaries suggest entities alone).
   */
  private async entityHeadFor(projectId: string, signal: AbortSignal): Promise<EntityHeadInUse | null> {
    await this.trainEntities(projectId, signal);
    const latest = latestEntityHead(this.db, projectId);
    if (!latest || latest.row.embedder !== this.host.modelId) return null;
    const types = new Set(currentSchema(this.db, projectId).entities.types.map((t) => t.name));
    return latest.head.labels.every((l) => types.has(l)) ? { version: latest.row, head: latest.head } : null;
  }

  /**
   * Sentence vectors of a chunk (from the cache where they are); with an entity head, one model run
   * gives the token vectors too, and the heads worker turns them into spans.
   */
  private async embedChunk(rows: { text: string }[], entityHead: EntityHeadInUse | null, signal: AbortSignal): Promise<EmbeddedChunk> {
    const texts = rows.map((r) => r.text);
    if (!entityHead) return { vectors: await embedTexts(this.host, texts, { cache: this.db, signal }), modelSpans: null };
    const { vectors, batches, order } = await this.host.embedWithTokens(texts, signal);
    const tokenizer = join(this.host.check().dir, 'tokenizer.json');
    const predicted = await predictEntitiesOffThread(entityHead.head, tokenizer, batches);
    const modelSpans: (Span & { score: number })[][] = new Array<(Span & { score: number })[]>(texts.length);
    predicted.forEach((spans, k) => (modelSpans[order[k]!] = spans.map(({ start, end, label, score }) => ({ start, end, label, score }))));
    return { vectors, modelSpans };
  }

  /** Replaces each item's suggestions from the same heads in one transaction per chunk. */
  private writeSuggestions(
    rows: { id: string; text: string }[],
    embedded: EmbeddedChunk,
    heads: { task: HeadTask; version: ModelVersionRow; classifier: TextClassifier }[],
    labelFor: ReturnType<typeof labelForSchema>,
    highRisk: ReadonlySet<string>,
    dictionary: Dictionary | null,
    entityHead: EntityHeadInUse | null,
  ): number {
    const { vectors, modelSpans } = embedded;
    const now = this.rt.now().toISOString();
    const remove = stmt(this.db, 'DELETE FROM suggestions WHERE item_id = ? AND kind = ? AND model_version LIKE ?');
    const insert = stmt(
      this.db,
      'INSERT INTO suggestions (id, item_id, kind, value_json, score, scores_json, model_version, created_at, priority) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    let written = 0;
    writeTransaction(this.db, () => {
      rows.forEach((row, i) => {
        for (const head of heads) {
          const p = classify(head.classifier, vectors[i]!);
          const top = [...p.probs]
            .map((prob, j) => [head.classifier.labels[j]!, prob] as const)
            .sort((a, b) => b[1] - a[1])
            .slice(0, 5);
          remove.run(row.id, head.task, `${head.task}@%`);
          const value = head.task === 'intents' ? [p.label] : p.label;
          const priority = head.task === 'intents' ? p.margin - (highRisk.has(p.label) ? 1 : 0) : null;
          insert.run(
            this.rt.newId(),
            row.id,
            head.task,
            JSON.stringify(value),
            p.score,
            JSON.stringify({ top, margin: p.margin }),
            `${head.task}@v${head.version.version}`,
            now,
            priority,
          );
          written++;
        }
        const spans = mergeSpans(
          findPatternSpans(row.text, labelFor).map(({ start, end, label }) => ({ start, end, label })),
          dictionary ? matchDictionary(dictionary, row.text).map(({ start, end, label }) => ({ start, end, label })) : [],
        );
        remove.run(row.id, 'entities', 'patterns@%');
        if (spans.length) {
          insert.run(this.rt.newId(), row.id, 'entities', JSON.stringify(spans), null, null, PATTERN_VERSION, now, null);
          written++;
        }
        if (entityHead && modelSpans) {
          // The head's spans where no pattern or dictionary span is: those are exact where they match.
          const learned = modelSpans[i]!.filter((m) => !spans.some((p) => m.start < p.end && p.start < m.end));
          remove.run(row.id, 'entities', 'entities@%');
          if (learned.length) {
            const value = learned.map(({ start, end, label }) => ({ start, end, label }));
            const score = Math.min(...learned.map((m) => m.score));
            insert.run(this.rt.newId(), row.id, 'entities', JSON.stringify(value), score, null, `entities@v${entityHead.version.version}`, now, null);
            written++;
          }
        }
      });
    });
    return written;
  }

  /** The project's dictionary terms for entity types the schema has, or null when there are none. */
  private dictionary(projectId: string, types: ReadonlySet<string>): Dictionary | null {
    const entries = stmt<[string], { term: string; label: string }>(this.db, 'SELECT term, label FROM dictionary_terms WHERE project_id = ?')
      .all(projectId)
      .filter((e) => types.has(e.label));
    return entries.length ? buildDictionary(entries) : null;
  }

  private async poolVectors(projectId: string, signal?: AbortSignal): Promise<Float32Array[]> {
    const rows = stmt<[string, number], { text: string }>(
      this.db,
      'SELECT text FROM items WHERE project_id = ? AND ord % max(1, (SELECT item_count FROM projects WHERE id = items.project_id) / 2000) = 0 LIMIT ?',
    ).all(projectId, POOL_SAMPLE);
    return embedTexts(
      this.host,
      rows.map((r) => r.text),
      { cache: this.db, signal },
    );
  }
}

/** Pattern spans first; dictionary spans where they overlap none of them. */
function mergeSpans(first: { start: number; end: number; label: string }[], second: { start: number; end: number; label: string }[]) {
  const out = [...first];
  for (const s of second) if (!out.some((o) => s.start < o.end && o.start < s.end)) out.push(s);
  return out.sort((a, b) => a.start - b.start || a.end - b.end);
}

/** How customers sound at each common sentiment level, for a cold start before anyone has labeled. */
const SENTIMENT_SEEDS: Record<string, string[]> = {
  消极: ['太差了，我很生气', '非常失望，再也不买了', '怎么还没到，气死我了'],
  负面: ['太差了，我很生气', '非常失望，再也不买了'],
  中性: ['请问一下订单什么时候发货', '我想咨询一下这个问题', '好的，知道了'],
  积极: ['非常满意，谢谢你们', '太好了，服务真棒', '东西很好用，点赞'],
  正面: ['非常满意，谢谢你们', '太好了，服务真棒'],
};

/** Zero-shot seeds: each label's name with its description, and its examples. */
export function schemaSeeds(schema: LabelSchema, task: HeadTask): { text: string; label: string }[] {
  if (task === 'sentiment') {
    return schema.sentiment.levels.flatMap((l) => [
      { text: l.name, label: l.name },
      ...(SENTIMENT_SEEDS[l.name] ?? []).map((text) => ({ text, label: l.name })),
    ]);
  }
  return schema.intents.labels.flatMap((l) => [
    { text: l.description ? `${l.name}：${l.description}` : l.name, label: l.name },
    ...l.examples.map((e) => ({ text: e, label: l.name })),
  ]);
}
