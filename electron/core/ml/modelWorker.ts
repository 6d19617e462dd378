import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';

/**
 * The one model worker of this process. The ONNX runtime's native add-on can be loaded only once per
 * process ("Module did not self-register" on a second worker), so every ModelHost shares this worker
 * and it is never terminated; it is unref'd while idle so it never keeps the process alive.
 */
class ModelWorker {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();

  constructor() {
    this.worker = spawn();
    this.worker.on('message', (m: { id: number; ok: boolean; value?: unknown; error?: string }) => {
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (this.pending.size === 0) this.worker.unref();
      if (m.ok) p?.resolve(m.value);
      else p?.reject(new Error(m.error));
    });
    this.worker.on('error', (error) => this.failAll(error));
    this.worker.on('exit', () => {
      this.failAll(new Error('the model worker stopped'));
      if (current === this) current = null;
    });
    this.worker.unref();
  }

  request(message: object): Promise<unknown> {
    const id = this.nextId++;
    this.worker.ref();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, ...message });
    });
  }

  private failAll(error: Error): void {
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
  }
}

let current: ModelWorker | null = null;

export function modelWorker(): ModelWorker {
  current ??= new ModelWorker();
  return current;
}

/** The built worker next to the bundle (Electron), or the TypeScript source through tsx (CLI, tests). */
function spawn(): Worker {
  const built = join(__dirname, 'model.worker.js');
  if (existsSync(built)) return new Worker(built);
  const source = resolve(__dirname, '..', '..', 'workers', 'model.worker.ts');
  return new Worker(`require('tsx/cjs/api').register(); require(${JSON.stringify(source)});`, { eval: true });
}
