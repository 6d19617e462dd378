import { beforeEach, describe, expect, it, vi } from 'vitest';

const state = vi.hoisted(() => {
  type Listener = (...args: unknown[]) => void;
  class MockBrowserWindow {
    static instances: MockBrowserWindow[] = [];
    readonly options: Record<string, unknown>;
    readonly once = vi.fn((event: string, listener: Listener) => {
      (this.onceListeners[event] ??= []).push(listener);
      return this;
    });
    readonly onceListeners: Record<string, Listener[]> = {};
    readonly show = vi.fn();
    readonly loadURL = vi.fn(async (_url: string) => {});
    constructor(options: Record<string, unknown>) {
      this.options = options;
      MockBrowserWindow.instances.push(this);
    }
    fire(event: string): void {
      const listeners = this.onceListeners[event] ?? [];
      this.onceListeners[event] = [];
      for (const l of listeners) l();
    }
  }
  const buildFromTemplate = vi.fn((template: unknown[]) => ({ template }));
  return { MockBrowserWindow, buildFromTemplate };
});

vi.mock('electron', () => ({
  BrowserWindow: state.MockBrowserWindow,
  Menu: { buildFromTemplate: state.buildFromTemplate },
}));

import { createMainWindow, WINDOW_OPTIONS } from '../../electron/main/window';
import { buildMenu } from '../../electron/main/menu';

const PRELOAD = '/opt/app/out/preload/index.js';
const URL_ = 'file:///opt/app/out/renderer/index.html';

function expectHardened(options: unknown): void {
  expect(options).toMatchObject({
    webPreferences: {
      preload: PRELOAD,
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
  const prefs = (options as { webPreferences: Record<string, unknown> }).webPreferences;
  // Nothing that would loosen isolation sneaks in.
  for (const risky of ['enableRemoteModule', 'experimentalFeatures', 'enableBlinkFeatures', 'additionalArguments']) {
    expect(prefs).not.toHaveProperty(risky);
  }
}

describe('WINDOW_OPTIONS', () => {
  it('isolates and sandboxes the renderer and uses the preload path given', () => {
    expectHardened(WINDOW_OPTIONS(PRELOAD));
    expect(WINDOW_OPTIONS('/elsewhere/preload.js').webPreferences?.preload).toBe('/elsewhere/preload.js');
  });

  it('starts hidden (shown on ready-to-show)', () => {
    expect(WINDOW_OPTIONS(PRELOAD).show).toBe(false);
  });
});

describe('createMainWindow', () => {
  beforeEach(() => {
    state.MockBrowserWindow.instances.length = 0;
  });

  it('creates one BrowserWindow with the hardened options and loads the URL', () => {
    const win = createMainWindow(PRELOAD, URL_);
    expect(state.MockBrowserWindow.instances).toHaveLength(1);
    const created = state.MockBrowserWindow.instances[0];
    expect(win).toBe(created);
    expectHardened(created?.options);
    expect(created?.loadURL).toHaveBeenCalledTimes(1);
    expect(created?.loadURL).toHaveBeenCalledWith(URL_);
  });

  it('shows the window only once it is ready to show', () => {
    createMainWindow(PRELOAD, URL_);
    const created = state.MockBrowserWindow.instances[0];
    expect(created?.show).not.toHaveBeenCalled();
    created?.fire('ready-to-show');
    expect(created?.show).toHaveBeenCalledTimes(1);
  });
});

describe('buildMenu', () => {
  const roles = (menu: unknown): string[] => {
    const out: string[] = [];
    const walk = (items: unknown[]): void => {
      for (const item of items as Array<{ role?: string; submenu?: unknown[] }>) {
        if (item.role) out.push(item.role);
        if (Array.isArray(item.submenu)) walk(item.submenu);
      }
    };
    walk((menu as { template: unknown[] }).template);
    return out;
  };

  it('offers dev tools and reload only in development', () => {
    expect(roles(buildMenu(true))).toEqual(expect.arrayContaining(['toggleDevTools', 'reload']));
    const packaged = roles(buildMenu(false));
    expect(packaged).not.toContain('toggleDevTools');
    expect(packaged).not.toContain('reload');
    expect(packaged).toEqual(expect.arrayContaining(['fileMenu', 'editMenu', 'windowMenu']));
  });
});
