import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { toyMlmCorpus, toySentimentCsv } from '../../tools/testing/fixtures';
import { readWeights, setUpTrainingFixture } from '../../tools/testing/training';
import { CHECKPOINT_FILES, CheckpointError, parseNumbers, readCheckpoint, stringifyNumbers, writeCheckpoint, type TrainerCheckpoint } from './checkpoint';
import { initBackend } from '../kernels/backend';
import type { TrainingArgs } from './defaults';
import type { StepMetrics } from './runState';
import { Trainer } from './trainer';

const fixture = setUpTrainingFixture();

function shapesOf(params: ReadonlyMap<string, tf.Variable>): Map<string, number[]> {
  return new Map([...params].map(([name, p]) => [name, [...p.shape]]));
}

/** A run that hands its checkpoints (as files, read back) to `saved`, and stops after `stopAt` steps when given. */
function run(task: 'classify' | 'mlm', text: string, args: Partial<TrainingArgs>, options: { stopAt?: number; resume?: TrainerCheckpoint } = {}) {
  const init = fixture(task, text, args);
  const steps: StepMetrics[] = [];
  const saved: TrainerCheckpoint[] = [];
  const shapes = shapesOf(init.model.params);
  const trainer: Trainer = new Trainer({
    ...init,
    resume: options.resume,
    hooks: {
      onStep: (m) => {
        steps.push(m);
        if (m.step === options.stopAt) trainer.stop();
      },
      onCheckpoint: async (checkpoint) => void saved.push(readCheckpoint(writeCheckpoint(checkpoint), shapes)),
    },
  });
  return { trainer, steps, saved, params: init.model.params };
}

/** A classification run stopped after a checkpoint and resumed: its losses, evaluations and weights equal the whole run's. */
async function expectExactResume(): Promise<void> {
  const args: Partial<TrainingArgs> = { epochs: 3, evalEvery: 5, seed: 7, earlyStoppingPatience: 50 };
  const whole = run('classify', toySentimentCsv(96), args);
  const wholeResult = await whole.trainer.run();
  const final = await readWeights(whole.params);

  const interrupted = run('classify', toySentimentCsv(96), args, { stopAt: 13 });
  await interrupted.trainer.run();
  const checkpoint = interrupted.saved.at(-1)!;
  expect(checkpoint.step).toBe(10);

  const resumed = run('classify', toySentimentCsv(96), args, { resume: checkpoint });
  const result = await resumed.trainer.run();
  expect(resumed.steps[0].step).toBe(11);
  expect(resumed.steps.map((m) => m.loss)).toEqual(whole.steps.slice(10).map((m) => m.loss));
  expect(result.history.steps.map((m) => m.loss)).toEqual(whole.steps.map((m) => m.loss));
  expect(result.history.evals.map((e) => [e.step, e.loss])).toEqual(wholeResult.history.evals.map((e) => [e.step, e.loss]));
  const after = await readWeights(resumed.params);
  for (const [name, values] of final) expect(Array.from(after.get(name)!), name).toEqual(Array.from(values));
}

describe('checkpoints', () => {
  it('resume a classification run with the losses and weights of the uninterrupted run', expectExactResume);

  it('resume exactly on wasm too, whose matMul caches a weight\'s packing (the optimizer must not change a weight in place)', async () => {
    await initBackend('wasm');
    try {
      await expectExactResume();
    } finally {
      await tf.setBackend('cpu');
    }
  });

  it('resume a masked-LM run mid-epoch with gradient accumulation and a freeze chosen while running', async () => {
    const args: Partial<TrainingArgs> = { epochs: 2, evalEvery: 4, gradAccumSteps: 2, batchSize: 4, seed: 11, learningRate: 1e-3 };
    const init = (options: Parameters<typeof run>[3]) => run('mlm', toyMlmCorpus(60), args, options);
    const whole = init({});
    whole.trainer.setLive({ freeze: 'top:1', learningRate: 2e-3 });
    await whole.trainer.run();

    // Two epochs of 6 steps: the checkpoint after step 4's evaluation lies inside the first.
    expect(whole.trainer.totalSteps).toBe(12);
    const interrupted = init({ stopAt: 5 });
    interrupted.trainer.setLive({ freeze: 'top:1', learningRate: 2e-3 });
    await interrupted.trainer.run();
    const checkpoint = interrupted.saved.at(-1)!;
    expect(checkpoint.step).toBe(4);
    expect(checkpoint.live.freeze).toEqual({ spec: 'top:1', fromStep: 0, fromEpoch: 0 });

    const resumed = init({ resume: checkpoint });
    await resumed.trainer.run();
    expect(resumed.steps.map((m) => [m.loss, m.frozen])).toEqual(whole.steps.slice(4).map((m) => [m.loss, m.frozen]));
  });

  it('continue early stopping where it was: a resumed run stops at the same step', async () => {
    const args: Partial<TrainingArgs> = { epochs: 30, evalEvery: 3, seed: 5, learningRate: 5e-2, earlyStoppingPatience: 2 };
    const whole = run('classify', toySentimentCsv(48), args);
    const wholeResult = await whole.trainer.run();
    expect(wholeResult.outcome).toBe('early-stopped');
    const checkpoint = whole.saved.at(-1)!;
    expect(checkpoint.earlyStopping!.sinceBest).toBe(1);

    const resumed = run('classify', toySentimentCsv(48), args, { resume: checkpoint });
    const result = await resumed.trainer.run();
    expect(result.outcome).toBe('early-stopped');
    expect(result.steps).toBe(wholeResult.steps);
    expect(result.best!.step).toBe(wholeResult.best!.step);
  });

  it('keep the tensor count flat while checkpointing', async () => {
    const { trainer, steps, saved } = run('classify', toySentimentCsv(64), { epochs: 40, evalEvery: 8, maxSteps: 48 });
    await trainer.run();
    expect(saved.length).toBeGreaterThanOrEqual(5);
    expect(steps[47].numTensors).toBe(steps[9].numTensors);
  });

  it('resume a run whose history is longer than a spread fits on the call stack', async () => {
    const first = run('classify', toySentimentCsv(32), { epochs: 1, evalEvery: 1, maxSteps: 2 });
    await first.trainer.run();
    const checkpoint = first.saved[0];
    const step = first.steps[0];
    checkpoint.history = { steps: Array.from({ length: 300_000 }, () => step), evals: [] };
    const resumed = run('classify', toySentimentCsv(32), { epochs: 1, evalEvery: 1, maxSteps: 2 }, { resume: checkpoint });
    expect((await resumed.trainer.run()).history.steps).toHaveLength(300_001);
  });

  describe('read nothing they cannot trust', () => {
    async function files(): Promise<{ files: Record<string, Uint8Array>; shapes: Map<string, number[]> }> {
      const { trainer, saved, params } = run('classify', toySentimentCsv(32), { epochs: 1, evalEvery: 1, maxSteps: 1 });
      await trainer.run();
      return { files: writeCheckpoint(saved[0]), shapes: shapesOf(params) };
    }

    it('names the missing file, the tensor with the wrong shape and the non-finite weight', async () => {
      const { files: good, shapes } = await files();
      expect(() => readCheckpoint({ ...good, [CHECKPOINT_FILES.moments]: undefined }, shapes)).toThrow(/moments.safetensors: is missing/);
      const wrong = new Map(shapes);
      wrong.set('classifier.bias', [3]);
      expect(() => readCheckpoint(good, wrong)).toThrow(/params.safetensors: classifier.bias is \[2\], the model's \[3\]/);
      const fewer = new Map(shapes);
      fewer.delete('classifier.bias');
      expect(() => readCheckpoint(good, fewer)).toThrow(CheckpointError);
      const state = JSON.parse(new TextDecoder().decode(good[CHECKPOINT_FILES.state]));
      const bad = (patch: object) => ({ ...good, [CHECKPOINT_FILES.state]: new TextEncoder().encode(JSON.stringify({ ...state, ...patch })) });
      expect(() => readCheckpoint(bad({ version: 99 }), shapes)).toThrow(/state.json: has version 99/);
      expect(() => readCheckpoint(bad({ step: -1 }), shapes)).toThrow(/bad step -1/);
      expect(() => readCheckpoint(bad({ optimizerSteps: { 'classifier.bias': 0 } }), shapes)).toThrow(/optimizer step count 0/);
      expect(() => readCheckpoint({ ...good, [CHECKPOINT_FILES.state]: new TextEncoder().encode('{') }, shapes)).toThrow(/not valid JSON/);
      expect(() => readCheckpoint({ ...good, [CHECKPOINT_FILES.params]: new Uint8Array(3) }, shapes)).toThrow(/params.safetensors: File is 3 bytes/);
    });

    it('refuses NaN weights', async () => {
      const { trainer, saved, params } = run('classify', toySentimentCsv(32), { epochs: 1, evalEvery: 1, maxSteps: 1 });
      await trainer.run();
      const checkpoint = saved[0];
      checkpoint.params.get('classifier.bias')!.data[0] = Number.NaN;
      expect(() => readCheckpoint(writeCheckpoint(checkpoint), shapesOf(params))).toThrow(/classifier.bias holds NaN or Inf/);
    });
  });

  it('keep NaN and Infinity in the JSON state', () => {
    const value = { a: Number.NaN, b: [Infinity, -Infinity, 1], c: { $number: 'x' }, text: 'NaN' };
    expect(parseNumbers(stringifyNumbers(value))).toEqual(value);
  });
});
