import { useEffect, useState } from 'react';
import { readPalette, type HeatPalette } from './colors';

function documentPalette(): HeatPalette {
  const style = getComputedStyle(document.documentElement);
  return readPalette((variable) => style.getPropertyValue(variable));
}

/** The heatmap colours of the current theme, re-read when the system switches between light and dark. */
export function usePalette(): HeatPalette {
  const [palette, setPalette] = useState(documentPalette);
  useEffect(() => {
    const scheme = matchMedia('(prefers-color-scheme: dark)');
    const update = (): void => setPalette(documentPalette());
    scheme.addEventListener('change', update);
    return () => scheme.removeEventListener('change', update);
  }, []);
  return palette;
}
