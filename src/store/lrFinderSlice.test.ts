import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { LrSweepResult, ModelSummary } from '../worker/protocol';

const call = vi.fn();
vi.mock('./engine', () => ({ engine: () => ({ call }), onEngineEvent: () => {}, restartEngine: () => {} }));

const { useStudio } = await import('./index');

const points = [{ lr: 1e-7, loss: 0.7 }, { lr: 1e-4, loss: 0.5 }, { lr: 1e-1, loss: 3 }];
const sweep: LrSweepResult = {
  settings: { minLr: 1e-7, maxLr: 1e-1, steps: 3 },
  points,
  outcome: 'diverged',
  smoothed: [0.7, 0.6, 1.5],
  divergedLr: 1e-1,
  suggestion: { lr: 3.2e-4, index: 1, capped: false },
  problem: null,
};
const summary = { source: 'fixture', architectures: ['BertForSequenceClassification'] } as ModelSummary;

beforeEach(() => {
  call.mockReset();
  useStudio.getState().resetLrFinder();
  useStudio.getState().dismissError();
  useStudio.getState().setArg('learningRate', 3e-5);
});

describe('findLr', () => {
  it('sends the training arguments, shows points as they stream in, and keeps the result', async () => {
    let finish: (value: unknown) => void = () => undefined;
    call.mockReturnValue(new Promise((resolve) => (finish = resolve)));
    const running = useStudio.getState().findLr();
    expect(call).toHaveBeenCalledWith('findLr', { args: useStudio.getState().args });
    expect(useStudio.getState().lrFinder.running).toBe(true);
    expect(useStudio.getState().busy).toBe('Finding a learning rate');
    useStudio.getState().receiveLrPoint(points[0]);
    expect(useStudio.getState().lrFinder.points).toEqual([points[0]]);
    finish({ sweep, summary });
    await running;
    expect(useStudio.getState().lrFinder).toEqual({ running: false, cancelling: false, points, result: sweep });
    expect(useStudio.getState().model).toBe(summary);
  });

  it('applies the suggestion to the learning-rate field in one call', async () => {
    call.mockResolvedValue({ sweep, summary });
    await useStudio.getState().findLr();
    useStudio.getState().applySuggestedLr();
    expect(useStudio.getState().args.learningRate).toBe(3.2e-4);
  });

  it('keeps the streamed points and shows the error when the sweep fails', async () => {
    call.mockImplementation(async () => {
      useStudio.getState().receiveLrPoint(points[0]);
      throw new Error('Load a dataset before finding a learning rate.');
    });
    await useStudio.getState().findLr();
    expect(useStudio.getState().error).toBe('Load a dataset before finding a learning rate.');
    expect(useStudio.getState().lrFinder).toEqual({ running: false, cancelling: false, points: [points[0]], result: null });
    useStudio.getState().applySuggestedLr();
    expect(useStudio.getState().args.learningRate).toBe(3e-5);
  });

  it('asks the engine to cancel and says so until the sweep ends', async () => {
    call.mockResolvedValue(null);
    useStudio.getState().cancelFindLr();
    expect(call).toHaveBeenCalledWith('cancelFindLr', null);
    expect(useStudio.getState().lrFinder.cancelling).toBe(true);
  });
});
