import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * How to run the worker entry `electron/workers/<name>.worker.ts`: the built `<name>.worker.js` next
 * to the bundle (electron-vite puts every main-side entry in out/main), or, in development, the CLI
 * and tests, code that runs its TypeScript source through tsx.
 */
export function workerEntry(name: string): { file: string } | { bootstrap: string } {
  // Code shared by several entries is bundled into out/main/chunks, one level below them.
  const bundle = basename(__dirname) === 'chunks' ? dirname(__dirname) : __dirname;
  const built = join(bundle, `${name}.worker.js`);
  if (existsSync(built)) return { file: built };
  const source = resolve(__dirname, '..', '..', 'workers', `${name}.worker.ts`);
  return { bootstrap: tsxBootstrap(source) };
}

/** Code that runs a TypeScript file through tsx (for an `eval` worker or `node -e`). */
export function tsxBootstrap(file: string): string {
  return `require('tsx/cjs/api').register(); require(${JSON.stringify(file)});`;
}

/** Starts the worker entry `name` (see workerEntry) as a worker thread. */
export function spawnWorker(name: string, options: WorkerOptions = {}): Worker {
  const entry = workerEntry(name);
  return 'file' in entry ? new Worker(entry.file, options) : new Worker(entry.bootstrap, { ...options, eval: true });
}
