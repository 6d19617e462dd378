import type { Command } from 'commander';
import { createCore } from '../../core';
import { findProjectByName, listProjects } from '../../core/db/repos/projects';
import { projectStats } from '../../core/services/projects';
import { printJson, table } from '../output';

export function registerProjects(program: Command): void {
  program
    .command('projects')
    .description('list the projects in a database')
    .requiredOption('--db <path>', 'the database file')
    .option('--json', 'print JSON')
    .action((opts: { db: string; json?: boolean }) => {
      const core = createCore({ dbPath: opts.db });
      try {
        const projects = listProjects(core.db);
        if (opts.json) printJson(projects);
        else
          console.log(
            table(
              projects.map((p) => ({
                name: p.name,
                items: p.itemCount,
                annotated: p.annotatedCount,
                schema: `v${p.schemaVersion}`,
                created: p.createdAt.slice(0, 10),
              })),
            ),
          );
      } finally {
        core.close();
      }
    });

  program
    .command('stats')
    .description('counts of items, annotations and labels in a project')
    .requiredOption('--db <path>', 'the database file')
    .requiredOption('--project <name>', 'project name')
    .option('--json', 'print JSON')
    .action((opts: { db: string; project: string; json?: boolean }) => {
      const core = createCore({ dbPath: opts.db });
      try {
        const project = findProjectByName(core.db, opts.project);
        if (!project) {
          console.error(`annot stats: no project named "${opts.project}"`);
          process.exitCode = 1;
          return;
        }
        const s = projectStats(core.db, project.id);
        if (opts.json) return printJson(s);
        console.log(
          `${project.name}: ${s.items} items (${s.goldItems} gold), ${s.annotatedItems} annotated, ${s.annotations} annotations by ${s.annotators} annotators, ${s.events} events, ${s.suggestions} suggestions`,
        );
        for (const [title, rows] of [
          ['intents', s.intents],
          ['entities', s.entities],
          ['sentiment', s.sentiment],
        ] as const) {
          if (rows.length) console.log(`\n${title}\n${table(rows.map((r) => ({ label: r.label, count: r.count })))}`);
        }
      } finally {
        core.close();
      }
    });
}
