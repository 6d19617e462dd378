/**
 * One export in a process of its own, for the export crash trials: prints `{"phase", "done"}` lines
 * as it goes and `{"dir"}` when the bundle is there.
 * usage: tsx tests/trials/export-child.ts DB PROJECT_ID OUT_DIR NAME
 */
import { openDatabase } from '../../electron/core/db/open';
import { runExport } from '../../electron/core/export/pipeline';

const [dbPath, projectId, outDir, name] = process.argv.slice(2) as [string, string, string, string];
const db = openDatabase(dbPath);
let last = '';
void runExport(
  db,
  {
    projectId,
    outDir,
    name,
    formats: ['hf-jsonl', 'parquet', 'conll'],
    labels: 'consensus',
    minAnnotators: 1,
    splits: [0.8, 0.1, 0.1],
    seed: 11,
    dedup: 'exact',
    redact: 'placeholder',
    includeGold: false,
    appVersion: 'trial',
  },
  (p) => {
    // One line per phase change and per 2,000 items: enough for the parent to aim its kill.
    const line = `${p.phase}:${Math.floor(p.done / 2000)}`;
    if (line === last) return;
    last = line;
    process.stdout.write(`${JSON.stringify({ phase: p.phase, done: p.done })}\n`);
  },
).then((r) => process.stdout.write(`${JSON.stringify({ dir: r.dir })}\n`));
