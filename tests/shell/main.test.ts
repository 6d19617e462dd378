import { createPublicKey } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { strFromU8, unzipSync } from 'fflate';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import type { IpcMainInvokeEvent } from 'electron';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { contract } from '../../shared/contract';
import { EVENT_CHANNEL } from '../../shared/contract/channels';
import { CONTENT_SECURITY_POLICY } from '../../electron/main/security';

const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DEMO_FILE = join(PROJECT_ROOT, 'resources', 'demo', 'demo-items.jsonl');
const DEMO_PROJECT = '演示：电商客服';
/** One item per distinct text of the demo file (305 at the time of writing; the team's lines label the same texts). */
const demoLineCount = (): number =>
  new Set(
    readFileSync(DEMO_FILE, 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => (JSON.parse(l) as { text: string }).text),
  ).size;

type AnyFn = (...args: unknown[]) => unknown;

const state = vi.hoisted(() => {
  class MockWebContents {
    readonly send = vi.fn();
    readonly listeners = new Map<string, AnyFnH[]>();
    openHandler: AnyFnH | undefined;
    on(event: string, listener: AnyFnH): this {
      this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
      return this;
    }
    setWindowOpenHandler(handler: AnyFnH): void {
      this.openHandler = handler;
    }
    /** Emits an event; true when a listener called preventDefault. */
    emit(event: string, ...args: unknown[]): boolean {
      let prevented = false;
      const e = { preventDefault: () => void (prevented = true) };
      for (const l of this.listeners.get(event) ?? []) l(e, ...args);
      return prevented;
    }
  }
  type AnyFnH = (...args: unknown[]) => unknown;

  class MockBrowserWindow {
    static getAllWindows(): MockBrowserWindow[] {
      return [...s.windows];
    }
    readonly options: Record<string, unknown>;
    readonly webContents = new MockWebContents();
    readonly onceListeners = new Map<string, AnyFnH[]>();
    readonly show = vi.fn();
    readonly focus = vi.fn();
    readonly restore = vi.fn();
    readonly isMinimized = vi.fn(() => false);
    readonly loadURL = vi.fn(async (_url: string) => {});
    constructor(options: Record<string, unknown>) {
      this.options = options;
      s.windows.push(this);
    }
    once(event: string, listener: AnyFnH): this {
      this.onceListeners.set(event, [...(this.onceListeners.get(event) ?? []), listener]);
      return this;
    }
    fireOnce(event: string): void {
      const ls = this.onceListeners.get(event) ?? [];
      this.onceListeners.delete(event);
      for (const l of ls) l();
    }
  }

  const s = {
    userData: '',
    appPath: '',
    isPackaged: false,
    appListeners: new Map<string, AnyFnH[]>(),
    ipcHandlers: new Map<string, AnyFnH>(),
    handle: vi.fn(),
    windows: [] as MockBrowserWindow[],
    headerListeners: [] as AnyFnH[],
    permissionHandlers: [] as AnyFnH[],
    started: undefined as Promise<unknown> | undefined,
    startError: undefined as unknown,
    getPath: vi.fn(),
    showOpenDialog: vi.fn(),
    showErrorBox: vi.fn(),
    quit: vi.fn(),
    /** What app.requestSingleInstanceLock() answers: false when another instance holds the profile. */
    singleInstance: true,
    setApplicationMenu: vi.fn(),
    buildFromTemplate: vi.fn((template: unknown[]) => ({ template })),
    MockBrowserWindow,
    MockWebContents,
  };
  return s;
});

vi.mock('electron', () => {
  const app = {
    on: (event: string, listener: AnyFn) => {
      state.appListeners.set(event, [...(state.appListeners.get(event) ?? []), listener]);
      return app;
    },
    whenReady: () => {
      const ready = Promise.resolve();
      const then = ready.then.bind(ready);
      // Keep hold of the promise main derives from whenReady() so the test can see how start ended.
      Object.defineProperty(ready, 'then', {
        value: (onFulfilled?: AnyFn, onRejected?: AnyFn) => {
          const derived = then(onFulfilled as never, onRejected as never);
          state.started = derived;
          derived.catch((error: unknown) => {
            state.startError = error ?? new Error('start rejected');
          });
          return derived;
        },
      });
      return ready;
    },
    getPath: (name: string) => state.getPath(name),
    getAppPath: () => state.appPath,
    getVersion: () => '1.2.3',
    requestSingleInstanceLock: () => state.singleInstance,
    get isPackaged() {
      return state.isPackaged;
    },
    quit: (...args: unknown[]) => state.quit(...args),
  };
  return {
    app,
    BrowserWindow: state.MockBrowserWindow,
    ipcMain: {
      handle: (channel: string, listener: AnyFn) => {
        state.handle(channel, listener);
        if (state.ipcHandlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
        state.ipcHandlers.set(channel, listener);
      },
    },
    session: {
      defaultSession: {
        webRequest: { onHeadersReceived: (listener: AnyFn) => void state.headerListeners.push(listener) },
        setPermissionRequestHandler: (handler: AnyFn) => void state.permissionHandlers.push(handler),
      },
    },
    // A stand-in for the OS keystore: reversible, and never the plain text.
    safeStorage: {
      isEncryptionAvailable: () => true,
      encryptString: (text: string) => Buffer.from(Buffer.from(text, 'utf8').toString('base64').split('').reverse().join(''), 'utf8'),
      decryptString: (data: Buffer) => Buffer.from(data.toString('utf8').split('').reverse().join(''), 'base64').toString('utf8'),
    },
    dialog: {
      showOpenDialog: (...args: unknown[]) => state.showOpenDialog(...args),
      showErrorBox: (...args: unknown[]) => state.showErrorBox(...args),
    },
    Menu: {
      buildFromTemplate: (template: unknown[]) => state.buildFromTemplate(template),
      setApplicationMenu: (menu: unknown) => state.setApplicationMenu(menu),
    },
  };
});

// ---------------------------------------------------------------------------------------------

const savedRendererUrl = process.env.ELECTRON_RENDERER_URL;
let dirs: string[] = [];

function newUserData(): string {
  const dir = mkdtempSync(join(tmpdir(), 'shell-main-'));
  dirs.push(dir);
  return dir;
}

function resetState(userData: string): void {
  state.userData = userData;
  state.appPath = PROJECT_ROOT;
  state.isPackaged = false;
  state.singleInstance = true;
  state.appListeners.clear();
  state.ipcHandlers.clear();
  state.windows.length = 0;
  state.headerListeners.length = 0;
  state.permissionHandlers.length = 0;
  state.started = undefined;
  state.startError = undefined;
  for (const m of [
    state.handle,
    state.getPath,
    state.showOpenDialog,
    state.showErrorBox,
    state.quit,
    state.setApplicationMenu,
    state.buildFromTemplate,
  ]) {
    m.mockClear();
  }
  state.getPath.mockImplementation((name: unknown) => {
    if (name === 'userData') return state.userData;
    throw new Error(`unexpected app.getPath(${String(name)})`);
  });
}

/** Imports main/index.ts afresh (a new app process) and waits until its async start is done. */
async function startApp(): Promise<void> {
  vi.resetModules();
  await import('../../electron/main/index');
  await vi.waitFor(
    () => {
      if (state.startError !== undefined) return;
      expect(state.windows).toHaveLength(1);
    },
    { timeout: 30_000, interval: 20 },
  );
  expect(state.startError).toBeUndefined();
}

/**
 * Quits the mocked app the way Electron would when its last window closes: window-all-closed, then
 * will-quit, which main postpones until the core thread has closed the database and then quits again.
 */
async function closeAllWindows(): Promise<void> {
  for (const l of state.appListeners.get('window-all-closed') ?? []) l();
  const quits = state.quit.mock.calls.length;
  let postponed = false;
  for (const l of state.appListeners.get('will-quit') ?? []) l({ preventDefault: () => void (postponed = true) });
  if (postponed) await vi.waitFor(() => expect(state.quit.mock.calls.length).toBeGreaterThan(quits), { timeout: 30_000 });
}

function theWindow(): InstanceType<typeof state.MockBrowserWindow> {
  const win = state.windows[0];
  if (!win) throw new Error('no window was created');
  return win;
}

/** The URL main loaded into its window: what the app's own frame reports as senderFrame.url. */
const appUrl = (): string => String(theWindow().loadURL.mock.calls[0]?.[0]);

const eventFrom = (url: string | undefined): IpcMainInvokeEvent =>
  ({ senderFrame: url === undefined ? null : { url }, sender: {} }) as unknown as IpcMainInvokeEvent;

/** Calls a registered IPC handler as a frame at `url` would (undefined: a destroyed frame). */
async function invokeFrom(url: string | undefined, channel: string, input: unknown): Promise<unknown> {
  const handler = state.ipcHandlers.get(channel);
  if (!handler) throw new Error(`no IPC handler for ${channel}`);
  return await handler(eventFrom(url), input);
}

/** Calls a registered IPC handler as the app's own page. */
const invoke = (channel: string, input: unknown): Promise<unknown> => invokeFrom(appUrl(), channel, input);

beforeEach(() => {
  delete process.env.ELECTRON_RENDERER_URL;
  resetState(newUserData());
});

afterEach(async () => {
  await closeAllWindows();
  if (savedRendererUrl === undefined) delete process.env.ELECTRON_RENDERER_URL;
  else process.env.ELECTRON_RENDERER_URL = savedRendererUrl;
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

// ---------------------------------------------------------------------------------------------

describe('main process start', () => {
  it('registers an IPC handler for every contract channel', async () => {
    await startApp();
    expect([...state.ipcHandlers.keys()].sort()).toEqual(Object.keys(contract).sort());
    expect(state.handle).toHaveBeenCalledTimes(Object.keys(contract).length);
  });

  it('creates exactly one window with the hardened options, the preload, and the renderer URL', async () => {
    await startApp();
    expect(state.windows).toHaveLength(1);
    const win = theWindow();
    expect(win.options).toMatchObject({
      show: false,
      webPreferences: {
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        webviewTag: false,
      },
    });
    const prefs = win.options.webPreferences as { preload: string };
    expect(prefs.preload.replace(/\\/g, '/')).toMatch(/\/preload\/index\.js$/);

    expect(win.loadURL).toHaveBeenCalledTimes(1);
    expect(appUrl()).toMatch(/^file:\/\/\/.*\/renderer\/index\.html$/);

    expect(win.show).not.toHaveBeenCalled();
    win.fireOnce('ready-to-show');
    expect(win.show).toHaveBeenCalledTimes(1);
  });

  it('loads the dev server URL when ELECTRON_RENDERER_URL is set, and trusts only that origin', async () => {
    process.env.ELECTRON_RENDERER_URL = 'http://localhost:5173';
    await startApp();
    expect(appUrl()).toBe('http://localhost:5173');
    expect(await invokeFrom('http://localhost:5173/', 'projects.list', {})).toMatchObject({ ok: true });
    expect(await invokeFrom('http://localhost:5174/', 'projects.list', {})).toMatchObject({ ok: false });
  });

  it('installs the Content-Security-Policy header on every response, keeping the other headers', async () => {
    await startApp();
    expect(state.headerListeners).toHaveLength(1);
    const listener = state.headerListeners[0];
    const callback = vi.fn();
    listener?.({ url: 'file:///x/index.html', responseHeaders: { 'X-Frame-Options': ['DENY'], 'Content-Type': ['text/html'] } }, callback);
    expect(callback).toHaveBeenCalledTimes(1);
    expect(callback.mock.calls[0]?.[0]).toEqual({
      responseHeaders: {
        'X-Frame-Options': ['DENY'],
        'Content-Type': ['text/html'],
        'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
      },
    });

    // A response without headers still gets the policy.
    const cb2 = vi.fn();
    listener?.({ url: 'file:///x/app.js' }, cb2);
    expect(cb2.mock.calls[0]?.[0]).toEqual({ responseHeaders: { 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });

  it('denies every permission request', async () => {
    await startApp();
    expect(state.permissionHandlers).toHaveLength(1);
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read']) {
      const cb = vi.fn();
      state.permissionHandlers[0]?.({}, permission, cb);
      expect(cb).toHaveBeenCalledWith(false);
    }
  });

  it('hardens every web contents created (navigation, redirects, new windows)', async () => {
    await startApp();
    const created = state.appListeners.get('web-contents-created') ?? [];
    expect(created).toHaveLength(1);
    const contents = new state.MockWebContents();
    created[0]?.({}, contents);

    expect(contents.emit('will-navigate', 'https://evil.example/')).toBe(true);
    expect(contents.emit('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(contents.emit('will-navigate', appUrl())).toBe(false);
    expect(contents.emit('will-redirect', 'https://evil.example/')).toBe(true);
    expect(contents.emit('will-attach-webview', {}, {})).toBe(true);
    expect(contents.openHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
  });

  it('sets the application menu built from the template, with dev tools when not packaged', async () => {
    await startApp();
    expect(state.setApplicationMenu).toHaveBeenCalledTimes(1);
    const menu = state.setApplicationMenu.mock.calls[0]?.[0] as { template: unknown[] };
    expect(JSON.stringify(menu.template)).toContain('toggleDevTools');
  });

  it('leaves dev tools out of the menu of a packaged app', async () => {
    state.isPackaged = true;
    await startApp();
    const menu = state.setApplicationMenu.mock.calls[0]?.[0] as { template: unknown[] };
    expect(JSON.stringify(menu.template)).not.toContain('toggleDevTools');
  });
});

describe('main process database and IPC', () => {
  it('seeds the demo project into <userData>/workstation.db', async () => {
    await startApp();
    const dbPath = join(state.userData, 'workstation.db');
    expect(existsSync(dbPath)).toBe(true);

    const expectedItems = demoLineCount();
    expect(expectedItems).toBeGreaterThanOrEqual(300);

    const db = new Database(dbPath, { readonly: true });
    try {
      const projects = db.prepare('SELECT id, name, item_count FROM projects').all() as Array<{ id: string; name: string; item_count: number }>;
      expect(projects.map((p) => p.name)).toEqual([DEMO_PROJECT]);
      const project = projects[0];
      if (!project) throw new Error('no demo project');
      const { n } = db.prepare('SELECT count(*) AS n FROM items WHERE project_id = ?').get(project.id) as { n: number };
      expect(n).toBe(expectedItems);
      expect(project.item_count).toBe(expectedItems);

      const gold = db.prepare("SELECT id FROM annotators WHERE name = 'gold'").get() as { id: string } | undefined;
      expect(gold).toBeDefined();
      const { g } = db.prepare('SELECT count(*) AS g FROM annotations WHERE annotator_id = ?').get(gold?.id) as { g: number };
      expect(g).toBeGreaterThan(0);
    } finally {
      db.close();
    }

    // The renderer sees the same through IPC, and app.info names that database.
    expect(await invoke('projects.list', {})).toMatchObject({ ok: true, value: [{ name: DEMO_PROJECT }] });
    expect(await invoke('app.info', {})).toMatchObject({ ok: true, value: { version: '1.2.3', dbPath } });
  });

  it('keeps the signing key of packs encrypted by the OS keystore, and signs with it', async () => {
    await startApp();
    const file = join(state.userData, 'keys', 'ed25519.pem.enc');
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file, 'utf8')).not.toContain('PRIVATE KEY');
    expect(existsSync(join(state.userData, 'workstation.db-keys'))).toBe(false);
    // The core signs with that key: a pack written through IPC names its public key.
    const projects = (await invoke('projects.list', {})) as { ok: true; value: { id: string }[] };
    const out = join(state.userData, 'packs');
    mkdirSync(out);
    state.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: [out] });
    const picked = (await invoke('system.pickFolder', { purpose: 'pack-folder' })) as { ok: true; value: { token: string } };
    const written = await invoke('packs.assign', { projectId: projects.value[0]!.id, annotators: ['小王'], overlap: 1, limit: 3, folderToken: picked.value.token });
    expect(written).toMatchObject({ ok: true, value: { packs: [{ annotator: '小王', file: '小王.zip' }] } });
    const manifest = JSON.parse(strFromU8(unzipSync(readFileSync(join(out, '小王.zip')))['manifest.json']!)) as { signer: string };
    const pem = Buffer.from(readFileSync(file, 'utf8').split('').reverse().join(''), 'base64').toString('utf8');
    expect(manifest.signer).toBe(createPublicKey(pem).export({ format: 'jwk' }).x);
    expect(existsSync(join(state.userData, 'workstation.db-keys'))).toBe(false);
  });

  it('does not seed the demo a second time on the next start', async () => {
    const userData = state.userData;
    await startApp();
    await closeAllWindows();
    resetState(userData);
    await startApp();

    const db = new Database(join(userData, 'workstation.db'), { readonly: true });
    try {
      const rows = db.prepare('SELECT name, (SELECT count(*) FROM items i WHERE i.project_id = p.id) AS n FROM projects p').all();
      expect(rows).toEqual([{ name: DEMO_PROJECT, n: demoLineCount() }]);
    } finally {
      db.close();
    }
  });

  it('answers IPC from the app frame and refuses other frames without touching the database', async () => {
    await startApp();
    expect(await invoke('projects.create', { name: '新项目' })).toMatchObject({ ok: true, value: { name: '新项目' } });
    expect(await invoke('projects.create', { name: 42 })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });

    for (const url of ['https://evil.example/', 'file:///tmp/evil.html', undefined, 'garbage']) {
      expect(await invokeFrom(url, 'projects.create', { name: `evil ${String(url)}` }), String(url)).toMatchObject({ ok: false });
    }
    const listed = (await invoke('projects.list', {})) as { ok: true; value: Array<{ name: string }> };
    expect(listed.value.map((p) => p.name).sort()).toEqual([DEMO_PROJECT, '新项目'].sort());
  });

  it('answers system.pickFile with a native open dialog: a token and the name, never the path', async () => {
    await startApp();
    const file = join(state.userData, '客服.jsonl');
    writeFileSync(file, '{"text":"第一条"}\n');
    state.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: [file] });
    const picked = (await invoke('system.pickFile', { purpose: 'import' })) as { ok: true; value: { token: string; name: string } };
    expect(picked).toMatchObject({ ok: true, value: { token: expect.stringMatching(/^[A-Za-z0-9_-]{16,64}$/), name: '客服.jsonl' } });
    expect(JSON.stringify(picked)).not.toContain(state.userData);
    expect(state.showOpenDialog).toHaveBeenCalledTimes(1);
    expect(state.showOpenDialog.mock.calls[0]?.[0]).toMatchObject({ properties: ['openFile'] });
    // The core resolves the token to the file the user chose.
    expect(await invoke('imports.inspect', { fileToken: picked.value.token })).toMatchObject({ ok: true, value: { format: 'jsonl', path: file } });

    state.showOpenDialog.mockResolvedValueOnce({ canceled: true, filePaths: [] });
    expect(await invoke('system.pickFile', { purpose: 'import' })).toEqual({ ok: true, value: { token: null, name: null } });

    state.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: [state.userData] });
    expect(await invoke('system.pickFolder', { purpose: 'model-folder' })).toMatchObject({ ok: true, value: { token: expect.any(String) } });
    expect(state.showOpenDialog.mock.calls[2]?.[0]).toMatchObject({ properties: ['openDirectory'] });

    // Untrusted frames never get a dialog.
    expect(await invokeFrom('https://evil.example/', 'system.pickFile', { purpose: 'import' })).toMatchObject({ ok: false });
    expect(state.showOpenDialog).toHaveBeenCalledTimes(3);
  });

  it('refuses a path or a forged token from the renderer without reading anything', async () => {
    await startApp();
    const file = join(state.userData, 'secret.jsonl');
    writeFileSync(file, '{"text":"机密"}\n');
    const created = (await invoke('projects.create', { name: '伪造' })) as { ok: true; value: { id: string } };
    expect(await invoke('imports.inspect', { filePath: file })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(await invoke('imports.start', { projectId: created.value.id, filePath: file, format: 'jsonl' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' },
    });
    const forged = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
    expect(await invoke('imports.inspect', { fileToken: forged })).toMatchObject({ ok: false, error: { code: 'FILE_NOT_GRANTED' } });
    expect(await invoke('models.configure', { folderToken: forged, modelName: 'a/b' })).toMatchObject({ ok: false, error: { code: 'FILE_NOT_GRANTED' } });
    expect(await invoke('items.list', { projectId: created.value.id })).toMatchObject({ ok: true, value: { total: 0 } });
  });

  it('is one instance per profile: a second start quits, and the first focuses its window', async () => {
    await startApp();
    const second = state.appListeners.get('second-instance') ?? [];
    expect(second).toHaveLength(1);
    second[0]?.({}, [], '');
    expect(theWindow().focus).toHaveBeenCalledTimes(1);
    await closeAllWindows();

    resetState(newUserData());
    state.singleInstance = false;
    vi.resetModules();
    await import('../../electron/main/index');
    expect(state.quit).toHaveBeenCalledTimes(1);
    expect(state.appListeners.size).toBe(0);
    expect(state.windows).toHaveLength(0);
  });

  it('pushes import progress to the window on EVENT_CHANNEL', async () => {
    await startApp();
    const file = join(state.userData, 'small.jsonl');
    writeFileSync(file, ['{"text":"第一条"}', '{"text":"第二条"}', '{"text":"第三条"}'].join('\n') + '\n');
    const created = (await invoke('projects.create', { name: '导入测试' })) as { ok: true; value: { id: string } };
    const win = theWindow();
    win.webContents.send.mockClear();

    state.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: [file] });
    const picked = (await invoke('system.pickFile', { purpose: 'import' })) as { ok: true; value: { token: string } };
    const started = (await invoke('imports.start', { projectId: created.value.id, fileToken: picked.value.token, format: 'jsonl' })) as {
      ok: boolean;
      value: { id: string };
    };
    expect(started.ok).toBe(true);

    await vi.waitFor(
      () => {
        const finals = win.webContents.send.mock.calls.filter(
          (c) => c[0] === EVENT_CHANNEL && c[1] === 'imports.progress' && (c[2] as { state?: string }).state === 'committed',
        );
        expect(finals.length).toBeGreaterThan(0);
      },
      { timeout: 10_000 },
    );
    for (const call of win.webContents.send.mock.calls) {
      expect(call).toHaveLength(3);
      expect(call[0]).toBe(EVENT_CHANNEL);
      expect(call[1]).toBe('imports.progress');
      expect(call[2]).toMatchObject({ id: started.value.id });
    }
    expect(await invoke('items.list', { projectId: created.value.id })).toMatchObject({ ok: true, value: { total: 3 } });
  });

  it('closes the database and quits when the last window closes', async () => {
    await startApp();
    const dbPath = join(state.userData, 'workstation.db');
    expect(existsSync(`${dbPath}-wal`)).toBe(true);
    await closeAllWindows();
    expect(state.quit).toHaveBeenCalled();
    // SQLite checkpoints and removes the WAL when the last connection closes.
    expect(existsSync(`${dbPath}-wal`)).toBe(false);
  });

  it('shows an error and quits when start fails (database from a newer version)', async () => {
    const dbPath = join(state.userData, 'workstation.db');
    const newer = new Database(dbPath);
    newer.pragma('user_version = 999');
    newer.close();

    vi.resetModules();
    await import('../../electron/main/index');
    await vi.waitFor(() => expect(state.started).toBeDefined());
    await state.started?.catch(() => {});

    expect(state.windows).toHaveLength(0);
    expect(state.showErrorBox, `start rejected with: ${String(state.startError)}`).toHaveBeenCalledTimes(1);
    expect(String(state.showErrorBox.mock.calls[0]?.[1])).toMatch(/newer version/);
    expect(state.quit).toHaveBeenCalled();
    // The newer database is left untouched.
    const db = new Database(dbPath, { readonly: true });
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(999);
    } finally {
      db.close();
    }
  });
});
