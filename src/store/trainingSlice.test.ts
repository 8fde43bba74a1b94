import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { EvalMetrics } from '../worker/protocol';

const call = vi.fn();
vi.mock('./engine', () => ({ engine: () => ({ call }), onEngineEvent: () => {}, restartEngine: () => {} }));

const { useStudio } = await import('./index');

const metrics = (step: number): EvalMetrics => ({ step, epoch: 1, loss: 0.5, isBest: true });

beforeEach(() => {
  call.mockReset();
  useStudio.getState().resetRun();
  useStudio.getState().dismissError();
});

describe('evaluateNow', () => {
  it('asks the engine to evaluate and keeps the result as the latest evaluation, apart from the run history', async () => {
    call.mockResolvedValue(metrics(7));
    await useStudio.getState().evaluateNow();
    expect(call).toHaveBeenCalledWith('evaluate', null);
    expect(useStudio.getState().latestEval).toEqual(metrics(7));
    expect(useStudio.getState().evals).toEqual([]);
    expect(useStudio.getState().busy).toBeNull();
  });

  it('shows the engine\'s error and keeps the previous evaluation', async () => {
    useStudio.getState().receiveEval(metrics(3));
    call.mockRejectedValue(new Error('Load a dataset before evaluating.'));
    await useStudio.getState().evaluateNow();
    expect(useStudio.getState().error).toBe('Load a dataset before evaluating.');
    expect(useStudio.getState().latestEval).toEqual(metrics(3));
  });
});

describe('receiveEval', () => {
  it('appends to the history and becomes the latest evaluation; resetRun clears both', () => {
    useStudio.getState().receiveEval(metrics(1));
    useStudio.getState().receiveEval(metrics(2));
    expect(useStudio.getState().evals.map((e) => e.step)).toEqual([1, 2]);
    expect(useStudio.getState().latestEval?.step).toBe(2);
    useStudio.getState().resetRun();
    expect(useStudio.getState().latestEval).toBeNull();
  });
});

describe('receiveStep', () => {
  it('stamps each step\'s arrival time beside it', () => {
    const step = { step: 1, totalSteps: 4, epoch: 0.25, loss: 1, lrs: {}, gradNorm: 1, examplesPerSec: 8, tokensPerSec: 80, numTensors: 1, numBytes: 4, frozen: [] };
    const before = performance.now();
    useStudio.getState().receiveStep(step);
    useStudio.getState().receiveStep({ ...step, step: 2 });
    const { steps, stepTimes } = useStudio.getState();
    expect(steps.map((s) => s.step)).toEqual([1, 2]);
    expect(stepTimes).toHaveLength(2);
    expect(stepTimes[0]).toBeGreaterThanOrEqual(before);
    expect(stepTimes[1]).toBeGreaterThanOrEqual(stepTimes[0]);
  });
});

describe('suggested arguments', () => {
  const tiny = { hiddenSize: 128, numLayers: 2, numLayerGroups: 2 } as NonNullable<ReturnType<typeof useStudio.getState>['model']>;
  const base = { hiddenSize: 768, numLayers: 12, numLayerGroups: 12 } as NonNullable<ReturnType<typeof useStudio.getState>['model']>;
  const data = { task: 'classify', numTrain: 945 } as NonNullable<ReturnType<typeof useStudio.getState>['data']>;

  it('fit the arguments to the loaded model and data, and follow a change of model', () => {
    useStudio.setState({ model: tiny, data, chosen: [] });
    expect(useStudio.getState().args).toMatchObject({ learningRate: 3e-4, epochs: 17, freeze: 'none', warmupRatio: 0.1 });
    useStudio.setState({ model: base });
    expect(useStudio.getState().args).toMatchObject({ learningRate: 3e-5, epochs: 4, freeze: 'top:6' });
  });

  it('leave an argument the user set alone until they take the suggestion back', () => {
    useStudio.setState({ model: tiny, data, chosen: [] });
    useStudio.getState().setArg('learningRate', 1e-3);
    useStudio.setState({ model: base });
    expect(useStudio.getState().args.learningRate).toBe(1e-3);
    expect(useStudio.getState().args.epochs).toBe(4);
    useStudio.getState().restoreSuggested('learningRate');
    expect(useStudio.getState().args.learningRate).toBe(3e-5);
    expect(useStudio.getState().chosen).toEqual([]);
  });

  it('refit the epochs when the batch size changes', () => {
    useStudio.setState({ model: tiny, data, chosen: [] });
    useStudio.getState().setArg('batchSize', 8); // 119 steps an epoch: 8 epochs make ~1000 steps
    expect(useStudio.getState().args.epochs).toBe(8);
    useStudio.getState().setArg('batchSize', 16);
  });
});

describe('freezing during a run', () => {
  const model = { hiddenSize: 128, numLayers: 2, numLayerGroups: 2 } as NonNullable<ReturnType<typeof useStudio.getState>['model']>;

  it('sends the spec to the worker, and toggles from the groups the latest step froze', () => {
    useStudio.setState({ model, data: null, chosen: [], runState: 'training' });
    useStudio.getState().setFreezeSpec('gradual:1');
    expect(call).toHaveBeenLastCalledWith('setLive', { freeze: 'gradual:1' });
    // The gradual schedule has unfrozen the top layer and the pooler by now; the user unfreezes layer 0 too.
    const step = { step: 5, frozen: ['embeddings', 'layer.0'] } as unknown as ReturnType<typeof useStudio.getState>['steps'][number];
    useStudio.setState({ steps: [step] });
    useStudio.getState().toggleFreeze('layer.0');
    expect(useStudio.getState().args.freeze).toBe('embeddings');
    expect(call).toHaveBeenLastCalledWith('setLive', { freeze: 'embeddings' });
    useStudio.setState({ runState: 'idle', steps: [] });
  });
});
