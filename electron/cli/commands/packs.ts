import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { createCore, type Core } from '../../core';
import { findProjectByName } from '../../core/db/repos/projects';
import { writeTransaction } from '../../core/db/write';
import { assignmentAnnotators, writeAssignment } from '../../core/packs/assign';
import { fileKeyStore, workstationSigner } from '../../core/packs/keys';
import { mergeResultPacks } from '../../core/packs/merge';
import { openPack } from '../../core/packs/open';
import { returnWork } from '../../core/packs/returnPack';
import { printJson, table } from '../output';

interface AssignOptions {
  db: string;
  project: string;
  annotators: string;
  overlap: string;
  goldShare?: string;
  filter?: string;
  limit?: string;
  seed?: string;
  expiresDays?: string;
  meta?: string;
  redact?: string;
  suggestions?: boolean;
  out: string;
  json?: boolean;
}

const REDACTION = ['none', 'placeholder', 'mask', 'pseudonym'] as const;

function fail(command: string, message: string): number {
  console.error(`annot ${command}: ${message}`);
  return 2;
}

function withCore<T>(dbPath: string, run: (core: Core) => T): T {
  const core = createCore({ dbPath });
  try {
    return run(core);
  } finally {
    core.close();
  }
}

function projectId(core: Core, name: string): string | null {
  const project = findProjectByName(core.db, name);
  if (!project) console.error(`annot: no project named "${name}"`);
  return project?.id ?? null;
}

export function registerAssign(program: Command): void {
  program
    .command('assign')
    .description('plan work for offline annotators and write one signed pack per annotator (DIR/<annotator>.zip); gold answers stay here')
    .requiredOption('--db <path>', 'the database file')
    .requiredOption('--project <name>', 'project name')
    .requiredOption('--annotators <names>', 'comma-separated annotator names (created here if new)')
    .requiredOption('--overlap <k>', 'each item goes to this many distinct annotators')
    .option('--gold-share <g>', 'share of each pack that is gold items, 0..0.5 (default 0)')
    .option('--filter <which>', 'unlabeled (default: not submitted or skipped, in no unexpired pack) or all')
    .option('--limit <n>', 'at most this many items')
    .option('--seed <n>', 'seed of the plan (default 1)')
    .option('--expires-days <d>', 'days until the packs expire (default 14)')
    .option('--meta <fields>', 'comma-separated metadata fields the packs carry (default none)')
    .option('--redact <mode>', `redact the texts: ${REDACTION.join(', ')} (default none)`)
    .option('--suggestions', "carry the local model's suggestions (only from versions not trained on gold items)")
    .requiredOption('--out <dir>', 'the folder the packs are written to')
    .option('--json', 'print {"assignment", "packs": [{"annotator", "file", "items", "gold"}]}')
    .action((opts: AssignOptions) => {
      process.exitCode = runAssign(opts);
    });
}

function runAssign(opts: AssignOptions): number {
  const names = opts.annotators.split(',').map((s) => s.trim()).filter(Boolean);
  const overlap = Number(opts.overlap);
  const goldShare = opts.goldShare === undefined ? 0 : Number(opts.goldShare);
  const seed = opts.seed === undefined ? 1 : Number(opts.seed);
  const expiresDays = opts.expiresDays === undefined ? 14 : Number(opts.expiresDays);
  const limit = opts.limit === undefined ? undefined : Number(opts.limit);
  const filter = opts.filter ?? 'unlabeled';
  const redact = (opts.redact ?? 'none') as (typeof REDACTION)[number];
  if (!names.length) return fail('assign', '--annotators names no one');
  if (!Number.isInteger(overlap) || overlap < 1 || overlap > names.length) return fail('assign', `--overlap must be an integer from 1 to ${names.length}`);
  if (!(goldShare >= 0 && goldShare <= 0.5)) return fail('assign', '--gold-share must be between 0 and 0.5');
  if (!Number.isInteger(seed)) return fail('assign', '--seed must be an integer');
  if (!(expiresDays > 0)) return fail('assign', '--expires-days must be positive');
  if (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) return fail('assign', '--limit must be a positive integer');
  if (filter !== 'unlabeled' && filter !== 'all') return fail('assign', '--filter must be unlabeled or all');
  if (!REDACTION.includes(redact)) return fail('assign', `--redact must be one of ${REDACTION.join(', ')}`);
  return withCore(opts.db, (core) => {
    const id = projectId(core, opts.project);
    if (!id) return 1;
    const annotatorIds = writeTransaction(core.db, () => assignmentAnnotators(core.db, core.runtime, names));
    const result = writeAssignment(
      core.db,
      core.runtime,
      workstationSigner(fileKeyStore(opts.db)),
      {
        projectId: id,
        annotatorIds,
        overlap,
        goldShare,
        filter,
        limit,
        seed,
        expiresDays,
        metaFields: opts.meta ? opts.meta.split(',').map((s) => s.trim()).filter(Boolean) : [],
        redact,
        suggestions: opts.suggestions ?? false,
      },
      opts.out,
    );
    if (opts.json) printJson(result);
    else console.log(table(result.packs.map((p) => ({ annotator: p.annotator, file: p.file, items: p.items, gold: p.gold }))));
    return 0;
  });
}

interface PackOptions {
  db: string;
  file?: string[];
  project?: string;
  annotator?: string;
  out?: string;
  json?: boolean;
}

export function registerPack(program: Command): void {
  const pack = program.command('pack').description('packs of work for offline annotators: open one, return the work, merge results');
  pack
    .command('open')
    .description("open a pack on the annotator's workstation (signature checked, the lead's key pinned on first use)")
    .requiredOption('--db <path>', 'the database file')
    .requiredOption('--file <pack>', 'the pack file', (v: string, prev: string[] = []) => [...prev, v])
    .requiredOption('--annotator <name>', 'who you are (the pack must be made for you)')
    .option('--json', 'print {"project", "items"}')
    .action((opts: PackOptions) => {
      process.exitCode = withCore(opts.db, (core) => {
        const r = openPack(core.db, core.runtime, fs.readFileSync(opts.file![0]!), opts.annotator!);
        if (opts.json) printJson({ project: r.project, items: r.items, pack: r.packId, added: r.added, expires_at: r.expiresAt });
        else console.log(`${r.added ? 'opened' : 'already open'}: ${r.items} items in project ${r.project}, due ${r.expiresAt.slice(0, 10)}`);
        return 0;
      });
    });
  pack
    .command('return')
    .description("write the annotator's result pack: every event on the items of the project's packs, signed with this workstation's key")
    .requiredOption('--db <path>', 'the database file')
    .requiredOption('--project <name>', 'project name')
    .requiredOption('--annotator <name>', 'whose work')
    .requiredOption('--out <file>', 'the result pack to write')
    .option('--json', 'print {"events"}')
    .action((opts: PackOptions) => {
      process.exitCode = withCore(opts.db, (core) => {
        const id = projectId(core, opts.project!);
        if (!id) return 1;
        const r = returnWork(core.db, core.runtime, workstationSigner(fileKeyStore(opts.db)), id, opts.annotator!);
        const out = path.resolve(opts.out!);
        const temp = `${out}.partial-${process.pid}`;
        fs.writeFileSync(temp, r.bytes);
        fs.renameSync(temp, out);
        if (opts.json) printJson({ events: r.events, packs: r.packs, file: out });
        else console.log(`${r.events} events from ${r.packs} pack(s) written to ${out}`);
        return 0;
      });
    });
  pack
    .command('merge')
    .description("merge annotators' result packs (verified; idempotent; refused packs write nothing)")
    .requiredOption('--db <path>', 'the database file')
    .requiredOption('--file <pack>', 'a result pack (repeat for several)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--json', 'print {"merged_events", "already_had", "refused": [{"file", "reason"}]}')
    .action((opts: PackOptions) => {
      process.exitCode = withCore(opts.db, (core) => {
        const files = opts.file!.map((f) => {
          try {
            return { name: f, bytes: fs.readFileSync(f) };
          } catch (error) {
            return { name: f, bytes: new Uint8Array(), error: (error as Error).message };
          }
        });
        const unreadable = files.filter((f) => 'error' in f).map((f) => ({ file: f.name, reason: (f as { error: string }).error }));
        const r = mergeResultPacks(core.db, core.runtime, files.filter((f) => !('error' in f)));
        const refused = [...unreadable, ...r.refused];
        if (opts.json) printJson({ merged_events: r.merged_events, already_had: r.already_had, refused, packs: r.packs });
        else {
          console.log(`merged ${r.merged_events} events (${r.already_had} already here)`);
          for (const x of refused) console.error(`${x.file}: refused: ${x.reason}`);
        }
        return refused.length ? 1 : 0;
      });
    });
}
