/**
 * The calls that run on job threads (or wait for one): the owner of the core does not count them
 * as interactive calls (threads/interactiveCalls.ts), or the job serving one would pause for it.
 * offload() refuses a channel missing here, so the list cannot fall behind the handlers.
 */
const BACKGROUND_CHANNELS: ReadonlySet<string> = new Set([
  'imports.start',
  'imports.get',
  'imports.decide',
  'imports.cancel',
  'export.preview',
  'export.start',
  'export.get',
  'export.cancel',
  'packs.assign',
  'packs.merge',
  'packs.reissue',
  'packs.topUp',
  'reports.project',
  'reports.render',
  'review.plan',
  'review.startAudit',
  'review.acceptConfident',
  'adjudication.queue',
  'adjudication.auto',
  'guidelines.queueRecheck',
  'labeling.undo',
  'labeling.redo',
  'database.check',
  'database.backup',
]);

export function runsInBackground(channel: string, input: unknown): boolean {
  if (BACKGROUND_CHANNELS.has(channel)) return true;
  // A text search scans the project; a plain page is an index lookup on the core thread.
  if (channel === 'items.list') {
    const search = (input as { search?: unknown } | null)?.search;
    return typeof search === 'string' && search.trim() !== '';
  }
  return false;
}
