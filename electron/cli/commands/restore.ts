import path from 'node:path';
import type { Command } from 'commander';
import { AppError } from '../../../shared/contract/errors';
import { backupDirOf, backupStem, listBackups } from '../../core/db/backupFiles';
import { backupFromFile, restoreDatabase } from '../../core/db/backupRestore';
import { printJson } from '../output';

interface RestoreOptions {
  db: string;
  from?: string;
  latest?: boolean;
  json?: boolean;
}

export function registerRestore(program: Command): void {
  program
    .command('restore')
    .description(
      'put a backup in place of a database: the current file (with its -wal/-shm) is moved aside to <db>.replaced-<time>, never deleted; ' +
        'the backup is checked with integrity_check first; refused while the app or another command has the database open',
    )
    .requiredOption('--db <path>', 'the database file')
    .option('--from <file>', 'the backup to restore')
    .option('--latest', 'the newest backup in <db>-backups/ that passes integrity_check')
    .option('--json', 'print {"file", "restoredFrom", "movedAside", "skipped"}')
    .action(async (opts: RestoreOptions) => {
      process.exitCode = await runRestore(opts);
    });
}

async function runRestore(opts: RestoreOptions): Promise<number> {
  if (!!opts.from === !!opts.latest) {
    console.error('annot restore: give either --from FILE or --latest');
    return 2;
  }
  const dbPath = path.resolve(opts.db);
  const candidates = opts.from ? [backupFromFile(opts.from)] : listBackups(backupDirOf(dbPath), backupStem(dbPath));
  if (!candidates.length) throw new AppError('NOT_FOUND', `there are no backups of ${dbPath} in ${backupDirOf(dbPath)}`, { file: dbPath });
  const result = await restoreDatabase({ dbPath, candidates, aside: 'replaced', now: () => new Date() });
  if (opts.json) printJson(result);
  else {
    for (const s of result.skipped) console.error(`annot restore: skipped ${s.name}: ${s.reason}`);
    console.log(`restored ${dbPath} from ${result.restoredFrom?.path} (integrity_check ok)`);
    if (result.movedAside.length) console.log(`the previous file was moved aside: ${result.movedAside.join(', ')}`);
  }
  return 0;
}
