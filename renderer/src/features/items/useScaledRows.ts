import { useCallback, useEffect, useRef, useState } from 'react';

/**
 * Browsers cap an element's height (about 33.5 million px in Chromium); a million 44-px rows are
 * 44 million. General virtualizers (TanStack Virtual, react-window) lay rows out in real pixels and
 * stop at that cap, so this fixed-height windowing scales the scrollbar instead: the scroll content
 * is at most MAX_SCROLL_PX tall, a physical scroll position stands for a proportional virtual one,
 * and only the rows in the viewport (plus a few) are rendered, where the virtual offset puts them.
 */
export const MAX_SCROLL_PX = 8_000_000;

export interface ScaledRow {
  index: number;
  /** Position inside the scroll content, in physical pixels. */
  top: number;
}

export function useScaledRows(count: number, rowHeight: number, overscan = 8) {
  const ref = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(0);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const onScroll = () => setScrollTop(el.scrollTop);
    const observer = new ResizeObserver(() => setViewport(el.clientHeight));
    el.addEventListener('scroll', onScroll, { passive: true });
    observer.observe(el);
    return () => {
      el.removeEventListener('scroll', onScroll);
      observer.disconnect();
    };
  }, []);

  const virtualHeight = count * rowHeight;
  const contentHeight = Math.min(virtualHeight, MAX_SCROLL_PX);
  // Maps the last physical position to the last virtual one, so End shows the last row exactly.
  const scale = contentHeight > viewport && virtualHeight > contentHeight ? (virtualHeight - viewport) / (contentHeight - viewport) : 1;
  const virtualTop = scrollTop * scale;

  const first = Math.max(0, Math.floor(virtualTop / rowHeight) - overscan);
  const last = Math.min(count - 1, Math.ceil((virtualTop + viewport) / rowHeight) + overscan);
  const rows: ScaledRow[] = [];
  for (let i = first; i <= last; i++) rows.push({ index: i, top: i * rowHeight - virtualTop + scrollTop });

  /** Scrolls the least needed to show row `index` whole. */
  const scrollToIndex = useCallback(
    (index: number) => {
      const el = ref.current;
      if (!el) return;
      const top = index * rowHeight;
      const shownTop = el.scrollTop * scale;
      let target: number | null = null;
      if (top < shownTop) target = top;
      else if (top + rowHeight > shownTop + el.clientHeight) target = top + rowHeight - el.clientHeight;
      if (target !== null) el.scrollTop = target / scale;
    },
    [rowHeight, scale],
  );

  return { ref, rows, contentHeight, first, last, viewport, scrollToIndex };
}
