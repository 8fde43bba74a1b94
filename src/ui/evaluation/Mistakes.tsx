import type { MisclassifiedExample } from '../../worker/protocol';
import { formatCount, formatPercent } from '../common';
import { filterMistakes, type MistakeFilter } from './evaluation';

export interface MistakesProps {
  mistakes: MisclassifiedExample[];
  /** Every mistake of the evaluation; the list holds the most confident ones. */
  total: number;
  filter: MistakeFilter | null;
  onClearFilter(): void;
}

/** The validation examples the model got wrong, most confident first: often mislabelled rows or hard cases. */
export function Mistakes({ mistakes, total, filter, onClearFilter }: MistakesProps) {
  const shown = filterMistakes(mistakes, filter);
  return (
    <section className="evaluation-mistakes" aria-label="Misclassified examples">
      <div className="evaluation-mistakes-head">
        <h3 className="evaluation-heading">Misclassified examples</h3>
        <span className="evaluation-muted">
          {mistakes.length < total ? `The ${mistakes.length} most confident of ${formatCount(total)} mistakes` : `${formatCount(total)} mistakes`}
          {filter && ` · ${filter.label} predicted as ${filter.predicted}`}
        </span>
        {filter && (
          <button type="button" className="small" onClick={onClearFilter}>
            Show all
          </button>
        )}
      </div>
      {shown.length === 0 ? (
        <p className="evaluation-muted">{total === 0 ? 'No mistakes on the validation set.' : 'None of the listed examples are in this cell.'}</p>
      ) : (
        <div className="evaluation-table-wrap">
          <table className="evaluation-table">
            <thead>
              <tr>
                <th scope="col">Row</th>
                <th scope="col">Text</th>
                <th scope="col">True</th>
                <th scope="col">Predicted</th>
                <th scope="col">Confidence</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((m) => (
                <tr key={m.row}>
                  <td className="num">{m.row + 1}</td>
                  <td className="evaluation-text">{m.text}</td>
                  <td>{m.label}</td>
                  <td className="evaluation-wrong">{m.predicted}</td>
                  <td className="num">{m.confidence === undefined ? '–' : formatPercent(m.confidence, 0)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
