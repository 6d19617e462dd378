import { useEffect, useLayoutEffect, useRef } from 'react';
import { DEFAULT_COMMANDS } from './defaults';
import { formatKeys } from './keys';
import { useCommandStore } from './store';
import type { Command, Scope } from './types';

/** What makes a registration different for the dispatcher and for help: everything but the closures. */
function signature(commands: readonly Command[]): string {
  return JSON.stringify(commands.map(({ run: _run, when, ...meta }) => [meta, !!when]));
}

/**
 * Registers command handlers while the component is mounted. The handlers always call the latest
 * closures passed in, so re-rendering with new closures does not re-register; only a change of ids,
 * keys, titles or scopes does. `enabled: false` unregisters them.
 */
export function useCommands(commands: readonly Command[], enabled = true): void {
  const latest = useRef(commands);
  useLayoutEffect(() => {
    latest.current = commands;
  });
  const sig = signature(commands);
  useEffect(() => {
    if (!enabled) return;
    const find = (id: string) => latest.current.find((c) => c.id === id);
    const proxies = JSON.parse(sig) as [Omit<Command, 'run' | 'when'>, boolean][];
    return useCommandStore.getState().register(
      proxies.map(([meta, hasWhen]) => ({
        ...meta,
        run: () => find(meta.id)?.run(),
        ...(hasWhen
          ? {
              when: () => {
                const current = find(meta.id);
                return !!current && (current.when?.() ?? true);
              },
            }
          : {}),
      })),
    );
  }, [sig, enabled]);
}

/** Makes a scope active while the component is mounted (and `active` is true); 'global' always is. */
export function useScope(scope: Scope, active = true): void {
  useEffect(() => {
    if (!active) return;
    return useCommandStore.getState().pushScope(scope);
  }, [scope, active]);
}

/** The effective keys of a command as text for a tooltip or button hint, e.g. 'Ctrl+Shift+L'; '' when unbound. */
export function useKeyLabel(id: string): string {
  const override = useCommandStore((s) => s.keymap[id]);
  const platform = useCommandStore((s) => s.platform);
  const registered = useCommandStore((s) => s.registrations.findLast((r) => r.command.id === id)?.command.keys);
  const keys = override ?? registered ?? DEFAULT_COMMANDS.find((d) => d.id === id)?.keys ?? [];
  return keys.map((k) => formatKeys(k, platform)).join(' / ');
}
