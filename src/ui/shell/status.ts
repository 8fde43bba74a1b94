/** The status bar's words for the training run when nothing else is busy. */
import type { Progress } from '../../progress';
import type { StepMetrics, TrainState } from '../../worker/protocol';
import { describeProgress } from '../common/format';
import { finishedWords } from '../training/run';

export interface RunStatus {
  label: string;
  /** Share of the run's optimizer steps done, when a step has been reported. */
  fraction?: number;
}

/**
 * `progress` is the engine's latest report: an evaluation under way (on a large validation set it takes
 * minutes, with no step in between) is shown with its own progress instead of the run's.
 */
export function runStatus(state: TrainState, last: StepMetrics | undefined, progress: Progress | null = null, message: string | null = null): RunStatus | null {
  const at = last ? ` — step ${last.step} of ${last.totalSteps}, epoch ${Number(last.epoch.toFixed(2))}` : '';
  const fraction = last && last.totalSteps > 0 ? Math.min(1, last.step / last.totalSteps) : undefined;
  const evaluating = progress?.stage === 'evaluate' && progress.total !== undefined && progress.loaded < progress.total ? progress : null;
  switch (state) {
    case 'training':
      if (evaluating) return { label: `${describeProgress(evaluating)}${at}`, fraction: evaluating.loaded / evaluating.total! };
      return { label: `Training${at}`, fraction };
    case 'paused':
      return { label: `Paused${at}`, fraction };
    case 'stopping':
      return { label: 'Stopping after this step', fraction };
    case 'done':
      return { label: finishedWords(message, last) };
    case 'failed':
      return { label: 'Training failed' };
    case 'idle':
      return null;
  }
}
