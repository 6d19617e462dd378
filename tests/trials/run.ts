/**
 * npm run trial -- crash [--rounds=300] [--seed=N]
 * npm run trial -- export-crash [--rounds=40] [--items=20000] [--seed=N]
 * Long trials that npm test runs only a few rounds of. Prints each round, then one JSON object.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCrashTrials } from './crashTrials';
import { runExportCrashTrials } from './exportCrash';

const USAGE = 'usage: npm run trial -- crash [--rounds=300] [--seed=N] | export-crash [--rounds=40] [--items=20000] [--seed=N]';

async function main(): Promise<void> {
  const [name, ...args] = process.argv.slice(2);
  const flag = (n: string, fallback: number) => Number(args.find((a) => a.startsWith(`--${n}=`))?.split('=')[1] ?? fallback);
  if (name !== 'crash' && name !== 'export-crash') {
    console.error(USAGE);
    process.exitCode = 2;
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), `annot-trial-${name}-`));
  try {
    if (name === 'crash') {
      const summary = await runCrashTrials(dir, flag('rounds', 300), flag('seed', 20261203), (line) => console.log(line));
      console.log(JSON.stringify({ trials: summary.trials, failures: summary.failures, by_scenario: summary.byScenario }));
      if (summary.failures) process.exitCode = 1;
    } else {
      const summary = await runExportCrashTrials(dir, flag('rounds', 40), {
        seed: flag('seed', 20261221),
        items: flag('items', 20_000),
        log: (line) => console.log(line),
      });
      for (const p of summary.problems) console.log(`FAILED: ${p}`);
      console.log(
        JSON.stringify({
          trials: summary.trials,
          failures: summary.failures,
          by_outcome: summary.byOutcome,
          stale_partials_removed: summary.partialsRemoved,
        }),
      );
      if (summary.failures) process.exitCode = 1;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
