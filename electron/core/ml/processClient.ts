import { spawn, type ChildProcess } from 'node:child_process';
import { setPriority } from 'node:os';
import { workerEntry } from '../threads/spawnWorker';
import { PendingRequests, type WorkerReply } from './pendingRequests';
import { lowerProcessPriority } from '../threads/priority';

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
  private readonly pending = new PendingRequests();

  constructor(private readonly name: string) {}

  request(message: object): Promise<unknown> {
    const child = this.child ?? this.start();
    const { id, reply } = this.pending.open();
    this.hold(true);
    child.send({ id, ...message }, (error) => {
      if (error) this.settle({ id, ok: false, error: `the ${this.name} process did not take the request: ${error.message}` });
    });
    return reply;
  }

  private start(): ChildProcess {
    const entry = workerEntry(this.name);
    const args = 'file' in entry ? [entry.file] : ['-e', entry.bootstrap];
    const child = spawn(process.execPath, args, {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'advanced',
      // Electron's binary runs scripts as plain Node only when asked to.
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    });
    try {
      if (child.pid) {
        setPriority(child.pid, CHILD_NICENESS);
        lowerProcessPriority(child.pid);
      }
    } catch {
      // Not permitted on this system: it runs at the same priority.
    }
    child.on('message', (m: WorkerReply) => this.settle(m));
    child.on('exit', (code, signal) => {
      if (this.child === child) this.child = null;
      this.pending.failAll(new Error(`the ${this.name} process stopped (${signal ?? `exit code ${code}`})`));
    });
    child.on('error', () => undefined);
    this.child = child;
    this.hold(false);
    return child;
  }

  private settle(m: WorkerReply): void {
    this.pending.settle(m);
    if (this.pending.size === 0) this.hold(false);
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
