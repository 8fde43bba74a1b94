import { memo, useId, useLayoutEffect, useRef, type CSSProperties, type KeyboardEvent, type PointerEvent } from 'react';
import type { Matrix } from './attentionMath';
import { cellReadout } from './attentionView';
import { rgbCss, type HeatPalette, type HeatScale } from './colors';
import { cellAt, moveCell, type GridCell } from './gridNavigation';
import { HeatmapCanvas } from './HeatmapCanvas';
import { anchoredScroll, labelStep, revealScroll } from './cellSize';

export interface AttentionHeatmapProps {
  /** Accessible name of the figure, e.g. "Attention heatmap" (tests find the figure by it). */
  label: string;
  /** Visible caption, e.g. "Fine-tuned · Layer 0 · head 1". */
  caption: string;
  tokens: string[];
  /** [query][key] */
  matrix: Matrix;
  scale: HeatScale;
  palette: HeatPalette;
  /** CSS pixels per cell. */
  cell: number;
  /** CSS pixels of the query label column (labelWidth). */
  labels: number;
  /** The hovered or keyboard-selected cell, shared by heatmaps shown side by side. */
  cursor: GridCell | null;
  onCursor(cursor: GridCell | null): void;
}

/** How far the cells are scrolled inside the scroll box, and how much of them shows past the sticky labels and the border. */
function visibleCells(box: HTMLElement, cells: HTMLElement) {
  return {
    x: { scroll: box.scrollLeft, view: box.clientWidth - cells.offsetLeft - cells.clientLeft },
    y: { scroll: box.scrollTop, view: box.clientHeight - cells.offsetTop - cells.clientTop },
  };
}

/**
 * One large heatmap with the tokens written along both axes (queries down the left, keys along the top).
 * Hovering a cell, or moving through the cells with the arrow keys, reads out query → key and the weight.
 * A map larger than its box scrolls inside it, with the labels kept in view; zooming keeps the middle of
 * the view in place, and keyboard moves scroll the selected cell into view.
 */
export function AttentionHeatmap({ label, caption, tokens, matrix, scale, palette, cell, labels, cursor, onCursor }: AttentionHeatmapProps) {
  const readoutId = useId();
  const scrollBox = useRef<HTMLDivElement>(null);
  const cellsBox = useRef<HTMLDivElement>(null);
  const shownCell = useRef(cell);
  const n = tokens.length;
  const diverging = scale.kind === 'diverging';
  const readout = cursor ? cellReadout(tokens, matrix, cursor.row, cursor.col, diverging) : '';
  const step = labelStep(cell);

  useLayoutEffect(() => {
    const [box, cells, from] = [scrollBox.current, cellsBox.current, shownCell.current];
    shownCell.current = cell;
    if (!box || !cells || from === cell) return;
    const { x, y } = visibleCells(box, cells);
    box.scrollLeft = anchoredScroll(x.scroll, x.view, from, cell);
    box.scrollTop = anchoredScroll(y.scroll, y.view, from, cell);
  }, [cell]);

  const pointAt = (event: PointerEvent<HTMLDivElement>): void => {
    const target = event.currentTarget;
    const box = target.getBoundingClientRect();
    const [x, y] = [event.clientX - box.left - target.clientLeft, event.clientY - box.top - target.clientTop];
    onCursor(cellAt(x, y, cell, n, n));
  };
  const keyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    const next = moveCell(cursor ?? { row: 0, col: 0 }, event.key, n, n);
    if (!next) return;
    event.preventDefault();
    onCursor(next);
    const [box, cells] = [scrollBox.current, cellsBox.current];
    if (!box || !cells) return;
    const { x, y } = visibleCells(box, cells);
    box.scrollLeft = revealScroll(x.scroll, x.view, next.col * cell, cell);
    box.scrollTop = revealScroll(y.scroll, y.view, next.row * cell, cell);
  };

  return (
    <figure className="attention-heatmap" aria-label={label} style={{ '--cell': `${cell}px`, '--labels': `${labels}px` } as CSSProperties}>
      <figcaption className="attention-heatmap-caption">{caption}</figcaption>
      {/* Above the map, not below: a zoomed map can be taller than the window, and the readout must stay in view. */}
      <p id={readoutId} className="attention-readout" aria-live="polite">
        {readout || 'Hover a cell, or focus the map and use the arrow keys.'}
      </p>
      <div className="attention-heatmap-scroll" ref={scrollBox}>
        <div className="attention-heatmap-grid">
          <span className="attention-heatmap-corner" aria-hidden="true">
            <span>key →</span>
            <span>query ↓</span>
          </span>
          <TokenLabels className="attention-keys" label="Key tokens" tokens={tokens} step={step} active={cursor?.col} />
          <TokenLabels className="attention-queries" label="Query tokens" tokens={tokens} step={step} active={cursor?.row} />
          <div
            ref={cellsBox}
            className="attention-cells"
            role="application"
            aria-roledescription="heatmap"
            aria-label={`${label} cells: arrow keys move between query and key tokens`}
            aria-describedby={readoutId}
            tabIndex={0}
            onPointerMove={pointAt}
            onPointerLeave={() => onCursor(null)}
            onFocus={() => onCursor(cursor ?? { row: 0, col: 0 })}
            onBlur={() => onCursor(null)}
            onKeyDown={keyDown}
          >
            <HeatmapCanvas matrix={matrix} scale={scale} palette={palette} size={n * cell} />
            {cursor && (
              <span
                className="attention-cursor"
                style={{ top: cursor.row * cell, left: cursor.col * cell, width: cell, height: cell }}
                aria-hidden="true"
              />
            )}
          </div>
        </div>
      </div>
      <Legend scale={scale} palette={palette} />
    </figure>
  );
}

interface TokenLabelsProps {
  className: string;
  label: string;
  tokens: string[];
  /** Every how many tokens a label shows; the others stay in the list, for screen readers, but unseen. */
  step: number;
  /** The token under the cursor, shown whatever the step. */
  active: number | undefined;
}

/** One axis's token labels; memoised, as a long input has hundreds and the pointer moves often. */
const TokenLabels = memo(function TokenLabels({ className, label, tokens, step, active }: TokenLabelsProps) {
  return (
    <ol className={step > 1 ? `${className} sparse` : className} aria-label={label}>
      {tokens.map((token, i) => (
        <li key={i} data-index={i} className={i === active ? 'active' : i % step === 0 ? undefined : 'unlabelled'} title={token}>
          <span>{token}</span>
        </li>
      ))}
    </ol>
  );
});

function Legend({ scale, palette }: { scale: HeatScale; palette: HeatPalette }) {
  const diverging = scale.kind === 'diverging';
  const gradient = diverging
    ? `linear-gradient(to right, ${rgbCss(palette.negative)}, ${rgbCss(palette.zero)}, ${rgbCss(palette.positive)})`
    : `linear-gradient(to right, ${rgbCss(palette.zero)}, ${rgbCss(palette.high)})`;
  return (
    <div className="attention-legend">
      <span>{diverging ? `−${scale.max.toFixed(2)} less` : '0'}</span>
      <span className="attention-legend-bar" style={{ background: gradient }} aria-hidden="true" />
      <span>{diverging ? `+${scale.max.toFixed(2)} more` : scale.max.toFixed(2)}</span>
    </div>
  );
}
