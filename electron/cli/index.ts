import { Command, CommanderError } from 'commander';
import { AppError } from '../../shared/contract/errors';
import { registerImport } from './commands/import';
import { registerProjects } from './commands/projects';
import { registerModel } from './commands/model';
import { registerEvaluate } from './commands/evaluate';
import { registerCompare } from './commands/compare';
import { registerAgreement } from './commands/agreement';
import { registerReport } from './commands/report';
import { registerBackup } from './commands/backup';
import { registerRestore } from './commands/restore';
import { registerAdjudicate } from './commands/adjudicate';
import { registerAdjudications } from './commands/adjudications';
import { registerExport } from './commands/export';
import { registerRedact } from './commands/redact';
import { registerAssign, registerPack } from './commands/packs';
import { mapDbError } from '../core/db/errors';

/** `annot`: the same core as the app, without a window. */
export async function main(argv: string[]): Promise<number> {
  const program = new Command('annot')
    .description('annotation workstation, headless: projects, stats, import, models, agreement, reports')
    .exitOverride()
    .showHelpAfterError();
  registerProjects(program);
  registerImport(program);
  registerModel(program);
  registerEvaluate(program);
  registerCompare(program);
  registerAgreement(program);
  registerReport(program);
  registerBackup(program);
  registerRestore(program);
  registerAdjudicate(program);
  registerAdjudications(program);
  registerExport(program);
  registerRedact(program);
  registerAssign(program);
  registerPack(program);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return Number(process.exitCode ?? 0);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    // SQLite's errors (a damaged, locked, read-only or full database) name the file and what to do.
    const mapped = error instanceof AppError ? error : mapDbError(error, dbArgument(argv) ?? 'the database');
    if (mapped) {
      console.error(`annot: ${mapped.message}`);
      return 1;
    }
    throw error;
  }
}

/** The --db argument, for naming the file in an error SQLite raised. */
function dbArgument(argv: string[]): string | undefined {
  const at = argv.findIndex((a) => a === '--db' || a.startsWith('--db='));
  if (at < 0) return undefined;
  return argv[at]!.startsWith('--db=') ? argv[at]!.slice(5) : argv[at + 1];
}

if (require.main === module) {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
  });
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
