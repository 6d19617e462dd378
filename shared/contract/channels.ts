/**
 * The channel and event names alone, without their schemas, for the preload script: it runs
 * sandboxed and must stay tiny. tests/core/contract.test.ts checks these lists match the contract.
 */
export const CHANNEL_NAMES = [
  'app.info',
  'projects.list',
  'projects.create',
  'projects.get',
  'projects.updateSchema',
  'projects.stats',
  'items.list',
  'items.get',
  'annotators.list',
  'annotators.create',
  'annotators.getSettings',
  'annotators.saveSettings',
  'labeling.item',
  'labeling.at',
  'labeling.next',
  'labeling.apply',
  'labeling.reject',
  'labeling.undo',
  'labeling.redo',
  'labeling.progress',
  'models.status',
  'models.configure',
  'models.versions',
  'models.compare',
  'prelabel.start',
  'prelabel.get',
  'prelabel.cancel',
  'models.explain',
  'reports.project',
  'reports.render',
  'dictionary.list',
  'dictionary.replace',
  'review.plan',
  'review.startAudit',
  'review.audit',
  'review.acceptConfident',
  'imports.inspect',
  'imports.start',
  'imports.get',
  'imports.decide',
  'imports.cancel',
  'database.health',
  'database.check',
  'database.backup',
  'database.restoreBackup',
  'database.moveAside',
  'system.pickFile',
  'system.pickFolder',
] as const;

export const EVENT_NAMES = ['imports.progress', 'prelabel.progress', 'database.health'] as const;

/** The name of the object the preload puts on window. */
export const BRIDGE_NAME = 'workstation';
/** The IPC channel main pushes events on; the payload is [eventName, payload]. */
export const EVENT_CHANNEL = 'workstation:event';
