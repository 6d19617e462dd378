/** Human-readable output for the terminal; --json output is printed by the commands themselves. */
export function table(rows: Record<string, string | number>[]): string {
  if (!rows.length) return '(none)';
  const keys = Object.keys(rows[0]!);
  const width = (s: string): number => [...s].reduce((w, ch) => w + (/[\u1100-\uffff\u{20000}-\u{3ffff}]/u.test(ch) ? 2 : 1), 0);
  const widths = keys.map((k) => Math.max(width(k), ...rows.map((r) => width(String(r[k])))));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => c + ' '.repeat(widths[i]! - width(c)))
      .join('  ')
      .trimEnd();
  return [line(keys), line(widths.map((w) => '-'.repeat(w))), ...rows.map((r) => line(keys.map((k) => String(r[k]))))].join('\n');
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}
