/**
 * One measured report, in its own process so its peak RSS is the report's.
 * usage: tsx tests/bench/reports-run.ts DB PROJECT_ID
 * prints {"seconds": s, "annotations": n, "peak_rss_mb": m}
 */
import { openDatabase } from '../../electron/core/db/open';
import { buildProjectReport } from '../../electron/core/services/reports';

const [dbPath, projectId] = process.argv.slice(2);
const db = openDatabase(dbPath!);
const t0 = performance.now();
void (async () => {
  const report = await buildProjectReport(db, projectId!, { from: null, to: null, annotatorIds: [], labels: [] });
  const seconds = (performance.now() - t0) / 1000;
  db.close();
  process.stdout.write(
    `${JSON.stringify({ seconds, annotations: report.totals.annotations, annotators: report.perAnnotator.length, flagged: report.perAnnotator.filter((a) => a.outlier.length).map((a) => `${a.name}:${a.outlier.join('+')}`), intents_alpha: report.agreement[0]!.alpha?.value, peak_rss_mb: process.resourceUsage().maxRSS / 1024 })}\n`,
  );
})();
