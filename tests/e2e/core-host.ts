/**
 * The core in a process of its own, as Electron's main process holds it, so a test can kill it with
 * SIGKILL mid-session. usage: node --import tsx tests/e2e/core-host.ts DB_PATH
 * Messages: {type: 'invoke', id, channel, input} -> {type: 'result', id, result}; events go out as
 * {type: 'event', event, payload}; {type: 'ready'} once the database is open.
 */
import { createCore } from '../../electron/core';

const dbPath = process.argv[2];
if (!dbPath || !process.send) throw new Error('usage: core-host.ts DB_PATH (with an IPC channel)');
const send = process.send.bind(process);
const core = createCore({ dbPath, emit: (event, payload) => send({ type: 'event', event, payload }) });

process.on('message', (message: { type: string; id: number; channel: string; input: unknown }) => {
  if (message.type !== 'invoke') return;
  void core.dispatch(message.channel, message.input).then((result) => send({ type: 'result', id: message.id, result }));
});
process.on('disconnect', () => {
  core.close();
  process.exit(0);
});
send({ type: 'ready' });
