import { statSync } from 'node:fs';
import type { JobPool } from './jobPool';

/** SQLite's own default: a checkpoint once the WAL holds about 1,000 pages. */
export const CHECKPOINT_WAL_BYTES = 4 * 1024 * 1024;
const LOOK_EVERY_MS = 1000;

/**
 * With the app's connections set to wal_autocheckpoint = 0 (a checkpoint inside a labeling commit
 * would copy megabytes on the thread that serves the UI), this copies the WAL back into the
 * database from the maintenance job thread once it grows past CHECKPOINT_WAL_BYTES.
 * PASSIVE checkpoints never wait for readers or writers; journal_size_limit trims the file after.
 */
export class WalCheckpoints {
  private timer: NodeJS.Timeout | null = null;
  private running = false;

  constructor(
    private readonly dbPath: string,
    private readonly pool: Pick<JobPool, 'checkpoint'>,
  ) {}

  start(): this {
    this.timer = setInterval(() => void this.look(), LOOK_EVERY_MS);
    this.timer.unref();
    return this;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  async look(): Promise<boolean> {
    if (this.running || walBytes(this.dbPath) < CHECKPOINT_WAL_BYTES) return false;
    this.running = true;
    try {
      await this.pool.checkpoint();
      return true;
    } finally {
      this.running = false;
    }
  }
}

function walBytes(dbPath: string): number {
  try {
    return statSync(`${dbPath}-wal`).size;
  } catch {
    return 0;
  }
}
