import { describe, expect, it } from 'vitest';
import { runExportCrashTrials } from '../../trials/exportCrash';
import { freshDir } from '../helpers';

/** `npm run trial -- export-crash --rounds=40` runs the same trials longer. */
const ROUNDS = Number(process.env.EXPORT_CRASH_ROUNDS ?? 8);

describe('export crash trials: kill -9 mid-export leaves no bundle that looks complete', () => {
  it(`a bundle is there complete or not at all; stale partial folders are removed by the next export (${ROUNDS} kills)`, async () => {
    const summary = await runExportCrashTrials(freshDir('annot-export-crash-'), ROUNDS, {
      items: 4000,
      log: (line) => console.log(`[export-crash] ${line}`),
    });
    console.log(
      `[export-crash] ${summary.trials} trials ${JSON.stringify(summary.byOutcome)}, ${summary.partialsRemoved} stale partial folders removed`,
    );
    expect(summary.problems).toEqual([]);
    expect(summary.results.filter((r) => r.problems.length).map((r) => `${r.round} ${r.point}: ${r.problems.join('; ')}`)).toEqual([]);
    // The kills landed where they matter: some left a partial folder behind, and later exports removed it.
    expect(summary.results.some((r) => r.partialLeft)).toBe(true);
    expect(summary.partialsRemoved).toBeGreaterThan(0);
  }, 120_000);
});
