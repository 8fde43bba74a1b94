import type { RunInfo, RunStatus } from '../../worker/protocol';
import { formatBytes } from '../common/format';

const STATUS: Record<RunStatus, string> = {
  training: 'interrupted while training',
  paused: 'paused',
  done: 'finished',
  stopped: 'stopped',
  'early-stopped': 'stopped early',
  failed: 'failed',
  damaged: 'damaged',
};

/**
 * "finished · step 30 of 30 · best accuracy 91.2%". `live` is the run training on this page now: its record is as
 * of its last save, which is what the step says.
 */
export function describeRun(run: RunInfo, live = false): string {
  const steps = `step ${run.step.toLocaleString('en-US')} of ${run.totalSteps.toLocaleString('en-US')}`;
  const parts = live && run.status === 'training' ? ['training now', `saved at ${steps}`] : [STATUS[run.status], steps];
  if (run.best?.accuracy !== undefined) parts.push(`best accuracy ${(run.best.accuracy * 100).toFixed(1)}%`);
  else if (run.best) parts.push(`best validation loss ${run.best.loss.toFixed(3)}`);
  return parts.join(' · ');
}

/** When the run was last saved, in the reader's locale ("2 Dec, 09:14"). */
export function savedAt(run: RunInfo): string {
  const date = new Date(run.updatedAt);
  return Number.isNaN(date.getTime()) ? '' : date.toLocaleString(undefined, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
}

export function totalSize(runs: readonly RunInfo[]): string {
  return formatBytes(runs.reduce((sum, run) => sum + run.bytes, 0));
}
