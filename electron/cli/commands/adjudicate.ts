import type { Command } from 'commander';
import { AutoPolicy, type AutoInput, type AutoResult } from '../../../shared/contract/adjudication';
import { createCore } from '../../core';
import { findProjectByName } from '../../core/db/repos/projects';
import { printJson } from '../output';

const TASKS = ['intents', 'sentiment', 'entities', 'all'] as const;

interface AdjudicateOptions {
  db: string;
  project: string;
  auto?: boolean;
  policy?: string;
  task?: string;
  minAnnotators?: string;
  minShare?: string;
  minPosterior?: string;
  dryRun?: boolean;
  json?: boolean;
}

export function registerAdjudicate(program: Command): void {
  program
    .command('adjudicate')
    .description(
      'resolve agreed items automatically by a policy; a reviewer’s decision is never touched (counted as kept_human); a rerun writes nothing new',
    )
    .requiredOption('--db <path>', 'the database file')
    .requiredOption('--project <name>', 'project name')
    .option('--auto', 'automatic resolution (the only mode of this command; items are decided by hand in the app)')
    .requiredOption('--policy <policy>', 'unanimous, majority or dawid-skene')
    .option('--task <task>', 'intents, sentiment, entities or all (default all): the fields that must resolve')
    .option('--min-annotators <n>', 'submitted versions an item needs, at least 2 (default 2)')
    .option(
      '--min-share <share>',
      'majority, and dawid-skene for spans: the top value’s share of the votes, in (0.5, 1] (default 0.66; unanimous ignores it)',
    )
    .option('--min-posterior <p>', 'dawid-skene: the posterior of the most likely value, in (0.5, 1] (default 0.9; other policies ignore it)')
    .option('--dry-run', 'count what would be resolved; write nothing')
    .option('--json', 'print {"resolved", "disputed", "kept_human", "policy", "written", "dryRun", "params"}')
    .action(async (opts: AdjudicateOptions) => {
      process.exitCode = await runAdjudicate(opts);
    });
}

function usage(message: string): number {
  console.error(`annot adjudicate: ${message}`);
  return 2;
}

/** A number option: undefined when absent, else the number or an error message. */
function numberOption(raw: string | undefined, name: string, check: (x: number) => boolean, range: string): number | undefined | { error: string } {
  if (raw === undefined) return undefined;
  const x = Number(raw.trim());
  if (raw.trim() === '' || !Number.isFinite(x) || !check(x)) return { error: `${name} must be ${range}, got "${raw}"` };
  return x;
}

async function runAdjudicate(opts: AdjudicateOptions): Promise<number> {
  if (!opts.auto) return usage('only automatic resolution runs from the command line: pass --auto (items are decided by hand in the app)');
  const policy = AutoPolicy.safeParse(opts.policy);
  if (!policy.success) return usage(`unknown policy "${opts.policy}" (${AutoPolicy.options.join(', ')})`);
  if (opts.task !== undefined && !(TASKS as readonly string[]).includes(opts.task)) return usage(`unknown task "${opts.task}" (${TASKS.join(', ')})`);
  const minAnnotators = numberOption(
    opts.minAnnotators,
    '--min-annotators',
    (x) => Number.isInteger(x) && x >= 2 && x <= 100,
    'an integer from 2 to 100',
  );
  const minShare = numberOption(opts.minShare, '--min-share', (x) => x > 0.5 && x <= 1, 'greater than 0.5 and at most 1');
  const minPosterior = numberOption(opts.minPosterior, '--min-posterior', (x) => x > 0.5 && x <= 1, 'greater than 0.5 and at most 1');
  for (const o of [minAnnotators, minShare, minPosterior]) if (typeof o === 'object') return usage(o.error);

  const core = createCore({ dbPath: opts.db });
  try {
    const project = findProjectByName(core.db, opts.project);
    if (!project) {
      console.error(`annot: no project named "${opts.project}"`);
      return 1;
    }
    const input: Partial<AutoInput> & Pick<AutoInput, 'projectId' | 'policy'> = {
      projectId: project.id,
      policy: policy.data,
      ...(opts.task ? { task: opts.task as AutoInput['task'] } : {}),
      ...(minAnnotators !== undefined ? { minAnnotators: minAnnotators as number } : {}),
      ...(minShare !== undefined ? { minShare: minShare as number } : {}),
      ...(minPosterior !== undefined ? { minPosterior: minPosterior as number } : {}),
      dryRun: opts.dryRun === true,
    };
    const started = performance.now();
    const r = await core.dispatch('adjudication.auto', input);
    if (!r.ok) {
      console.error(`annot adjudicate: ${r.error.message}`);
      return r.error.code === 'VALIDATION' ? 2 : 1;
    }
    const result = r.value as AutoResult;
    if (opts.json) printJson(result);
    else console.log(summary(project.name, result, (performance.now() - started) / 1000));
    return 0;
  } finally {
    core.close();
  }
}

function summary(project: string, r: AutoResult, seconds: number): string {
  const params = Object.entries(r.params)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  const written = r.dryRun ? 'dry run: nothing written' : r.written ? `${r.written} field decision(s) written` : 'nothing new to write';
  return [
    `${project}: ${r.policy} (${params})${r.dryRun ? ' — dry run' : ''}`,
    `  resolved    ${r.resolved}`,
    `  disputed    ${r.disputed}`,
    `  kept_human  ${r.kept_human}  (decided or set aside by a reviewer; never changed)`,
    `  ${written}; ${seconds.toFixed(2)} s`,
  ].join('\n');
}
