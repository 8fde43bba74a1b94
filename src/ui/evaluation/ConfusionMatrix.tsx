import { useMemo } from 'react';
import { formatCount } from '../common';
import { cellBackground, confusionRows, needsLightText, type MistakeFilter } from './evaluation';

export interface ConfusionMatrixProps {
  confusion: number[][];
  names: string[];
  /** The picked cell, whose examples the list below shows. */
  selected: MistakeFilter | null;
  /** Called with an off-diagonal cell (null clears); absent when there are no examples to show. */
  onSelect?(filter: MistakeFilter | null): void;
}

/** Above this many classes the cells drop their share, to stay narrow. */
const COMPACT_CLASSES = 8;

/**
 * The confusion matrix as a heat-coloured table (rows: true class, columns: prediction): a table keeps it
 * readable by screen readers and keyboard, and lets an error cell be a button that lists its examples.
 */
export function ConfusionMatrix({ confusion, names, selected, onSelect }: ConfusionMatrixProps) {
  const rows = useMemo(() => confusionRows(confusion), [confusion]);
  const compact = names.length > COMPACT_CLASSES;
  return (
    <div className="evaluation-confusion-wrap">
      <table className={compact ? 'evaluation-confusion compact' : 'evaluation-confusion'}>
        <caption>Confusion matrix: rows are the true class, columns the prediction; colour is the share of the row.</caption>
        <thead>
          <tr>
            <th scope="col" className="evaluation-corner">
              true ↓ predicted →
            </th>
            {names.map((name) => (
              <th key={name} scope="col" title={name}>
                {name}
              </th>
            ))}
            <th scope="col">support</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.label}>
              <th scope="row" title={names[row.label]}>
                {names[row.label]}
              </th>
              {row.cells.map((cell) => {
                const filter = { label: names[cell.label], predicted: names[cell.predicted] };
                const isSelected = selected?.label === filter.label && selected.predicted === filter.predicted;
                const content = (
                  <>
                    <span className="evaluation-count">{formatCount(cell.count)}</span>
                    {!compact && cell.count > 0 && <span className="evaluation-share">{Math.round(cell.share * 100)}%</span>}
                  </>
                );
                return (
                  <td
                    key={cell.predicted}
                    className={[needsLightText(cell) ? 'light' : '', isSelected ? 'selected' : ''].join(' ').trim() || undefined}
                    style={{ background: cellBackground(cell) }}
                  >
                    {onSelect && !cell.correct && cell.count > 0 ? (
                      <button
                        type="button"
                        className="evaluation-cell-button"
                        aria-pressed={isSelected}
                        aria-label={`${formatCount(cell.count)} ${filter.label} predicted as ${filter.predicted}: list them`}
                        onClick={() => onSelect(isSelected ? null : filter)}
                      >
                        {content}
                      </button>
                    ) : (
                      content
                    )}
                  </td>
                );
              })}
              <td className="evaluation-support">{formatCount(row.support)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
