import { useId, type CSSProperties, type KeyboardEvent, type PointerEvent } from 'react';
import type { Matrix } from './attentionMath';
import { cellReadout } from './attentionView';
import { rgbCss, type HeatPalette, type HeatScale } from './colors';
import { cellAt, moveCell, type GridCell } from './gridNavigation';
import { HeatmapCanvas } from './HeatmapCanvas';

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
  /** The hovered or keyboard-selected cell, shared by heatmaps shown side by side. */
  cursor: GridCell | null;
  onCursor(cursor: GridCell | null): void;
}

/**
 * One large heatmap with the tokens written along both axes (queries down the left, keys along the top).
 * Hovering a cell, or moving through the cells with the arrow keys, reads out query → key and the weight.
 */
export function AttentionHeatmap({ label, caption, tokens, matrix, scale, palette, cell, cursor, onCursor }: AttentionHeatmapProps) {
  const readoutId = useId();
  const n = tokens.length;
  const diverging = scale.kind === 'diverging';
  const readout = cursor ? cellReadout(tokens, matrix, cursor.row, cursor.col, diverging) : '';

  const pointAt = (event: PointerEvent<HTMLDivElement>): void => {
    const box = event.currentTarget.getBoundingClientRect();
    onCursor(cellAt(event.clientX - box.left, event.clientY - box.top, cell, n, n));
  };
  const keyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    const next = moveCell(cursor ?? { row: 0, col: 0 }, event.key, n, n);
    if (!next) return;
    event.preventDefault();
    onCursor(next);
  };

  return (
    <figure className="attention-heatmap" aria-label={label} style={{ '--cell': `${cell}px` } as CSSProperties}>
      <figcaption className="attention-heatmap-caption">{caption}</figcaption>
      <div className="attention-heatmap-scroll">
        <div className="attention-heatmap-grid">
          <span className="attention-heatmap-corner" aria-hidden="true">
            query ↓ key →
          </span>
          <ol className="attention-keys" aria-label="Key tokens">
            {tokens.map((token, i) => (
              <li key={i} data-index={i} className={cursor?.col === i ? 'active' : undefined} title={token}>
                {token}
              </li>
            ))}
          </ol>
          <ol className="attention-queries" aria-label="Query tokens">
            {tokens.map((token, i) => (
              <li key={i} data-index={i} className={cursor?.row === i ? 'active' : undefined} title={token}>
                {token}
              </li>
            ))}
          </ol>
          <div
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
      <p id={readoutId} className="attention-readout" aria-live="polite">
        {readout || 'Hover a cell, or focus the map and use the arrow keys.'}
      </p>
    </figure>
  );
}

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
