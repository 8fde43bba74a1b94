import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { toyMlmCorpus, toySentimentCsv } from '../../tools/testing/fixtures';
import { readWeights, setUpTrainingFixture } from '../../tools/testing/training';
import type { TrainingArgs } from './defaults';
import { groupLrs } from './lr';
import type { StepMetrics } from './runState';
import { localPeer } from './parallel';
import { Trainer } from './trainer';

const fixture = setUpTrainingFixture();

function setup(task: 'classify' | 'mlm', text: string, args: Partial<TrainingArgs>) {
  const init = fixture(task, text, args);
  const { params, config } = init.model;
  const steps: StepMetrics[] = [];
  const trainer = new Trainer({ ...init, hooks: { onStep: (m) => steps.push(m) } });
  return { trainer, params, steps, config };
}

describe('Trainer', () => {
  it('learns a separable toy classification set', async () => {
    const { trainer } = setup('classify', toySentimentCsv(160), { epochs: 6 });
    const result = await trainer.run();
    expect(result.outcome).toBe('done');
    expect(result.history.evals.at(-1)!.classification!.accuracy).toBeGreaterThanOrEqual(0.95);
  });

  it('halves the MLM loss on a repetitive corpus', async () => {
    const { trainer, steps } = setup('mlm', toyMlmCorpus(120), { epochs: 8, learningRate: 1e-2 });
    await trainer.run();
    const mean = (xs: StepMetrics[]) => xs.reduce((s, m) => s + m.loss, 0) / xs.length;
    expect(mean(steps.slice(-5))).toBeLessThanOrEqual(0.5 * mean(steps.slice(0, 3)));
  });

  it('leaves frozen groups bit-identical and changes the others', async () => {
    const { trainer, params } = setup('classify', toySentimentCsv(48), { epochs: 1, freeze: 'top:1' });
    const before = await readWeights(params);
    await trainer.run();
    const after = await readWeights(params);
    for (const [name, values] of before) {
      const frozen = name.startsWith('bert.embeddings.') || name.startsWith('bert.encoder.layer.0.');
      const same = values.every((v, i) => v === after.get(name)![i]);
      expect(same, name).toBe(frozen);
    }
  });

  it('gives each group its layer-wise decayed learning rate', async () => {
    const { trainer, steps } = setup('classify', toySentimentCsv(48), {
      epochs: 1, learningRate: 1e-3, llrd: 0.5, headLrMultiplier: 4, schedule: 'constant', warmupRatio: 0,
    });
    await trainer.run();
    const expected = groupLrs(1e-3, 0.5, 4, 2);
    expect(steps[0].lrs).toEqual(expected);
    expect(expected.head).toBeCloseTo(4e-3);
    expect(expected['layer.1']).toBeCloseTo(5e-4);
    expect(expected['layer.0']).toBeCloseTo(2.5e-4);
    expect(expected.embeddings).toBeCloseTo(1.25e-4);
  });

  it('repeats the same losses from the same seed', async () => {
    const losses = async () => {
      const { trainer, steps } = setup('classify', toySentimentCsv(200), { epochs: 1, maxSteps: 20, seed: 3 });
      await trainer.run();
      return steps.map((m) => m.loss);
    };
    const first = await losses();
    expect(first).toHaveLength(20);
    expect(await losses()).toEqual(first);
  });

  it('keeps the tensor count flat over 200 steps', async () => {
    const { trainer, steps } = setup('classify', toySentimentCsv(64), { epochs: 40, evalEvery: 16, maxSteps: 200 });
    await trainer.run();
    expect(steps).toHaveLength(200);
    expect(steps[199].numTensors).toBe(steps[9].numTensors);
  });

  it('stops on a non-finite loss without applying the bad update', async () => {
    const { trainer, params } = setup('classify', toySentimentCsv(48), { epochs: 1, learningRate: 0.5, maxGradNorm: 0 });
    // An infinite weight makes the very first loss non-finite.
    const classifier = params.get('classifier.bias')!;
    classifier.assign(tf.fill(classifier.shape, Infinity));
    const before = await readWeights(params);
    const result = await trainer.run();
    expect(result.outcome).toBe('failed');
    expect(result.message).toMatch(/loss became/);
    expect(await readWeights(params)).toEqual(before);
  });

  it('reports an evaluation\'s progress, and a stop during it ends the run at once, without its metrics', async () => {
    const init = fixture('classify', toySentimentCsv(160), { epochs: 2, evalEvery: 3, batchSize: 8 });
    const progress: number[] = [];
    const evals: number[] = [];
    const trainer: Trainer = new Trainer({
      ...init,
      hooks: {
        onEval: (metrics) => evals.push(metrics.step),
        onEvalProgress: (p) => {
          progress.push(p.loaded);
          // The second evaluation is stopped after its first batch.
          if (evals.length === 1) trainer.stop();
        },
      },
    });
    const result = await trainer.run();
    expect(result.outcome).toBe('stopped');
    expect(evals).toEqual([3]);
    expect(result.steps).toBe(6);
    expect(result.history.evals.map((e) => e.step)).toEqual([3]);
    const total = init.validation.length;
    expect(progress.slice(0, Math.ceil(total / 8)).at(-1)).toBe(total); // the first one ran to the end
    expect(progress).toHaveLength(Math.ceil(total / 8) + 1);
  });

  it('restores the best evaluation\'s weights when a later step fails, and says which step they are from', async () => {
    const init = fixture('classify', toySentimentCsv(48), { epochs: 4, evalEvery: 2, earlyStoppingPatience: 10 });
    const { params } = init.model;
    let best: Map<string, Float32Array> | null = null;
    let bestStep = 0;
    const trainer = new Trainer({
      ...init,
      hooks: {
        onEval: (metrics) => {
          if (!metrics.isBest) return;
          bestStep = metrics.step;
          // The cpu backend reads synchronously: these are the weights the trainer has just copied as the best.
          best = new Map([...params].map(([name, variable]) => [name, (variable.dataSync() as Float32Array).slice()]));
        },
        onStep: (metrics) => {
          // After step 5 (evaluations at 2 and 4), a weight goes bad between steps: the next loss is NaN.
          if (metrics.step === 5) {
            const bias = params.get('classifier.bias')!;
            bias.assign(tf.fill(bias.shape, NaN));
          }
        },
      },
    });
    const result = await trainer.run();
    expect(result.outcome).toBe('failed');
    expect(result.steps).toBe(5);
    expect(bestStep).toBeGreaterThan(0);
    expect(result.weightsFrom).toEqual({ step: bestStep, source: 'best' });
    expect(result.message).toContain(`The weights of the best evaluation (step ${bestStep}) were restored`);
    expect(await readWeights(params)).toEqual(best);
  });

  it('names the weights that are bad when there is no better copy to restore', async () => {
    const init = fixture('classify', toySentimentCsv(48), { epochs: 1, maxGradNorm: 0 });
    const bias = init.model.params.get('classifier.bias')!;
    bias.assign(tf.fill(bias.shape, NaN));
    const result = await new Trainer({ ...init, validation: [] }).run();
    expect(result.outcome).toBe('failed');
    expect(result.weightsFrom).toEqual({ step: 0, source: 'last-step' });
    expect(result.message).toMatch(/1 of them hold NaN or Inf \(classifier\.bias\): reload the model/);
  });

  it('reads the gradient norm without clipping, so a NaN gradient is caught even when the loss is finite', async () => {
    const { trainer, steps } = setup('classify', toySentimentCsv(48), { maxGradNorm: 0, maxSteps: 2 });
    await trainer.run();
    expect(steps.map((m) => m.gradNorm).every((norm) => norm > 0)).toBe(true);
  });

  it('runs a gradual schedule chosen mid-run from the step it arrives at, not a fixed start map', async () => {
    const init = fixture('classify', toySentimentCsv(48), { freeze: 'none', maxSteps: 6 });
    const steps: StepMetrics[] = [];
    const trainer: Trainer = new Trainer({
      ...init,
      hooks: {
        onStep: (metrics) => {
          steps.push(metrics);
          if (metrics.step === 2) trainer.setLive({ freeze: 'gradual:1' });
        },
      },
    });
    await trainer.run();
    const frozenCounts = steps.map((m) => m.frozen.length);
    // From step 3: head only (embeddings, both layers and the pooler frozen), then one more unit each step.
    expect(frozenCounts).toEqual([0, 0, 4, 2, 1, 0]);
  });

  it('steps on every epoch\'s last short accumulation group and evaluates at each epoch end', async () => {
    // 48 rows → 38 train → 5 batches of 8 per epoch; with 2 micro-batches per step that is 3 steps per epoch.
    const { trainer, steps } = setup('classify', toySentimentCsv(48), { epochs: 2, gradAccumSteps: 2, evalEvery: 2 });
    const result = await trainer.run();
    expect(trainer.totalSteps).toBe(6);
    expect(steps).toHaveLength(6);
    expect(result.history.evals.map((e) => e.step)).toEqual([2, 3, 4, 6]);
  });

  it('computes each batch in parts with peers: without dropout, the same steps and weights as in one thread', async () => {
    const run = async (peers: number) => {
      const init = fixture('classify', toySentimentCsv(48), { epochs: 2 });
      const config = { ...init.model.config, hiddenDropoutProb: 0, attentionProbsDropoutProb: 0, classifierDropout: 0 };
      const helpers = Array.from({ length: peers }, () => localPeer(config));
      const steps: StepMetrics[] = [];
      const trainer = new Trainer({ ...init, model: { ...init.model, config }, peers: helpers, hooks: { onStep: (m) => steps.push(m) } });
      await trainer.run();
      const tensors = tf.memory().numTensors;
      for (const peer of helpers) peer.dispose();
      return { losses: steps.map((m) => m.loss), weights: await readWeights(init.model.params), peerTensors: tensors - tf.memory().numTensors };
    };
    const alone = await run(0);
    // 3 peers cut a batch of 8 into 4 parts of 2 rows; the epoch's last batch of 6 rows leaves one part of padding.
    for (const peers of [1, 3]) {
      const parallel = await run(peers);
      expect(parallel.losses).toHaveLength(alone.losses.length);
      parallel.losses.forEach((loss, i) => expect(Math.abs(loss - alone.losses[i]), `step ${i + 1}`).toBeLessThan(1e-5));
      let worst = 0;
      for (const [name, values] of alone.weights) {
        // A key bias adds the same score to every key of a query, which softmax ignores: its gradient is zero but for
        // rounding, and AdamW scales that rounding (which differs with the summation order) up to the learning rate.
        if (name.endsWith('attention.self.key.bias')) continue;
        values.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - parallel.weights.get(name)![i]))));
      }
      expect(worst).toBeLessThan(1e-5);
      expect(parallel.peerTensors).toBe(peers * alone.weights.size); // each peer holds one copy of the weights, nothing more
    }
  });

  it('trains masked-LM in parts with peers, each part masked on its own, with the tensor count flat', async () => {
    const init = fixture('mlm', toyMlmCorpus(60), { epochs: 3, learningRate: 1e-2 });
    const peer = localPeer(init.model.config);
    const steps: StepMetrics[] = [];
    const trainer = new Trainer({ ...init, peers: [peer], hooks: { onStep: (m) => steps.push(m) } });
    await trainer.run();
    peer.dispose();
    expect(steps.every((m) => Number.isFinite(m.loss) && m.gradNorm > 0)).toBe(true);
    expect(steps.at(-1)!.loss).toBeLessThan(steps[0].loss);
    expect(steps.at(-1)!.numTensors).toBe(steps[1].numTensors);
  });
});
