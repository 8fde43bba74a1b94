/** Geometry of the heatmaps and keyboard movement through them and the model view's grid. */

/** A cell of a grid: in a heatmap, row = query token and col = key token. */
export interface GridCell {
  row: number;
  col: number;
}

/** Pixels per heatmap cell: as large as fits `available` pixels, within [min, max]. */
export function cellSize(count: number, available: number, min: number, max: number): number {
  if (count <= 0) return max;
  return Math.min(max, Math.max(min, Math.floor(available / count)));
}

/** The cell under a point (pixels from the heatmap's top-left corner), or null outside it. */
export function cellAt(x: number, y: number, cell: number, rows: number, cols: number): GridCell | null {
  const row = Math.floor(y / cell);
  const col = Math.floor(x / cell);
  if (x < 0 || y < 0 || row >= rows || col >= cols) return null;
  return { row, col };
}

/**
 * Where a key press moves the cursor: arrows by one cell, Home/End to the row's ends, PageUp/PageDown to
 * the column's ends. null when the key is not a movement key (so the event is left alone).
 */
export function moveCell(from: GridCell, key: string, rows: number, cols: number): GridCell | null {
  const clamp = (value: number, size: number): number => Math.min(size - 1, Math.max(0, value));
  switch (key) {
    case 'ArrowUp':
      return { row: clamp(from.row - 1, rows), col: from.col };
    case 'ArrowDown':
      return { row: clamp(from.row + 1, rows), col: from.col };
    case 'ArrowLeft':
      return { row: from.row, col: clamp(from.col - 1, cols) };
    case 'ArrowRight':
      return { row: from.row, col: clamp(from.col + 1, cols) };
    case 'Home':
      return { row: from.row, col: 0 };
    case 'End':
      return { row: from.row, col: cols - 1 };
    case 'PageUp':
      return { row: 0, col: from.col };
    case 'PageDown':
      return { row: rows - 1, col: from.col };
    default:
      return null;
  }
}
