import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvNumber, csvCell, csvChunks, neutralizeFormula, writeCsv, type CsvValue } from '../../electron/core/csv/writeCsv';

const DANGEROUS = ['=HYPERLINK("http://x","y")', '+1', '-2+3', '@SUM(A1)', '\tleading tab', '\rleading CR', '=', '-', "=cmd|' /C calc'!A0"];
const SAFE = ['你好，世界', '👍🏽 👨‍👩‍👧 emoji', 'say "hi"', 'a,b,c', 'line 1\nline 2', 'crlf\r\ninside', ' =leading space', "'already quoted", '', '1+1', 'x=1'];

const readBack = (csv: string): string[][] => parse(csv, { bom: true, relax_column_count: true, skip_empty_lines: false }) as string[][];

describe('CSV cells: RFC 4180 quoting and formula neutralisation', () => {
  it('puts a quote before text that would start a formula, and nothing before anything else', () => {
    for (const text of DANGEROUS) expect(neutralizeFormula(text)).toBe(`'${text}`);
    for (const text of SAFE) expect(neutralizeFormula(text)).toBe(text);
  });

  it('quotes a cell only when it holds a quote, a comma or a line break, doubling its quotes', () => {
    expect(csvCell('plain 中文')).toBe('plain 中文');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvCell('\rleading CR')).toBe(`"'\rleading CR"`);
    expect(csvCell('\tleading tab')).toBe(`'\tleading tab`);
  });

  it('writes numbers the app computed as numbers, text that looks like a number as text', () => {
    expect(csvCell(-0.25)).toBe('-0.25');
    expect(csvCell(-1e-7)).toBe('-1e-7');
    expect(csvCell(CsvNumber.of(-0.25, 3))).toBe('-0.250');
    expect(csvCell(CsvNumber.of(12.345, 1))).toBe('12.3');
    expect(String(CsvNumber.of(-0.5, 3))).toBe('-0.500');
    expect(csvCell('-0.25')).toBe("'-0.25");
    expect(csvCell(-Infinity)).toBe("'-Infinity");
    expect(csvCell(CsvNumber.of(Number.NEGATIVE_INFINITY, 3))).toBe("'-Infinity");
    expect(csvCell(NaN)).toBe('NaN');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(false)).toBe('false');
  });

  it('a file: BOM, CRLF after every row, an empty row as an empty line; chunks add up to the file', () => {
    const rows: CsvValue[][] = [['a', 1], [], ['=x', -2]];
    expect(writeCsv(rows)).toBe("\uFEFFa,1\r\n\r\n'=x,-2\r\n");
    expect(writeCsv(rows, { bom: false, eol: '\n' })).toBe("a,1\n\n'=x,-2\n");
    expect([...csvChunks(rows)].join('')).toBe(writeCsv(rows));
  });

  it('reads back (csv-parse) as the same cells, each dangerous text with one leading quote', () => {
    const texts = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 30 }),
      fc.constantFrom(...DANGEROUS, ...SAFE),
      fc.tuple(fc.constantFrom('=', '+', '-', '@', '\t', '\r', '"', ',', '\n'), fc.string({ unit: 'grapheme', maxLength: 10 })).map(([a, b]) => a + b),
    );
    fc.assert(
      fc.property(fc.array(fc.array(texts, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 8 }), (rows) => {
        // One empty cell alone on a row is an empty line, which reads back as no cell: give such rows a second cell.
        const written = rows.map((r) => (r.length === 1 && r[0] === '' ? [...r, 'x'] : r));
        expect(readBack(writeCsv(written))).toEqual(written.map((r) => r.map(neutralizeFormula)));
      }),
      { numRuns: 300 },
    );
  });
});
