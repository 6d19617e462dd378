import { Readable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { csvRecordGuard, TOO_LONG_MARKER } from '../../electron/core/importers/csvGuard';

async function guard(input: string, maxBytes: number, chunkSize = 3): Promise<string> {
  const bytes = Buffer.from(input);
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunkSize) chunks.push(bytes.subarray(i, i + chunkSize));
  const out: Buffer[] = [];
  for await (const chunk of Readable.from(chunks).pipe(csvRecordGuard(maxBytes, 0x22))) out.push(chunk as Buffer);
  return Buffer.concat(out).toString();
}

describe('csvRecordGuard', () => {
  it('passes records under the limit through unchanged, whatever the chunking', async () => {
    const csv = 'text,intent\n"多行\n文本",投诉\n短,查询订单\nlast';
    for (const size of [1, 2, 5, 64]) expect(await guard(csv, 100, size)).toBe(csv);
  });

  it('replaces a long record by a marker that keeps its newlines, so the next record keeps its line number', async () => {
    const csv = 'text,intent\n"一段很长很长的文字\n还跨了两行\n的记录",投诉\n之后,查询订单\n';
    const out = await guard(csv, 20);
    const records = parse(out, { info: true, relax_column_count: true }) as unknown as { record: string[]; info: { lines: number } }[];
    expect(records.map((r) => r.record)).toEqual([
      ['text', 'intent'],
      [`${TOO_LONG_MARKER}${Buffer.byteLength(csv.split('\n').slice(1, 4).join('\n'))}\n\n`],
      ['之后', '查询订单'],
    ]);
    expect(records.map((r) => r.info.lines)).toEqual([1, 4, 5]);
  });

  it('a long last record without a final newline is still replaced', async () => {
    const out = await guard('text\nshort\n' + 'x'.repeat(50), 10);
    expect(out).toBe(`text\nshort\n"${TOO_LONG_MARKER}50"\n`);
  });
});
