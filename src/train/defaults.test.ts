import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAINING_ARGS, LR_RECOMMENDED, validateTrainingArgs } from './defaults';
import { TrainInputError } from './errors';

describe('validateTrainingArgs', () => {
  it('fills in the documented defaults', () => {
    const args = validateTrainingArgs({});
    expect(args).toEqual(DEFAULT_TRAINING_ARGS);
    expect(args).toMatchObject({
      learningRate: 3e-5,
      epochs: 3,
      batchSize: 16,
      maxLength: 128,
      warmupRatio: 0.1,
      weightDecay: 0.01,
      schedule: 'linear',
      maxGradNorm: 1,
      gradAccumSteps: 1,
      seed: 42,
      llrd: 1,
      headLrMultiplier: 1,
      valSplit: 0.1,
      mlmProbability: 0.15,
      wholeWordMasking: false,
      packSequences: true,
      freeze: 'none',
    });
    expect(args.learningRate).toBeGreaterThanOrEqual(LR_RECOMMENDED.min);
    expect(args.learningRate).toBeLessThanOrEqual(LR_RECOMMENDED.max);
  });

  it('overlays given values, skips undefined ones and round-trips through JSON', () => {
    const args = validateTrainingArgs({
      learningRate: 5e-5,
      schedule: 'cosine',
      evalEvery: 50,
      maxSteps: 200,
      freeze: 'gradual:epoch',
      epochs: undefined,
    });
    expect(args).toMatchObject({ learningRate: 5e-5, schedule: 'cosine', evalEvery: 50, maxSteps: 200, epochs: 3 });
    expect(validateTrainingArgs(JSON.parse(JSON.stringify(args)))).toEqual(args);
    expect(validateTrainingArgs({ maxSteps: null, evalEvery: 'epoch', maxGradNorm: 0 })).toMatchObject({ maxGradNorm: 0 });
  });

  it.each([
    [{ learningRate: 0 }, 'learningRate', /learningRate must be a number in \(0, 1\), got 0/],
    [{ learningRate: '3e-5' }, 'learningRate', /got "3e-5"/],
    [{ batchSize: 8.5 }, 'batchSize', /batchSize must be a whole number >= 1, got 8.5/],
    [{ epochs: 0 }, 'epochs', /epochs must be a whole number >= 1/],
    [{ maxLength: 100000 }, 'maxLength', /from 4 to 8192/],
    [{ warmupRatio: 1 }, 'warmupRatio', /\[0, 1\)/],
    [{ weightDecay: -0.01 }, 'weightDecay', />= 0/],
    [{ schedule: 'step' }, 'schedule', /one of "linear", "cosine", "constant"/],
    [{ seed: -1 }, 'seed', /from 0 to 4294967295/],
    [{ llrd: 0 }, 'llrd', /\(0, 1\]/],
    [{ headLrMultiplier: 0 }, 'headLrMultiplier', /> 0/],
    [{ evalEvery: 'never' }, 'evalEvery', /"epoch", or must be a whole number >= 1/],
    [{ valSplit: 0 }, 'valSplit', /\(0, 1\)/],
    [{ mlmProbability: 1 }, 'mlmProbability', /\(0, 1\)/],
    [{ wholeWordMasking: 'yes' }, 'wholeWordMasking', /true or false/],
    [{ packSequences: 1 }, 'packSequences', /true or false/],
    [{ maxSteps: 0 }, 'maxSteps', /must be null, or/],
    [{ freeze: 'top:x' }, 'freeze', /bad freeze spec "top:x"/],
    [{ freeze: 2 }, 'freeze', /freeze spec string/],
    [{ adamEpsilon: 0 }, 'adamEpsilon', /> 0/],
    [{ learningrate: 1e-5 }, 'learningrate', /unknown training argument "learningrate"/],
  ])('rejects %j', (partial, field, message) => {
    try {
      validateTrainingArgs(partial);
    } catch (error) {
      expect(error).toBeInstanceOf(TrainInputError);
      expect((error as TrainInputError).field).toBe(field);
      expect((error as Error).message).toMatch(message);
      return;
    }
    throw new Error(`expected ${JSON.stringify(partial)} to be rejected`);
  });

  it('rejects a non-object', () => {
    for (const bad of [null, 3, 'x', [1]]) expect(() => validateTrainingArgs(bad)).toThrow(/must be an object/);
  });
});
