import { open } from 'node:fs/promises';
import { isUtf8 } from 'node:buffer';
import { AppError } from '../../../shared/contract/errors';

export type TextEncoding = 'utf-8' | 'gb18030' | 'utf-16le' | 'utf-16be';

export interface Sniffed {
  encoding: TextEncoding;
  /** Bytes of byte-order mark to skip. */
  bomLength: number;
  sizeBytes: number;
  /** The first bytes of the file, for previews. */
  head: Buffer;
}

const SAMPLE_BYTES = 64 * 1024;

/**
 * Decides how a file is encoded from its first 64 KiB: a BOM wins; otherwise UTF-8 when most of its
 * non-ASCII lines are valid UTF-8 (so one bad line deep inside is reported as a bad line, not as a
 * wrong guess), else GB18030 when it decodes as such. Refuses empty and binary files.
 */
export async function sniffFile(path: string): Promise<Sniffed> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw fileError(path, error);
  }
  try {
    const { size, head } = await readHead(path, handle);
    return { ...detect(path, head, size > head.length), sizeBytes: size, head };
  } finally {
    await handle.close();
  }
}

async function readHead(path: string, handle: Awaited<ReturnType<typeof open>>): Promise<{ size: number; head: Buffer }> {
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    if (stat.size === 0) throw new AppError('BAD_FILE', `${path}: the file is empty`, { file: path, reason: 'empty' });
    const buf = Buffer.alloc(Math.min(stat.size, SAMPLE_BYTES));
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    return { size: stat.size, head: buf.subarray(0, bytesRead) };
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw fileError(path, error);
  }
}

function detect(path: string, head: Buffer, truncated: boolean): { encoding: TextEncoding; bomLength: number } {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', bomLength: 3 };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2 };
  const nul = head.indexOf(0);
  if (nul >= 0) {
    throw new AppError('BAD_FILE', `${path}: this is not a text file (binary data at byte ${nul}); save it as UTF-8 text`, {
      file: path,
      reason: 'binary',
      offset: nul,
    });
  }
  // Drop a last line that may be cut in the middle of a character.
  const lastNewline = head.lastIndexOf(0x0a);
  const sample = truncated && lastNewline > 0 ? head.subarray(0, lastNewline) : head;
  if (isUtf8(sample)) return { encoding: 'utf-8', bomLength: 0 };
  const lines = splitLines(sample).filter((l) => l.some((b) => b >= 0x80));
  const validUtf8 = lines.filter((l) => isUtf8(l)).length;
  if (validUtf8 * 2 >= lines.length) return { encoding: 'utf-8', bomLength: 0 };
  if (decodes('gb18030', sample)) return { encoding: 'gb18030', bomLength: 0 };
  const validGb = lines.filter((l) => decodes('gb18030', l)).length;
  if (validGb * 2 >= lines.length) return { encoding: 'gb18030', bomLength: 0 };
  throw new AppError('BAD_FILE', `${path}: the text is neither UTF-8 nor GB18030; save it as UTF-8`, {
    file: path,
    reason: 'encoding',
  });
}

function splitLines(buf: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let start = 0;
  for (let i = buf.indexOf(0x0a); i >= 0; i = buf.indexOf(0x0a, start)) {
    out.push(buf.subarray(start, i));
    start = i + 1;
  }
  if (start < buf.length) out.push(buf.subarray(start));
  return out;
}

function decodes(encoding: string, bytes: Uint8Array): boolean {
  try {
    new TextDecoder(encoding, { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

export function fileError(path: string, error: unknown): AppError {
  const code = (error as NodeJS.ErrnoException)?.code;
  const reason =
    code === 'ENOENT'
      ? 'the file does not exist'
      : code === 'EISDIR'
        ? 'this is a folder, not a file'
        : code === 'EACCES'
          ? 'permission denied'
          : `cannot read it (${code ?? 'unknown error'})`;
  return new AppError('BAD_FILE', `${path}: ${reason}`, { file: path, reason: code ?? 'io' });
}
