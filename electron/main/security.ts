import type { WebContents } from 'electron';

/** The renderer's Content-Security-Policy: only the app's own code; no remote content at all. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Under `npm start` the Vite dev server injects an inline React Refresh script and talks over a websocket. */
export const DEV_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'").replace(
  "connect-src 'self'",
  "connect-src 'self' ws://localhost:* http://localhost:*",
);

/** Denies navigation away from the app and every new window. */
export function hardenWebContents(contents: WebContents, appUrl: () => string): void {
  contents.on('will-navigate', (event, url) => {
    if (url !== appUrl()) event.preventDefault();
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/** True when an IPC message comes from the app's own top frame. */
export function isTrustedSender(frameUrl: string | undefined, appUrl: string): boolean {
  if (!frameUrl) return false;
  try {
    const frame = new URL(frameUrl);
    const app = new URL(appUrl);
    if (app.protocol === 'file:') return frame.protocol === 'file:' && frame.host === app.host && frame.pathname === app.pathname;
    return frame.origin === app.origin;
  } catch {
    return false;
  }
}
