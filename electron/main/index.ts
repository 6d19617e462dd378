import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, session } from 'electron';
import { EVENT_CHANNEL } from '../../shared/contract/channels';
import { CoreClient } from '../core/threads/coreClient';
import { dialogHandlers } from './dialogs';
import { signingKeyFromKeystore } from './signingKey';
import { registerIpc } from './ipc';
import { CONTENT_SECURITY_POLICY, DEV_CONTENT_SECURITY_POLICY, hardenWebContents, isTrustedSender } from './security';
import { createMainWindow } from './window';
import { buildMenu } from './menu';

const rendererUrl = (): string => process.env.ELECTRON_RENDERER_URL ?? `file://${join(__dirname, '../renderer/index.html').replace(/\\/g, '/')}`;

/** better-sqlite3 built for Electron's ABI (npm run native:electron), when present. */
function electronNativeBinding(): string | undefined {
  const path = join(app.getAppPath(), 'build', 'electron-native', 'better_sqlite3.node');
  return existsSync(path) ? path : undefined;
}

let core: CoreClient | null = null;

/** The shell: one window, IPC forwarded to the core thread, dialogs. The core never runs on this thread. */
async function start(): Promise<void> {
  core = await CoreClient.start(
    {
      dbPath: join(app.getPath('userData'), 'workstation.db'),
      version: app.getVersion(),
      nativeBinding: electronNativeBinding(),
      demoFile: join(app.getAppPath(), 'resources', 'demo', 'demo-items.jsonl'),
      signingKeyPem: signingKeyFromKeystore(app.getPath('userData')) ?? undefined,
    },
    (event, payload) => {
      for (const win of BrowserWindow.getAllWindows()) win.webContents.send(EVENT_CHANNEL, event, payload);
    },
  );
  const client = core;

  const csp = process.env.ELECTRON_RENDERER_URL ? DEV_CONTENT_SECURITY_POLICY : CONTENT_SECURITY_POLICY;
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));

  registerIpc(
    ipcMain,
    client,
    dialogHandlers((path, purpose) => client.grant(path, purpose)),
    (event) => isTrustedSender(event.senderFrame?.url, rendererUrl()),
  );
  Menu.setApplicationMenu(buildMenu(!app.isPackaged));
  createMainWindow(join(__dirname, '../preload/index.js'), rendererUrl());
}

// Tests (tests/electron) start the real app on a profile of their own.
if (process.env.ANNOT_USER_DATA) app.setPath('userData', process.env.ANNOT_USER_DATA);

/** One app per user profile (so one per database): a second start focuses the first window. */
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    const win = BrowserWindow.getAllWindows()[0];
    if (!win) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, rendererUrl));
  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      dialog.showErrorBox('标注工作站 Annotation Workstation', error instanceof Error ? error.message : String(error));
      app.quit();
    });
  app.on('window-all-closed', () => app.quit());
  let closing = false;
  app.on('will-quit', (event) => {
    // Let running jobs reach a safe point and the database close before the process ends.
    if (closing || !core) return;
    event.preventDefault();
    closing = true;
    const client = core;
    core = null;
    void client.close().finally(() => app.quit());
  });
}
