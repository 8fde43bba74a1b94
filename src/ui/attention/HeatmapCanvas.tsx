import { useEffect, useRef } from 'react';
import type { Matrix } from './attentionMath';
import { heatmapPixels, scaleColor, type HeatPalette, type HeatScale } from './colors';

export interface HeatmapCanvasProps {
  matrix: Matrix;
  scale: HeatScale;
  palette: HeatPalette;
  /** CSS pixels per side; the canvas holds one pixel per cell and is scaled up without smoothing. */
  size: number;
}

/** A square heatmap painted as one pixel per cell: cheap enough for a grid of every layer and head. */
export function HeatmapCanvas({ matrix, scale, palette, size }: HeatmapCanvasProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const { kind, max } = scale;
  useEffect(() => {
    const element = canvas.current;
    const context = element?.getContext('2d');
    const n = matrix.length;
    if (!element || !context || n === 0) return;
    element.width = n;
    element.height = n;
    const pixels = heatmapPixels(matrix, (value) => scaleColor({ kind, max }, value, palette));
    context.putImageData(new ImageData(pixels, n, n), 0, 0);
  }, [matrix, kind, max, palette]);
  return <canvas ref={canvas} className="attention-canvas" style={{ width: size, height: size }} aria-hidden="true" />;
}
