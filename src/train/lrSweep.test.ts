import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { toyMlmCorpus, toySentimentCsv } from '../../tools/testing/fixtures';
import { readWeights, setUpTrainingFixture } from '../../tools/testing/training';
import { LrSweep } from './lrSweep';
import { Trainer } from './trainer';

const fixture = setUpTrainingFixture();

/** The validation loss after `steps` steps at a constant `lr` from the fixture's weights. */
async function shortRunLoss(task: 'classify' | 'mlm', text: string, lr: number, steps: number): Promise<number> {
  const init = fixture(task, text, { learningRate: lr, schedule: 'constant', warmupRatio: 0, maxSteps: steps });
  const result = await new Trainer(init).run();
  return result.history.evals.at(-1)!.loss;
}

describe('LrSweep', () => {
  it('leaves the weights bit-identical and the tensor count flat, with frozen layers and accumulation', async () => {
    const init = fixture('classify', toySentimentCsv(48), { freeze: 'top:1', gradAccumSteps: 2 });
    const before = await readWeights(init.model.params);
    const tensors = tf.memory().numTensors;
    const seen: number[] = [];
    const result = await new LrSweep({ ...init, sweep: { steps: 12 }, onPoint: (_, step) => seen.push(step) }).run();
    expect(tf.memory().numTensors).toBe(tensors);
    expect(await readWeights(init.model.params)).toEqual(before);
    expect(result.points).toHaveLength(12);
    expect(seen).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(result.points[0].lr).toBeCloseTo(1e-7, 20);
    expect(result.points[11].lr).toBeCloseTo(1e-1, 15);
    expect(result.outcome).toBe('done');
  });

  it('stops when cancelled, with the points so far and no suggestion', async () => {
    const init = fixture('classify', toySentimentCsv(48));
    const before = await readWeights(init.model.params);
    const tensors = tf.memory().numTensors;
    const sweep: LrSweep = new LrSweep({ ...init, onPoint: (_, step) => step === 3 && sweep.stop() });
    const result = await sweep.run();
    expect(result.outcome).toBe('stopped');
    expect(result.points).toHaveLength(3);
    expect(result.suggestion).toBeNull();
    expect(result.problem).toMatch(/cancelled/);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(await readWeights(init.model.params)).toEqual(before);
  });

  it('records a non-finite loss as divergence without applying that update', async () => {
    const init = fixture('classify', toySentimentCsv(48), { maxGradNorm: 0 });
    const bias = init.model.params.get('classifier.bias')!;
    bias.assign(tf.fill(bias.shape, Infinity));
    const result = await new LrSweep(init).run();
    expect(result.outcome).toBe('diverged');
    expect(result.points).toEqual([{ lr: 1e-7, loss: Infinity }]);
    expect(result.suggestion).toBeNull();
  });

  it('suggests a rate inside the range where short runs\' loss falls fastest', async () => {
    const text = toyMlmCorpus(120);
    const result = await new LrSweep(fixture('mlm', text)).run();
    expect(result.suggestion).not.toBeNull();
    // Short runs from the same weights on a half-decade grid: the fastest is the one with the lowest loss after them.
    const grid = [3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1];
    const losses: number[] = [];
    for (const lr of grid) losses.push(await shortRunLoss('mlm', text, lr, 30));
    const best = grid[losses.indexOf(Math.min(...losses))];
    console.log(`LR sweep suggests ${result.suggestion!.lr}; 30-step validation losses ${grid.map((lr, i) => `${lr}: ${losses[i].toFixed(3)}`).join(', ')}`);
    expect(best).not.toBe(grid[0]);
    expect(best).not.toBe(grid.at(-1));
    // Between the grid neighbours of the fastest rate.
    expect(result.suggestion!.lr).toBeGreaterThan(best / Math.sqrt(10));
    expect(result.suggestion!.lr).toBeLessThan(best * Math.sqrt(10));
  }, 180_000);
});
