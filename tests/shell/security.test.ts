import type { WebContents } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { CONTENT_SECURITY_POLICY, hardenWebContents, isTrustedSender } from '../../electron/main/security';

type Listener = (event: { preventDefault: () => void }, ...args: unknown[]) => void;

function fakeContents() {
  const listeners = new Map<string, Listener[]>();
  let openHandler: ((details: { url: string }) => unknown) | undefined;
  const contents = {
    on: vi.fn((event: string, listener: Listener) => {
      listeners.set(event, [...(listeners.get(event) ?? []), listener]);
      return contents;
    }),
    setWindowOpenHandler: vi.fn((handler: (details: { url: string }) => unknown) => {
      openHandler = handler;
    }),
  };
  /** Emits like Electron does and tells whether some listener prevented the default. */
  const emit = (name: string, ...args: unknown[]): boolean => {
    const event = { preventDefault: vi.fn() };
    for (const l of listeners.get(name) ?? []) l(event, ...args);
    return event.preventDefault.mock.calls.length > 0;
  };
  const open = (url: string): unknown => {
    if (!openHandler) throw new Error('no window open handler installed');
    return openHandler({ url });
  };
  return { contents: contents as unknown as WebContents, emit, open, raw: contents };
}

const APP = 'file:///opt/app/out/renderer/index.html';

describe('hardenWebContents', () => {
  it('denies navigation to another URL and allows the app URL', () => {
    const wc = fakeContents();
    hardenWebContents(wc.contents, () => APP);
    expect(wc.emit('will-navigate', 'https://evil.example/phish', false, true)).toBe(true);
    expect(wc.emit('will-navigate', 'file:///etc/passwd', false, true)).toBe(true);
    expect(wc.emit('will-navigate', 'file:///opt/app/out/renderer/other.html', false, true)).toBe(true);
    expect(wc.emit('will-navigate', 'javascript:alert(1)', false, true)).toBe(true);
    expect(wc.emit('will-navigate', APP, false, true)).toBe(false);
  });

  it('reads the app URL lazily (dev server URL)', () => {
    const wc = fakeContents();
    let url = APP;
    hardenWebContents(wc.contents, () => url);
    url = 'http://localhost:5173';
    expect(wc.emit('will-navigate', 'http://localhost:5173')).toBe(false);
    expect(wc.emit('will-navigate', APP)).toBe(true);
  });

  it('denies every redirect and webview attachment', () => {
    const wc = fakeContents();
    hardenWebContents(wc.contents, () => APP);
    expect(wc.emit('will-redirect', 'https://evil.example/')).toBe(true);
    expect(wc.emit('will-redirect', APP)).toBe(true);
    expect(wc.emit('will-attach-webview', {}, {})).toBe(true);
  });

  it('denies every new window', () => {
    const wc = fakeContents();
    hardenWebContents(wc.contents, () => APP);
    expect(wc.raw.setWindowOpenHandler).toHaveBeenCalledTimes(1);
    expect(wc.open('https://evil.example/')).toEqual({ action: 'deny' });
    expect(wc.open(APP)).toEqual({ action: 'deny' });
    expect(wc.open('about:blank')).toEqual({ action: 'deny' });
  });
});

describe('isTrustedSender', () => {
  describe('packaged app (file: URL)', () => {
    it('accepts the app page itself, also with a query or a hash route', () => {
      expect(isTrustedSender(APP, APP)).toBe(true);
      expect(isTrustedSender(`${APP}#/projects/1`, APP)).toBe(true);
      expect(isTrustedSender(`${APP}?x=1`, APP)).toBe(true);
    });

    it('accepts the same file whether or not its non-ASCII path is percent-encoded', () => {
      const raw = 'file:///home/用户/应用/out/renderer/index.html';
      const encoded = 'file:///home/%E7%94%A8%E6%88%B7/%E5%BA%94%E7%94%A8/out/renderer/index.html';
      expect(isTrustedSender(encoded, raw)).toBe(true);
    });

    it('rejects other files, other origins, and nonsense', () => {
      for (const url of [
        'file:///opt/app/out/renderer/other.html',
        'file:///etc/passwd',
        'file:///tmp/index.html',
        'https://evil.example/index.html',
        'http://localhost:5173/',
        'data:text/html,<script>1</script>',
        'javascript:alert(1)',
        'about:blank',
        'garbage',
        '',
        undefined,
      ]) {
        expect(isTrustedSender(url, APP), String(url)).toBe(false);
      }
    });

    it('rejects the same path on another host (a UNC network share)', () => {
      // file://attacker/opt/app/out/renderer/index.html is \\attacker\opt\app\... on Windows: another file.
      expect(isTrustedSender('file://attacker.example/opt/app/out/renderer/index.html', APP)).toBe(false);
    });
  });

  describe('development (dev-server URL)', () => {
    const DEV = 'http://localhost:5173';
    it('accepts any page of the dev server origin', () => {
      expect(isTrustedSender('http://localhost:5173/', DEV)).toBe(true);
      expect(isTrustedSender('http://localhost:5173/index.html#/x', DEV)).toBe(true);
    });
    it('rejects other origins and nonsense', () => {
      for (const url of [
        'http://localhost:5174/',
        'https://localhost:5173/',
        'http://127.0.0.1:5173/',
        'http://localhost.evil.example:5173/',
        'http://evil.example/',
        'file:///opt/app/out/renderer/index.html',
        'garbage',
        '',
        undefined,
      ]) {
        expect(isTrustedSender(url, DEV), String(url)).toBe(false);
      }
    });
  });

  it('fails closed when the app URL itself is garbage', () => {
    expect(isTrustedSender('http://localhost:5173/', 'not a url')).toBe(false);
  });
});

describe('CONTENT_SECURITY_POLICY', () => {
  const directives = new Map<string, string[]>();
  for (const part of CONTENT_SECURITY_POLICY.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) directives.set(name, values);
  }

  it('lets only the app itself load code', () => {
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(CONTENT_SECURITY_POLICY).not.toContain("'unsafe-eval'");
    expect(directives.get('script-src')).not.toContain("'unsafe-inline'");
    expect(directives.get('object-src')).toEqual(["'none'"]);
  });

  it('names no remote host, scheme wildcard or wildcard', () => {
    for (const [name, values] of directives) {
      for (const v of values) {
        expect(v, `${name} ${v}`).not.toMatch(/^(https?:|wss?:|\*|blob:|filesystem:)/);
        expect(v, `${name} ${v}`).not.toContain('*');
        expect(v, `${name} ${v}`).not.toMatch(/\./);
      }
    }
  });

  it('declares each directive once and denies framing, base and form targets', () => {
    const names = CONTENT_SECURITY_POLICY.split(';').map((p) => p.trim().split(/\s+/)[0]);
    expect(new Set(names).size).toBe(names.length);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(directives.get('form-action')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
  });
});
