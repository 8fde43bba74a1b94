import { useStudio } from '../../store';
import { describeRun, savedAt, totalSize } from './runsView';
import './runs.css';

/** Saved runs: reopen a trained model, continue a run, or free the space it takes. */
export function RecentRuns({ disabled }: { disabled: boolean }) {
  const runs = useStudio((s) => s.runs);
  const storage = useStudio((s) => s.runStorage);
  const current = useStudio((s) => s.currentRun);
  const openRun = useStudio((s) => s.openRun);
  const resumeRun = useStudio((s) => s.resumeRun);
  const deleteRun = useStudio((s) => s.deleteRun);
  if (runs.length === 0 && storage !== 'memory') return null;
  return (
    <details className="runs" open={runs.length > 0}>
      <summary>
        Recent runs <span className="runs-muted">({runs.length}, {totalSize(runs)} in this browser)</span>
      </summary>
      {storage === 'memory' && <p className="runs-warn">This browser gives the studio no storage: runs will not survive a reload.</p>}
      <ul className="runs-list" aria-label="Recent runs">
        {runs.map((run) => {
          const active = current?.id === run.id;
          return (
            <li key={run.id} className={active ? 'runs-item active' : 'runs-item'}>
              <div className="runs-text">
                <strong>{run.dataFile}</strong> <span className="runs-muted">on {run.model}{run.task === 'mlm' ? ' (masked LM)' : ''}</span>
                <div className="runs-muted">
                  {describeRun(run, active)} · {totalSize([run])}
                  {savedAt(run) && ` · saved ${savedAt(run)}`}
                </div>
                {run.status === 'damaged' && <div className="runs-warn">{run.message}</div>}
              </div>
              <div className="runs-actions">
                {run.status !== 'damaged' && (
                  <button type="button" disabled={disabled || active} onClick={() => void openRun(run.id)} title="Load the model this run ended (or was saved) with, its data and its charts">
                    Open
                  </button>
                )}
                {run.resumable && (
                  <button type="button" disabled={disabled || active} onClick={() => void resumeRun(run.id)} title={`Continue training from the checkpoint at step ${run.checkpointStep}`}>
                    Resume
                  </button>
                )}
                <button
                  type="button"
                  className="runs-delete"
                  disabled={disabled && active}
                  onClick={() => {
                    if (window.confirm(`Delete the saved run of ${run.dataFile} (${totalSize([run])})? Its model cannot be reopened afterwards.`)) void deleteRun(run.id);
                  }}
                >
                  Delete
                </button>
              </div>
            </li>
          );
        })}
      </ul>
    </details>
  );
}
