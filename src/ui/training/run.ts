/** Which run buttons are enabled, why Start is not, and the run's state in words. */
import type { RunLink, StepMetrics, TrainState } from '../../worker/protocol';

export interface RunButtons {
  start: boolean;
  pause: boolean;
  resume: boolean;
  stop: boolean;
}

/** A run is active from Start until the engine reports it done or failed. */
export function isActive(state: TrainState): boolean {
  return state === 'training' || state === 'paused' || state === 'stopping';
}

/** `blocker` is startBlocker's answer: Start needs none; the other buttons follow the run's state only. */
export function runButtons(state: TrainState, blocker: string | null): RunButtons {
  return {
    start: !isActive(state) && blocker === null,
    pause: state === 'training',
    resume: state === 'paused',
    stop: state === 'training' || state === 'paused',
  };
}

export interface StartNeeds {
  hasModel: boolean;
  hasData: boolean;
  /** The engine's busy label, or null. */
  busy: string | null;
  /** A training argument the form could not accept, or null. */
  invalid: string | null;
}

/** Why Start is disabled, or null when it is not. */
export function startBlocker({ hasModel, hasData, busy, invalid }: StartNeeds): string | null {
  if (!hasModel) return 'Load a model first.';
  if (!hasData) return 'Load a dataset in the Data panel first.';
  if (busy !== null) return `Waiting for: ${busy}.`;
  if (invalid !== null) return `Fix ${invalid} first.`;
  return null;
}

const STATE_WORDS: Record<TrainState, string> = {
  idle: 'Not started',
  training: 'Training',
  paused: 'Paused',
  stopping: 'Stopping after this step',
  done: 'Finished',
  failed: 'Failed',
};

/**
 * How an ended run is named, in the Training panel and the status bar alike: the engine's words when it gave
 * them ("Training stopped after 6 steps."), which say how it ended, better than "finished" for every end.
 */
export function finishedWords(message: string | null, latest: StepMetrics | undefined): string {
  return message ?? `Training finished${latest ? ` after ${latest.step} steps` : ''}.`;
}

/** "Training · step 12 of 300", "Training done after 300 steps.", "Failed · …" */
export function runStatus(state: TrainState, message: string | null, latest: StepMetrics | undefined): string {
  if (state === 'done') return finishedWords(message, latest);
  const parts = [STATE_WORDS[state]];
  if (latest && isActive(state)) parts.push(`step ${latest.step} of ${latest.totalSteps}`);
  if (message && !isActive(state)) parts.push(message);
  return parts.join(' · ');
}

/** "1 run (6 steps on sentiment.csv)": what has changed the current weights, for the continue-or-restart question. */
export function lineageWords(lineage: readonly RunLink[]): string {
  const steps = lineage.reduce((sum, link) => sum + link.steps, 0);
  const files = [...new Set(lineage.map((link) => link.dataFile))].join(', ');
  const runs = lineage.length === 1 ? '1 run' : `${lineage.length} runs`;
  return `${runs} (${steps} step${steps === 1 ? '' : 's'} on ${files})`;
}
