import { useCallback, useEffect, useState } from 'react';
import type { ColumnMapping, FileInspection, ImportFormat, ImportRedaction, ImportStatus, BadLinePolicy } from '../../../../shared/contract/schemas';
import { call, subscribe } from '../../ipc/client';

const POLL_MS = 400;

/** One import's life: inspect a file, start, follow its progress, decide on bad lines, cancel. */
export function useImport(projectId: string) {
  const [inspection, setInspection] = useState<FileInspection | null>(null);
  const [status, setStatus] = useState<ImportStatus | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const accept = useCallback((next: ImportStatus) => {
    setStatus((prev) => {
      if (prev && prev.id !== next.id) return prev;
      // Progress events carry no error list; keep the one we have.
      return next.errors.length || !prev ? next : { ...next, errors: prev.errors };
    });
  }, []);

  const id = status?.id;
  const state = status?.state;
  useEffect(() => {
    if (!id || state !== 'running') return;
    const unsubscribe = subscribe('imports.progress', (s) => {
      if (s.id === id) accept(s);
    });
    const timer = setInterval(() => {
      call('imports.get', { importId: id }).then(accept, setError);
    }, POLL_MS);
    return () => {
      unsubscribe();
      clearInterval(timer);
    };
  }, [id, state, accept]);

  useEffect(() => {
    if (id && state && state !== 'running') call('imports.get', { importId: id }).then(setStatus, setError);
  }, [id, state]);

  const guard = async <T>(fn: () => Promise<T>): Promise<T | null> => {
    setBusy(true);
    setError(null);
    try {
      return await fn();
    } catch (e) {
      setError(e);
      return null;
    } finally {
      setBusy(false);
    }
  };

  return {
    inspection,
    status,
    error,
    busy,
    inspect: (fileToken: string, format?: ImportFormat) =>
      guard(async () => {
        const result = await call('imports.inspect', format ? { fileToken, format } : { fileToken });
        setInspection(result);
        return result;
      }),
    start: (fileToken: string, format: ImportFormat, onBadLines: BadLinePolicy, mapping?: ColumnMapping, redact: ImportRedaction = 'none') =>
      guard(async () => {
        setStatus(await call('imports.start', { projectId, fileToken, format, onBadLines, redact, ...(mapping ? { mapping } : {}) }));
      }),
    decide: (decision: 'import-good' | 'discard') =>
      guard(async () => {
        if (status) accept(await call('imports.decide', { importId: status.id, decision }));
      }),
    cancel: () =>
      guard(async () => {
        if (status) accept(await call('imports.cancel', { importId: status.id }));
      }),
  };
}
