import { useState } from 'react';
import { useStudio } from '../../store';
import type { RunLink } from '../../worker/protocol';
import { isActive, lineageWords, runButtons, runStatus } from './run';

const NO_RUNS: RunLink[] = [];

/** Start, Pause, Resume and Stop, each enabled only where the engine accepts it, and the run's state. */
export function RunControls({ blocker }: { blocker: string | null }) {
  const runState = useStudio((s) => s.runState);
  const runMessage = useStudio((s) => s.runMessage);
  const latest = useStudio((s) => s.steps.at(-1));
  const lineage = useStudio((s) => s.model?.lineage) ?? NO_RUNS;
  const start = useStudio((s) => s.start);
  const pause = useStudio((s) => s.pause);
  const resume = useStudio((s) => s.resume);
  const stop = useStudio((s) => s.stop);
  // Weights a run has changed are never trained again without the user saying from where.
  const [asking, setAsking] = useState(false);
  const enabled = runButtons(runState, blocker);
  const startFrom = (from: 'current' | 'pretrained') => {
    setAsking(false);
    void start(from);
  };
  return (
    <div className="training-run">
      <div className="training-run-buttons">
        <button type="button" className="primary" disabled={!enabled.start || asking} onClick={() => (lineage.length > 0 ? setAsking(true) : startFrom('current'))}>
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
      {asking && enabled.start && (
        <div className="training-start-choice" role="group" aria-label="Start from which weights">
          <p>
            The model has been fine-tuned by {lineageWords(lineage)}. Continue training these weights, or restart from the
            pretrained ones? Earlier runs stay under Recent runs either way.
          </p>
          <div className="training-run-buttons">
            <button type="button" className="primary" onClick={() => startFrom('current')}>
              Continue from fine-tuned
            </button>
            <button type="button" onClick={() => startFrom('pretrained')}>
              Restart from pretrained
            </button>
            <button type="button" onClick={() => setAsking(false)}>
              Cancel
            </button>
          </div>
        </div>
      )}
      <p className={`training-run-state ${runState}`} role="status" aria-live="polite">
        {runStatus(runState, runMessage, latest)}
        {!isActive(runState) && blocker && <span className="training-muted"> · {blocker}</span>}
      </p>
    </div>
  );
}
