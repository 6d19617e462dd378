import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

/** Electron's binary and the better-sqlite3 build for its ABI, or why the real-app tests cannot run here. */
export function electronAvailability(): { binary: string } | { skip: string } {
  let binary: string;
  try {
    // The electron package exports the path of the binary it downloaded at install.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    binary = require('electron') as unknown as string;
  } catch {
    return { skip: "Electron's binary is not installed (this install set ELECTRON_SKIP_BINARY_DOWNLOAD=1; it needs internet access)" };
  }
  if (!existsSync(binary)) return { skip: `Electron's binary is missing at ${binary}` };
  if (!existsSync(join(ROOT, 'build', 'electron-native', 'better_sqlite3.node'))) {
    return { skip: "better-sqlite3 for Electron's ABI is missing: run `npm run native:electron` (it needs Electron's headers from the internet)" };
  }
  if (!existsSync(join(ROOT, 'out', 'main', 'index.js'))) return { skip: 'the app is not built: run `npm run build`' };
  return { binary };
}

export const APP_ENTRY = join(ROOT, 'out', 'main', 'index.js');
