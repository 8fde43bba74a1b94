// Browser side of e2e/webgpuAttention.spec.ts: BERT's self-attention with the fused WebGPU kernels
// (src/kernels/webgpuAttention.ts) against the same layer composed of tf ops, on the page's WebGPU backend.
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/kernels/backend';
import { variableGrads } from '../../src/kernels/backprop';
import { FUSED_ATTENTION_FLAG } from '../../src/kernels/webgpuAttention';
import { selfAttention } from '../../src/model/bert/attention';
import type { BertConfig } from '../../src/model/bert/config';
import { bertForward } from '../../src/model/bert/model';
import { randomParams, tinyConfig } from '../../src/model/bert/testing';
import { goldenCheck } from './golden';

export interface AttentionCase {
  name: string;
  batch: number;
  seq: number;
  heads: number;
  headDim: number;
  /** Per sequence, how many keys at its end are padding. */
  padding: number[];
  /** Dropout on (training, rate 0.1, a fixed seed). */
  dropout: boolean;
}

export interface AttentionResult {
  name: string;
  adapter: string | undefined;
  /** Shader keys (prefixes) dispatched by each path. */
  fusedShaders: string[];
  composedShaders: string[];
  /** Compute dispatches of one forward and backward pass, fused and composed. */
  fusedDispatches: number;
  composedDispatches: number;
  /** Of the fused pass's dispatches, those of the attention kernels. */
  attentionDispatches: number;
  /** Largest difference over the largest magnitude of the composed path's values. */
  contextError: number;
  probsError: number;
  /**
   * Gradients of the hidden states and of the query, key and value weights and biases, in that order. The key
   * bias's is zero but for rounding (it adds q·b to a whole row of scores, which softmax ignores): its error is
   * measured against the key weight's gradient.
   */
  gradientErrors: number[];
  /** Largest |difference| between the fused path's training and inference context: 0 would mean no dropout. */
  dropoutEffect: number;
  /** The largest probability the fused path gives a padding key. */
  paddingProbability: number;
  /** tf.memory().numTensors after each of several fused forward and backward passes. */
  tensorCounts: number[];
}

const WEIGHTS = ['query', 'key', 'value'].flatMap((name) => [`${name}.weight`, `${name}.bias`]);

const maxAbs = (values: Float32Array) => values.reduce((max, v) => Math.max(max, Math.abs(v)), 0);

/** Largest |difference| over `scale`, by default the largest magnitude of the expected values. */
function relError(actual: Float32Array, expected: Float32Array, scale = maxAbs(expected)): number {
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const diff = Math.abs(actual[i] - expected[i]);
    worst = Number.isNaN(diff) ? Infinity : Math.max(worst, diff);
  }
  return actual.length !== expected.length ? Infinity : scale === 0 ? worst : worst / scale;
}

/** Counts the programs run (shader keys up to their first '_' run) while `fn` runs. */
async function withPrograms<T>(fn: () => Promise<T>): Promise<{ result: T; shaders: string[]; dispatches: number; attentionDispatches: number }> {
  const gpu = tf.backend() as unknown as { runWebGPUProgram(program: { shaderKey: string }, ...rest: unknown[]): unknown };
  const runProgram = gpu.runWebGPUProgram;
  const shaders = new Set<string>();
  let [dispatches, attentionDispatches] = [0, 0];
  gpu.runWebGPUProgram = function (this: unknown, program, ...rest) {
    shaders.add(program.shaderKey.split('_')[0]);
    dispatches += 1;
    if (program.shaderKey.startsWith('attention')) attentionDispatches += 1;
    return runProgram.call(this, program, ...rest);
  };
  try {
    return { result: await fn(), shaders: [...shaders].sort(), dispatches, attentionDispatches };
  } finally {
    gpu.runWebGPUProgram = runProgram;
  }
}

export async function attentionCheck(cases: AttentionCase[]): Promise<AttentionResult[]> {
  const { adapter } = await initBackend('webgpu');
  const results: AttentionResult[] = [];
  for (const [index, c] of cases.entries()) {
    const hidden = c.heads * c.headDim;
    const config = { hiddenSize: hidden, numAttentionHeads: c.heads, attentionProbsDropoutProb: 0.1 } as BertConfig;
    const prefix = 'layer.attention.self';
    const seed = 100 * index;
    const params = new Map(WEIGHTS.map((name, i) => [
      `${prefix}.${name}`,
      tf.variable(tf.randomNormal(name.endsWith('weight') ? [hidden, hidden] : [hidden], 0, 0.2, 'float32', seed + i)),
    ]));
    const states = tf.variable(tf.randomNormal([c.batch * c.seq, hidden], 0, 1, 'float32', seed + 10));
    // As extendedAttentionMask builds it: 0 to attend, float32's lowest for padding.
    const maskValues = Array.from({ length: c.batch }, (_, b) => Array.from({ length: c.seq }, (_, j) => (j >= c.seq - c.padding[b] ? -3.4028234663852886e38 : 0)));
    const mask = tf.tensor4d(maskValues.flat(), [c.batch, 1, 1, c.seq]);
    // tf.Variable is typed by rank only; these are [tokens, hidden].
    const hiddenStates = states as tf.Variable as unknown as tf.Tensor2D;
    const weightOfContext = tf.randomNormal([c.batch * c.seq, hidden], 0, 1, 'float32', seed + 11);
    const variables = [states, ...params.values()];
    const shape = { batchSize: c.batch, seqLen: c.seq };
    const opts = { training: c.dropout, seed: c.dropout ? 7 : undefined };

    const forward = (training: boolean) => selfAttention(params, config, prefix, hiddenStates, mask, shape, { ...opts, training });
    /** Context, probabilities and the gradients of Σ context ⊙ W, as arrays. */
    const pass = async (fused: boolean) => {
      tf.env().set(FUSED_ATTENTION_FLAG, fused);
      try {
        return await withPrograms(async () => {
          const { context, probs } = tf.tidy(() => forward(c.dropout));
          const { value, grads } = variableGrads(() => tf.sum(tf.mul(forward(c.dropout).context, weightOfContext)), variables);
          const arrays = await Promise.all([context, probs, ...grads.map((g) => g!)].map((t) => t.data() as Promise<Float32Array>));
          tf.dispose([context, probs, value, ...grads.map((g) => g!)]);
          return arrays;
        });
      } finally {
        tf.env().set(FUSED_ATTENTION_FLAG, true);
      }
    };
    const fused = await pass(true);
    const composed = await pass(false);
    // Dispatches of the gradient pass alone are what a training step pays; counted again without the extra forward.
    const count = async (on: boolean) => {
      tf.env().set(FUSED_ATTENTION_FLAG, on);
      try {
        return await withPrograms(async () => {
          const { value, grads } = variableGrads(() => tf.sum(tf.mul(forward(c.dropout).context, weightOfContext)), variables);
          tf.dispose([value, ...grads.map((g) => g!)]);
        });
      } finally {
        tf.env().set(FUSED_ATTENTION_FLAG, true);
      }
    };
    const [fusedCount, composedCount] = [await count(true), await count(false)];

    const inference = tf.tidy(() => forward(false).context);
    const inferenceData = (await inference.data()) as Float32Array;
    inference.dispose();
    let dropoutEffect = 0;
    fused.result[0].forEach((v, i) => (dropoutEffect = Math.max(dropoutEffect, Math.abs(v - inferenceData[i]))));
    let paddingProbability = 0;
    fused.result[1].forEach((p, i) => {
      const b = Math.floor(i / (c.heads * c.seq * c.seq));
      if (i % c.seq >= c.seq - c.padding[b]) paddingProbability = Math.max(paddingProbability, p);
    });

    const tensorCounts: number[] = [];
    for (let step = 0; step < 4; step++) {
      const { value, grads } = variableGrads(() => tf.sum(tf.mul(forward(c.dropout).context, weightOfContext)), variables);
      tf.dispose([value, ...grads.map((g) => g!)]);
      tensorCounts.push(tf.memory().numTensors);
    }

    results.push({
      name: c.name,
      adapter,
      fusedShaders: fused.shaders,
      composedShaders: composed.shaders,
      fusedDispatches: fusedCount.dispatches,
      composedDispatches: composedCount.dispatches,
      attentionDispatches: fusedCount.attentionDispatches,
      contextError: relError(fused.result[0], composed.result[0]),
      probsError: relError(fused.result[1], composed.result[1]),
      gradientErrors: fused.result.slice(2).map((g, i) => {
        const expected = composed.result[2 + i];
        const keyWeightGradient = composed.result[2 + 1 + WEIGHTS.indexOf('key.weight')];
        return WEIGHTS[i - 1] === 'key.bias' ? relError(g, expected, maxAbs(keyWeightGradient)) : relError(g, expected);
      }),
      dropoutEffect,
      paddingProbability,
      tensorCounts,
    });
    tf.dispose([...variables, mask, weightOfContext]);
  }
  return results;
}

/** The PyTorch golden check of one fixture, with the shader keys it dispatched. */
export async function attentionGolden(fixture: string): Promise<{ report: Awaited<ReturnType<typeof goldenCheck>>; shaders: string[] }> {
  await initBackend('webgpu');
  const { result, shaders } = await withPrograms(() => goldenCheck(fixture, 'webgpu'));
  return { report: result, shaders };
}

export interface ModelResult {
  /** Relative error of the loss and of the worst parameter gradient, fused against composed, per setting. */
  settings: { gradientCheckpointing: boolean; lossError: number; worstGradientError: number; attentionDispatches: number }[];
  parameters: number;
}

/**
 * A seeded training pass of a whole model (dropout on, padded keys), with and without gradient checkpointing (which
 * runs each layer's forward pass again inside the backward pass): the fused kernels against the composed tf ops.
 */
export async function attentionModelCheck(): Promise<ModelResult> {
  await initBackend('webgpu');
  const config = tinyConfig({ hidden_size: 32, num_hidden_layers: 2, num_attention_heads: 2, intermediate_size: 64, max_position_embeddings: 16 });
  const params = randomParams(config);
  const [batchSize, seqLen] = [3, 11];
  const batch = {
    inputIds: Int32Array.from({ length: batchSize * seqLen }, (_, i) => (i * 7) % config.vocabSize),
    tokenTypeIds: new Int32Array(batchSize * seqLen),
    attentionMask: Int32Array.from({ length: batchSize * seqLen }, (_, i) => (i % seqLen < 8 + Math.floor(i / seqLen) ? 1 : 0)),
    batchSize,
    seqLen,
  };
  const probe = tf.randomNormal([batchSize, seqLen, config.hiddenSize], 0, 1, 'float32', 5);
  // What the sequence output depends on (not the pooler or the heads).
  const names = [...params.keys()].filter((name) => name.startsWith('bert.encoder.') || name.startsWith('bert.embeddings.'));
  const variables = names.map((name) => params.get(name)!);
  const pass = async (fused: boolean, gradientCheckpointing: boolean) => {
    tf.env().set(FUSED_ATTENTION_FLAG, fused);
    try {
      const { result, attentionDispatches } = await withPrograms(async () => {
        const { value, grads } = variableGrads(() => {
          const out = bertForward(params, config, batch, { training: true, seed: 11, gradientCheckpointing });
          return tf.sum(tf.mul(out.sequenceOutput, probe));
        }, variables);
        const arrays = await Promise.all([value, ...grads.map((g) => g!)].map((t) => t.data() as Promise<Float32Array>));
        tf.dispose([value, ...grads.map((g) => g!)]);
        return arrays;
      });
      return { result, attentionDispatches };
    } finally {
      tf.env().set(FUSED_ATTENTION_FLAG, true);
    }
  };
  const settings: ModelResult['settings'] = [];
  for (const gradientCheckpointing of [false, true]) {
    const fused = await pass(true, gradientCheckpointing);
    const composed = await pass(false, gradientCheckpointing);
    settings.push({
      gradientCheckpointing,
      lossError: relError(fused.result[0], composed.result[0]),
      // Key biases' gradients are zero but for rounding (see AttentionResult): they are measured against the key weights'.
      worstGradientError: Math.max(...names.map((name, i) => {
        const scale = name.endsWith('key.bias') ? maxAbs(composed.result[1 + names.indexOf(name.replace(/bias$/, 'weight'))]) : undefined;
        return relError(fused.result[1 + i], composed.result[1 + i], scale);
      })),
      attentionDispatches: fused.attentionDispatches,
    });
  }
  tf.dispose([...params.values(), probe]);
  return { settings, parameters: variables.length };
}
