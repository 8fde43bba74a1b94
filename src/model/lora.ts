/**
 * LoRA (Hu et al. 2021) as PEFT applies it to a Linear layer: y = W·x + b + (α/r)·B·A·dropout(x), with A [r, in]
 * drawn as PEFT's kaiming_uniform_(a=√5) (uniform in ±1/√in) and B [out, r] zero, so training starts from the
 * checkpoint's function exactly. Only A, B and the task head train; W and b stay frozen.
 *
 * Adapters live in the parameter map beside the layer they adapt (`<layer>.lora_A.weight`, `<layer>.lora_B.weight`,
 * PEFT's names with the adapter name dropped, as PEFT saves them), and the config carries their settings, so every
 * path that runs the model (training, evaluation, peers, checkpoints) sees them without being told.
 */
import * as tf from '@tensorflow/tfjs';
import { createRng } from '../data/random';
import type { BertConfig } from './bert/config';
import { isLoraParam, LORA_A, LORA_B, LORA_TARGETS, type LoraTarget } from './loraTargets';
import type { Params } from './params';

export { isLoraParam, LORA_A, LORA_B, LORA_TARGETS, parseLoraTargets, type LoraTarget } from './loraTargets';

export interface LoraSettings {
  /** r: the adapters' inner width. */
  rank: number;
  /** α: the update is scaled by α / r. */
  alpha: number;
  /** Dropout on an adapter's input (PEFT's lora_dropout), only when training. */
  dropout: number;
  targets: LoraTarget[];
}

/** The shared-name suffixes (within `bert.encoder.layer.i.`) of the Linear layers each target adapts. */
export const TARGET_LAYERS: Readonly<Record<LoraTarget, readonly string[]>> = {
  query: ['attention.self.query'],
  key: ['attention.self.key'],
  value: ['attention.self.value'],
  'attention.output': ['attention.output.dense'],
  ffn: ['intermediate.dense', 'output.dense'],
};


/**
 * The shared names (no `.weight`) of every Linear layer the settings adapt, set of layer weights by set: ALBERT's
 * one shared set gets one adapter each, which every layer runs, as PEFT puts it on the shared module.
 */
export function adaptedLayers(config: Pick<BertConfig, 'numHiddenGroups'>, targets: readonly LoraTarget[]): string[] {
  const suffixes = LORA_TARGETS.filter((target) => targets.includes(target)).flatMap((target) => TARGET_LAYERS[target]);
  return Array.from({ length: config.numHiddenGroups }, (_, i) => suffixes.map((suffix) => `bert.encoder.layer.${i}.${suffix}`)).flat();
}

/**
 * Adds fresh adapters to `params` for `settings` (A seeded from `seed` and the layer's name, B zero) and returns
 * their names. The adapted weights themselves are left as they are.
 */
export function addAdapters(params: Params, config: BertConfig, settings: LoraSettings, seed: number): string[] {
  const rng = createRng(seed).fork('lora');
  const added: string[] = [];
  for (const layer of adaptedLayers(config, settings.targets)) {
    const [out, inp] = params.get(`${layer}.weight`)!.shape;
    const bound = 1 / Math.sqrt(inp);
    const draws = rng.fork(layer);
    const a = Float32Array.from({ length: settings.rank * inp }, () => (2 * draws.next() - 1) * bound);
    const initial = [tf.tensor2d(a, [settings.rank, inp]), tf.zeros([out, settings.rank])]; // [r, in], [out, r]
    params.set(`${layer}.${LORA_A}`, tf.variable(initial[0], true));
    params.set(`${layer}.${LORA_B}`, tf.variable(initial[1], true));
    tf.dispose(initial);
    added.push(`${layer}.${LORA_A}`, `${layer}.${LORA_B}`);
  }
  return added;
}

/** Removes (and frees) every adapter the parameters carry, leaving the weights they adapted as they are. */
export function dropAdapters(params: Params): void {
  for (const [name, variable] of [...params]) {
    if (!isLoraParam(name)) continue;
    variable.dispose();
    params.delete(name);
  }
}

/** `name` with its adapter merged in, W + (α/r)·B·A [out, in], or null when it carries no adapter. */
function mergedWeight(params: Params, lora: LoraSettings, name: string, weight: tf.Variable): tf.Tensor | null {
  if (!name.endsWith('.weight') || isLoraParam(name)) return null;
  const layer = name.slice(0, -'.weight'.length);
  const [a, b] = [params.get(`${layer}.${LORA_A}`), params.get(`${layer}.${LORA_B}`)];
  return a && b ? tf.tidy(() => tf.add(weight, tf.mul(tf.matMul(b, a), lora.alpha / lora.rank))) : null; // [out, in]
}

/** Merges each adapter into the weight it adapts (W += (α/r)·B·A) and drops the adapters: a plain model again. */
export function foldAdapters(params: Params, lora: LoraSettings): void {
  for (const [name, variable] of params) {
    const merged = mergedWeight(params, lora, name, variable);
    if (!merged) continue;
    variable.assign(merged);
    merged.dispose();
  }
  dropAdapters(params);
}

/** The adapter's term (α/r)·B·A·x of the Linear layer `prefix`, or null where it has none. */
export function adapterTerm(params: Params, lora: LoraSettings | undefined, prefix: string, x: tf.Tensor2D): tf.Tensor2D | null {
  const a = params.get(`${prefix}.${LORA_A}`);
  const b = params.get(`${prefix}.${LORA_B}`);
  if (!lora || !a || !b) return null;
  const down = tf.matMul(x, a, false, true); // [tokens, r]
  return tf.mul(tf.matMul(down, b, false, true), lora.alpha / lora.rank) as tf.Tensor2D; // [tokens, out]
}

/**
 * W + (α/r)·B·A for every adapted layer, the adapters dropped: the weights `transformers` loads as a plain model
 * (PEFT's merge_and_unload). Values only; `params` is not changed.
 */
export async function mergedValues(params: Params, lora: LoraSettings): Promise<Map<string, { shape: number[]; data: Float32Array }>> {
  const out = new Map<string, { shape: number[]; data: Float32Array }>();
  for (const [name, variable] of params) {
    if (isLoraParam(name)) continue;
    const merged = mergedWeight(params, lora, name, variable) ?? variable;
    out.set(name, { shape: [...variable.shape], data: (await merged.data()) as Float32Array });
    if (merged !== variable) merged.dispose();
  }
  return out;
}

/** Trainable and total parameter counts with adapters on: what LoRA saves, for the UI and the log. */
export function loraCounts(params: ReadonlyMap<string, { shape: readonly number[] }>, trainable: readonly string[]): { trainable: number; total: number; adapters: number } {
  const size = (name: string) => params.get(name)!.shape.reduce((a, b) => a * b, 1);
  let total = 0;
  let adapters = 0;
  for (const name of params.keys()) {
    if (isLoraParam(name)) adapters += size(name);
    else total += size(name);
  }
  return { trainable: trainable.reduce((n, name) => n + size(name), 0), total, adapters };
}
