import { useEffect, type RefObject } from 'react';

/**
 * Keeps the element's height (border included) in a CSS variable on the root element while it is mounted, so
 * the page's CSS can leave room for something that covers it, such as the sticky status bar, whose height
 * changes as its text wraps or its log opens.
 */
export function useHeightVariable(ref: RefObject<HTMLElement | null>, name: `--${string}`): void {
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const root = document.documentElement;
    // Rounded up: a fraction of a pixel short would leave a hairline of content under the bar.
    const observer = new ResizeObserver(([entry]) => root.style.setProperty(name, `${Math.ceil(entry.borderBoxSize[0].blockSize)}px`));
    observer.observe(element);
    return () => {
      observer.disconnect();
      root.style.removeProperty(name);
    };
  }, [ref, name]);
}
