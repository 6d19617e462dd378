/**
 * npm run bench -- <name> [--rows=N] [--runs=R]
 * Each benchmark prints progress, then one JSON object as its last line. Figures are ratios against
 * a baseline measured in the same run; absolute times drift on shared machines.
 */
import { benchAdjudication } from './adjudication';
import { benchExport } from './export';
import { benchImport } from './import';
import { benchLabeling } from './labeling';
import { benchPacks } from './packs';
import { benchPrelabel } from './prelabel';
import { benchReports } from './reports';

const BENCHMARKS: Record<string, (args: string[]) => Promise<Record<string, number>>> = {
  adjudication: benchAdjudication,
  export: benchExport,
  import: benchImport,
  labeling: benchLabeling,
  packs: benchPacks,
  prelabel: benchPrelabel,
  reports: benchReports,
};

async function main(): Promise<void> {
  const [name, ...args] = process.argv.slice(2);
  const names = name ? [name] : Object.keys(BENCHMARKS);
  for (const n of names) {
    const bench = BENCHMARKS[n];
    if (!bench) {
      console.error(`unknown benchmark "${n}"; known: ${Object.keys(BENCHMARKS).join(', ')}`);
      process.exitCode = 2;
      return;
    }
    const result = await bench(args);
    console.log(JSON.stringify(result));
  }
}

void main();
