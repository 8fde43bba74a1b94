// Test helpers for training: Trainer inputs for the tiny `base` fixture model on a toy dataset, on the tfjs cpu
// backend, and the weights read back for bit-exact comparisons.
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll } from 'vitest';
import { encodePrepared, prepareData } from '../../src/data/prepare';
import { disposeParams } from '../../src/model/params';
import type { TrainingArgs } from '../../src/train/defaults';
import { validateTrainingArgs } from '../../src/train/defaults';
import type { TrainerInit } from '../../src/train/trainer';
import { sourceFor } from '../../src/io/modelSpec';
import { loadPretrained, type Pretrained } from '../../src/model/pretrained';
import { paramsForTask } from '../../src/model/bert/tasks';
import { fixtureModel } from './fixtures';

export type FixtureInit = Omit<TrainerInit, 'hooks'>;

/**
 * Registers the test file's hooks (the cpu backend and the `base` checkpoint loaded once; every fixture's weights
 * disposed after each test) and returns the fixture maker: `text` prepared for `task` (20% validation, seed 1), the
 * checkpoint with the task's head (seed 7), and small shapes (batch 8, max length 16, LR 5e-3, no early stopping)
 * under `args`.
 */
export function setUpTrainingFixture(): (task: 'classify' | 'mlm', text: string, args?: Partial<TrainingArgs>) => FixtureInit {
  let pretrained: Pretrained;
  const made: FixtureInit[] = [];
  beforeAll(async () => {
    await tf.setBackend('cpu');
    pretrained = await loadPretrained(sourceFor(fixtureModel('base'), ''));
  });
  afterEach(() => {
    while (made.length > 0) disposeParams(made.pop()!.model.params);
  });
  return (task, text, args = {}) => {
    const fileName = task === 'mlm' ? 'corpus.txt' : 'toy.csv';
    const prepared = prepareData({ train: { fileName, text } }, { task, seed: 1, valSplit: 0.2 });
    const full = validateTrainingArgs({ batchSize: 8, maxLength: 16, learningRate: 5e-3, earlyStoppingPatience: 0, ...args });
    const data = encodePrepared(prepared, pretrained.tokenizer, { maxLength: full.maxLength });
    const { params, config } = paramsForTask(pretrained.config, pretrained.tensors, task, prepared.labels, 7);
    const init: FixtureInit = {
      model: { params, config },
      task,
      numLabels: config.numLabels,
      regression: false,
      tokenizer: pretrained.tokenizer,
      args: full,
      train: data.train,
      validation: data.validation,
    };
    made.push(init);
    return init;
  };
}

/** Every parameter's values, read back to the CPU, by name. */
export async function readWeights(params: ReadonlyMap<string, tf.Variable>): Promise<Map<string, Float32Array>> {
  const out = new Map<string, Float32Array>();
  for (const [name, variable] of params) out.set(name, (await variable.data()) as Float32Array);
  return out;
}
