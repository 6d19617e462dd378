import { describe, expect, it } from 'vitest';
import { runCrashTrials } from '../trials/crashTrials';
import { freshDir } from './helpers';

/** `npm run trial -- crash --rounds=300` runs the same trials longer. */
const ROUNDS = Number(process.env.CRASH_ROUNDS ?? 30);

describe('crash trials: kill -9 of the app process while it labels, imports and accepts in bulk', () => {
  it(`loses no acknowledged decision, leaves no import half there and keeps the database intact (${ROUNDS} kills)`, async () => {
    const summary = await runCrashTrials(freshDir('annot-crash-'), ROUNDS, 20261203, (line) => console.log(`[crash] ${line}`));
    console.log(`[crash] ${summary.trials} trials (${JSON.stringify(summary.byScenario)}), ${summary.failures} failures`);
    expect(summary.trials).toBe(ROUNDS);
    expect(summary.results.filter((r) => r.problems.length).map((r) => `${r.round} ${r.scenario}: ${r.problems.join('; ')}`)).toEqual([]);
    // The kills landed where they matter: some after decisions were acknowledged.
    expect(summary.results.some((r) => r.scenario === 'labeling' && r.acknowledged > 0)).toBe(true);
  }, 900_000);
});
