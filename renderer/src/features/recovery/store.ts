import { useEffect } from 'react';
import { create } from 'zustand';
import type { DatabaseHealth, RestoreResult } from '../../../../shared/contract/database';
import { call, subscribe } from '../../ipc/client';

interface RecoveryState {
  health: DatabaseHealth | null;
  /** idle: nothing asked; working: a restore or move is under way; done: the file was replaced (result). */
  phase: 'idle' | 'working' | 'done';
  result: RestoreResult | null;
  error: unknown;
  load(): Promise<void>;
  setHealth(health: DatabaseHealth): void;
  /** Restores the backup named, else the newest one that passes its integrity check. */
  restore(backup?: string): Promise<void>;
  /** Moves the damaged file aside; the app starts again with an empty database. */
  moveAside(): Promise<void>;
  /** Starts the app again over the restored file (every view loads its data anew). */
  continueAfter(): void;
}

/** Reloads the window; a test replaces it. */
export const reloader = { reload: (): void => window.location.reload() };

/**
 * The database file's health as the core reports it (database.health, and the event it pushes when
 * the state changes: damage found at start, by the check on a big file, or on any call), and the
 * recovery the renderer asks for.
 */
export const useRecovery = create<RecoveryState>((set, get) => {
  const replace = async (run: () => Promise<RestoreResult>) => {
    if (get().phase === 'working') return;
    set({ phase: 'working', error: null });
    try {
      set({ phase: 'done', result: await run() });
    } catch (error) {
      set({ phase: 'idle', error });
      // The core may have closed the file for the restore and be starting again: ask how things stand now.
      await get()
        .load()
        .catch(() => new Promise((resolve) => setTimeout(resolve, 300)).then(() => get().load()))
        .catch(() => undefined);
    }
  };
  return {
    health: null,
    phase: 'idle',
    result: null,
    error: null,
    async load() {
      const health = await call('database.health', {});
      if (get().phase !== 'done') set({ health });
    },
    setHealth(health) {
      if (get().phase !== 'done') set({ health });
    },
    restore: (backup) => replace(() => call('database.restoreBackup', backup ? { backup } : {})),
    moveAside: () => replace(() => call('database.moveAside', {})),
    continueAfter: () => reloader.reload(),
  };
});

/** Whether the recovery screen replaces the app's views: the file is damaged, or its recovery is under way or just done. */
export function needsRecovery(state: Pick<RecoveryState, 'health' | 'phase'>): boolean {
  return state.phase !== 'idle' || state.health?.state === 'corrupt' || state.health?.state === 'restoring';
}

/** Mount once (App): asks the core about the file at start and follows what it reports. */
export function useNeedsRecovery(): boolean {
  const { load, setHealth } = useRecovery.getState();
  useEffect(() => {
    void load().catch(() => undefined);
    try {
      return subscribe('database.health', setHealth);
    } catch {
      return undefined; // no bridge (outside the app): nothing to follow
    }
  }, [load, setHealth]);
  return useRecovery(needsRecovery);
}
