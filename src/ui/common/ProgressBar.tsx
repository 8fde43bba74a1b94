import type { Progress } from '../../progress';
import { describeProgress, progressFraction } from './format';
import './common.css';

export interface ProgressBarProps {
  /** Accessible name, e.g. "Model download". */
  label: string;
  /** A Progress from the engine; its description is shown as text under the bar. */
  progress?: Progress | null;
  /** Or a share done in [0, 1]; undefined with no progress either draws an indeterminate bar. */
  value?: number;
  /** Text beside the bar instead of the progress description. */
  text?: string;
}

/** A thin progress bar with a text readout; indeterminate while the total is unknown. */
export function ProgressBar({ label, progress, value, text }: ProgressBarProps) {
  const fraction = value ?? (progress ? progressFraction(progress) : undefined);
  const readout = text ?? (progress ? describeProgress(progress) : undefined);
  const percent = fraction === undefined ? undefined : Math.round(fraction * 100);
  return (
    <div className="progress">
      <div
        className={fraction === undefined ? 'progress-track indeterminate' : 'progress-track'}
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={readout}
      >
        <div className="progress-fill" style={fraction === undefined ? undefined : { width: `${fraction * 100}%` }} />
      </div>
      {readout && <span className="progress-text">{readout}</span>}
    </div>
  );
}
