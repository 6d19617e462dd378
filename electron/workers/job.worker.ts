/**
 * A job thread: the core again, over its own connection, at a lower priority, answering the long
 * channels one lane forwards to it (imports, reports, searches, bulk acceptance). Its writes go
 * behind the labeling thread's at the write gate. Messages: see electron/core/threads/messages.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createCore, type Core } from '../core';
import { EncodedValue } from '../../shared/contract/encoded';
import { WriteGate } from '../core/db/writeGate';
import { memoryKeyStore } from '../core/packs/keys';
import { toErrorPayload } from '../core/threads/errorPayload';
import type { ThreadReply, ThreadRequest } from '../core/threads/messages';
import { lowerThreadPriority } from '../core/threads/priority';
import { watchInteractiveCalls } from '../core/threads/interactiveCalls';
import type { JobLane } from '../core/context';

interface JobWorkerData {
  lane: JobLane;
  dbPath: string;
  nativeBinding?: string;
  modelRoot?: string;
  version?: string;
  signingKeyPem?: string;
  gate: SharedArrayBuffer;
  interactiveCalls?: SharedArrayBuffer;
  /** The database was found damaged: open it read-only. */
  readonly?: boolean;
}

const port = parentPort!;
const data = workerData as JobWorkerData;
const post = (m: ThreadReply): void => port.postMessage(m);

lowerThreadPriority();
watchInteractiveCalls(data.interactiveCalls);
let core: Core;
try {
  core = createCore({
    dbPath: data.dbPath,
    ...(data.nativeBinding ? { nativeBinding: data.nativeBinding } : {}),
    ...(data.modelRoot ? { modelRoot: data.modelRoot } : {}),
    ...(data.version ? { version: data.version } : {}),
    ...(data.signingKeyPem ? { keyStore: memoryKeyStore(data.signingKeyPem) } : {}),
    writeGate: { gate: new WriteGate(data.gate), role: 'background' },
    database: { role: 'job', ...(data.readonly ? { readonly: true } : {}) },
    emit: (event, payload) => post({ type: 'event', event, payload }),
    onInternalError: (where, error) => console.error(`[${data.lane} job] ${where}:`, error),
  });
} catch (error) {
  post({ type: 'fatal', error: toErrorPayload(error) });
  process.exit(1);
}

let closing = false;
port.on('message', (m: ThreadRequest) => {
  if (m.type === 'invoke' && closing) {
    post({ type: 'result', id: m.id, result: { ok: false, error: { code: 'CANCELLED', message: 'the app is closing' } } });
  } else if (m.type === 'invoke') {
    for (const g of m.grants ?? []) core.grants.adopt(g.token, g.path, g.purpose);
    void core.dispatch(m.channel, m.input).then((result) => {
      if (!result.ok) return post({ type: 'result', id: m.id, result });
      const { bytes } = EncodedValue.encode(result.value);
      port.postMessage({ type: 'encoded', id: m.id, bytes } satisfies ThreadReply, [bytes.buffer as ArrayBuffer]);
    });
  } else if (m.type === 'checkpoint') {
    const [row] = core.db.pragma('wal_checkpoint(PASSIVE)') as { log: number; checkpointed: number }[];
    post({ type: 'checkpointed', id: m.id, walFrames: row?.log ?? 0, checkpointed: row?.checkpointed ?? 0 });
  } else if (m.type === 'close') {
    closing = true;
    void Promise.all([core.imports.settle(), core.exports.settle(), core.database.settle()]).finally(() => {
      core.close();
      port.close();
    });
  }
});
if (data.lane === 'imports' && !data.readonly) void core.imports.resumeInterrupted();
post({ type: 'ready' });
