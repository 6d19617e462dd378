import { useCallback, useEffect, useRef, useState } from 'react';
import type { ItemRow } from '../../../../shared/contract/schemas';
import { call } from '../../ipc/client';

export const PAGE_SIZE = 100;

interface Loaded {
  key: string;
  total: number | null;
  error: unknown;
  pages: ReadonlyMap<number, ItemRow[]>;
}

interface Pages {
  total: number | null;
  error: unknown;
  row(index: number): ItemRow | undefined;
  /** Makes sure the rows in [first, last] are loaded or on their way. */
  ensure(first: number, last: number): void;
}

const empty = (key: string): Loaded => ({ key, total: null, error: null, pages: new Map() });

/**
 * Rows of a project's item table, fetched a page at a time as they scroll into view and kept in a
 * cache, so a million rows scroll without ever being loaded all at once.
 */
export function useItemPages(projectId: string, search: string, version: number): Pages {
  const key = `${projectId}\u0000${search}\u0000${version}`;
  const [loaded, setLoaded] = useState<Loaded>(() => empty(key));
  const pending = useRef(new Set<string>());
  // A new project, search or version starts from an empty cache (state adjusted during render).
  const current = loaded.key === key ? loaded : empty(key);
  if (loaded.key !== key) setLoaded(current);

  const fetchPage = useCallback(
    (page: number) => {
      const tag = `${key}\u0000${page}`;
      if (pending.current.has(tag)) return;
      pending.current.add(tag);
      call('items.list', { projectId, offset: page * PAGE_SIZE, limit: PAGE_SIZE, search })
        .then((result) => setLoaded((s) => (s.key === key ? { ...s, total: result.total, pages: new Map(s.pages).set(page, result.items) } : s)))
        .catch((error: unknown) => setLoaded((s) => (s.key === key ? { ...s, error } : s)))
        .finally(() => pending.current.delete(tag));
    },
    [key, projectId, search],
  );

  useEffect(() => fetchPage(0), [fetchPage]);

  return {
    total: current.total,
    error: current.error,
    row: (index) => current.pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE],
    ensure: (first, last) => {
      for (let p = Math.floor(first / PAGE_SIZE); p <= Math.floor(last / PAGE_SIZE); p++) if (!current.pages.has(p)) fetchPage(p);
    },
  };
}
