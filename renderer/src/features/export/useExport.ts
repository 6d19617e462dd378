import { useCallback, useEffect, useState } from 'react';
import type { ExportRequest, ExportStatus } from '../../../../shared/contract/export';
import { call, subscribe } from '../../ipc/client';

const POLL_MS = 500;

/** One export's life: start, follow its progress (events, and a poll in case one is missed), cancel. */
export function useExport() {
  const [status, setStatus] = useState<ExportStatus | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const accept = useCallback((next: ExportStatus) => setStatus((prev) => (prev && prev.id !== next.id ? prev : next)), []);
  const id = status?.id;
  const running = status?.state === 'running';
  useEffect(() => {
    if (!id || !running) return;
    const unsubscribe = subscribe('export.progress', (s) => s.id === id && accept(s));
    const timer = setInterval(() => call('export.get', { exportId: id }).then(accept, setError), POLL_MS);
    return () => {
      unsubscribe();
      clearInterval(timer);
    };
  }, [id, running, accept]);

  const guard = async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return {
    status,
    error,
    busy,
    start: (request: ExportRequest) => guard(async () => setStatus(await call('export.start', request))),
    cancel: () => guard(async () => void (status && accept(await call('export.cancel', { exportId: status.id })))),
    reset: () => setStatus(null),
  };
}
