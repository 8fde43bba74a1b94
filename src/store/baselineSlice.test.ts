import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { BaselineStatus, DataSummary } from '../worker/protocol';

const call = vi.fn();
vi.mock('./engine', () => ({ engine: () => ({ call }), onEngineEvent: () => {}, restartEngine: () => {} }));

const { useStudio } = await import('./index');

const done: BaselineStatus = {
  state: 'done',
  report: { kind: 'classification', method: 'm', accuracy: 0.7, macroF1: 0.7, trainRows: 9, trainRowsAvailable: 9, validationRows: 1, hashBits: 18, nonZeros: 9, iterations: 3, converged: true, seconds: 0.1, notes: [] },
};

beforeEach(() => {
  call.mockReset();
  useStudio.getState().resetBaseline();
});

describe('baseline slice', () => {
  it('keeps the newest baseline status the engine reports', () => {
    useStudio.getState().receiveBaseline({ state: 'running', progress: { stage: 'baseline', item: 'fit', loaded: 1, total: 100 } });
    useStudio.getState().receiveBaseline(done);
    expect(useStudio.getState().baseline).toEqual(done);
  });

  it('forgets the baseline when new data loads: it belongs to the split it was fitted on', async () => {
    useStudio.getState().receiveBaseline(done);
    call.mockResolvedValue({ task: 'classify', numRows: 2 } as DataSummary);
    await useStudio.getState().loadData({ train: { fileName: 'a.csv', text: 'text,label\na,x\nb,y\n' } });
    expect(call).toHaveBeenCalledWith('loadData', expect.objectContaining({ task: 'classify' }));
    expect(useStudio.getState().baseline).toBeNull();
  });
});
