import { Command, CommanderError } from 'commander';
import { AppError } from '../../shared/contract/errors';
import { registerImport } from './commands/import';
import { registerProjects } from './commands/projects';
import { registerModel } from './commands/model';
import { registerEvaluate } from './commands/evaluate';
import { registerCompare } from './commands/compare';
import { registerAgreement } from './commands/agreement';
import { registerReport } from './commands/report';

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
  try {
    await program.parseAsync(argv, { from: 'user' });
    return Number(process.exitCode ?? 0);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof AppError) {
      console.error(`annot: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

if (require.main === module) {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
  });
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
