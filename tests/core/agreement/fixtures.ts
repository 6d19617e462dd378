import { type Ratings } from '../../../shared/domain/agreement';

/**
 * Fleiss (1971) psychiatric diagnoses: 30 subjects × 6 raters, categories 1-5 (R irr `diagnoses`,
 * statsmodels tests). Each string is one subject, one digit per rater. Copied from
 * shared/datasets/README.md so the tests do not read outside the repo.
 */
export const DIAGNOSES = (
  '444444 222555 233335 555555 222444 113333 333355 113334 114444 555555 144444 124444 222333 144444 224445 ' +
  '333335 111455 111112 224444 133555 555555 244444 224555 114444 144445 222224 111155 224444 133333 555555'
).split(' ');

export function diagnosesRatings(): Ratings<number> {
  return {
    annotators: ['r1', 'r2', 'r3', 'r4', 'r5', 'r6'],
    items: DIAGNOSES.map((row, i) => ({ id: `s${i + 1}`, values: [...row].map(Number) })),
  };
}

/** One rater's column of the diagnoses data (rater is 1-based, as in the literature). */
export function diagnosesRater(rater: number): number[] {
  return DIAGNOSES.map((row) => Number(row[rater - 1]));
}

/**
 * Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", reliability data with missing
 * values: coders A-D (rows) × units 1-12 (columns), '.' = missing. The same matrix is in the tests of
 * the Python `krippendorff` package. Published: nominal .743, ordinal .815, interval .849, ratio .797.
 */
export const KRIPPENDORFF_2011 = ['1 2 3 3 2 1 4 1 2 . . .', '1 2 3 3 2 2 4 1 2 5 . 3', '. 3 3 3 2 3 4 2 2 5 1 .', '1 2 3 3 2 4 4 1 2 5 1 .'];

/**
 * The Wikipedia "computational example" of Krippendorff's alpha (coders A-C × 15 units, '*' = missing),
 * with reference values from the Python `krippendorff` package tests: nominal 0.691358, interval 0.810845.
 */
export const WIKIPEDIA_ALPHA = ['* * * * * 3 4 1 2 1 1 3 3 * 3', '1 * 2 1 3 3 4 3 * * * * * * *', '* * 2 1 3 4 4 * 2 1 1 3 3 * 4'];

/** Coder rows as a ratings table (units become items). */
export function ratingsFromCoderRows(rows: readonly string[]): Ratings<number> {
  const cells = rows.map((r) => r.split(' ').map((v) => (v === '.' || v === '*' ? null : Number(v))));
  return {
    annotators: rows.map((_, j) => String.fromCharCode(65 + j)),
    items: cells[0]!.map((_, u) => ({ id: `u${u + 1}`, values: cells.map((coder) => coder[u]!) })),
  };
}

/** Artstein & Poesio (2008): 2 coders × 100 items. Rows: coder A's category; columns: coder B's. */
export const ARTSTEIN_POESIO = [
  [46, 0, 0],
  [6, 32, 6],
  [0, 0, 10],
];

/** A contingency table expanded back into two parallel rating arrays (category = row / column index). */
export function expandTable(table: readonly (readonly number[])[]): [number[], number[]] {
  const a: number[] = [];
  const b: number[] = [];
  table.forEach((row, i) =>
    row.forEach((count, j) => {
      for (let x = 0; x < count; x++) {
        a.push(i);
        b.push(j);
      }
    }),
  );
  return [a, b];
}

/**
 * scikit-learn's weighted-kappa test (test_cohen_kappa): y1 = 46×0, 44×1, 10×2 against y2 = 50×0, 40×1, 10×2,
 * paired by position. Published (4 decimals): unweighted 0.9315, linear 0.9412, quadratic 0.9541.
 */
export function sklearnWeightedExample(): [number[], number[]] {
  const run = (counts: number[]): number[] => counts.flatMap((c, v) => Array<number>(c).fill(v));
  return [run([46, 44, 10]), run([50, 40, 10])];
}

/** Seeded random ratings: `missing` is the chance a cell is empty; raters follow a hidden truth with probability `skill`. */
export function randomRatings(seed: number, items: number, annotators: number, categories: number, missing = 0.2, skill = 0.6): Ratings<number> {
  let state = seed >>> 0 || 1;
  const random = (): number => {
    // xorshift32, deliberately not the library's PRNG
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
  const out: Ratings<number>['items'][number][] = [];
  for (let i = 0; i < items; i++) {
    const truth = Math.floor(random() * categories) + 1;
    const values: (number | null)[] = [];
    for (let j = 0; j < annotators; j++) {
      values.push(random() < missing ? null : random() < skill ? truth : Math.floor(random() * categories) + 1);
    }
    out.push({ id: `i${i}`, values });
  }
  return { annotators: Array.from({ length: annotators }, (_, j) => `a${j}`), items: out };
}
