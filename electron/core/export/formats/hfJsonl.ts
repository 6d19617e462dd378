/**
 * JSON Lines for Hugging Face `datasets` (`load_dataset("json", …)` with the card's features), and
 * the streaming file machinery every text format shares.
 *
 * One object per item, keys in column order (see features.ts): `id`, `text`, `intent` (single-label
 * schema, a label name or null) or `intents` (multi-label, a list of names), `sentiment`,
 * `entities: [{"start", "end", "label", "text"}]` with offsets in Unicode code points, end-exclusive
 * (what Python's `str` indexing uses, so `text[start:end] == entity["text"]` holds there even for
 * emoji and CJK Extension B characters), then `dialogue_id` and `turn` for dialogue exports and the
 * chosen metadata fields. Labels are written as names; the card's `ClassLabel` features turn them
 * into ids when `datasets` loads the file.
 *
 * Streaming: lines are gathered into chunks of about 64 KiB and written to an `fs.WriteStream`; when
 * the stream's buffer is full, `write` returns a promise that resolves on `'drain'`, so at most one
 * chunk plus the stream's high-water mark is held, whatever the number of records.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import type { ExportRecord, FormatWriter, WriterOptions } from '../types';
import { hfObject, RecordChecker } from './features';

/** Characters gathered before one `stream.write`. */
const CHUNK_CHARS = 64 * 1024;

/**
 * An append-only file written through a `WriteStream` with backpressure. Text is gathered into
 * chunks; bytes are written as they come (the caller copies them first). Errors of the stream are
 * kept and thrown by the next call.
 */
export class FileSink {
  private readonly stream: WriteStream;
  private pending: string[] = [];
  private pendingChars = 0;
  private error: Error | null = null;
  private ended = false;

  constructor(readonly path: string) {
    this.stream = createWriteStream(path, { flags: 'w' });
    this.stream.on('error', (e) => {
      this.error ??= e;
    });
  }

  /** Adds text; resolves when the stream has room again (void when it already has). */
  writeText(text: string): void | Promise<void> {
    this.assertOpen();
    this.pending.push(text);
    this.pendingChars += text.length;
    if (this.pendingChars >= CHUNK_CHARS) return this.flushText();
  }

  /** Writes bytes the sink may keep (not to be reused by the caller); does not wait for room. */
  writeBytes(bytes: Uint8Array): void {
    this.assertOpen();
    this.flushTextNow();
    this.stream.write(bytes);
  }

  /** Resolves when the stream's buffer has drained below its high-water mark (void when it has). */
  room(): void | Promise<void> {
    this.assertOpen();
    if (!this.stream.writableNeedDrain) return;
    return new Promise<void>((resolve, reject) => {
      const done = (): void => {
        this.stream.off('drain', onDrain);
        this.stream.off('error', onError);
        this.stream.off('close', onClose);
      };
      const onDrain = (): void => {
        done();
        resolve();
      };
      const onError = (e: Error): void => {
        done();
        reject(e);
      };
      const onClose = (): void => {
        done();
        reject(this.error ?? new Error(`${this.path}: the file closed while writing`));
      };
      this.stream.on('drain', onDrain);
      this.stream.on('error', onError);
      this.stream.on('close', onClose);
    });
  }

  /** Writes what is pending, ends the stream and waits until the file is closed. */
  async end(): Promise<void> {
    this.assertOpen();
    this.flushTextNow();
    this.ended = true;
    await new Promise<void>((resolve, reject) => {
      const settle = (): void => (this.error ? reject(this.error) : resolve());
      if (this.stream.closed) return settle();
      this.stream.once('close', settle);
      this.stream.end();
    });
  }

  /** Drops what is pending and closes the file handle (the partial file stays for the caller to remove). */
  async destroy(): Promise<void> {
    this.ended = true;
    this.pending = [];
    this.pendingChars = 0;
    if (this.stream.closed) return;
    await new Promise<void>((resolve) => {
      this.stream.once('close', () => resolve());
      this.stream.destroy();
    });
  }

  private assertOpen(): void {
    if (this.error) throw this.error;
    if (this.ended) throw new Error(`${this.path}: the file is already closed`);
  }

  private flushTextNow(): void {
    if (!this.pendingChars) return;
    const text = this.pending.join('');
    this.pending = [];
    this.pendingChars = 0;
    this.stream.write(text, 'utf8');
  }

  private flushText(): void | Promise<void> {
    this.flushTextNow();
    return this.room();
  }
}

/**
 * A format that turns each record into one piece of text (a line, a block): header and footer text,
 * and `encode` returning null for a record the format leaves out (not counted as a row).
 */
export class TextFormatWriter implements FormatWriter {
  private readonly sink: FileSink;
  private rows = 0;
  private state: 'open' | 'closed' | 'aborted' = 'open';

  constructor(
    path: string,
    private readonly encode: (record: ExportRecord) => string | null,
    header = '',
  ) {
    this.sink = new FileSink(path);
    // A failure here is kept by the sink and thrown by the next write or close.
    if (header) void Promise.resolve(this.sink.writeText(header)).catch(() => undefined);
  }

  write(record: ExportRecord): void | Promise<void> {
    if (this.state !== 'open') throw new Error(`${this.sink.path}: write after ${this.state === 'closed' ? 'close' : 'abort'}`);
    const text = this.encode(record);
    if (text === null) return;
    this.rows++;
    return this.sink.writeText(text);
  }

  /**
   * Writes `rows` records' worth of bytes that `encode` gave earlier, UTF-8 encoded (the sink keeps
   * them: not to be reused by the caller); resolves when the file has room again.
   */
  writeEncoded(bytes: Uint8Array, rows: number): void | Promise<void> {
    if (this.state !== 'open') throw new Error(`${this.sink.path}: write after ${this.state === 'closed' ? 'close' : 'abort'}`);
    this.rows += rows;
    this.sink.writeBytes(bytes);
    return this.sink.room();
  }

  async close(): Promise<number> {
    if (this.state !== 'open') throw new Error(`${this.sink.path}: close after ${this.state === 'closed' ? 'close' : 'abort'}`);
    this.state = 'closed';
    await this.sink.end();
    return this.rows;
  }

  async abort(): Promise<void> {
    if (this.state === 'aborted') return;
    this.state = 'aborted';
    await this.sink.destroy();
  }
}

/** One hf-jsonl line (with its `\n`). */
export function hfJsonlLine(checker: RecordChecker, record: ExportRecord): string {
  return JSON.stringify(hfObject(checker.features, record, checker.check(record))) + '\n';
}

/**
 * The hf-jsonl line of a record with its metadata values as they are, before the metadata column
 * types are known: `checker` has the export's features without metadata; the line equals
 * `hfJsonlLine` under the final features whenever no value needs converting to its column's type
 * (a number or boolean in a text column). Written piece by piece (the same bytes as
 * JSON.stringify of hfObject, without building the object): the first pass writes a million.
 */
export function hfJsonlLineUntyped(checker: RecordChecker, metaFields: readonly string[], record: ExportRecord): string {
  const c = checker.check(record);
  const { features } = checker;
  const json = JSON.stringify;
  let line = `{"id":${json(record.id)},"text":${json(record.text)},`;
  line += features.multiLabel ? `"intents":${json(c.intents)},` : `"intent":${json(c.intent)},`;
  line += `"sentiment":${json(c.sentiment)},"entities":[`;
  c.entities.forEach((e, i) => {
    line += `${i ? ',' : ''}{"start":${e.start},"end":${e.end},"label":${json(e.label)},"text":${json(e.text)}}`;
  });
  line += ']';
  if (features.dialogue) line += `,"dialogue_id":${json(c.dialogueId)},"turn":${json(c.turn)}`;
  for (const f of metaFields) line += `,${json(f)}:${json(record.meta[f] ?? null)}`;
  return `${line}}\n`;
}

export function createHfJsonlWriter(path: string, options: WriterOptions): TextFormatWriter {
  const checker = new RecordChecker(options.features);
  return new TextFormatWriter(path, (record) => hfJsonlLine(checker, record));
}
