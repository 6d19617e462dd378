import type { Command } from 'commander';
import type { ComparedVersion, ModelComparison, ModelVersion } from '../../../shared/contract/schemas';
import { createCore } from '../../core';
import { listModelVersions } from '../../core/db/repos/modelVersions';
import { findProjectByName } from '../../core/db/repos/projects';
import { compareVersions } from '../../core/services/compare';
import { printJson, table } from '../output';

interface CompareOptions {
  db: string;
  project: string;
  a: string;
  b: string;
  task?: string;
  all?: boolean;
  json?: boolean;
}

export function registerCompare(program: Command): void {
  program
    .command('compare')
    .description('score two versions of a head on the labeled items neither was trained on, with McNemar’s test of the difference')
    .requiredOption('--db <path>', 'the database file')
    .requiredOption('--project <name>', 'project name')
    .requiredOption('--a <version>', 'the first version: its number for the task (1, v1) or its id')
    .requiredOption('--b <version>', 'the second version: its number for the task (2, v2) or its id')
    .option('--task <task>', 'intents or sentiment, for versions given by number (default: intents)')
    .option('--all', 'score on every labeled item, including those the versions were trained on')
    .option('--json', 'print one JSON object')
    .action(async (opts: CompareOptions) => {
      process.exitCode = await runCompare(opts);
    });
}

async function runCompare(opts: CompareOptions): Promise<number> {
  if (opts.task !== undefined && opts.task !== 'intents' && opts.task !== 'sentiment') {
    console.error(`annot compare: unknown task "${opts.task}" (intents or sentiment)`);
    return 2;
  }
  const core = createCore({ dbPath: opts.db });
  try {
    const project = findProjectByName(core.db, opts.project);
    if (!project) {
      console.error(`annot: no project named "${opts.project}"`);
      return 1;
    }
    const versions = listModelVersions(core.db, project.id);
    const refs: string[] = [];
    for (const ref of [opts.a, opts.b]) {
      const found = resolve(versions, ref, opts.task ?? 'intents');
      if (typeof found !== 'string') {
        console.error(`annot compare: ${found.error}`);
        return found.code;
      }
      refs.push(found);
    }
    if (opts.task) {
      const wrong = versions.find((v) => refs.includes(v.id) && v.task !== opts.task);
      if (wrong) {
        console.error(`annot compare: version ${wrong.id} is ${wrong.task} v${wrong.version}, not a ${opts.task} version`);
        return 2;
      }
    }
    const status = core.model.check();
    if (status.state !== 'ready') {
      console.error(`annot: the local model is ${status.state}: ${status.message}`);
      return 1;
    }
    const result = await compareVersions(core.db, core.model, project.id, refs[0]!, refs[1]!, { scope: opts.all ? 'all' : 'held-out' });
    if (opts.json) printJson(result);
    else console.log(render(result));
    return 0;
  } finally {
    core.close();
  }
}

/** A version number of the task (3 or v3) to its id; anything else is taken as an id. */
function resolve(versions: ModelVersion[], ref: string, task: 'intents' | 'sentiment'): string | { error: string; code: number } {
  const number = /^v?(\d+)$/i.exec(ref.trim());
  if (!number) return ref.trim();
  const version = Number(number[1]);
  const found = versions.find((v) => v.task === task && v.version === version);
  if (found) return found.id;
  const have = versions
    .filter((v) => v.task === task)
    .map((v) => `v${v.version}`)
    .reverse();
  return { error: `the project has no ${task} v${version} (${have.length ? `it has ${have.join(', ')}` : `no ${task} versions yet`})`, code: 1 };
}

const f3 = (x: number): string => x.toFixed(3);

function render(r: ModelComparison): string {
  const name = (v: ComparedVersion) => `v${v.version}`;
  const trained = (v: ComparedVersion) =>
    v.source === 'zero-shot' ? 'zero-shot' : `${v.trainedOn} (${v.trainingItems.exact ? '' : 'up to '}${v.trainingItems.count} of these)`;
  const overview = table(
    [r.a, r.b].map((v) => ({
      version: name(v),
      accuracy: f3(v.accuracy),
      'macro-F1': f3(v.macroF1),
      correct: `${v.correct}/${r.n}`,
      'trained on': trained(v),
    })),
  );
  const m = r.mcnemar;
  const test = m.exact ? `exact binomial, min(b, c) = ${m.statistic}` : `chi-square with continuity correction = ${m.statistic.toFixed(2)}`;
  const mcnemarLine = `McNemar (${test}): ${name(r.a)} alone right on ${m.b}, ${name(r.b)} alone right on ${m.c}, p = ${m.pValue < 0.001 ? m.pValue.toExponential(1) : m.pValue.toFixed(3)} → ${
    r.verdict === 'tie' ? `no significant difference at ${r.alpha}` : `${name(r.verdict === 'a' ? r.a : r.b)} is better (p < ${r.alpha})`
  }`;
  const perLabel = table(
    r.a.perLabel.map((s, i) => {
      const o = r.b.perLabel[i]!;
      return {
        label: s.label,
        support: s.support,
        [`P ${name(r.a)}`]: f3(s.precision),
        [`R ${name(r.a)}`]: f3(s.recall),
        [`F1 ${name(r.a)}`]: f3(s.f1),
        [`P ${name(r.b)}`]: f3(o.precision),
        [`R ${name(r.b)}`]: f3(o.recall),
        [`F1 ${name(r.b)}`]: f3(o.f1),
      };
    }),
  );
  return [
    r.scope === 'held-out'
      ? `${r.task}: ${name(r.a)} vs ${name(r.b)} on ${r.n} held-out items (labeled, trained on by neither; ${r.labeled} labeled in all)`
      : `${r.task}: ${name(r.a)} vs ${name(r.b)} on all ${r.n} labeled items`,
    '',
    overview,
    '',
    mcnemarLine,
    ...(r.caveat ? [`note: ${r.caveat}`] : []),
    '',
    perLabel,
  ].join('\n');
}
