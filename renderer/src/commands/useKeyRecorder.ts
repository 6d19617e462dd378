import { useEffect, useEffectEvent } from 'react';
import { keyOfEvent } from './keys';

/**
 * While active, takes the next key combination before anything else does (window, capture phase):
 * Escape cancels, a lone modifier keeps waiting, anything else is handed to onKey as a canonical key.
 */
export function useKeyRecorder(active: boolean, onKey: (key: string) => void, onCancel: () => void): void {
  const handle = useEffectEvent((e: KeyboardEvent) => {
    if (e.isComposing || e.keyCode === 229) return;
    const key = keyOfEvent(e);
    if (!key) return;
    e.preventDefault();
    e.stopPropagation();
    if (e.repeat) return;
    if (key === 'escape') onCancel();
    else onKey(key);
  });
  useEffect(() => {
    if (!active) return;
    const listener = (e: KeyboardEvent) => handle(e);
    window.addEventListener('keydown', listener, true);
    return () => window.removeEventListener('keydown', listener, true);
  }, [active]);
}
