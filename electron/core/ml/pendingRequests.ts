/** A reply from a worker (thread or process): `{id, ok, value | error}`. */
export interface WorkerReply {
  id: number;
  ok: boolean;
  value?: unknown;
  error?: string;
}

/** Requests sent to a worker and not answered yet, by id: settled by its reply, or all failed when it stops. */
export class PendingRequests {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();

  /** A new request id and the promise its reply settles. */
  open(): { id: number; reply: Promise<unknown> } {
    const id = this.nextId++;
    const reply = new Promise<unknown>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    return { id, reply };
  }

  settle(m: WorkerReply): void {
    const p = this.pending.get(m.id);
    this.pending.delete(m.id);
    if (m.ok) p?.resolve(m.value);
    else p?.reject(new Error(m.error));
  }

  failAll(error: Error): void {
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
  }

  get size(): number {
    return this.pending.size;
  }
}
