import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, extname, join, normalize, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from '@playwright/test';
import { createCore, type Core } from '../../electron/core';
import { CoreClient } from '../../electron/core/threads/coreClient';
import { seedDemoProject } from '../../electron/core/services/demo';
import { dispatch } from '../../shared/contract/dispatch';
import { BRIDGE_NAME } from '../../shared/contract/channels';
import { SHELL_CHANNELS, type Handlers, type ShellChannel } from '../../shared/contract';
import type { Result } from '../../shared/contract/errors';
import type { FilePurpose } from '../../shared/contract/schemas';
import { CoreProcess } from './coreProcess';

const ROOT = resolve(__dirname, '../..');
const RENDERER_DIR = join(ROOT, 'out', 'renderer');
const APP_ORIGIN = 'http://workstation.test';
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const DEMO_FILE = join(ROOT, 'resources', 'demo', 'demo-items.jsonl');

/** The flags DESIGN.md §6 names: no sandbox as root, no GPU, and no network chatter. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const MIME: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/** The test's own view of the app's database: a second connection (as the CLI next to the app would be). */
export interface TestCore {
  /** Calls the app's core through the same boundary the renderer uses (the core thread, or the killable process). */
  dispatch(channel: string, input: unknown): Promise<Result<unknown>>;
  /** A direct connection for setting up and checking data. */
  db: Core['db'];
  /** Imports on the test's own connection (for setting up big fixtures). */
  imports: Core['imports'];
}

export interface App {
  page: Page;
  context: BrowserContext;
  core: TestCore;
  /** The profile chosen at launch, if any. */
  annotatorId: string | null;
  dbPath: string;
  /** With coreProcess: the child process holding the app's core. */
  host: CoreProcess | null;
  dir: string;
  /** Paths the next "Browse…" clicks will return, in order (the native file dialog's stand-in). */
  filesToPick: string[];
  /** Stops the browser and the core; removes the data too unless keepData (a later close() does). */
  close(options?: { keepData?: boolean }): Promise<void>;
}

export interface LaunchOptions {
  demo?: boolean;
  /** Open the workstation.db in this folder instead of a new one (benchmarks). */
  existingDir?: string;
  /** Run the app's core in a child process (see coreProcess.ts) so the test can kill it. */
  coreProcess?: boolean;
  /** The annotator profile already chosen on this machine; null shows the profile picker. */
  annotator?: string | null;
  colorScheme?: 'light' | 'dark';
  language?: 'zh-CN' | 'en';
}

let fontsChecked = false;
/** Without CJK and emoji fonts every screenshot shows Chinese and emoji as empty boxes (.ci/run installs them). */
function requireFonts(): void {
  if (fontsChecked || process.platform !== 'linux') return;
  const has = (args: string[]) => execFileSync('fc-list', args, { encoding: 'utf8' }).trim().length > 0;
  if (!has([':lang=zh', 'family']) || !has(['Noto Color Emoji'])) {
    throw new Error('CJK or emoji fonts are missing: apt-get install fonts-noto-cjk fonts-noto-color-emoji');
  }
  fontsChecked = true;
}

/**
 * The built renderer in Debian's Chromium with the real core behind the same bridge the preload
 * gives (DESIGN.md §3): window.workstation.invoke goes to the core thread (CoreClient), exactly as
 * Electron's main process forwards it, where dispatch() validates and answers.
 */
export async function launchApp(options: LaunchOptions = {}): Promise<App> {
  requireFonts();
  const dir = options.existingDir ?? mkdtempSync(join(tmpdir(), 'annot-e2e-'));
  const dbPath = join(dir, 'workstation.db');
  let page: Page | null = null;
  const emitToPage = (event: string, payload: unknown): void => {
    page?.evaluate(`window.__workstationEmit?.(${JSON.stringify(event)}, ${JSON.stringify(payload)})`).catch(() => {});
  };
  const local = createCore({ dbPath });
  if (options.demo) await seedDemoProject(local.db, local.runtime, local.imports, DEMO_FILE);
  const annotatorName = options.annotator === undefined ? '测试员' : options.annotator;
  const created = annotatorName ? await local.dispatch('annotators.create', { name: annotatorName }) : null;
  const existing =
    annotatorName && created && !created.ok
      ? ((await local.dispatch('annotators.list', {})) as { ok: true; value: { id: string; name: string }[] }).value
      : [];
  const annotatorId = created?.ok ? (created.value as { id: string }).id : (existing.find((a) => a.name === annotatorName)?.id ?? null);
  const filesToPick: string[] = [];
  let host: CoreProcess | null = null;
  let client: CoreClient | null = null;
  if (options.coreProcess) {
    host = new CoreProcess(dbPath, (event, payload) => emitToPage(event, payload));
    await host.start();
  } else {
    client = await CoreClient.start({ dbPath }, (event, payload) => emitToPage(event, payload));
  }
  const appCore = {
    dispatch: (channel: string, input: unknown) => (host ? host.dispatch(channel, input) : client!.dispatch(channel, input)),
    grant: (path: string, purpose: FilePurpose) => (host ? host.grant(path, purpose) : client!.grant(path, purpose)),
  };
  const pick = async (purpose: FilePurpose) => {
    const path = filesToPick.shift();
    return path ? { token: await appCore.grant(path, purpose), name: basename(path) } : { token: null, name: null };
  };
  const shell: Handlers<ShellChannel> = {
    'system.pickFile': ({ purpose }) => pick(purpose),
    'system.pickFolder': ({ purpose }) => pick(purpose),
  };
  const invoke = (channel: string, input: unknown) =>
    (SHELL_CHANNELS as readonly string[]).includes(channel) ? dispatch(shell, channel, input) : appCore.dispatch(channel, input);

  const context = await chromium.launchPersistentContext(join(dir, 'profile'), {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1360, height: 860 },
    colorScheme: options.colorScheme ?? 'light',
    locale: options.language ?? 'zh-CN',
    reducedMotion: 'reduce',
  });
  await context.route(`${APP_ORIGIN}/**`, (route) => {
    const path = normalize(join(RENDERER_DIR, new URL(route.request().url()).pathname));
    if (!path.startsWith(RENDERER_DIR)) return route.fulfill({ status: 403 });
    try {
      return route.fulfill({ status: 200, body: readFileSync(path), contentType: MIME[extname(path)] ?? 'application/octet-stream' });
    } catch {
      return route.fulfill({ status: 404 });
    }
  });
  await context.exposeBinding('__workstationInvoke', (_source, channel: string, input: unknown) => invoke(channel, input));
  // Source text rather than a function: whatever transpiles this file (Playwright's loader, tsx for
  // the benchmarks) must not inject helpers into code that runs in the page.
  const params = JSON.stringify({ bridge: BRIDGE_NAME, language: options.language ?? 'zh-CN', annotatorId });
  await context.addInitScript(`(() => {
    const { bridge, language, annotatorId } = ${params};
    const listeners = new Map();
    window.__workstationEmit = (name, payload) => listeners.get(name)?.forEach((l) => l(payload));
    window[bridge] = Object.freeze({
      invoke: (channel, input) => window.__workstationInvoke(channel, input),
      on: (name, listener) => {
        if (!listeners.has(name)) listeners.set(name, new Set());
        listeners.get(name).add(listener);
        return () => listeners.get(name)?.delete(listener);
      },
    });
    if (!localStorage.getItem('workstation.language')) localStorage.setItem('workstation.language', language);
    if (annotatorId && !localStorage.getItem('workstation.annotatorId')) localStorage.setItem('workstation.annotatorId', annotatorId);
  })();`);
  page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  let closed = false;
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${APP_ORIGIN}/index.html`);
  return {
    page,
    context,
    core: { dispatch: appCore.dispatch, db: local.db, imports: local.imports },
    annotatorId,
    dbPath,
    host,
    dir,
    filesToPick,
    async close(closeOptions = {}) {
      if (!closed) {
        closed = true;
        await context.close();
        await host?.stop();
        await client?.close();
        if (local.db.open) local.close();
        if (errors.length) throw new Error(`page errors: ${errors.join('\n')}`);
      }
      if (!closeOptions.keepData) rmSync(dir, { recursive: true, force: true });
    },
  };
}
