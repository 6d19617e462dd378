import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { ReportFilter, type ProjectReport } from '../../../shared/contract/reports';
import { createCore } from '../../core';
import { findProjectByName } from '../../core/db/repos/projects';
import { buildProjectReport } from '../../core/services/reports';
import { renderReport } from '../../core/services/reports/render';
import { printJson, table } from '../output';

interface ReportOptions {
  db: string;
  project: string;
  from?: string;
  to?: string;
  annotator?: string[];
  label?: string[];
  json?: boolean;
  out?: string;
  lang?: string;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('the quality report of a project: agreement per task and label, confusions, disagreements, each annotator')
    .requiredOption('--db <path>', 'the database file')
    .requiredOption('--project <name>', 'project name')
    .option('--from <date>', 'annotations changed at or after this date/time (ISO 8601)')
    .option('--to <date>', 'annotations changed before this date/time')
    .option('--annotator <name>', 'only this annotator (repeat for several)', collect)
    .option('--label <label>', 'only items with this label (repeat for several)', collect)
    .option('--out <file>', 'also write the report to a file: .csv, .json or .html by its extension')
    .option('--lang <language>', 'zh-CN or en, for --out CSV/HTML (default zh-CN)')
    .option('--json', 'print the report as one JSON object')
    .action(async (opts: ReportOptions) => {
      process.exitCode = await runReport(opts);
    });
}

async function runReport(opts: ReportOptions): Promise<number> {
  const core = createCore({ dbPath: opts.db });
  try {
    const project = findProjectByName(core.db, opts.project);
    if (!project) {
      console.error(`annot: no project named "${opts.project}"`);
      return 1;
    }
    const names = new Map((core.db.prepare('SELECT name, id FROM annotators').all() as { name: string; id: string }[]).map((a) => [a.name, a.id]));
    const unknown = (opts.annotator ?? []).filter((n) => !names.has(n));
    if (unknown.length) {
      console.error(`annot report: no annotator named ${unknown.map((n) => `"${n}"`).join(', ')}`);
      return 1;
    }
    const parsed = ReportFilter.safeParse({
      from: opts.from ?? null,
      to: opts.to ?? null,
      annotatorIds: (opts.annotator ?? []).map((n) => names.get(n)!),
      labels: opts.label ?? [],
    });
    if (!parsed.success) {
      console.error(`annot report: ${parsed.error.issues[0]?.message ?? 'bad filter'}`);
      return 2;
    }
    const report = await buildProjectReport(core.db, project.id, parsed.data);
    if (opts.out) {
      const extension = /\.(csv|json|html?)$/i.exec(opts.out)?.[1]?.toLowerCase();
      const format = extension?.startsWith('htm') ? 'html' : extension;
      if (!format) {
        console.error('annot report: --out must end in .csv, .json or .html');
        return 2;
      }
      writeFileSync(opts.out, renderReport(report, format as 'csv' | 'json' | 'html', opts.lang === 'en' ? 'en' : 'zh-CN').content);
    }
    if (opts.json) printJson(report);
    else console.log(summary(report));
    return 0;
  } finally {
    core.close();
  }
}

const f3 = (x: number | null | undefined): string => (x === null || x === undefined ? '—' : x.toFixed(3));

function summary(r: ProjectReport): string {
  const ci = (e: { value: number | null; low: number | null; high: number | null } | null) =>
    e?.value === null || !e ? '—' : `${f3(e.value)} [${f3(e.low)}, ${f3(e.high)}]`;
  return [
    `${r.projectName}: ${r.totals.annotations} annotations on ${r.totals.annotatedItems} items (${r.totals.overlapItems} with two or more annotators), ${r.totals.annotators} annotators; ${r.seconds} s`,
    '',
    table(
      r.agreement.map((a) => ({
        task: a.task,
        items: a.items,
        percent: f3(a.percent),
        'Fleiss κ [95% CI]': ci(a.fleiss),
        'α [95% CI]': ci(a.alpha),
        'mean Cohen κ': f3(a.cohenMean),
        'span F1 exact/overlap': a.spans ? `${f3(a.spans.exactF1)} / ${f3(a.spans.overlapF1)}` : '',
      })),
    ),
    '',
    table(
      r.perAnnotator.map((a) => ({
        annotator: a.name,
        items: a.items,
        'gold acc': f3(a.vsGold.intents.accuracy),
        'majority acc': f3(a.vsMajority.intents.accuracy),
        'items/h': a.speed.itemsPerHour === null ? '—' : a.speed.itemsPerHour.toFixed(0),
        'median s': a.speed.medianSeconds === null ? '—' : a.speed.medianSeconds.toFixed(1),
        'self-consistency': f3(a.selfConsistency.agreement),
        'accepted wrong': f3(a.suggestions.acceptedWrongRate),
        flags: a.outlier.join(', '),
      })),
    ),
    '',
    r.confusions.length
      ? `most confused: ${r.confusions
          .slice(0, 5)
          .map((c) => `${c.a} ↔ ${c.b} (${c.count})`)
          .join('; ')}`
      : 'no confusions',
  ].join('\n');
}
