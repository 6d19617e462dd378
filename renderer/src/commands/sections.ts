import { commandTitle, effectiveKeys, type CatalogEntry } from './catalog';
import { formatKeys, type Platform } from './keys';
import { SCOPE_ORDER, type Keymap, type Scope } from './types';

/** One row of the help overlay or the keymap editor. */
export interface CommandRow {
  entry: CatalogEntry;
  id: string;
  title: string;
  keys: string[];
}

export interface ScopeSection {
  scope: Scope;
  groups: { group: string; rows: CommandRow[] }[];
}

/** Rows for every catalog entry, with titles and effective keys, filtered by a query on title, id or keys. */
export function commandRows(
  entries: readonly CatalogEntry[],
  keymap: Keymap,
  platform: Platform,
  t: (key: string) => string,
  query = '',
): CommandRow[] {
  const q = query.trim().toLowerCase();
  const rows = entries.map((entry) => ({ entry, id: entry.def.id, title: commandTitle(entry.def, t), keys: effectiveKeys(entry.def, keymap) }));
  if (!q) return rows;
  return rows.filter((r) => {
    const keyText = r.keys.flatMap((k) => [k, formatKeys(k, platform)]).join(' ');
    return [r.title, r.id, keyText].some((s) => s.toLowerCase().includes(q));
  });
}

/** Rows grouped by scope (global, projects, items, labeling, spans) and, within a scope, by group in catalog order. */
export function sectionsOf(rows: readonly CommandRow[]): ScopeSection[] {
  return SCOPE_ORDER.map((scope) => {
    const groups = new Map<string, CommandRow[]>();
    for (const row of rows) {
      if (row.entry.def.scope !== scope) continue;
      const list = groups.get(row.entry.def.group) ?? [];
      list.push(row);
      groups.set(row.entry.def.group, list);
    }
    return { scope, groups: [...groups].map(([group, list]) => ({ group, rows: list })) };
  }).filter((s) => s.groups.length > 0);
}
