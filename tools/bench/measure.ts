// The timed measurements of one backend, run inside the benchmark page.
import * as tf from '@tensorflow/tfjs';
import { quantile } from '../../src/data/stats';
import { FUSED_ADAMW_FLAG, WASM_IN_PLACE_ADAMW_FLAG } from '../../src/kernels/adamwKernel';
import { LOOP_REDUCTIONS_FLAG } from '../../src/kernels/reductions';
import { WASM_SHARED_IDENTITY_FLAG } from '../../src/kernels/wasmIdentity';
import { WASM_PLAIN_MATMUL_FLAG } from '../../src/kernels/wasmMatMul';
import { FUSED_ATTENTION_FLAG } from '../../src/kernels/webgpuAttention';
import { FUSED_EMBEDDING_FLAG } from '../../src/kernels/webgpuEmbedding';
import { FUSED_CROSS_ENTROPY_FLAG } from '../../src/kernels/webgpuCrossEntropy';
import { FUSED_GELU_FLAG } from '../../src/kernels/webgpuGelu';
import { FUSED_LAYER_NORM_FLAG } from '../../src/kernels/webgpuLayerNorm';
import { FUSED_BIAS_FLAG } from '../../src/kernels/webgpuLinear';
import { BLOCKED_MATMUL_FLAG } from '../../src/kernels/webgpuMatMul';
import { disposeParams } from '../../src/model/params';
import { validateTrainingArgs } from '../../src/train/defaults';
import { planMemory } from '../../src/train/memory';
import { taskForward } from '../../src/train/objective';
import { Trainer } from '../../src/train/trainer';
import type { BackendName } from '../../src/kernels/adapter';
import { startPeers } from '../../src/worker/peers';
import { startLaunchCounter, type LaunchCounts } from './counters';
import { trainStepFlops } from './flops';
import { SHIPPED, STOCK, STUDIO_KERNELS } from './plan';
import type { ConfigPlan, ConfigRun, KernelSet, MatmulRun, StudioKernel, TrainingRun } from './protocol';
import { countedSet, setAt, totalSteps } from './schedule';
import { loadBenchModel, SPECIAL, syntheticBatch, syntheticExamples, type BenchModel } from './workloads';

export function median(values: readonly number[]): number {
  return quantile([...values].sort((a, b) => a - b), 0.5);
}

/** The tfjs flag behind each of the studio's kernels. */
const FLAGS: Record<StudioKernel, string> = {
  fusedAdamW: FUSED_ADAMW_FLAG,
  inPlaceAdamW: WASM_IN_PLACE_ADAMW_FLAG,
  loopReductions: LOOP_REDUCTIONS_FLAG,
  plainMatMul: WASM_PLAIN_MATMUL_FLAG,
  blockedMatMul: BLOCKED_MATMUL_FLAG,
  sharedIdentity: WASM_SHARED_IDENTITY_FLAG,
  fusedLayerNorm: FUSED_LAYER_NORM_FLAG,
  fusedGelu: FUSED_GELU_FLAG,
  fusedBias: FUSED_BIAS_FLAG,
  fusedAttention: FUSED_ATTENTION_FLAG,
  fusedEmbedding: FUSED_EMBEDDING_FLAG,
  fusedCrossEntropy: FUSED_CROSS_ENTROPY_FLAG,
};

function setKernels(kernels: KernelSet): void {
  for (const kernel of STUDIO_KERNELS) tf.env().set(FLAGS[kernel], !kernels.off.includes(kernel));
}

/** Runs `fn`, then puts the kernel flags back as they were. */
async function restoringKernels<T>(fn: () => Promise<T>): Promise<T> {
  const before = STUDIO_KERNELS.map((kernel) => tf.env().getBool(FLAGS[kernel]));
  try {
    return await fn();
  } finally {
    STUDIO_KERNELS.forEach((kernel, i) => tf.env().set(FLAGS[kernel], before[i]));
  }
}

/**
 * Median time of an n×n×n matMul including the readback of its result, which waits for the device, with the
 * shipped kernels or stock tfjs's (on WebGPU software adapters the studio's blocked matMul, webgpuMatMul.ts).
 */
export async function benchMatmul(size: number, reps: number, kernels: MatmulRun['kernels']): Promise<MatmulRun> {
  const [a, b] = [tf.randomNormal([size, size], 0, 1, 'float32', 1), tf.randomNormal([size, size], 0, 1, 'float32', 2)];
  const ms: number[] = [];
  await restoringKernels(async () => {
    setKernels(kernels === 'shipped' ? SHIPPED : STOCK);
    for (let i = 0; i <= reps; i++) {
      const started = performance.now();
      const c = tf.matMul(a, b); // [size, size]
      await c.data();
      c.dispose();
      if (i > 0) ms.push(performance.now() - started); // the first run compiles the shader
    }
  });
  tf.dispose([a, b]);
  return { size, kernels, ms, gflops: (2 * size ** 3) / (median(ms) / 1000) / 1e9 };
}

/** A training step longer than this is reported as it ends, so that a long run (bert-base) shows progress. */
const SLOW_STEP_MS = 10_000;

/**
 * One config on the current backend: inference latency with the shipped kernels, then training steps with every
 * kernel set interleaved, gradient checkpointing decided as the studio decides it (the engine's planMemory).
 */
export async function benchConfig(plan: ConfigPlan, kernelSets: KernelSet[], peers: number, log: (line: string) => void): Promise<ConfigRun> {
  const model = await loadBenchModel(plan.config);
  try {
    const { shape } = model;
    const sizes = {
      numLayers: shape.layers,
      hiddenSize: shape.hidden,
      numHeads: shape.heads,
      intermediateSize: shape.intermediate,
      vocabSize: shape.vocab,
      numParams: shape.parameters,
    };
    const { gradientCheckpointing } = planMemory(sizes, plan.batchSize, plan.seqLen, 'classify', tf.getBackend(), false);
    const inferenceMs = await restoringKernels(async () => {
      setKernels(SHIPPED);
      return benchInference(model, plan);
    });
    const { training, numTensors } = await benchTraining(model, plan, kernelSets, gradientCheckpointing, peers, log);
    const wasm = tf.getBackend() === 'wasm' ? (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm : null;
    return {
      plan,
      shape,
      gradientCheckpointing,
      stepFlops: trainStepFlops(shape, plan.batchSize, plan.seqLen, gradientCheckpointing),
      inferenceMs,
      inferenceMedianMs: median(inferenceMs),
      training,
      numTensors,
      wasmHeapBytes: wasm ? wasm.HEAPU8.length : null,
    };
  } finally {
    disposeParams(model.params);
  }
}

/** Forward passes of one batch as evaluation runs them (no gradient tape, dropout off), each ended by a readback. */
async function benchInference(model: BenchModel, plan: ConfigPlan): Promise<number[]> {
  const batch = syntheticBatch(plan.batchSize, plan.seqLen, model.config.vocabSize);
  const ms: number[] = [];
  // A forward pass costs about a third of a step: a few more samples than the steps' are cheap.
  const timed = Math.max(plan.steps, 3);
  for (let i = 0; i < plan.warmup + timed; i++) {
    const started = performance.now();
    const logits = tf.tidy(() => taskForward(model, 'classify', batch, undefined, { training: false }).logits);
    await logits.data();
    logits.dispose();
    if (i >= plan.warmup) ms.push(performance.now() - started);
  }
  return ms;
}

function perStep(counts: LaunchCounts, steps: number): Pick<TrainingRun, 'kernelsPerStep' | 'dispatchesPerStep' | 'topKernels' | 'peakBytes'> {
  return {
    kernelsPerStep: counts.kernels / steps,
    dispatchesPerStep: counts.dispatches === null ? null : counts.dispatches / steps,
    topKernels: [...counts.byKernel]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 12)
      .map(([name, count]) => [name, count / steps]),
    peakBytes: counts.peakBytes,
  };
}

/**
 * Full training steps through the studio's Trainer (classification, clipping on, no evaluation), one run with
 * the kernel sets interleaved (see schedule.ts). A step's time is the interval between consecutive step
 * callbacks, so it holds one whole step including the loss readback.
 */
async function benchTraining(
  model: BenchModel,
  plan: ConfigPlan,
  kernelSets: KernelSet[],
  gradientCheckpointing: boolean,
  peerCount: number,
  log: (line: string) => void,
): Promise<Pick<ConfigRun, 'training' | 'numTensors'>> {
  const { batchSize, seqLen, warmup, steps } = plan;
  const sets = kernelSets.length;
  const total = totalSteps(steps, warmup, sets);
  const args = validateTrainingArgs({ batchSize, maxLength: seqLen, maxSteps: total, earlyStoppingPatience: 0, gradientCheckpointing });
  const stepMs: number[][] = kernelSets.map(() => []);
  const counts: LaunchCounts[][] = kernelSets.map(() => []);
  const numTensors: number[] = [];
  const counter = startLaunchCounter();
  // They start during the warmup steps, which are not timed.
  const peers = startPeers(peerCount, model.config, tf.getBackend() as BackendName);
  let last = performance.now();
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
        peers,
        hooks: {
          onStep: (metrics) => {
            const now = performance.now();
            if (now - last > SLOW_STEP_MS) {
              log(`step ${metrics.step} of ${total} (${kernelSets[setAt(metrics.step, warmup, sets)].name}): ${((now - last) / 1000).toFixed(0)} s`);
            }
            const set = countedSet(metrics.step, warmup, sets);
            if (set !== null) {
              stepMs[set].push(now - last);
              counts[set].push(counter.read());
              numTensors.push(metrics.numTensors);
            }
            setKernels(kernelSets[setAt(metrics.step + 1, warmup, sets)]);
            counter.reset();
            last = performance.now();
          },
        },
      });
      const result = await trainer.run();
      if (result.outcome !== 'done') throw new Error(`training ${model.name} stopped: ${result.outcome} ${result.message ?? ''}`);
    });
  } finally {
    counter.stop();
    for (const peer of peers) peer.dispose();
  }
  const training = kernelSets.map((kernels, i) => ({
    kernels,
    stepMs: stepMs[i],
    medianMs: median(stepMs[i]),
    ...perStep(sumCounts(counts[i]), counts[i].length),
  }));
  return { training, numTensors: { start: numTensors[0], end: numTensors.at(-1)! } };
}

/** Counts of several steps added up; the peak is the highest of theirs. */
function sumCounts(all: LaunchCounts[]): LaunchCounts {
  const byKernel = new Map<string, number>();
  for (const { byKernel: one } of all) for (const [name, n] of one) byKernel.set(name, (byKernel.get(name) ?? 0) + n);
  const dispatches = all.some((c) => c.dispatches === null) ? null : all.reduce((n, c) => n + c.dispatches!, 0);
  return {
    kernels: all.reduce((n, c) => n + c.kernels, 0),
    byKernel,
    dispatches,
    peakBytes: Math.max(...all.map((c) => c.peakBytes)),
  };
}
