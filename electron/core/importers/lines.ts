import { createReadStream } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { Transform } from 'node:stream';
import type { TextEncoding } from './encoding';

/** A customer-service utterance never comes near this; a longer line is reported, not buffered. */
export const MAX_LINE_BYTES = 1024 * 1024;

export type RawLine = { line: number; text: string } | { line: number; error: string };

export interface ByteProgress {
  bytesRead: number;
}

/**
 * Streams a text file as batches of decoded lines (1-based numbers), never holding more than one
 * line plus one read chunk in memory. CR before LF is dropped; blank lines are skipped.
 * UTF-8 and GB18030 are split on raw bytes (LF cannot occur inside a multi-byte character in
 * either), so each line is decoded on its own and an undecodable line is reported with its number.
 */
export async function* readLines(
  path: string,
  encoding: TextEncoding,
  bomLength: number,
  progress: ByteProgress,
  maxLineBytes = MAX_LINE_BYTES,
): AsyncGenerator<RawLine[]> {
  const decodeLine = lineDecoder(encoding);
  let source: AsyncIterable<Buffer> = createReadStream(path, { start: bomLength, highWaterMark: 256 * 1024 });
  if (encoding === 'utf-16le' || encoding === 'utf-16be') {
    source = (source as NodeJS.ReadableStream).pipe(utf16ToUtf8(encoding)) as unknown as AsyncIterable<Buffer>;
  }
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let oversized = false;
  let lineNo = 0;
  progress.bytesRead = bomLength;

  const finishLine = (batch: RawLine[], tail: Buffer): void => {
    lineNo++;
    if (oversized) {
      batch.push({ line: lineNo, error: `line is longer than ${maxLineBytes} bytes (${pendingBytes + tail.length} bytes)` });
    } else {
      let bytes = pending.length ? Buffer.concat([...pending, tail]) : tail;
      if (bytes.length && bytes[bytes.length - 1] === 0x0d) bytes = bytes.subarray(0, bytes.length - 1);
      if (bytes.length) {
        const text = decodeLine(bytes);
        if (text === null) batch.push({ line: lineNo, error: `not valid ${encoding.toUpperCase()} text` });
        else if (text.trim()) batch.push({ line: lineNo, text });
      }
    }
    pending = [];
    pendingBytes = 0;
    oversized = false;
  };

  for await (const chunk of source) {
    const batch: RawLine[] = [];
    let start = 0;
    for (let nl = chunk.indexOf(0x0a); nl >= 0; nl = chunk.indexOf(0x0a, start)) {
      finishLine(batch, chunk.subarray(start, nl));
      start = nl + 1;
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start);
      if (!oversized && pendingBytes + rest.length > maxLineBytes) {
        oversized = true;
        pending = [];
      }
      if (!oversized) pending.push(Buffer.from(rest));
      pendingBytes += rest.length;
    }
    progress.bytesRead += encoding.startsWith('utf-16') ? chunk.length * 2 : chunk.length;
    if (batch.length) yield batch;
  }
  if (pendingBytes > 0 || oversized) {
    const batch: RawLine[] = [];
    finishLine(batch, Buffer.alloc(0));
    if (batch.length) yield batch;
  }
}

function lineDecoder(encoding: TextEncoding): (bytes: Buffer) => string | null {
  if (encoding === 'gb18030') {
    const decoder = new TextDecoder('gb18030', { fatal: true });
    return (bytes) => {
      try {
        return decoder.decode(bytes);
      } catch {
        return null;
      }
    };
  }
  if (encoding === 'utf-16le' || encoding === 'utf-16be') {
    // UTF-16 arrives transcoded to UTF-8; what the transcoder could not decode became U+FFFD.
    return (bytes) => {
      const text = bytes.toString('utf8');
      return text.includes('\uFFFD') ? null : text;
    };
  }
  return (bytes) => (isUtf8(bytes) ? bytes.toString('utf8') : null);
}

/** Transcodes a UTF-16 byte stream to UTF-8 so the byte-level splitter can work on it. */
export function utf16ToUtf8(encoding: 'utf-16le' | 'utf-16be'): Transform {
  const decoder = new TextDecoder(encoding);
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      done(null, Buffer.from(decoder.decode(chunk, { stream: true }), 'utf8'));
    },
    flush(done) {
      done(null, Buffer.from(decoder.decode(), 'utf8'));
    },
  });
}

/** A stream of the file's text as UTF-8 bytes, whatever its encoding (for the CSV parser). */
export function utf8Stream(path: string, encoding: TextEncoding, bomLength: number, progress: ByteProgress): NodeJS.ReadableStream {
  const raw = createReadStream(path, { start: bomLength, highWaterMark: 256 * 1024 });
  progress.bytesRead = bomLength;
  raw.on('data', (chunk) => {
    progress.bytesRead += chunk.length;
  });
  if (encoding === 'utf-8') return raw;
  const decoder = new TextDecoder(encoding);
  return raw.pipe(
    new Transform({
      transform(chunk: Buffer, _enc, done) {
        done(null, Buffer.from(decoder.decode(chunk, { stream: true }), 'utf8'));
      },
      flush(done) {
        done(null, Buffer.from(decoder.decode(), 'utf8'));
      },
    }),
  );
}
