import { Transform } from 'node:stream';

export const TOO_LONG_MARKER = '\u0000record-too-long:';

const LF = 0x0a;

/**
 * Sits in front of the CSV parser and keeps any one record under `maxBytes`: a longer record is
 * dropped as it streams by (never buffered) and replaced by a one-field marker record, so the parser
 * keeps its place and the record is reported as one bad line. Quote-aware, so newlines inside quoted
 * fields do not end a record; the newlines of a dropped record are kept, so line numbers stay right.
 */
export function csvRecordGuard(maxBytes: number, quote: number | null): Transform {
  let inQuotes = false;
  let carry: Buffer[] = [];
  let carryBytes = 0;
  let dropping = false;
  let droppedBytes = 0;
  let droppedNewlines = 0;

  const marker = (): Buffer => Buffer.from(`"${TOO_LONG_MARKER}${droppedBytes}${'\n'.repeat(droppedNewlines)}"\n`);

  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      const out: Buffer[] = [];
      let start = 0;
      for (let i = 0; i < chunk.length; i++) {
        const byte = chunk[i]!;
        if (byte === quote) inQuotes = !inQuotes;
        else if (byte === LF) {
          if (inQuotes) {
            if (dropping) droppedNewlines++;
            continue;
          }
          if (dropping) {
            droppedBytes += i - start;
            out.push(marker());
            dropping = false;
          } else {
            out.push(...carry, chunk.subarray(start, i + 1));
          }
          carry = [];
          carryBytes = 0;
          start = i + 1;
          continue;
        }
        if (!dropping && carryBytes + (i - start) >= maxBytes) {
          dropping = true;
          droppedBytes = carryBytes + (i - start);
          droppedNewlines = 0;
          carry = [];
          carryBytes = 0;
          start = i;
        }
      }
      if (dropping) {
        droppedBytes += chunk.length - start;
      } else if (start < chunk.length) {
        carry.push(Buffer.from(chunk.subarray(start)));
        carryBytes += chunk.length - start;
      }
      done(null, out.length ? Buffer.concat(out) : undefined);
    },
    flush(done) {
      if (dropping) done(null, marker());
      else done(null, carry.length ? Buffer.concat(carry) : undefined);
    },
  });
}
