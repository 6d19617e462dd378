import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { setPriority } from 'node:os';
import { join, resolve } from 'node:path';

/** Lower than the app's own priority: under load the OS gives the thread that serves the UI its turn first. */
export const CHILD_NICENESS = 10;

/**
 * Request/reply with a worker script run as a child process (structured-clone IPC, so typed arrays
 * travel as they are). The child runs at a lower priority, stops with its parent, and does not keep
 * the parent alive while idle. A crash of the child fails its pending requests and the next request
 * starts a new one.
 */
export class ProcessClient {
  private child: ChildProcess | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();

  constructor(private readonly name: string) {}

  request(message: object): Promise<unknown> {
    const child = this.child ?? this.start();
    const id = this.nextId++;
    this.hold(true);
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      child.send({ id, ...message }, (error) => {
        if (error) this.settle(id, { ok: false, error: `the ${this.name} process did not take the request: ${error.message}` });
      });
    });
  }

  private start(): ChildProcess {
    const built = join(__dirname, `${this.name}.worker.js`);
    const args = existsSync(built)
      ? [built]
      : ['-e', `require('tsx/cjs/api').register(); require(${JSON.stringify(resolve(__dirname, '..', '..', 'workers', `${this.name}.worker.ts`))});`];
    const child = spawn(process.execPath, args, {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'advanced',
      // Electron's binary runs scripts as plain Node only when asked to.
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    });
    try {
      if (child.pid) setPriority(child.pid, CHILD_NICENESS);
    } catch {
      // Not permitted on this system: it runs at the same priority.
    }
    child.on('message', (m: { id: number; ok: boolean; value?: unknown; error?: string }) => this.settle(m.id, m));
    child.on('exit', (code, signal) => {
      if (this.child === child) this.child = null;
      const error = new Error(`the ${this.name} process stopped (${signal ?? `exit code ${code}`})`);
      for (const p of this.pending.values()) p.reject(error);
      this.pending.clear();
    });
    child.on('error', () => undefined);
    this.child = child;
    this.hold(false);
    return child;
  }

  private settle(id: number, m: { ok: boolean; value?: unknown; error?: string }): void {
    const p = this.pending.get(id);
    this.pending.delete(id);
    if (this.pending.size === 0) this.hold(false);
    if (m.ok) p?.resolve(m.value);
    else p?.reject(new Error(m.error));
  }

  /** Keeps the parent alive only while requests are pending. */
  private hold(busy: boolean): void {
    const child = this.child;
    if (!child) return;
    const channel = child.channel as { ref?(): void; unref?(): void } | undefined;
    if (busy) {
      child.ref();
      channel?.ref?.();
    } else {
      child.unref();
      channel?.unref?.();
    }
  }
}
