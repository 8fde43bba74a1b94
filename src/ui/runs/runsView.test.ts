import { describe, expect, it } from 'vitest';
import type { RunInfo } from '../../worker/protocol';
import { describeRun, totalSize } from './runsView';

const run: RunInfo = {
  id: 'a', createdAt: '', updatedAt: '', model: 'bert-tiny-en', dataFile: 'reviews.csv', task: 'classify', status: 'done',
  step: 1200, totalSteps: 1200, checkpointStep: 1200, bytes: 1_500_000, resumable: false,
};

describe('runsView', () => {
  it('says how a run ended, how far it got and its best score', () => {
    expect(describeRun({ ...run, best: { step: 900, loss: 0.31, accuracy: 0.9123 } })).toBe('finished · step 1,200 of 1,200 · best accuracy 91.2%');
    expect(describeRun({ ...run, status: 'training', step: 40, best: { step: 40, loss: 2.5 } })).toBe(
      'interrupted while training · step 40 of 1,200 · best validation loss 2.500',
    );
  });

  it('says the run training on the page is training now, and which step it was saved at', () => {
    expect(describeRun({ ...run, status: 'training', step: 0 }, true)).toBe('training now · saved at step 0 of 1,200');
    expect(describeRun({ ...run, status: 'paused', step: 20 }, true)).toBe('paused · step 20 of 1,200');
  });

  it('adds up the storage the runs take', () => {
    expect(totalSize([run, { ...run, id: 'b', bytes: 597_152 }])).toBe('2.0 MB');
  });
});
