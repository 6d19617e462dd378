/**
 * One measured report, in its own process so its peak RSS is the report's; or, with `raw`, the
 * baseline: one thread reading the fields a report needs with a bare query, nothing computed.
 * usage: tsx tests/bench/reports-run.ts DB PROJECT_ID [raw]
 * prints {"seconds": s, "annotations": n, "peak_rss_mb": m, ...}
 */
import { openDatabase } from '../../electron/core/db/open';
import { buildProjectReport } from '../../electron/core/services/reports';

const [dbPath, projectId, mode] = process.argv.slice(2);
const db = openDatabase(dbPath!);
const t0 = performance.now();
if (mode === 'raw') {
  let rows = 0;
  const bare = db.prepare(
    'SELECT item_id, annotator_id, intents_json, sentiment, entities_json, status, active_ms, first_submitted_at FROM annotations WHERE project_id = ?',
  );
  for (const row of bare.raw(true).iterate(projectId) as IterableIterator<unknown[]>) rows += row.length > 0 ? 1 : 0;
  const seconds = (performance.now() - t0) / 1000;
  db.close();
  process.stdout.write(`${JSON.stringify({ seconds, annotations: rows, peak_rss_mb: process.resourceUsage().maxRSS / 1024 })}\n`);
} else
  void (async () => {
    const report = await buildProjectReport(db, projectId!, { from: null, to: null, annotatorIds: [], labels: [] });
    const seconds = (performance.now() - t0) / 1000;
    db.close();
    process.stdout.write(
      `${JSON.stringify({ seconds, annotations: report.totals.annotations, annotators: report.perAnnotator.length, flagged: report.perAnnotator.filter((a) => a.outlier.length).map((a) => `${a.name}:${a.outlier.join('+')}`), intents_alpha: report.agreement[0]!.alpha?.value, peak_rss_mb: process.resourceUsage().maxRSS / 1024 })}\n`,
    );
  })();
