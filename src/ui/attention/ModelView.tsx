import { memo, useMemo, useRef, type KeyboardEvent } from 'react';
import { describeChoice, maxValue, type HeadChoice, type Matrix } from './attentionMath';
import { choiceAt, gridColumn } from './attentionView';
import type { HeatPalette, HeatScale } from './colors';
import { cellSize, moveCell } from './gridNavigation';
import { HeatmapCanvas } from './HeatmapCanvas';

export interface ModelViewProps {
  /** [layer][heads…, mean, rollout], as modelGrid builds it. */
  grid: Matrix[][];
  heads: number;
  choice: HeadChoice;
  onChoose(choice: HeadChoice): void;
  palette: HeatPalette;
}

/**
 * Every layer × head as a small heatmap (each on its own scale, to show its pattern), plus each layer's
 * mean and rollout. One cell is in the tab order; arrow keys move the selection like a grid.
 */
export const ModelView = memo(function ModelView({ grid, heads, choice, onChoose, palette }: ModelViewProps) {
  const container = useRef<HTMLDivElement>(null);
  const columns = heads + 2;
  const thumb = cellSize(columns, 420, 28, 64);
  const scales = useMemo(
    () => grid.map((row) => row.map((matrix): HeatScale => ({ kind: 'sequential', max: maxValue(matrix) }))),
    [grid],
  );
  const selectedColumn = gridColumn(choice, heads);

  const keyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    const next = moveCell({ row: choice.layer, col: selectedColumn }, event.key, grid.length, columns);
    if (!next) return;
    event.preventDefault();
    onChoose(choiceAt(next.row, next.col, heads));
    container.current?.querySelector<HTMLButtonElement>(`[data-layer="${next.row}"][data-column="${next.col}"]`)?.focus();
  };

  const columnName = (column: number): string => (column < heads ? `H${column}` : column === heads ? 'Mean' : 'Rollout');

  return (
    <div
      ref={container}
      className="attention-model-view"
      role="group"
      aria-label="Model view: every layer and head"
      style={{ gridTemplateColumns: `auto repeat(${columns}, ${thumb}px)` }}
      onKeyDown={keyDown}
    >
      <span aria-hidden="true" />
      {Array.from({ length: columns }, (_, column) => (
        <span key={column} className="attention-model-view-head" aria-hidden="true">
          {columnName(column)}
        </span>
      ))}
      {grid.map((row, layer) => [
        <span key={`layer-${layer}`} className="attention-model-view-layer" aria-hidden="true">
          L{layer}
        </span>,
        ...row.map((matrix, column) => {
          const cellChoice = choiceAt(layer, column, heads);
          const selected = layer === choice.layer && column === selectedColumn;
          return (
            <button
              key={`${layer}-${column}`}
              type="button"
              className={selected ? 'attention-thumb selected' : 'attention-thumb'}
              data-layer={layer}
              data-column={column}
              aria-label={describeChoice(cellChoice)}
              aria-pressed={selected}
              tabIndex={selected ? 0 : -1}
              onClick={() => onChoose(cellChoice)}
            >
              <HeatmapCanvas matrix={matrix} scale={scales[layer][column]} palette={palette} size={thumb - 6} />
            </button>
          );
        }),
      ])}
    </div>
  );
});
