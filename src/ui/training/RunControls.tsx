import { useStudio } from '../../store';
import { isActive, runButtons, runStatus } from './run';

/** Start, Pause, Resume and Stop, each enabled only where the engine accepts it, and the run's state. */
export function RunControls({ blocker }: { blocker: string | null }) {
  const runState = useStudio((s) => s.runState);
  const runMessage = useStudio((s) => s.runMessage);
  const latest = useStudio((s) => s.steps.at(-1));
  const start = useStudio((s) => s.start);
  const pause = useStudio((s) => s.pause);
  const resume = useStudio((s) => s.resume);
  const stop = useStudio((s) => s.stop);
  const enabled = runButtons(runState, blocker);
  return (
    <div className="training-run">
      <div className="training-run-buttons">
        <button type="button" className="primary" disabled={!enabled.start} onClick={() => void start()}>
          Start training
        </button>
        <button type="button" disabled={!enabled.pause} onClick={() => void pause()}>
          Pause
        </button>
        <button type="button" disabled={!enabled.resume} onClick={() => void resume()}>
          Resume
        </button>
        <button type="button" className="danger" disabled={!enabled.stop} onClick={() => void stop()}>
          Stop
        </button>
      </div>
      <p className={`training-run-state ${runState}`} role="status" aria-live="polite">
        {runStatus(runState, runMessage, latest)}
        {!isActive(runState) && blocker && <span className="training-muted"> · {blocker}</span>}
      </p>
    </div>
  );
}
