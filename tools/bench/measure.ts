// The timed measurements of one backend, run inside the benchmark page.
import * as tf from '@tensorflow/tfjs';
import { quantile } from '../../src/data/stats';
import { FUSED_ADAMW_FLAG } from '../../src/kernels/adamwKernel';
import { LOOP_REDUCTIONS_FLAG } from '../../src/kernels/reductions';
import { disposeParams } from '../../src/model/params';
import { AdamW } from '../../src/train/adamw';
import { validateTrainingArgs } from '../../src/train/defaults';
import { buildParamGroups, decayNames } from '../../src/train/groups';
import { Trainer } from '../../src/train/trainer';
import { startLaunchCounter, type LaunchCounts } from './counters';
import type { AdamWForm, BenchModelName, BenchRequest, KernelSet, MatmulRun, OptimizerRun, TrainingRun } from './protocol';
import { loadBenchModel, randomGrads, SPECIAL, syntheticExamples } from './workloads';

export function median(values: readonly number[]): number {
  return quantile([...values].sort((a, b) => a - b), 0.5);
}

/** Runs `fn` with the studio's WebGPU kernels switched as `kernels` says (elsewhere they do not exist). */
async function withKernels<T>(kernels: KernelSet, fn: () => Promise<T>): Promise<T> {
  const before = [tf.env().getBool(FUSED_ADAMW_FLAG), tf.env().getBool(LOOP_REDUCTIONS_FLAG)];
  tf.env().set(FUSED_ADAMW_FLAG, kernels.adamw === 'fused');
  tf.env().set(LOOP_REDUCTIONS_FLAG, kernels.reductions === 'loop');
  try {
    return await fn();
  } finally {
    tf.env().set(FUSED_ADAMW_FLAG, before[0]);
    tf.env().set(LOOP_REDUCTIONS_FLAG, before[1]);
  }
}

/** Median time of an n×n×n matMul including the readback of its result, which waits for the device. */
export async function benchMatmul(size: number, reps: number): Promise<MatmulRun> {
  const [a, b] = [tf.randomNormal([size, size], 0, 1, 'float32', 1), tf.randomNormal([size, size], 0, 1, 'float32', 2)];
  const ms: number[] = [];
  for (let i = 0; i <= reps; i++) {
    const started = performance.now();
    const c = tf.matMul(a, b); // [size, size]
    await c.data();
    c.dispose();
    if (i > 0) ms.push(performance.now() - started); // the first run compiles the shader
  }
  tf.dispose([a, b]);
  return { size, ms, gflops: (2 * size ** 3) / (median(ms) / 1000) / 1e9 };
}

function perStep(counts: LaunchCounts, steps: number): Pick<TrainingRun, 'kernelsPerStep' | 'dispatchesPerStep' | 'topKernels'> {
  return {
    kernelsPerStep: counts.kernels / steps,
    dispatchesPerStep: counts.dispatches === null ? null : counts.dispatches / steps,
    topKernels: [...counts.byKernel]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 12)
      .map(([name, count]) => [name, count / steps]),
  };
}

/**
 * Full training steps through the studio's Trainer (classification, clipping on, no evaluation): the interval
 * between consecutive step callbacks, so each interval holds one whole step including the loss readback.
 */
export async function benchTraining(name: BenchModelName, kernels: KernelSet, request: BenchRequest): Promise<TrainingRun> {
  const { steps, warmup, batchSize, seqLen } = request;
  const model = await loadBenchModel(name);
  const total = warmup + steps;
  const args = validateTrainingArgs({ batchSize, maxLength: seqLen, maxSteps: total, earlyStoppingPatience: 0 });
  const counter = startLaunchCounter();
  const stamps: number[] = [];
  let counts: LaunchCounts | undefined;
  try {
    await withKernels(kernels, async () => {
      const trainer = new Trainer({
        model: { params: model.params, config: model.config },
        task: 'classify',
        numLabels: model.config.numLabels,
        regression: false,
        tokenizer: { vocabSize: model.config.vocabSize, special: SPECIAL },
        args,
        train: syntheticExamples(total * batchSize, seqLen, model.config.vocabSize),
        validation: [],
        hooks: {
          onStep: (metrics) => {
            stamps.push(performance.now());
            if (metrics.step === warmup) counter.reset();
            if (metrics.step === total) counts = counter.read();
          },
        },
      });
      const result = await trainer.run();
      if (result.outcome !== 'done') throw new Error(`training ${name} stopped: ${result.outcome} ${result.message ?? ''}`);
    });
  } finally {
    counter.stop();
    disposeParams(model.params);
  }
  const stepMs = stamps.slice(warmup).map((t, i) => t - stamps[warmup - 1 + i]);
  return { model: name, shape: model.shape, kernels, stepMs, medianMs: median(stepMs), ...perStep(counts!, steps) };
}

/** AdamW alone over every parameter of the model, each step ended by a readback of the last parameter. */
export async function benchOptimizer(name: BenchModelName, form: AdamWForm, request: BenchRequest): Promise<OptimizerRun> {
  const { steps, warmup } = request;
  const model = await loadBenchModel(name);
  const optimizer = new AdamW(model.params, decayNames(buildParamGroups(model.params, model.config.numHiddenLayers)));
  const grads = randomGrads(model.params, 7);
  const lrs = new Map([...model.params.keys()].map((key) => [key, 1e-4]));
  const last = [...model.params.values()].at(-1)!;
  const counter = startLaunchCounter();
  const stepMs: number[] = [];
  try {
    await withKernels({ adamw: form, reductions: 'loop' }, async () => {
      for (let i = 0; i < warmup + steps; i++) {
        if (i === warmup) counter.reset();
        const started = performance.now();
        optimizer.step(grads, lrs);
        await last.data();
        if (i >= warmup) stepMs.push(performance.now() - started);
      }
    });
  } finally {
    counter.stop();
    optimizer.dispose();
    tf.dispose([...grads.values()]);
    disposeParams(model.params);
  }
  const { dispatches } = counter.read();
  return { model: name, adamw: form, stepMs, medianMs: median(stepMs), dispatchesPerStep: dispatches === null ? null : dispatches / steps };
}
