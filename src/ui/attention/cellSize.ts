/**
 * Sizes of the large heatmaps' cells, in CSS pixels: fitted to the space the panel gives them, then zoomed in
 * steps, and where to scroll so zooming and keyboard moves keep the right cells in view.
 */

/** The query label column: wide enough for the corner's "query ↓", at most 110 px of text and its 4 px padding. */
const MIN_LABEL_WIDTH = 52;
const MAX_LABEL_WIDTH = 114;
const LABEL_PADDING = 4;
/** Advance of one character of the labels' monospace font at its largest, 12 px (attention.css). */
const CHAR_WIDTH = 7.3;
/** The map's border, both sides. */
const BORDER = 2;
/**
 * Tallest a fitted map's cells grow, so that a whole fitted map shows without scrolling: the scroll box is
 * 640 px high, with 80 px of key labels above the cells (attention.css).
 */
const FIT_HEIGHT = 540;
/** A few tokens need no cells bigger than this to be read comfortably. */
const MAX_FIT_CELL = 28;
/** Below one pixel a cell could neither be seen nor pointed at: longer inputs scroll at fit instead. */
const MIN_CELL = 1;
/** The cell sizes the zoom buttons step through. */
const ZOOM_STEPS = [2, 3, 4, 6, 8, 12, 16, 24, 32];
/** A zoom step must change the cells by at least this factor, so no press looks like it did nothing. */
const MIN_ZOOM_RATIO = 1.2;
/** Pixels between two token labels: on smaller cells only every few tokens is labelled, so labels stay legible. */
const LABEL_SPACING = 10;

/**
 * The width of each of `maps` heatmaps that share `width` pixels with `gap` between them: side by side
 * while each keeps `minWidth`, otherwise fewer to a row.
 */
export function mapWidth(width: number, maps: number, gap: number, minWidth: number): number {
  const perRow = Math.max(1, Math.min(maps, Math.floor((width + gap) / (minWidth + gap))));
  return (width - gap * (perRow - 1)) / perRow;
}

/**
 * The width of the query label column, from the longest token: set on the map rather than left to the
 * layout, so that the cells can be fitted to exactly the width that remains. Longer tokens are cut short.
 */
export function labelWidth(tokens: readonly string[]): number {
  const longest = tokens.reduce((most, token) => Math.max(most, [...token].length), 0);
  return Math.min(MAX_LABEL_WIDTH, Math.max(MIN_LABEL_WIDTH, Math.ceil(longest * CHAR_WIDTH) + LABEL_PADDING));
}

/** The cell size that shows all `count` tokens without scrolling in a map `width` pixels wide with `labels` of it for labels. */
export function fitCell(count: number, width: number, labels: number): number {
  if (count <= 0) return MAX_FIT_CELL;
  const fits = Math.min(width - labels - BORDER, FIT_HEIGHT) / count;
  return Math.min(MAX_FIT_CELL, Math.max(MIN_CELL, fits));
}

/** The cell size shown for a `zoom` (the cell size asked for; 0 = fit): never smaller than the fit. */
export function zoomedCell(fit: number, zoom: number): number {
  return Math.max(fit, zoom);
}

/** The zoom one step in from `cell`, or null at the largest step. */
export function zoomIn(cell: number): number | null {
  return ZOOM_STEPS.find((step) => step >= cell * MIN_ZOOM_RATIO) ?? null;
}

/** The zoom one step out from `cell`: a smaller step, 0 (fit) when no step is left above the fit, null at fit. */
export function zoomOut(cell: number, fit: number): number | null {
  if (cell <= fit) return null;
  const step = ZOOM_STEPS.findLast((size) => size * MIN_ZOOM_RATIO <= cell);
  return step !== undefined && step >= fit * MIN_ZOOM_RATIO ? step : 0;
}

/** Every how many tokens a label is written along the axes (1: every token). */
export function labelStep(cell: number): number {
  return Math.max(1, Math.ceil(LABEL_SPACING / cell));
}

/**
 * The scroll offset that keeps the middle of the visible cells where it was when the cells grow from `from`
 * to `to` pixels: `view` pixels of cells are visible from `scroll` on (the sticky labels cover the rest).
 */
export function anchoredScroll(scroll: number, view: number, from: number, to: number): number {
  return Math.max(0, ((scroll + view / 2) * to) / from - view / 2);
}

/** The scroll offset that brings the span [start, start + size) into the `view` pixels visible from `scroll`. */
export function revealScroll(scroll: number, view: number, start: number, size: number): number {
  if (start < scroll) return start;
  if (start + size > scroll + view) return Math.min(start, start + size - view);
  return scroll;
}

/** A cell size for the zoom control: one decimal where whole pixels would hide the difference between steps. */
export function cellText(cell: number): string {
  return `${cell < 10 ? cell.toFixed(1) : Math.round(cell)} px`;
}
