#!/usr/bin/env node
// Builds better-sqlite3 for Electron's ABI into build/electron-native/, leaving the Node build in
// node_modules for tests and the CLI. Needs Electron's headers (internet). Skips when already built.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, 'build', 'electron-native', 'better_sqlite3.node');
if (existsSync(target) && !process.argv.includes('--force')) {
  console.log(`electron-native: ${target} exists`);
  process.exit(0);
}
const require = createRequire(import.meta.url);
const electronVersion = require('electron/package.json').version;
const source = dirname(require.resolve('better-sqlite3/package.json'));
const work = mkdtempSync(join(tmpdir(), 'bsql-electron-'));
try {
  cpSync(source, work, { recursive: true, filter: (p) => !p.includes(`${source}/build`) });
  console.log(`electron-native: building better-sqlite3 for Electron ${electronVersion} …`);
  execFileSync(
    'npx',
    [
      '--yes',
      'node-gyp',
      'rebuild',
      '--release',
      `--target=${electronVersion}`,
      `--arch=${process.arch}`,
      '--dist-url=https://electronjs.org/headers',
    ],
    { cwd: work, stdio: 'inherit' },
  );
  mkdirSync(dirname(target), { recursive: true });
  cpSync(join(work, 'build', 'Release', 'better_sqlite3.node'), target);
  console.log(`electron-native: wrote ${target}`);
} catch (error) {
  console.error(`electron-native: could not build for Electron (${error.message}). The app needs it to open its database.`);
  process.exit(1);
} finally {
  rmSync(work, { recursive: true, force: true });
}
