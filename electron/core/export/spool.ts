/**
 * The records of the first pass, kept on disk until the second pass writes them: one line per
 * record, `<header JSON>\t<hf-jsonl line>`, in export order (the header starts with the item
 * index), in the bundle's partial folder (so it goes wherever the partial folder goes, and is
 * removed before the rename). On disk rather than in memory, the export's memory stays bounded;
 * kept at all, redaction, label resolution and the database read happen once per item. The second
 * pass decodes only the headers: an hf-jsonl file takes the line's bytes as they are.
 */
import fs from 'node:fs/promises';
import { FileSink } from './formats/hfJsonl';

const READ_BYTES = 1 << 20;
const NEWLINE = 0x0a;

export class SpoolWriter {
  private readonly sink: FileSink;

  constructor(readonly path: string) {
    this.sink = new FileSink(path);
  }

  /** `header` is JSON (JSON.stringify never writes a raw tab or newline); `line` is one JSON line ending in its newline. */
  write(header: string, line: string): void | Promise<void> {
    return this.sink.writeText(`${header}\t${line}`);
  }

  close(): Promise<void> {
    return this.sink.end();
  }

  destroy(): Promise<void> {
    return this.sink.destroy();
  }
}

export interface SpoolLine {
  header: string;
  /** The hf-jsonl line as UTF-8 bytes, newline included (a view into the read buffer: copy to keep). */
  line: Buffer;
}

const TAB = 0x09;

/** The spool's lines, in batches (one promise per batch, not per line); only headers are decoded. */
export async function* readSpool(path: string): AsyncGenerator<SpoolLine[]> {
  const file = await fs.open(path, 'r');
  try {
    let rest: Buffer = Buffer.alloc(0);
    for (;;) {
      const chunk = Buffer.allocUnsafe(READ_BYTES);
      const { bytesRead } = await file.read(chunk, 0, READ_BYTES, null);
      if (bytesRead === 0) break;
      const data = rest.length ? Buffer.concat([rest, chunk.subarray(0, bytesRead)]) : chunk.subarray(0, bytesRead);
      const lines: SpoolLine[] = [];
      let start = 0;
      // Newline and tab bytes are never inside a UTF-8 sequence.
      for (let end = data.indexOf(NEWLINE, start); end >= 0; end = data.indexOf(NEWLINE, start)) {
        const tab = data.indexOf(TAB, start);
        if (tab < 0 || tab > end) throw new Error(`${path}: a spool line without its header`);
        lines.push({ header: data.toString('utf8', start, tab), line: data.subarray(tab + 1, end + 1) });
        start = end + 1;
      }
      rest = start < data.length ? Buffer.from(data.subarray(start)) : Buffer.alloc(0);
      if (lines.length) yield lines;
    }
    if (rest.length) throw new Error(`${path}: the spool ends in the middle of a line`);
  } finally {
    await file.close();
  }
}
