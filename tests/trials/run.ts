/**
 * npm run trial -- crash [--rounds=300] [--seed=N]
 * Long trials that npm test runs only a few rounds of. Prints each round, then one JSON object.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCrashTrials } from './crashTrials';

async function main(): Promise<void> {
  const [name, ...args] = process.argv.slice(2);
  const flag = (n: string, fallback: number) => Number(args.find((a) => a.startsWith(`--${n}=`))?.split('=')[1] ?? fallback);
  if (name !== 'crash') {
    console.error('usage: npm run trial -- crash [--rounds=300] [--seed=N]');
    process.exitCode = 2;
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'annot-trial-crash-'));
  try {
    const summary = await runCrashTrials(dir, flag('rounds', 300), flag('seed', 20261203), (line) => console.log(line));
    console.log(JSON.stringify({ trials: summary.trials, failures: summary.failures, by_scenario: summary.byScenario }));
    if (summary.failures) process.exitCode = 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
