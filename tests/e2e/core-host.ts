/**
 * The app's core in a process of its own, as Electron's main process holds it (the core thread and
 * its job threads), so a test can kill it with SIGKILL at any moment.
 * usage: node --import tsx tests/e2e/core-host.ts DB_PATH
 * Messages: {type: 'invoke', id, channel, input} -> {type: 'result', id, result};
 * {type: 'grant', id, path, purpose} -> {type: 'granted', id, token}; events go out as
 * {type: 'event', event, payload}; {type: 'ready'} once the database is open.
 */
import { CoreClient } from '../../electron/core/threads/coreClient';
import type { FilePurpose } from '../../shared/contract/schemas';

const dbPath = process.argv[2];
if (!dbPath || !process.send) throw new Error('usage: core-host.ts DB_PATH (with an IPC channel)');
const send = (message: object): void => {
  // After the test disconnects (or kills the browser side) there is no one to tell.
  if (process.connected) process.send!(message);
};

type Message = { type: 'invoke'; id: number; channel: string; input: unknown } | { type: 'grant'; id: number; path: string; purpose: FilePurpose };

void CoreClient.start({ dbPath }, (event, payload) => send({ type: 'event', event, payload })).then((core) => {
  process.on('message', (message: Message) => {
    if (message.type === 'invoke') void core.dispatch(message.channel, message.input).then((result) => send({ type: 'result', id: message.id, result }));
    else if (message.type === 'grant') void core.grant(message.path, message.purpose).then((token) => send({ type: 'granted', id: message.id, token }));
  });
  process.on('disconnect', () => void core.close().finally(() => process.exit(0)));
  send({ type: 'ready' });
});
