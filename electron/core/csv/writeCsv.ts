/**
 * The one way the app writes CSV (quality reports, training exports): RFC 4180 quoting, CRLF line
 * ends, a BOM so spreadsheet programs read UTF-8 (Chinese) correctly, and no formula injection.
 *
 * A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` (and, in some programs, a tab or
 * a carriage return) as a formula, so an item text like `=HYPERLINK("http://x","y")` would become a
 * live link in the file someone opens (OWASP "CSV injection"). Every *text* cell that starts with
 * one of those gets a leading `'`, which spreadsheets show as text and do not evaluate. Numbers the
 * app computed (a kappa of -0.25) are not text: they are written as numbers and stay numbers.
 */

/** A number the app computed, with the text it is written as (e.g. three decimals). Written as it is. */
export class CsvNumber {
  private constructor(
    readonly value: number,
    readonly text: string,
  ) {}

  /** `value`, with `fractionDigits` decimals when given (as `toFixed`), else in its shortest form. */
  static of(value: number, fractionDigits?: number): CsvNumber {
    return new CsvNumber(value, fractionDigits === undefined ? String(value) : value.toFixed(fractionDigits));
  }

  /** The text, so the same cell reads the same in HTML or anywhere else it is shown. */
  toString(): string {
    return this.text;
  }
}

/** What a cell can hold: null and undefined are empty cells. */
export type CsvValue = string | number | boolean | CsvNumber | null | undefined;

export interface CsvOptions {
  /** Start with a UTF-8 byte order mark (default true: Excel reads the file as UTF-8 only then). */
  bom?: boolean;
  /** Line end after every row (default CRLF, as RFC 4180 says). */
  eol?: '\r\n' | '\n';
}

/** Characters that make a spreadsheet read the rest of a cell as a formula (OWASP). */
const FORMULA_START = /^[=+\-@\t\r]/;
/** Characters that need the cell quoted (RFC 4180). */
const NEEDS_QUOTES = /[",\r\n]/;

/** A text made safe to open in a spreadsheet: a leading `'` when it would start a formula. */
export function neutralizeFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

function cellText(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return String(value);
  // Only a finite number is a number a spreadsheet reads; NaN and ±Infinity are text like any other.
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : neutralizeFormula(String(value));
  if (value instanceof CsvNumber) return Number.isFinite(value.value) ? value.text : neutralizeFormula(value.text);
  return neutralizeFormula(value);
}

/** One cell: neutralised when it is text that would start a formula, quoted when it must be. */
export function csvCell(value: CsvValue): string {
  const text = cellText(value);
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One row without its line end. An empty row is an empty line. */
export function csvRow(cells: readonly CsvValue[]): string {
  return cells.map(csvCell).join(',');
}

/** The file piece by piece (the BOM, then each row with its line end), for writing to a stream. */
export function* csvChunks(rows: Iterable<readonly CsvValue[]>, options: CsvOptions = {}): Generator<string> {
  const eol = options.eol ?? '\r\n';
  if (options.bom ?? true) yield '\uFEFF';
  for (const row of rows) yield csvRow(row) + eol;
}

/** The whole file as one string. */
export function writeCsv(rows: Iterable<readonly CsvValue[]>, options: CsvOptions = {}): string {
  let out = '';
  for (const chunk of csvChunks(rows, options)) out += chunk;
  return out;
}
