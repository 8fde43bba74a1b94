import { useStudio } from '../../store';
import { interruptedRun } from '../../store/runsSlice';
import { describeRun } from './runsView';

/** After a reload or a crash: the run that was training, offered back. */
export function ResumeBanner() {
  const run = useStudio((s) => interruptedRun(s.runs, s.currentRun, s.dismissedRuns));
  const busy = useStudio((s) => s.busy !== null || s.runState === 'training' || s.runState === 'paused' || s.runState === 'stopping');
  const resumeRun = useStudio((s) => s.resumeRun);
  const openRun = useStudio((s) => s.openRun);
  const dismissRun = useStudio((s) => s.dismissRun);
  if (!run) return null;
  return (
    <div className="shell-banner info" role="status" aria-label="Interrupted run">
      <div>
        <strong>A run did not finish.</strong> {run.dataFile} on {run.model}: {describeRun(run)}. It can continue from its checkpoint at
        step {run.checkpointStep}.
      </div>
      <div className="runs-actions">
        <button type="button" disabled={busy} onClick={() => void resumeRun(run.id)}>
          Resume training
        </button>
        <button type="button" disabled={busy} onClick={() => void openRun(run.id)}>
          Open its model
        </button>
        <button type="button" onClick={() => dismissRun(run.id)}>
          Not now
        </button>
      </div>
    </div>
  );
}
