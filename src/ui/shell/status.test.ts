import { describe, expect, it } from 'vitest';
import type { StepMetrics } from '../../worker/protocol';
import { runStatus } from './status';

const step = (n: number, total: number): StepMetrics => ({
  step: n,
  totalSteps: total,
  epoch: 1,
  loss: 0.5,
  lrs: {},
  gradNorm: 1,
  examplesPerSec: 10,
  tokensPerSec: 100,
  numTensors: 0,
  numBytes: 0,
  frozen: [],
});

describe('runStatus', () => {
  it('is silent while idle', () => {
    expect(runStatus('idle', undefined)).toBeNull();
  });
  it('reports the step and the share done while training', () => {
    expect(runStatus('training', step(25, 100))).toEqual({ label: 'Training — step 25 of 100, epoch 1', fraction: 0.25 });
    expect(runStatus('training', undefined)).toEqual({ label: 'Training', fraction: undefined });
    expect(runStatus('paused', step(10, 0))?.fraction).toBeUndefined();
  });
  it('rounds fractional epochs', () => {
    expect(runStatus('training', { ...step(31, 150), epoch: 0.6200000001 })?.label).toBe('Training — step 31 of 150, epoch 0.62');
  });
  it('names the end of a run', () => {
    expect(runStatus('done', step(100, 100))).toEqual({ label: 'Training finished after 100 steps.' });
    // The engine's words, which say how it ended, as the Training panel shows them.
    expect(runStatus('done', step(6, 100), null, 'Training stopped after 6 steps.')).toEqual({ label: 'Training stopped after 6 steps.' });
    expect(runStatus('failed', step(3, 100))).toEqual({ label: 'Training failed' });
  });
  it('shows an evaluation under way with its own progress, and the run again once it is done', () => {
    const evaluating = { stage: 'evaluate', loaded: 1200, total: 4800 };
    expect(runStatus('training', step(20, 20), evaluating)).toEqual({
      label: 'Evaluating: 1,200 of 4,800 examples — step 20 of 20, epoch 1',
      fraction: 0.25,
    });
    expect(runStatus('training', step(20, 20), { ...evaluating, loaded: 4800 })?.label).toBe('Training — step 20 of 20, epoch 1');
    expect(runStatus('training', step(5, 20), { stage: 'tokenize', loaded: 1, total: 2 })?.label).toBe('Training — step 5 of 20, epoch 1');
  });
});
