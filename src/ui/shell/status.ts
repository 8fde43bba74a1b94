/** The status bar's words for the training run when nothing else is busy. */
import type { StepMetrics, TrainState } from '../../worker/protocol';

export interface RunStatus {
  label: string;
  /** Share of the run's optimizer steps done, when a step has been reported. */
  fraction?: number;
}

export function runStatus(state: TrainState, last: StepMetrics | undefined): RunStatus | null {
  const at = last ? ` — step ${last.step} of ${last.totalSteps}, epoch ${Number(last.epoch.toFixed(2))}` : '';
  const fraction = last && last.totalSteps > 0 ? Math.min(1, last.step / last.totalSteps) : undefined;
  switch (state) {
    case 'training':
      return { label: `Training${at}`, fraction };
    case 'paused':
      return { label: `Paused${at}`, fraction };
    case 'stopping':
      return { label: 'Stopping after this step', fraction };
    case 'done':
      return { label: `Training finished${last ? ` after ${last.step} steps` : ''}` };
    case 'failed':
      return { label: 'Training failed' };
    case 'idle':
      return null;
  }
}
