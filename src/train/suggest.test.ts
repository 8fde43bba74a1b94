import { describe, expect, it } from 'vitest';
import { validateTrainingArgs } from './defaults';
import { sizeClassOf, suggestTrainingArgs } from './suggest';

const TINY = { hiddenSize: 128, numLayers: 2 };
const MINI = { hiddenSize: 256, numLayers: 4 };
const SMALL = { hiddenSize: 512, numLayers: 4 };
const BASE = { hiddenSize: 768, numLayers: 12 };
const LARGE = { hiddenSize: 1024, numLayers: 24 };

describe('suggestTrainingArgs', () => {
  it('gives base models the guide’s learning rate and small models the top of Turc et al.’s grid', () => {
    const lr = (model: typeof TINY) => suggestTrainingArgs(model, { task: 'classify', numTrain: 20_000 }, 16).args.learningRate;
    expect(lr(BASE)).toBe(3e-5);
    expect(lr(LARGE)).toBe(2e-5);
    expect(lr(SMALL)).toBe(1e-4);
    expect(lr(TINY)).toBe(3e-4);
    expect(lr(MINI)).toBe(3e-4);
  });

  it('keeps every suggested rate inside its own band', () => {
    for (const model of [TINY, SMALL, BASE, LARGE]) {
      const { args, lrBand } = suggestTrainingArgs(model, { task: 'classify', numTrain: 1000 }, 16);
      expect(args.learningRate).toBeGreaterThanOrEqual(lrBand.min);
      expect(args.learningRate).toBeLessThanOrEqual(lrBand.max);
    }
  });

  it('runs small models for about their target step count on small data, within the epoch band', () => {
    // 945 rows at batch 16 are 60 steps an epoch: ~1000 steps is 17 epochs.
    expect(suggestTrainingArgs(TINY, { task: 'classify', numTrain: 945 }, 16).args.epochs).toBe(17);
    // 100 rows (7 steps an epoch) would need 143 epochs: capped at 20.
    expect(suggestTrainingArgs(TINY, { task: 'classify', numTrain: 100 }, 16).args.epochs).toBe(20);
    // 160k rows are 10k steps an epoch: the floor of 4 epochs.
    expect(suggestTrainingArgs(TINY, { task: 'classify', numTrain: 160_000 }, 16).args.epochs).toBe(4);
  });

  it('keeps base models within the guide’s 3–4 epochs', () => {
    expect(suggestTrainingArgs(BASE, { task: 'classify', numTrain: 500 }, 16).args.epochs).toBe(4);
    expect(suggestTrainingArgs(BASE, { task: 'classify', numTrain: 50_000 }, 16).args.epochs).toBe(3);
  });

  it('freezes the lower half of a base model on small data, and nothing of a small model', () => {
    expect(suggestTrainingArgs(BASE, { task: 'classify', numTrain: 999 }, 16).args.freeze).toBe('top:6');
    expect(suggestTrainingArgs(BASE, { task: 'classify', numTrain: 1000 }, 16).args.freeze).toBe('none');
    expect(suggestTrainingArgs(TINY, { task: 'classify', numTrain: 100 }, 16).args.freeze).toBe('none');
  });

  it('warms up over 6% of a long run and 10% of a short one', () => {
    expect(suggestTrainingArgs(BASE, { task: 'classify', numTrain: 1000 }, 16).args.warmupRatio).toBe(0.1);
    expect(suggestTrainingArgs(BASE, { task: 'classify', numTrain: 100_000 }, 16).args.warmupRatio).toBe(0.06);
  });

  it('suggests arguments the engine accepts, and explains each one with the numbers it used', () => {
    const suggestion = suggestTrainingArgs(TINY, { task: 'mlm', numTrain: 945 }, 16);
    expect(() => validateTrainingArgs(suggestion.args)).not.toThrow();
    expect(suggestion.why.epochs).toContain('60 steps per epoch');
    expect(suggestion.why.epochs).toContain('945 training rows');
    expect(suggestion.why.learningRate).toContain('Turc et al. 2019');
    expect(suggestion.why.freeze).toContain('trains every layer');
  });

  it('classes models by hidden size', () => {
    expect(sizeClassOf({ hiddenSize: 64, numLayers: 1 }).upTo).toBe(256);
    expect(sizeClassOf({ hiddenSize: 384, numLayers: 6 }).upTo).toBe(512);
    expect(sizeClassOf({ hiddenSize: 4096, numLayers: 48 }).upTo).toBe(Infinity);
  });
});
