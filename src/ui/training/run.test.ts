import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAINING_ARGS } from '../../train/defaults';
import type { RunLink, StepMetrics, TrainState } from '../../worker/protocol';
import { isActive, lineageWords, runButtons, runStatus, startBlocker } from './run';

const ready = { hasModel: true, hasData: true, busy: null, invalid: null };

describe('runButtons', () => {
  it('enables each button only in the states where the engine accepts it', () => {
    const table = (['idle', 'training', 'paused', 'stopping', 'done', 'failed'] as TrainState[]).map((state) => [state, runButtons(state, null)]);
    expect(Object.fromEntries(table)).toEqual({
      idle: { start: true, pause: false, resume: false, stop: false },
      training: { start: false, pause: true, resume: false, stop: true },
      paused: { start: false, pause: false, resume: true, stop: true },
      stopping: { start: false, pause: false, resume: false, stop: false },
      done: { start: true, pause: false, resume: false, stop: false },
      failed: { start: true, pause: false, resume: false, stop: false },
    });
  });

  it('keeps Start disabled while something blocks it', () => {
    expect(runButtons('idle', 'Load a model first.').start).toBe(false);
  });
});

describe('startBlocker', () => {
  it('names the first missing piece', () => {
    expect(startBlocker(ready)).toBeNull();
    expect(startBlocker({ ...ready, hasModel: false, hasData: false })).toBe('Load a model first.');
    expect(startBlocker({ ...ready, hasData: false })).toBe('Load a dataset in the Data panel first.');
    expect(startBlocker({ ...ready, busy: 'Reading data' })).toBe('Waiting for: Reading data.');
    expect(startBlocker({ ...ready, invalid: 'Batch size' })).toBe('Fix Batch size first.');
  });
});

describe('runStatus', () => {
  const step = { step: 12, totalSteps: 300 } as StepMetrics;
  it('shows progress while active and the engine\'s message after', () => {
    expect(isActive('paused')).toBe(true);
    expect(runStatus('training', null, step)).toBe('Training · step 12 of 300');
    expect(runStatus('paused', null, step)).toBe('Paused · step 12 of 300');
    expect(runStatus('done', 'Training stopped after 6 steps.', step)).toBe('Training stopped after 6 steps.');
    expect(runStatus('done', null, step)).toBe('Training finished after 12 steps.');
    expect(runStatus('idle', null, undefined)).toBe('Not started');
  });
});

describe('lineageWords', () => {
  const link = (steps: number, dataFile: string): RunLink => ({ task: 'classify', dataFile, outcome: 'done', steps, args: DEFAULT_TRAINING_ARGS });

  it('counts the runs and their steps and names each file once', () => {
    expect(lineageWords([link(6, 'sentiment.csv')])).toBe('1 run (6 steps on sentiment.csv)');
    expect(lineageWords([link(1, 'a.csv'), link(3, 'b.csv'), link(2, 'a.csv')])).toBe('3 runs (6 steps on a.csv, b.csv)');
    expect(lineageWords([link(1, 'a.csv')])).toBe('1 run (1 step on a.csv)');
  });
});
