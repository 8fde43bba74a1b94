// The timed measurements of one backend, run inside the benchmark page.
import * as tf from '@tensorflow/tfjs';
import { quantile } from '../../src/data/stats';
import { FUSED_ADAMW_FLAG } from '../../src/kernels/adamwKernel';
import { LOOP_REDUCTIONS_FLAG } from '../../src/kernels/reductions';
import { WASM_PLAIN_MATMUL_FLAG } from '../../src/kernels/wasmMatMul';
import { BLOCKED_MATMUL_FLAG } from '../../src/kernels/webgpuMatMul';
import { disposeParams } from '../../src/model/params';
import { AdamW } from '../../src/train/adamw';
import { validateTrainingArgs } from '../../src/train/defaults';
import { buildParamGroups, decayNames } from '../../src/train/groups';
import { Trainer } from '../../src/train/trainer';
import { startLaunchCounter, type LaunchCounts } from './counters';
import { countedSet, setAt, totalSteps } from './schedule';
import type { AdamWForm, BenchModelName, BenchRequest, KernelSet, MatmulRun, OptimizerRun, TrainingRun } from './protocol';
import { benchSeqLen, loadBenchModel, randomGrads, SPECIAL, syntheticExamples } from './workloads';

export function median(values: readonly number[]): number {
  return quantile([...values].sort((a, b) => a - b), 0.5);
}

/**
 * Median time of an n×n×n matMul including the readback of its result, which waits for the device. With `blocked`
 * off, tfjs's own WebGPU kernel runs where src/kernels/webgpuMatMul.ts would (software adapters).
 */
export async function benchMatmul(size: number, reps: number, blocked = true): Promise<MatmulRun> {
  const [a, b] = [tf.randomNormal([size, size], 0, 1, 'float32', 1), tf.randomNormal([size, size], 0, 1, 'float32', 2)];
  const ms: number[] = [];
  await restoringKernels(async () => {
    tf.env().set(BLOCKED_MATMUL_FLAG, blocked);
    for (let i = 0; i <= reps; i++) {
      const started = performance.now();
      const c = tf.matMul(a, b); // [size, size]
      await c.data();
      c.dispose();
      if (i > 0) ms.push(performance.now() - started); // the first run compiles the shader
    }
  });
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

function setKernels(kernels: KernelSet): void {
  tf.env().set(FUSED_ADAMW_FLAG, kernels.adamw === 'fused');
  tf.env().set(LOOP_REDUCTIONS_FLAG, kernels.reductions === 'loop');
  tf.env().set(WASM_PLAIN_MATMUL_FLAG, kernels.matmul !== 'tfjs');
  tf.env().set(BLOCKED_MATMUL_FLAG, kernels.matmul !== 'tfjs');
}

/** Runs `fn`, then puts the kernel flags back as they were. */
async function restoringKernels<T>(fn: () => Promise<T>): Promise<T> {
  const flags = [FUSED_ADAMW_FLAG, LOOP_REDUCTIONS_FLAG, WASM_PLAIN_MATMUL_FLAG, BLOCKED_MATMUL_FLAG];
  const before = flags.map((flag) => tf.env().getBool(flag));
  try {
    return await fn();
  } finally {
    flags.forEach((flag, i) => tf.env().set(flag, before[i]));
  }
}

/**
 * Full training steps through the studio's Trainer (classification, clipping on, no evaluation), one run with
 * the kernel sets interleaved (see schedule.ts). A step's time is the interval between consecutive step
 * callbacks, so it holds one whole step including the loss readback.
 */
export async function benchTraining(name: BenchModelName, kernelSets: KernelSet[], request: BenchRequest): Promise<TrainingRun[]> {
  const { steps, warmup, batchSize } = request;
  const seqLen = benchSeqLen(name, request.seqLen);
  const model = await loadBenchModel(name, seqLen);
  const sets = kernelSets.length;
  const total = totalSteps(steps, warmup, sets);
  const args = validateTrainingArgs({ batchSize, maxLength: seqLen, maxSteps: total, earlyStoppingPatience: 0 });
  const stepMs: number[][] = kernelSets.map(() => []);
  const counts: LaunchCounts[][] = kernelSets.map(() => []);
  const counter = startLaunchCounter();
  let last = 0;
  try {
    await restoringKernels(async () => {
      setKernels(kernelSets[setAt(1, warmup, sets)]);
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
          onStep: ({ step }) => {
            const now = performance.now();
            const set = countedSet(step, warmup, sets);
            if (set !== null) {
              stepMs[set].push(now - last);
              counts[set].push(counter.read());
            }
            setKernels(kernelSets[setAt(step + 1, warmup, sets)]);
            counter.reset();
            last = performance.now();
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
  return kernelSets.map((kernels, i) => ({
    model: name,
    shape: model.shape,
    kernels,
    stepMs: stepMs[i],
    medianMs: median(stepMs[i]),
    ...perStep(sumCounts(counts[i]), counts[i].length),
  }));
}

function sumCounts(all: LaunchCounts[]): LaunchCounts {
  const byKernel = new Map<string, number>();
  for (const { byKernel: one } of all) for (const [name, n] of one) byKernel.set(name, (byKernel.get(name) ?? 0) + n);
  const dispatches = all.some((c) => c.dispatches === null) ? null : all.reduce((n, c) => n + c.dispatches!, 0);
  return { kernels: all.reduce((n, c) => n + c.kernels, 0), byKernel, dispatches };
}

/**
 * AdamW alone over every parameter of the model, each step ended by a readback of the last parameter (so each
 * interval is self-contained), the forms taking turns step by step.
 */
export async function benchOptimizer(name: BenchModelName, forms: AdamWForm[], request: BenchRequest): Promise<OptimizerRun[]> {
  const { steps, warmup } = request;
  const model = await loadBenchModel(name, benchSeqLen(name, request.seqLen));
  const optimizer = new AdamW(model.params, decayNames(buildParamGroups(model.params, model.config.numHiddenLayers)));
  const grads = randomGrads(model.params, 7);
  const lrs = new Map([...model.params.keys()].map((key) => [key, 1e-4]));
  const last = [...model.params.values()].at(-1)!;
  const counter = startLaunchCounter();
  const stepMs: number[][] = forms.map(() => []);
  const dispatches: (number | null)[] = forms.map(() => 0);
  try {
    await restoringKernels(async () => {
      for (let i = 0; i < warmup + steps; i++) {
        for (const [f, adamw] of forms.entries()) {
          setKernels({ adamw, reductions: 'loop' });
          counter.reset();
          const started = performance.now();
          optimizer.step(grads, lrs);
          await last.data();
          if (i < warmup) continue;
          stepMs[f].push(performance.now() - started);
          const counted = counter.read().dispatches;
          dispatches[f] = counted === null ? null : dispatches[f]! + counted;
        }
      }
    });
  } finally {
    counter.stop();
    optimizer.dispose();
    tf.dispose([...grads.values()]);
    disposeParams(model.params);
  }
  return forms.map((adamw, f) => ({
    model: name,
    adamw,
    stepMs: stepMs[f],
    medianMs: median(stepMs[f]),
    dispatchesPerStep: dispatches[f] === null ? null : dispatches[f]! / steps,
  }));
}
