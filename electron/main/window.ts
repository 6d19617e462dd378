import { BrowserWindow, type BrowserWindowConstructorOptions } from 'electron';

export const WINDOW_OPTIONS = (preloadPath: string): BrowserWindowConstructorOptions => ({
  width: 1280,
  height: 820,
  minWidth: 900,
  minHeight: 600,
  show: false,
  title: '标注工作站 Annotation Workstation',
  backgroundColor: '#1a1b1e',
  webPreferences: {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
  },
});

export function createMainWindow(preloadPath: string, url: string): BrowserWindow {
  const win = new BrowserWindow(WINDOW_OPTIONS(preloadPath));
  win.once('ready-to-show', () => win.show());
  void win.loadURL(url);
  return win;
}
