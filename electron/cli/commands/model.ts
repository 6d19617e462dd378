import { MIN_ENTITY_SPANS } from '../../core/services/entityTraining';
import type { Command } from 'commander';
import { createCore, type Core } from '../../core';
import { findProjectByName } from '../../core/db/repos/projects';
import { printJson } from '../output';

interface ProjectOptions {
  db: string;
  project: string;
  json?: boolean;
}

function withProject(opts: ProjectOptions, run: (core: Core, projectId: string) => Promise<number>): Promise<number> {
  const core = createCore({ dbPath: opts.db });
  const project = findProjectByName(core.db, opts.project);
  if (!project) {
    console.error(`annot: no project named "${opts.project}"`);
    core.close();
    return Promise.resolve(1);
  }
  return run(core, project.id).finally(() => core.close());
}

function requireModel(core: Core): boolean {
  const status = core.model.check();
  if (status.state !== 'ready') console.error(`annot: the local model is ${status.state}: ${status.message}`);
  return status.state === 'ready';
}

export function registerModel(program: Command): void {
  program
    .command('train')
    .description(
      'train new versions of the intent and sentiment heads (zero-shot from the schema when nothing is labeled) and of the entity head (when enough spans are labeled)',
    )
    .requiredOption('--db <path>', 'the database file')
    .requiredOption('--project <name>', 'project name')
    .option('--task <task>', 'intents, sentiment or entities (default: all three)')
    .option('--json', 'print JSON')
    .action(async (opts: ProjectOptions & { task?: string }) => {
      process.exitCode = await withProject(opts, async (core, projectId) => {
        if (!requireModel(core)) return 1;
        const tasks = opts.task ? [opts.task] : ['intents', 'sentiment', 'entities'];
        const versions = [];
        for (const task of tasks) {
          if (task === 'entities') {
            const version = await core.prelabel.trainEntities(projectId);
            if (version) versions.push(version);
            else if (opts.task) console.error(`annot train: too few labeled entity spans to train the entity head (at least ${MIN_ENTITY_SPANS})`);
            continue;
          }
          if (task !== 'intents' && task !== 'sentiment') {
            console.error(`annot train: unknown task "${task}"`);
            return 2;
          }
          versions.push(await core.prelabel.train(projectId, task));
        }
        if (opts.json) printJson(versions);
        else for (const v of versions) console.log(`${v.task} v${v.version}: ${v.kind} on ${v.trainedOn} examples (${String(v.metrics.source)})`);
        return 0;
      });
    });

  program
    .command('prelabel')
    .description('train the heads and suggest intents, sentiment and entities for every item of a project')
    .requiredOption('--db <path>', 'the database file')
    .requiredOption('--project <name>', 'project name')
    .option('--json', 'print JSON')
    .action(async (opts: ProjectOptions) => {
      process.exitCode = await withProject(opts, async (core, projectId) => {
        if (!requireModel(core)) return 1;
        core.prelabel.start(projectId);
        const tty = !opts.json && process.stderr.isTTY;
        const timer = tty
          ? setInterval(() => {
              const s = core.prelabel.get(projectId);
              if (s) process.stderr.write(`\r\x1b[K${s.phase}: ${s.done.toLocaleString()} / ${s.total.toLocaleString()} items`);
            }, 250)
          : null;
        const status = await core.prelabel.wait(projectId);
        if (timer) clearInterval(timer);
        if (tty) process.stderr.write('\r\x1b[K');
        if (opts.json) printJson(status);
        else
          console.log(
            `${status?.state}: ${status?.suggestions} suggestions for ${status?.done} items (${status?.versions.join(', ')})${status?.error ? `: ${status.error}` : ''}`,
          );
        return status?.state === 'finished' ? 0 : 1;
      });
    });
}
