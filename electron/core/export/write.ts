/**
 * The export's second pass: the spooled records in export order, each surviving one written to one
 * writer per format of its split; the redaction summary, label counts and annotators are gathered
 * from the records written.
 */
import path from 'node:path';
import type { LabelCounts } from './card';
import { createWriter } from './formats';
import { createHfJsonlWriter, type TextFormatWriter } from './formats/hfJsonl';
import { pauseForInteractiveCalls } from '../threads/interactiveCalls';
import { PAUSE_EVERY, PROGRESS_EVERY } from './scan';
import type { SplitPlan } from './plan';
import { NO_SPLIT, SPLIT_NAMES } from './splits';
import { readSpool } from './spool';
import { decodeHeader, type SpoolHeader } from './spoolHeader';
import { FORMAT_FILE, type ExportFeatures, type ExportFormat, type ExportRecord, type FormatWriter } from './types';

export interface WrittenFile {
  file: string;
  format: ExportFormat;
  rows: number;
}

export interface WriteResult {
  written: number;
  files: WrittenFile[];
  redaction: Record<string, number>;
  labelCounts: LabelCounts;
  /** Distinct annotators of the written records. */
  annotators: number;
}

export interface WriteOptions {
  dir: string;
  spoolPath: string;
  formats: readonly ExportFormat[];
  features: ExportFeatures;
  metaFields: readonly string[];
  /** The names the spool headers refer to by number. */
  names: readonly string[];
  systemPrompt: string;
  plan: SplitPlan;
  /** Called every PROGRESS_EVERY items with the item index reached (and may throw to stop). */
  progress(done: number): void;
  /** Writers opened so far, for the caller to abort on failure. */
  writers: FormatWriter[];
}

const BATCH_BYTES = 1 << 20;

/** Spooled hf-jsonl lines copied into one buffer per file, written a buffer at a time. */
class LineBatch {
  private buffer = Buffer.allocUnsafe(BATCH_BYTES);
  private used = 0;
  private rows = 0;

  constructor(private readonly writer: TextFormatWriter) {}

  add(line: Buffer): void | Promise<void> {
    const flushed = this.used + line.length > this.buffer.length ? this.flush() : undefined;
    if (line.length > this.buffer.length) this.buffer = Buffer.allocUnsafe(line.length);
    line.copy(this.buffer, this.used);
    this.used += line.length;
    this.rows++;
    return flushed;
  }

  /** Hands the buffer to the file (which keeps it). */
  flush(): void | Promise<void> {
    if (!this.rows) return;
    const pending = this.writer.writeEncoded(this.buffer.subarray(0, this.used), this.rows);
    this.buffer = Buffer.allocUnsafe(BATCH_BYTES);
    this.used = 0;
    this.rows = 0;
    return pending;
  }
}

/** The record the writers take, from its spooled hf-jsonl object (entities sorted, metadata untyped). */
function recordOf(line: Buffer, header: SpoolHeader, features: ExportFeatures, metaFields: readonly string[]): ExportRecord {
  const o = JSON.parse(line.toString('utf8')) as Record<string, unknown> &
    Pick<ExportRecord, 'id' | 'text' | 'sentiment' | 'entities' | 'intent' | 'intents'>;
  const record: ExportRecord = {
    id: o.id,
    text: o.text,
    sentiment: o.sentiment,
    entities: o.entities,
    dialogue_id: features.dialogue ? (o.dialogue_id as string | null) : null,
    turn: features.dialogue ? (o.turn as number | null) : null,
    context: header.context ?? [],
    meta: Object.fromEntries(metaFields.map((f) => [f, o[f] as string | number | boolean | null])),
  };
  if (features.multiLabel) record.intents = o.intents;
  else record.intent = o.intent;
  return record;
}

export async function writeSplits(o: WriteOptions): Promise<WriteResult> {
  const { plan } = o;
  const writerOptions = { features: o.features, systemPrompt: o.systemPrompt };
  const files: { file: string; format: ExportFormat; writer: FormatWriter }[] = [];
  // Per split: the hf-jsonl writer (it takes the spooled line as it is) and the others.
  const writerFor = new Map<string, { hf: TextFormatWriter | null; others: FormatWriter[] }>();
  for (const split of Object.keys(plan.splitSizes)) {
    const entry: { hf: TextFormatWriter | null; others: FormatWriter[] } = { hf: null, others: [] };
    for (const format of o.formats) {
      const file = `${split}${FORMAT_FILE[format].suffix}`;
      const target = path.join(o.dir, file);
      const writer = format === 'hf-jsonl' ? (entry.hf = createHfJsonlWriter(target, writerOptions)) : createWriter(format, target, writerOptions);
      if (format !== 'hf-jsonl') entry.others.push(writer);
      o.writers.push(writer);
      files.push({ file, format, writer });
    }
    writerFor.set(split, entry);
  }
  const stringColumn = o.features.meta.map((m) => m.type === 'string');
  const batches = new Map<TextFormatWriter, LineBatch>();
  const redaction: Record<string, number> = {};
  const labelCounts: LabelCounts = {};
  const annotators = new Set<number>();
  let written = 0;
  let nextProgress = 0;
  for await (const lines of readSpool(o.spoolPath)) {
    for (const { header: headerJson, line } of lines) {
      const header = decodeHeader(headerJson, o.names);
      const { index: i, types, annotators: by, nonString, intents, sentiment, entityLabels } = header;
      if (i >= nextProgress) {
        o.progress(i);
        nextProgress = (Math.floor(i / PROGRESS_EVERY) + 1) * PROGRESS_EVERY;
      }
      if (!plan.survives(i)) continue;
      // On a job thread, the labeling loop's calls go first (a no-op elsewhere).
      if (written % PAUSE_EVERY === 0) pauseForInteractiveCalls();
      for (const t of types) redaction[t] = (redaction[t] ?? 0) + 1;
      for (const a of by) annotators.add(a);
      if (plan.splitOf && plan.splitOf[i] === NO_SPLIT) throw new Error(`export: item ${i} has no split`);
      const split = plan.splitOf ? SPLIT_NAMES[plan.splitOf[i]!]! : 'data';
      const counts = (labelCounts[split] ??= { intent: {}, sentiment: {}, entity: {} });
      for (const x of intents) counts.intent![x] = (counts.intent![x] ?? 0) + 1;
      if (sentiment !== null) counts.sentiment![sentiment] = (counts.sentiment![sentiment] ?? 0) + 1;
      for (const l of entityLabels) counts.entity![l] = (counts.entity![l] ?? 0) + 1;
      const { hf, others } = writerFor.get(split)!;
      // The spooled line is final unless a number or boolean sits in a column typed string.
      const retype = nonString.some((n) => stringColumn[n]);
      const record = others.length || retype ? recordOf(line, header, o.features, o.metaFields) : null;
      if (hf) {
        let batch = batches.get(hf);
        if (!batch) batches.set(hf, (batch = new LineBatch(hf)));
        if (retype) {
          const flushed = batch.flush();
          if (flushed) await flushed;
        }
        const pending = retype ? hf.write(record!) : batch.add(line);
        if (pending) await pending;
      }
      for (const w of others) {
        const pending = w.write(record!);
        if (pending) await pending;
      }
      written++;
    }
  }
  for (const batch of batches.values()) await batch.flush();
  const out: WrittenFile[] = [];
  for (const { file, format, writer } of files) out.push({ file, format, rows: await writer.close() });
  o.writers.length = 0;
  return { written, files: out, redaction, labelCounts, annotators: annotators.size };
}
