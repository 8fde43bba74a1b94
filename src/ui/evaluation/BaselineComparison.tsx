import { useStudio } from '../../store';
import type { EvalMetrics } from '../../worker/protocol';
import { baselineStatusText, baselineView } from './baseline';

/**
 * BERT beside the linear baseline fitted on the same split: both sets of metrics, who is ahead, and what to
 * try when BERT is not. Connected to the store itself, so the baseline's progress re-renders only this.
 */
export function BaselineComparison({ evaluation }: { evaluation: EvalMetrics | null }) {
  const status = useStudio((s) => s.baseline);
  if (!status) return null;
  if (status.state !== 'done') {
    return (
      <section className="evaluation-baseline" aria-label="Linear baseline">
        <p className="evaluation-muted" aria-live="polite">{baselineStatusText(status)}</p>
      </section>
    );
  }
  const view = baselineView(status.report, evaluation);
  return (
    <section className="evaluation-baseline" aria-label="Linear baseline">
      <h3 className="evaluation-heading">Against a linear baseline</h3>
      {view.verdict && <p className={view.behind ? 'evaluation-verdict behind' : 'evaluation-verdict'}>{view.verdict}</p>}
      {view.behind && (
        <ul className="evaluation-suggestions" aria-label="What to try">
          {view.suggestions.map((suggestion) => (
            <li key={suggestion}>{suggestion}</li>
          ))}
        </ul>
      )}
      <div className="evaluation-table-wrap">
        <table className="evaluation-table evaluation-baseline-table">
          <caption className="visually-hidden">BERT and the linear baseline on the validation set</caption>
          <thead>
            <tr>
              <th scope="col">Metric</th>
              <th scope="col">BERT</th>
              <th scope="col">Linear baseline</th>
            </tr>
          </thead>
          <tbody>
            {view.rows.map((row) => (
              <tr key={row.metric}>
                <th scope="row">{row.metric}</th>
                <td className="num">{row.bert}</td>
                <td className="num">{row.baseline}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="evaluation-muted">{view.details}</p>
      {view.notes.map((note) => (
        <p key={note} className="evaluation-muted">
          {note}
        </p>
      ))}
    </section>
  );
}
