import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, session } from 'electron';
import { EVENT_CHANNEL } from '../../shared/contract/channels';
import { createCore, type Core } from '../core';
import { seedDemoProject } from '../core/services/demo';
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

let core: Core | null = null;

async function start(): Promise<void> {
  const dbPath = join(app.getPath('userData'), 'workstation.db');
  const nativeBinding = electronNativeBinding();
  core = createCore({
    dbPath,
    version: app.getVersion(),
    ...(nativeBinding ? { nativeBinding } : {}),
    emit: (event, payload) => {
      for (const win of BrowserWindow.getAllWindows()) win.webContents.send(EVENT_CHANNEL, event, payload);
    },
  });
  await seedDemoProject(core.db, core.runtime, core.imports, join(app.getAppPath(), 'resources', 'demo', 'demo-items.jsonl'));

  const csp = process.env.ELECTRON_RENDERER_URL ? DEV_CONTENT_SECURITY_POLICY : CONTENT_SECURITY_POLICY;
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));

  registerIpc(
    ipcMain,
    core,
    {
      'system.pickFile': async () => {
        const result = await dialog.showOpenDialog({
          properties: ['openFile'],
          filters: [
            { name: 'Data', extensions: ['jsonl', 'json', 'csv', 'tsv', 'txt'] },
            { name: 'All files', extensions: ['*'] },
          ],
        });
        return { path: result.canceled ? null : (result.filePaths[0] ?? null) };
      },
    },
    (event) => isTrustedSender(event.senderFrame?.url, rendererUrl()),
  );
  Menu.setApplicationMenu(buildMenu(!app.isPackaged));
  createMainWindow(join(__dirname, '../preload/index.js'), rendererUrl());
}

app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, rendererUrl));
app
  .whenReady()
  .then(start)
  .catch((error: unknown) => {
    dialog.showErrorBox('标注工作站 Annotation Workstation', error instanceof Error ? error.message : String(error));
    app.quit();
  });
app.on('window-all-closed', () => {
  core?.close();
  core = null;
  app.quit();
});
