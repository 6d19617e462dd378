/**
 * Parquet: the hf-jsonl records with an explicit schema, snappy-compressed, in row groups of at most
 * `rowGroupSize` rows (default 10,000), with the `huggingface` key-value metadata
 * `{"info": {"features": hfFeatures(...)}}` so `datasets` reads the columns with the card's features.
 *
 * Schema (every field OPTIONAL, as pyarrow writes an HF dataset):
 *   id, text                  BYTE_ARRAY (UTF8)
 *   intent | intents          INT64 class id | LIST<INT64 class id>
 *   sentiment                 INT64 class id
 *   entities                  LIST<STRUCT<start: INT32, end: INT32, label: INT64 class id, text: UTF8>>
 *   dialogue_id, turn         UTF8, INT32                        (dialogue exports)
 *   <meta>                    UTF8 | DOUBLE | BOOLEAN           (chosen metadata fields)
 *
 * Class labels are written as their ids (int64, the index in the schema version's label list), as
 * `datasets` itself stores a `ClassLabel` column; the names are in the `huggingface` metadata (and
 * the card). Strings would also load (`ClassLabel.cast_storage` accepts them) but an int column is
 * what `Dataset.to_parquet` writes, so a file we write and one `datasets` writes look the same.
 *
 * Streaming: hyparquet-writer's `ParquetWriter` writes one row group per `write` call and calls the
 * writer's `flush` after each, so records are buffered as column arrays until `rowGroupSize` rows,
 * then encoded as one row group. The encoded bytes go to an `fs.WriteStream` in chunks of 1 MiB
 * (copied, as hyparquet reuses its buffer), and the next row group waits for the stream to drain.
 * Memory: one row group of records in column arrays plus its encoding (hyparquet builds level and
 * value arrays per leaf column, then the compressed pages), about a few hundred bytes per short
 * record; the footer (row group and offset-index entries) grows with the number of row groups only.
 */
import { ByteWriter, ParquetWriter, type SchemaElement } from 'hyparquet-writer';
import type { ExportFeatures, ExportRecord, FormatWriter, WriterOptions } from '../types';
import { huggingfaceMetadata, RecordChecker } from './features';
import { FileSink } from './hfJsonl';

export const DEFAULT_ROW_GROUP_SIZE = 10_000;

/** Bytes hyparquet may gather before they are handed to the stream. */
const CHUNK_BYTES = 1 << 20;

const utf8 = (name: string): SchemaElement => ({ name, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' });
const int64 = (name: string): SchemaElement => ({ name, type: 'INT64', repetition_type: 'OPTIONAL' });
const int32 = (name: string): SchemaElement => ({ name, type: 'INT32', repetition_type: 'OPTIONAL' });
const META_ELEMENT = {
  string: utf8,
  number: (name: string): SchemaElement => ({ name, type: 'DOUBLE', repetition_type: 'OPTIONAL' }),
  boolean: (name: string): SchemaElement => ({ name, type: 'BOOLEAN', repetition_type: 'OPTIONAL' }),
} as const;

/** A 3-level Parquet LIST whose element is `element` (followed by its children when it is a group). */
function list(name: string, element: SchemaElement, children: SchemaElement[] = []): SchemaElement[] {
  return [
    { name, repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
    { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
    { ...element, name: 'element' },
    ...children,
  ];
}

/** The Parquet schema of an export (flat pre-order list, as Parquet's footer holds it). */
export function parquetSchema(features: ExportFeatures): SchemaElement[] {
  const top: SchemaElement[][] = [[utf8('id')], [utf8('text')]];
  top.push(features.multiLabel ? list('intents', int64('element')) : [int64('intent')]);
  top.push([int64('sentiment')]);
  top.push(
    list('entities', { name: 'element', repetition_type: 'OPTIONAL', num_children: 4 }, [int32('start'), int32('end'), int64('label'), utf8('text')]),
  );
  if (features.dialogue) top.push([utf8('dialogue_id')], [int32('turn')]);
  for (const { name, type } of features.meta) top.push([META_ELEMENT[type](name)]);
  return [{ name: 'schema', num_children: top.length }, ...top.flat()];
}

/** hyparquet's byte writer, handing its bytes to a file stream instead of growing without bound. */
class StreamByteWriter extends ByteWriter {
  constructor(private readonly sink: FileSink) {
    super(64 * 1024);
  }

  override ensure(size: number): void {
    if (this.index >= CHUNK_BYTES) this.push();
    super.ensure(size);
  }

  /** Called by ParquetWriter after each row group: hand over the bytes, then wait for room. */
  flush(): void | Promise<void> {
    this.push();
    return this.sink.room();
  }

  override finish(): void {
    this.push();
  }

  private push(): void {
    if (!this.index) return;
    this.sink.writeBytes(new Uint8Array(this.buffer.slice(0, this.index)));
    this.index = 0;
  }
}

interface Column {
  name: string;
  data: unknown[];
}

class ParquetFormatWriter implements FormatWriter {
  private readonly sink: FileSink;
  private readonly pq: ParquetWriter;
  private readonly checker: RecordChecker;
  private readonly rowGroupSize: number;
  private readonly columns: Column[];
  private readonly ids: bigint[];
  private buffered = 0;
  private rows = 0;
  private state: 'open' | 'closed' | 'aborted' = 'open';

  constructor(path: string, options: WriterOptions) {
    const { features } = options;
    this.rowGroupSize = options.rowGroupSize ?? DEFAULT_ROW_GROUP_SIZE;
    if (!Number.isInteger(this.rowGroupSize) || this.rowGroupSize < 1)
      throw new Error(`parquet: rowGroupSize must be a positive integer, got ${this.rowGroupSize}`);
    this.checker = new RecordChecker(features);
    const schema = parquetSchema(features);
    const kv = [{ key: 'huggingface', value: huggingfaceMetadata(features) }];
    this.columns = schemaColumns(schema).map((name) => ({ name, data: [] }));
    const most = Math.max(features.intents.length, features.sentiments.length, features.entityTypes.length);
    this.ids = Array.from({ length: most }, (_, i) => BigInt(i));
    this.sink = new FileSink(path);
    this.pq = new ParquetWriter({
      writer: new StreamByteWriter(this.sink),
      schema,
      codec: 'SNAPPY',
      kvMetadata: kv,
      createdBy: 'annotation-workstation export (hyparquet-writer)',
    });
  }

  write(record: ExportRecord): void | Promise<void> {
    if (this.state !== 'open') throw new Error(`parquet: write after ${this.state === 'closed' ? 'close' : 'abort'}`);
    const { features } = this.checker;
    const c = this.checker.check(record);
    const id = (i: number | null): bigint | null => (i === null ? null : this.ids[i]!);
    const values: unknown[] = [record.id, record.text];
    values.push(features.multiLabel ? c.intentIds.map((i) => this.ids[i]!) : id(c.intentId));
    values.push(id(c.sentimentId));
    values.push(c.entities.map((s, k) => ({ start: s.start, end: s.end, label: this.ids[c.entityIds[k]!]!, text: s.text })));
    if (features.dialogue) values.push(c.dialogueId, c.turn);
    values.push(...c.meta);
    for (let i = 0; i < this.columns.length; i++) this.columns[i]!.data.push(values[i]);
    this.buffered++;
    this.rows++;
    if (this.buffered >= this.rowGroupSize) return this.writeGroup();
  }

  async close(): Promise<number> {
    if (this.state !== 'open') throw new Error(`parquet: close after ${this.state === 'closed' ? 'close' : 'abort'}`);
    this.state = 'closed';
    if (this.buffered) await this.writeGroup();
    await this.pq.finish();
    await this.sink.end();
    return this.rows;
  }

  async abort(): Promise<void> {
    if (this.state === 'aborted') return;
    this.state = 'aborted';
    for (const column of this.columns) column.data = [];
    await this.sink.destroy();
  }

  private writeGroup(): void | Promise<void> {
    const size = this.buffered;
    const columnData = this.columns.map(({ name, data }) => ({ name, data }));
    for (const column of this.columns) column.data = [];
    this.buffered = 0;
    return this.pq.write({ columnData, rowGroupSize: size });
  }
}

/** Top-level column names of a flat schema. */
function schemaColumns(schema: SchemaElement[]): string[] {
  const names: string[] = [];
  let i = 1;
  const skip = (): void => {
    const children = schema[i]!.num_children ?? 0;
    i++;
    for (let k = 0; k < children; k++) skip();
  };
  while (i < schema.length) {
    names.push(schema[i]!.name);
    skip();
  }
  return names;
}

export function createParquetWriter(path: string, options: WriterOptions): FormatWriter {
  return new ParquetFormatWriter(path, options);
}
