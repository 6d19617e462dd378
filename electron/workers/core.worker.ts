/**
 * The core thread: the application's handlers over the interactive connection, off the Electron
 * main thread's event loop (main only forwards IPC). Long channels go on to job threads with their
 * own connections (core/jobs). Messages: see electron/core/threads/messages.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createCore, type Core } from '../core';
import { EncodedValue } from '../../shared/contract/encoded';
import { WriteGate } from '../core/db/writeGate';
import { memoryKeyStore } from '../core/packs/keys';
import { startPriorityHelper } from '../core/threads/priority';
import { JobPool } from '../core/jobs/jobPool';
import { WalCheckpoints } from '../core/jobs/walCheckpoints';
import { hasInterruptedImports } from '../core/db/repos/imports';
import { seedDemoProject } from '../core/services/demo';
import { toErrorPayload } from '../core/threads/errorPayload';
import type { ThreadReply, ThreadRequest } from '../core/threads/messages';
import type { CoreThreadData } from '../core/threads/coreClient';

const port = parentPort!;
const options = workerData as CoreThreadData;
const post = (m: ThreadReply): void => port.postMessage(m);
const emit = (event: string, payload: unknown): void => post({ type: 'event', event, payload });
const onInternalError = (where: string, error: unknown): void => console.error(`[core] ${where}:`, error);

// Before any job thread starts, while the process is small (see threads/priority.ts).
startPriorityHelper();

async function start(): Promise<{ core: Core; jobs: JobPool; gate: WriteGate; checkpoints: WalCheckpoints }> {
  const gate = new WriteGate();
  const jobs = new JobPool({
    dbPath: options.dbPath,
    nativeBinding: options.nativeBinding,
    modelRoot: options.modelRoot,
    version: options.version,
    signingKeyPem: options.signingKeyPem,
    gate,
    interactiveCalls: options.interactiveCalls,
    onEvent: emit,
    onInternalError,
  });
  const checkpoints = new WalCheckpoints(options.dbPath, jobs);
  const core = createCore({
    dbPath: options.dbPath,
    ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
    ...(options.modelRoot ? { modelRoot: options.modelRoot } : {}),
    ...(options.version ? { version: options.version } : {}),
    ...(options.signingKeyPem ? { keyStore: memoryKeyStore(options.signingKeyPem) } : {}),
    jobs: options.jobThreads === false ? undefined : jobs,
    writeGate: { gate, role: 'interactive' },
    // A damaged file still opens (the renderer shows its recovery screen); backups at start, every 200 decisions, at quit.
    database: { onCorrupt: 'refuse-writes', autoBackup: {}, ...options.database },
    emit,
    onInternalError,
  });
  if (options.demoFile && core.database.writable) await seedDemoProject(core.db, core.runtime, core.imports, options.demoFile);
  if (options.jobThreads !== false && core.database.writable && hasInterruptedImports(core.db)) await jobs.wake('imports');
  checkpoints.start();
  return { core, jobs, gate, checkpoints };
}

start().then(
  ({ core, jobs, gate, checkpoints }) => {
    let closing = false;
    port.on('message', (m: ThreadRequest) => {
      if (m.type === 'invoke' && closing) {
        post({ type: 'result', id: m.id, result: { ok: false, error: { code: 'CANCELLED', message: 'the app is closing' } } });
      } else if (m.type === 'invoke') {
        // Background writers keep off while this thread serves a call (its synchronous part).
        gate.enter();
        let reply: ReturnType<Core['dispatch']>;
        try {
          reply = core.dispatch(m.channel, m.input);
        } finally {
          gate.leave();
        }
        void reply.then((result) => {
          if (result.ok && result.value instanceof EncodedValue) {
            const { bytes } = result.value;
            port.postMessage({ type: 'encoded', id: m.id, bytes } satisfies ThreadReply, [bytes.buffer as ArrayBuffer]);
          } else post({ type: 'result', id: m.id, result });
          // A restore replaced the file under this core: stop; CoreClient starts a new core thread on the next call.
          if (core.database.state === 'closed' && !closing) {
            closing = true;
            checkpoints.stop();
            void jobs.close().finally(() => {
              core.close();
              port.close();
              process.exit(0);
            });
          }
        });
      } else if (m.type === 'grant') {
        post({ type: 'granted', id: m.id, token: core.grants.grant(m.path, m.purpose) });
      } else if (m.type === 'close') {
        closing = true;
        checkpoints.stop();
        void jobs
          .close()
          .then(() => core.database.atQuit())
          .finally(() => {
            core.close();
            post({ type: 'closed', id: m.id });
            port.close();
          });
      }
    });
    post({ type: 'ready' });
  },
  (error: unknown) => post({ type: 'fatal', error: toErrorPayload(error) }),
);
