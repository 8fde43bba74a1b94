/**
 * Colour scales for heatmaps drawn on <canvas>: canvas pixels need numbers, so the theme's CSS colours are
 * parsed once and mixed here.
 */
import type { Matrix } from './attentionMath';

export type Rgb = readonly [number, number, number];

/** The colours a heatmap mixes: zero is the panel background, so empty cells disappear into it. */
export interface HeatPalette {
  zero: Rgb;
  /** Sequential scale top (the largest attention weight). */
  high: Rgb;
  /** Diverging scale ends: less attention than the pretrained model, and more. */
  negative: Rgb;
  positive: Rgb;
}

/** The CSS variables of src/ui/theme.css each palette colour comes from. */
export const PALETTE_VARIABLES: Readonly<Record<keyof HeatPalette, string>> = {
  zero: '--panel',
  high: '--accent',
  negative: '--series-1',
  positive: '--series-2',
};

/** theme.css's light colours, for when a variable cannot be read (e.g. before the stylesheet loads). */
export const FALLBACK_PALETTE: HeatPalette = {
  zero: [255, 255, 255],
  high: [59, 110, 245],
  negative: [59, 110, 245],
  positive: [232, 121, 58],
};

/** A colour that is neither #rgb, #rrggbb nor rgb()/rgba() with numeric channels. */
export class ColorParseError extends Error {
  constructor(css: string) {
    super(`Not a colour this heatmap can use: "${css}" (expected #rgb, #rrggbb or rgb(r, g, b))`);
    this.name = 'ColorParseError';
  }
}

/** "#3b6ef5", "#fff", "rgb(59, 110, 245)", "rgb(59 110 245 / 50%)" → [r, g, b]. */
export function parseColor(css: string): Rgb {
  const text = css.trim().toLowerCase();
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/.exec(text);
  if (hex) {
    const digits = hex[1].length === 3 ? [...hex[1]].map((d) => d + d).join('') : hex[1];
    const byte = (i: number): number => parseInt(digits.slice(i, i + 2), 16);
    return [byte(0), byte(2), byte(4)];
  }
  const rgb = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)/.exec(text);
  if (rgb) {
    const [r, g, b] = rgb.slice(1, 4).map(Number);
    if ([r, g, b].every((c) => c <= 255)) return [r, g, b];
  }
  throw new ColorParseError(css);
}

/** Linear blend: t = 0 gives a, t = 1 gives b (t clamped to [0, 1]). */
export function mix(a: Rgb, b: Rgb, t: number): Rgb {
  const s = Math.min(1, Math.max(0, t));
  const channel = (i: 0 | 1 | 2): number => Math.round(a[i] + (b[i] - a[i]) * s);
  return [channel(0), channel(1), channel(2)];
}

/** value ∈ [0, max] from the background to the accent colour. */
export function sequentialColor(value: number, max: number, palette: HeatPalette): Rgb {
  return mix(palette.zero, palette.high, max > 0 ? value / max : 0);
}

/** value ∈ [−maxAbs, maxAbs]: negative towards `negative`, positive towards `positive`, 0 the background. */
export function divergingColor(value: number, maxAbs: number, palette: HeatPalette): Rgb {
  const t = maxAbs > 0 ? value / maxAbs : 0;
  return t < 0 ? mix(palette.zero, palette.negative, -t) : mix(palette.zero, palette.positive, t);
}

/** Attention weights run from 0 to `max`; differences from −max to +max. */
export type HeatScale = { kind: 'sequential'; max: number } | { kind: 'diverging'; max: number };

/** The colour of a value on `scale`. */
export function scaleColor(scale: HeatScale, value: number, palette: HeatPalette): Rgb {
  return scale.kind === 'diverging' ? divergingColor(value, scale.max, palette) : sequentialColor(value, scale.max, palette);
}

export function rgbCss(color: Rgb): string {
  return `rgb(${color[0]} ${color[1]} ${color[2]})`;
}

/** One opaque RGBA pixel per cell, row-major (query rows top to bottom), for ImageData. */
export function heatmapPixels(matrix: Matrix, colorOf: (value: number) => Rgb): Uint8ClampedArray<ArrayBuffer> {
  const n = matrix.length;
  const pixels = new Uint8ClampedArray(n * n * 4);
  matrix.forEach((row, q) =>
    row.forEach((value, k) => {
      const [r, g, b] = colorOf(value);
      pixels.set([r, g, b, 255], (q * n + k) * 4);
    }),
  );
  return pixels;
}

/** The palette from the theme's CSS variables (`read` returns a variable's value); unreadable ones fall back. */
export function readPalette(read: (variable: string) => string): HeatPalette {
  const color = (key: keyof HeatPalette): Rgb => {
    try {
      return parseColor(read(PALETTE_VARIABLES[key]));
    } catch {
      return FALLBACK_PALETTE[key];
    }
  };
  return { zero: color('zero'), high: color('high'), negative: color('negative'), positive: color('positive') };
}
