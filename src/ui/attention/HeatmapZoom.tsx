import { cellText, zoomIn, zoomOut } from './cellSize';

export interface HeatmapZoomProps {
  /** Pixels per cell shown now, and at fit. */
  cell: number;
  fit: number;
  /** The cell size asked for; 0 = fit. */
  onZoom(zoom: number): void;
}

/**
 * Zoom out, fit and zoom in for the large heatmaps. Buttons at their limit stay focusable (aria-disabled,
 * not disabled), so pressing one repeatedly from the keyboard does not drop the focus to the page.
 */
export function HeatmapZoom({ cell, fit, onZoom }: HeatmapZoomProps) {
  const zoom = (next: number | null) => ({
    'aria-disabled': next === null,
    onClick: () => {
      if (next !== null) onZoom(next);
    },
  });
  return (
    <div className="attention-zoom" role="group" aria-label="Heatmap zoom">
      <button type="button" className="small" aria-label="Zoom out" {...zoom(zoomOut(cell, fit))}>
        −
      </button>
      <button type="button" className="small" aria-label="Fit to width" {...zoom(cell > fit ? 0 : null)}>
        Fit
      </button>
      <button type="button" className="small" aria-label="Zoom in" {...zoom(zoomIn(cell))}>
        +
      </button>
      <output className="attention-zoom-size" aria-label="Cell size">
        {cellText(cell)}
        {cell > fit ? '' : ' · fitted'}
      </output>
    </div>
  );
}
