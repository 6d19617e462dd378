import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from '@playwright/test';
import { createCore, type Core } from '../../electron/core';
import { seedDemoProject } from '../../electron/core/services/demo';
import { dispatch } from '../../shared/contract/dispatch';
import { BRIDGE_NAME } from '../../shared/contract/channels';
import type { Handlers, ShellChannel } from '../../shared/contract';

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

export interface App {
  page: Page;
  context: BrowserContext;
  core: Core;
  /** The profile chosen at launch, if any. */
  annotatorId: string | null;
  dir: string;
  /** Paths the next "Browse…" clicks will return, in order (the native file dialog's stand-in). */
  filesToPick: string[];
  close(): Promise<void>;
}

export interface LaunchOptions {
  demo?: boolean;
  /** The annotator profile already chosen on this machine; null shows the profile picker. */
  annotator?: string | null;
  colorScheme?: 'light' | 'dark';
  language?: 'zh-CN' | 'en';
}

/**
 * The built renderer in Debian's Chromium with the real core behind the same bridge the preload
 * gives (DESIGN.md §3): window.workstation.invoke goes through dispatch() to the core's handlers.
 */
export async function launchApp(options: LaunchOptions = {}): Promise<App> {
  const dir = mkdtempSync(join(tmpdir(), 'annot-e2e-'));
  let page: Page | null = null;
  const core = createCore({
    dbPath: join(dir, 'workstation.db'),
    emit: (event, payload) => {
      page
        ?.evaluate(([n, p]) => (globalThis as unknown as { __workstationEmit?: (n: string, p: unknown) => void }).__workstationEmit?.(n, p), [
          event,
          payload,
        ] as const)
        .catch(() => {});
    },
  });
  if (options.demo) await seedDemoProject(core.db, core.runtime, core.imports, DEMO_FILE);
  const annotatorName = options.annotator === undefined ? '测试员' : options.annotator;
  const created = annotatorName ? await core.dispatch('annotators.create', { name: annotatorName }) : null;
  const annotatorId = created?.ok ? (created.value as { id: string }).id : null;
  const filesToPick: string[] = [];
  const shell: Handlers<ShellChannel> = { 'system.pickFile': () => ({ path: filesToPick.shift() ?? null }) };
  const handlers = { ...core.handlers, ...shell };

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
  await context.exposeBinding('__workstationInvoke', (_source, channel: string, input: unknown) => dispatch(handlers, channel, input));
  await context.addInitScript(
    ({ bridge, language, annotatorId }) => {
      const listeners = new Map<string, Set<(p: unknown) => void>>();
      const w = globalThis as unknown as Record<string, unknown> & {
        localStorage: { getItem(k: string): string | null; setItem(k: string, v: string): void };
      };
      w.__workstationEmit = (name: string, payload: unknown) => listeners.get(name)?.forEach((l) => l(payload));
      w[bridge] = Object.freeze({
        invoke: (channel: string, input: unknown) => (w.__workstationInvoke as (c: string, i: unknown) => Promise<unknown>)(channel, input),
        on: (name: string, listener: (p: unknown) => void) => {
          if (!listeners.has(name)) listeners.set(name, new Set());
          listeners.get(name)!.add(listener);
          return () => listeners.get(name)?.delete(listener);
        },
      });
      if (!w.localStorage.getItem('workstation.language')) w.localStorage.setItem('workstation.language', language);
      if (annotatorId && !w.localStorage.getItem('workstation.annotatorId')) w.localStorage.setItem('workstation.annotatorId', annotatorId);
    },
    { bridge: BRIDGE_NAME, language: options.language ?? 'zh-CN', annotatorId },
  );
  page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${APP_ORIGIN}/index.html`);
  return {
    page,
    context,
    core,
    annotatorId,
    dir,
    filesToPick,
    async close() {
      await context.close();
      core.close();
      rmSync(dir, { recursive: true, force: true });
      if (errors.length) throw new Error(`page errors: ${errors.join('\n')}`);
    },
  };
}
