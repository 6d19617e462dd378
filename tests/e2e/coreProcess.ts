import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { Result } from '../../shared/contract/errors';

/** Talks to tests/e2e/core-host.ts: the real core in a child process that can be killed. */
export class CoreProcess {
  private child: ChildProcess | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(r: unknown): void; reject(e: Error): void }>();

  constructor(
    private readonly dbPath: string,
    private readonly onEvent: (event: string, payload: unknown) => void,
  ) {}

  async start(): Promise<void> {
    const child = fork(join(__dirname, 'core-host.ts'), [this.dbPath], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child = child;
    child.on('message', (m: { type: string; id?: number; result?: Result<unknown>; token?: string; event?: string; payload?: unknown }) => {
      if ((m.type === 'result' || m.type === 'granted') && m.id !== undefined) {
        this.pending.get(m.id)?.resolve(m.type === 'result' ? m.result : m.token);
        this.pending.delete(m.id);
      } else if (m.type === 'event') this.onEvent(m.event!, m.payload);
    });
    child.on('exit', () => {
      for (const p of this.pending.values()) p.reject(new Error('the core process is gone'));
      this.pending.clear();
      if (this.child === child) this.child = null;
    });
    await new Promise<void>((resolve, reject) => {
      child.once('message', (m: { type: string }) => (m.type === 'ready' ? resolve() : reject(new Error(`unexpected ${m.type}`))));
      child.once('exit', (code) => reject(new Error(`core host exited with ${code}`)));
    });
  }

  dispatch(channel: string, input: unknown): Promise<Result<unknown>> {
    return this.request({ type: 'invoke', channel, input }) as Promise<Result<unknown>>;
  }

  /** A token for a file, as the shell's dialog would get it. */
  grant(path: string, purpose: string): Promise<string> {
    return this.request({ type: 'grant', path, purpose }) as Promise<string>;
  }

  private request(message: object): Promise<unknown> {
    const child = this.child;
    if (!child?.connected) return Promise.reject(new Error('the core process is not running'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      child.send({ ...message, id });
    });
  }

  /** kill -9: no chance to flush, close or say goodbye. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.disconnect();
    await exited;
  }
}
