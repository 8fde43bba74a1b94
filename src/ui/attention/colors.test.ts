import { describe, expect, it } from 'vitest';
import {
  ColorParseError,
  divergingColor,
  FALLBACK_PALETTE,
  heatmapPixels,
  mix,
  parseColor,
  readPalette,
  rgbCss,
  scaleColor,
  sequentialColor,
  type HeatPalette,
} from './colors';

const palette: HeatPalette = { zero: [255, 255, 255], high: [0, 0, 255], negative: [0, 0, 255], positive: [255, 0, 0] };

describe('parseColor', () => {
  it.each([
    ['#3b6ef5', [59, 110, 245]],
    [' #3B6EF5 ', [59, 110, 245]],
    ['#fff', [255, 255, 255]],
    ['rgb(59, 110, 245)', [59, 110, 245]],
    ['rgba(1,2,3,0.5)', [1, 2, 3]],
    ['rgb(59 110 245 / 50%)', [59, 110, 245]],
  ])('reads %s', (css, rgb) => {
    expect(parseColor(css)).toEqual(rgb);
  });

  it.each(['', 'blue', '#12', '#1234567', 'rgb(300, 0, 0)', 'var(--accent)'])('rejects "%s" with a ColorParseError', (css) => {
    expect(() => parseColor(css)).toThrow(ColorParseError);
  });
});

describe('scales', () => {
  it('mixes linearly and clamps t', () => {
    expect(mix([0, 0, 0], [200, 100, 50], 0.5)).toEqual([100, 50, 25]);
    expect(mix([0, 0, 0], [200, 100, 50], 2)).toEqual([200, 100, 50]);
    expect(mix([0, 0, 0], [200, 100, 50], -1)).toEqual([0, 0, 0]);
  });

  it('runs the sequential scale from the background at 0 to the accent at max', () => {
    expect(sequentialColor(0, 0.5, palette)).toEqual([255, 255, 255]);
    expect(sequentialColor(0.5, 0.5, palette)).toEqual([0, 0, 255]);
    expect(sequentialColor(0.25, 0.5, palette)).toEqual([128, 128, 255]);
    expect(sequentialColor(0.3, 0, palette)).toEqual([255, 255, 255]);
  });

  it('diverges from the background to each end colour', () => {
    expect(divergingColor(0, 1, palette)).toEqual([255, 255, 255]);
    expect(divergingColor(-0.2, 0.2, palette)).toEqual([0, 0, 255]);
    expect(divergingColor(0.2, 0.2, palette)).toEqual([255, 0, 0]);
    expect(divergingColor(0.1, 0, palette)).toEqual([255, 255, 255]);
  });

  it('picks the scale by kind', () => {
    expect(scaleColor({ kind: 'sequential', max: 1 }, 1, palette)).toEqual([0, 0, 255]);
    expect(scaleColor({ kind: 'diverging', max: 1 }, 1, palette)).toEqual([255, 0, 0]);
  });

  it('writes CSS colours', () => {
    expect(rgbCss(FALLBACK_PALETTE.high)).toBe('rgb(59 110 245)');
  });
});

describe('heatmapPixels', () => {
  it('writes one opaque RGBA pixel per cell, row by row', () => {
    const pixels = heatmapPixels([
      [0, 1],
      [1, 0],
    ], (v) => (v > 0 ? [10, 20, 30] : [0, 0, 0]));
    expect([...pixels]).toEqual([0, 0, 0, 255, 10, 20, 30, 255, 10, 20, 30, 255, 0, 0, 0, 255]);
  });
});

describe('readPalette', () => {
  it('reads the theme variables and falls back for ones it cannot parse', () => {
    const theme: Record<string, string> = { '--panel': ' #1a1f25', '--accent': '#6b93ff', '--series-1': '', '--series-2': 'orange' };
    expect(readPalette((name) => theme[name] ?? '')).toEqual({
      zero: [26, 31, 37],
      high: [107, 147, 255],
      negative: FALLBACK_PALETTE.negative,
      positive: FALLBACK_PALETTE.positive,
    });
  });
});
