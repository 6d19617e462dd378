/** int8 storage of standardized features: q = round(z · QUANT), |q| <= 127. */
export const QUANT = 16;

/** Training rows in chunks of SharedArrayBuffers, so worker threads read them in place. */
export interface RowChunk {
  X: Int8Array;
  y: Uint16Array;
  sw: Float32Array;
  /** Rows filled. */
  n: number;
}

export interface TrainingRows {
  n: number;
  /** Features per row. */
  F: number;
  /** Tags. */
  C: number;
  chunks: RowChunk[];
}

/** Rows [from, to) of one chunk (its arrays stay shared when posted to a worker). */
export interface RowRun {
  X: Int8Array;
  y: Uint16Array;
  sw: Float32Array;
  from: number;
  to: number;
}

/** Rows [from, to) of the whole set as runs within chunks. */
export function rowRuns(chunks: readonly RowChunk[], from: number, to: number): RowRun[] {
  const out: RowRun[] = [];
  let base = 0;
  for (const c of chunks) {
    const a = Math.max(from, base);
    const b = Math.min(to, base + c.n);
    if (b > a) out.push({ X: c.X, y: c.y, sw: c.sw, from: a - base, to: b - base });
    base += c.n;
  }
  return out;
}
