import { useRef } from 'react';
import { useStudio } from '../../store';
import { ProgressBar } from '../common';
import { runStatus } from './status';
import { useHeightVariable } from './useHeightVariable';
import './shell.css';

/** What the engine is doing now, with progress, and its latest message. */
export function StatusBar() {
  const busy = useStudio((s) => s.busy);
  const progress = useStudio((s) => s.progress);
  const runState = useStudio((s) => s.runState);
  const lastStep = useStudio((s) => s.steps.at(-1));
  const runMessage = useStudio((s) => s.runMessage);
  const log = useStudio((s) => s.log);
  const run = runStatus(runState, lastStep, progress, runMessage);
  const footer = useRef<HTMLElement>(null);
  useHeightVariable(footer, '--status-bar-height');
  return (
    <footer ref={footer} className="shell-status" aria-label="Status">
      <div className="shell-status-main" aria-live="polite">
        <span className={busy || runState === 'training' ? 'shell-dot active' : 'shell-dot'} aria-hidden="true" />
        <span className="shell-status-label">{busy ?? run?.label ?? 'Ready'}</span>
        {busy ? (
          <div className="shell-status-progress">
            <ProgressBar label={busy} progress={progress} />
          </div>
        ) : (
          run?.fraction !== undefined && (
            <div className="shell-status-progress">
              <ProgressBar label="Training progress" value={run.fraction} text={`${Math.round(run.fraction * 100)}%`} />
            </div>
          )
        )}
      </div>
      {log.length > 0 && (
        <details className="shell-log">
          <summary>{log.at(-1)}</summary>
          <ol>
            {log.map((line, i) => (
              <li key={i}>{line}</li>
            ))}
          </ol>
        </details>
      )}
    </footer>
  );
}
