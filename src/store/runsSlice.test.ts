import { describe, expect, it } from 'vitest';
import type { RunInfo } from '../worker/protocol';
import { interruptedRun } from './runsSlice';

const run = (id: string, patch: Partial<RunInfo>): RunInfo => ({
  id, createdAt: '', updatedAt: '', model: 'm', dataFile: 'd.csv', task: 'classify', status: 'training',
  step: 10, totalSteps: 40, checkpointStep: 10, bytes: 1, resumable: true, ...patch,
});

describe('interruptedRun', () => {
  it('offers the newest run the page closed on while it trained or was paused', () => {
    const runs = [run('done', { status: 'done', resumable: false }), run('paused', { status: 'paused' }), run('older', {})];
    expect(interruptedRun(runs, null, [])?.id).toBe('paused');
  });

  it('skips the run on screen, runs the user dismissed, and runs without a checkpoint', () => {
    const runs = [run('a', {}), run('b', { checkpointStep: null, resumable: false }), run('c', {})];
    expect(interruptedRun(runs, runs[0], [])?.id).toBe('c');
    expect(interruptedRun(runs, null, ['a', 'c'])).toBeNull();
  });

  it('does not offer stopped or failed runs: the user saw how they ended', () => {
    expect(interruptedRun([run('s', { status: 'stopped' }), run('f', { status: 'failed' })], null, [])).toBeNull();
  });
});
